#include "wgf/solvers/xdmf_series.hpp"

#include <hdf5.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "wgf/h5_file.hpp"
#include "wgf/text_file.hpp"

namespace wgf {

namespace {

double double_attribute(hid_t object, const char* name) {
  H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  double value = 0;
  if (!attribute.valid() || H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    throw std::runtime_error(std::string("the simulate file has no /grid attribute ") + name);
  return value;
}

std::vector<double> write_times(hid_t file) {
  H5Id dataset(H5Dopen2(file, "/scales/t", H5P_DEFAULT));
  if (!dataset.valid()) throw std::runtime_error("the simulate file has no /scales/t");
  H5Id space(H5Dget_space(dataset.get()));
  std::vector<double> t(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!t.empty()) H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data());
  return t;
}

// Numbers to 17 significant digits: they read back as the same doubles.
std::string exact(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

std::string repeated(const std::string& word, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += (i ? " " : "") + word;
  return out;
}

}  // namespace

std::filesystem::path xdmf_path_for(const std::filesystem::path& h5) {
  std::filesystem::path out = h5;
  if (h5.extension() == ".h5" || h5.extension() == ".hdf5") return out.replace_extension(".xdmf");
  return out += ".xdmf";
}

void write_xdmf_series(const std::filesystem::path& h5) {
  H5Id file = open_for_reading(h5.string(), "simulate output");
  H5Id grid(H5Gopen2(file.get(), "/grid", H5P_DEFAULT));
  if (!grid.valid()) throw std::runtime_error("the simulate file has no /grid");
  const int dim = static_cast<int>(double_attribute(grid.get(), "dim"));
  const long n = static_cast<long>(double_attribute(grid.get(), "n"));
  const double length = double_attribute(grid.get(), "length"), h = double_attribute(grid.get(), "h");
  if (dim < 2 || dim > 3) throw std::logic_error("write_xdmf_series: fields of 2 or 3 dimensions only");
  const std::vector<double> times = write_times(file.get());

  // XDMF lists sizes slowest axis first, as the HDF5 arrays are stored (x0 slowest): the mesh
  // has n nodes per axis at the cell centres, origin -L/2 + h/2, spacing h.
  const std::string n_text = std::to_string(n), shape = repeated(n_text, dim);
  const std::string topology = dim == 2 ? "2DCoRectMesh" : "3DCoRectMesh";
  const std::string geometry = dim == 2 ? "ORIGIN_DXDY" : "ORIGIN_DXDYDZ";
  const std::string name = h5.filename().string();
  const std::string d = std::to_string(dim);
  std::string x;
  x += "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n";
  x += "<!-- wgf simulate: the fields of " + name + " at each write (t = /scales/t), for ParaView and VisIt -->\n";
  x += "<Xdmf Version=\"3.0\">\n <Domain>\n";
  x += "  <Grid Name=\"fields\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::size_t k = 0; k < times.size(); ++k) {
    x += "   <Grid Name=\"write_" + std::to_string(k) + "\" GridType=\"Uniform\">\n";
    x += "    <Time Value=\"" + exact(times[k]) + "\"/>\n";
    x += "    <Topology TopologyType=\"" + topology + "\" Dimensions=\"" + shape + "\"/>\n";
    x += "    <Geometry GeometryType=\"" + geometry + "\">\n";
    x += "     <DataItem Dimensions=\"" + d + "\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">" +
         repeated(exact(-0.5 * length + 0.5 * h), dim) + "</DataItem>\n";
    x += "     <DataItem Dimensions=\"" + d + "\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">" +
         repeated(exact(h), dim) + "</DataItem>\n";
    x += "    </Geometry>\n";
    for (const char* field : {"p", "q"}) {
      // Write k of /fields/{p,q} as Xdmf 3's subset of heavy data, "PATH|start:stride:count:
      // dims": start (k, 0, …), stride 1, count (1, n, …) of the (writes, n, …) dataset. (The
      // XML HyperSlab item of the XDMF 2 model is not read by ParaView's Xdmf3 readers.)
      x += std::string("    <Attribute Name=\"") + field + "\" AttributeType=\"Scalar\" Center=\"Node\">\n";
      x += "     <DataItem Dimensions=\"" + shape + "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" +
           name + ":/fields/" + field + "|" + std::to_string(k) + " " + repeated("0", dim) + ":" +
           repeated("1", dim + 1) + ":1 " + shape + ":" + std::to_string(times.size()) + " " + shape +
           "</DataItem>\n";
      x += "    </Attribute>\n";
    }
    x += "   </Grid>\n";
  }
  x += "  </Grid>\n </Domain>\n</Xdmf>\n";
  write_file_atomically(xdmf_path_for(h5), x);
}

}  // namespace wgf
