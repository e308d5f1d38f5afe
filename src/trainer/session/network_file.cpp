#include "wgf/netcdf_variables.hpp"
#include "wgf/trainer/network_file.hpp"

#include <stdexcept>

#include "wgf/h5_file.hpp"

namespace wgf {

void write_network(hid_t parent, const NetworkRole& role, const MlpShape& shape,
                   const std::vector<double>& parameters) {
  if (parameters.size() != shape.parameter_count())
    throw std::logic_error("write_network: " + std::to_string(parameters.size()) +
                           " parameters for a network of " + std::to_string(shape.parameter_count()));
  H5Id group(H5Gcreate2(parent, role.name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) throw std::runtime_error("cannot create the group '" + role.name + "'");
  write_attribute(group.get(), "description", shape.describe());
  write_attribute(group.get(), "inputs", static_cast<long>(shape.inputs));
  write_attribute(group.get(), "outputs", static_cast<long>(shape.outputs));
  write_attribute(group.get(), "layers", static_cast<long>(shape.layers()));
  write_attribute(group.get(), "input_rows", role.inputs);
  write_attribute(group.get(), "output_rows", role.outputs);
  write_attribute(group.get(), "formula",
                  std::string("a_0 = x (one sample per row); a_{l+1} = activation_l(a_l weight_l + bias_l) "
                              "for l = 0 .. layers-1; the output is a_layers"));
  for (int l = 0; l < shape.layers(); ++l) {
    const std::string name = "layer_" + std::to_string(l);
    H5Id layer(H5Gcreate2(group.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    if (!layer.valid()) throw std::runtime_error("cannot create the group '" + name + "'");
    const auto fan_in = static_cast<std::size_t>(shape.fan_in(l));
    const auto fan_out = static_cast<std::size_t>(shape.fan_out(l));
    const auto weight = parameters.begin() + static_cast<std::ptrdiff_t>(shape.weight_offset(l));
    const auto bias = parameters.begin() + static_cast<std::ptrdiff_t>(shape.bias_offset(l));
    write_variable(layer.get(), "weight", std::vector<double>(weight, weight + fan_in * fan_out),
                   {fan_in, fan_out}, {{"input", "output"}, "1", "weight matrix (x weight + bias)"});
    write_variable(layer.get(), "bias", std::vector<double>(bias, bias + fan_out), {fan_out},
                   {{"output"}, "1", "bias vector"});
    write_attribute(layer.get(), "activation", shape.activation_of(l).spec());
    write_attribute(layer.get(), "fan_in", static_cast<long>(fan_in));
    write_attribute(layer.get(), "fan_out", static_cast<long>(fan_out));
  }
}

}  // namespace wgf
