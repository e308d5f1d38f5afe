#include "wgf/studies/gan_checkpoint.hpp"

#include <hdf5.h>

#include <cmath>
#include <limits>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/spec_text.hpp"
#include "wgf/trainer/activation.hpp"

namespace wgf {

namespace {

// The largest width a description may give (int's range).
constexpr int kMaxWidth = std::numeric_limits<int>::max();

std::string string_attribute(hid_t file, const std::string& name, const std::string& path) {
  if (H5Aexists(file, name.c_str()) <= 0)
    throw InputError("'" + path + "' has no root attribute '" + name + "' (not a wgf train file?)");
  const auto value = read_string_attribute(file, name);
  if (!value) throw InputError("'" + path + "': root attribute '" + name + "' is not text");
  return *value;
}

long long_attribute(hid_t file, const std::string& name, const std::string& path) {
  if (H5Aexists(file, name.c_str()) <= 0)
    throw InputError("'" + path + "' has no root attribute '" + name + "' (not a wgf train file?)");
  H5Id attribute(H5Aopen(file, name.c_str(), H5P_DEFAULT));
  long value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_LONG, &value) < 0)
    throw InputError("'" + path + "': root attribute '" + name + "' is not an integer");
  return value;
}

// The root attribute `sample_shape` (what one sample is: {28, 28} for images, {2} for points);
// empty where a file has none.
std::vector<long> optional_shape(hid_t file) {
  if (H5Aexists(file, "sample_shape") <= 0) return {};
  H5Id attribute(H5Aopen(file, "sample_shape", H5P_DEFAULT));
  H5Id space(H5Aget_space(attribute.get()));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 1 || count > 8) return {};
  std::vector<long> shape(static_cast<std::size_t>(count));
  if (H5Aread(attribute.get(), H5T_NATIVE_LONG, shape.data()) < 0) return {};
  return shape;
}

std::vector<double> parameters(hid_t file, const std::string& name, std::size_t expected,
                               const std::string& path) {
  const std::string dataset_path = "/train/final_parameters/" + name;
  if (H5Lexists(file, "/train", H5P_DEFAULT) <= 0 ||
      H5Lexists(file, "/train/final_parameters", H5P_DEFAULT) <= 0 ||
      H5Lexists(file, dataset_path.c_str(), H5P_DEFAULT) <= 0)
    throw InputError("'" + path + "' holds no " + dataset_path + " (a run that did not finish?)");
  H5Id dataset(H5Dopen2(file, dataset_path.c_str(), H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (values.size() != expected)
    throw InputError("'" + path + "': " + dataset_path + " holds " + std::to_string(values.size()) +
                     " values, the network " + std::to_string(expected));
  H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  return values;
}

}  // namespace

MlpShape parse_mlp_description(const std::string& text, const std::string& what) {
  MlpShape shape;
  std::string body = text, output;
  const auto comma = text.find(", output ");
  if (comma != std::string::npos) {
    body = text.substr(0, comma);
    output = text.substr(comma + 9);
  }
  const auto space = body.find(' ');
  if (space == std::string::npos) throw InputError(what + " '" + text + "': expected 'WIDTHS ACTIVATION'");
  std::vector<int> widths;
  for (const auto& token : split(body.substr(0, space), '-')) {
    const double v = parse_number(token, what + " '" + text + "'");
    // Checked before the cast: a width beyond int's range (1e300) made the cast undefined.
    if (!(v >= 1 && v <= kMaxWidth) || v != std::floor(v))
      throw InputError(what + " '" + text + "': widths must be integers from 1 to " +
                       std::to_string(kMaxWidth) + " (got '" + token + "')");
    widths.push_back(static_cast<int>(v));
  }
  if (widths.size() < 2) throw InputError(what + " '" + text + "': needs input and output widths");
  shape.inputs = widths.front();
  shape.outputs = widths.back();
  shape.hidden.assign(widths.begin() + 1, widths.end() - 1);
  shape.activation = parse_activation(body.substr(space + 1), what);
  if (!output.empty()) shape.output_activation = parse_activation(output, what);
  return shape;
}

GanCheckpoint read_gan_checkpoint(const std::string& path) {
  H5Id file = open_for_reading(path, "GAN checkpoint");
  GanCheckpoint c;
  c.path = path;
  c.data = string_attribute(file.get(), "data", path);
  c.generator = parse_mlp_description(string_attribute(file.get(), "generator", path), path + ": generator");
  c.discriminator =
      parse_mlp_description(string_attribute(file.get(), "discriminator", path), path + ": discriminator");
  c.latent_dim = static_cast<int>(long_attribute(file.get(), "dz", path));
  if (c.latent_dim != c.generator.inputs)
    throw InputError("'" + path + "': root attribute dz = " + std::to_string(c.latent_dim) +
                     " differs from the generator's " + std::to_string(c.generator.inputs) + " inputs");
  c.sample_shape = optional_shape(file.get());
  c.generator_parameters = parameters(file.get(), "generator", c.generator.parameter_count(), path);
  c.discriminator_parameters =
      parameters(file.get(), "discriminator", c.discriminator.parameter_count(), path);
  return c;
}

}  // namespace wgf
