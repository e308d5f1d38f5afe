#include "wgf/netcdf_variables.hpp"

#include <hdf5_hl.h>

#include <stdexcept>

#include "wgf/h5_file.hpp"

namespace wgf {

namespace {

// The dimensions a writer gave, kept on the dataset until the finish (then removed).
constexpr const char* kPendingDimensions = "_wgf_dimensions";

std::string group_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}
std::string name_of(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }
std::string join(const std::string& group, const std::string& name) {
  return group == "/" ? "/" + name : group + "/" + name;
}

std::vector<std::string> every_dataset(hid_t file) {
  std::vector<std::string> paths;
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_NATIVE,
      [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET)
          static_cast<std::vector<std::string>*>(data)->push_back("/" + std::string(name));
        return 0;
      },
      &paths);
  return paths;
}

std::vector<hsize_t> shape_of(hid_t dataset) {
  H5Id space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  return shape;
}

bool exists(hid_t file, const std::string& path) {
  return H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0;
}

void fail(const std::string& what) {
  throw std::logic_error("netCDF dimensions: " + what);
}

// An index coordinate 0..n-1 for an axis without a physical one (samples, modes, layers' units).
void create_index_coordinate(hid_t file, const std::string& path, hsize_t length) {
  std::vector<long> index(length);
  for (hsize_t i = 0; i < length; ++i) index[i] = static_cast<long>(i);
  H5Id group(H5Gopen2(file, group_of(path).c_str(), H5P_DEFAULT));
  write_dataset(group.get(), name_of(path), index, {length});
  H5Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
  write_attribute(dataset.get(), "units", std::string("1"));
  write_attribute(dataset.get(), "long_name", "index along " + name_of(path));
}

// A coordinate written in another group, copied by value with its units and long name. (Not
// H5Ocopy: it would copy the bookkeeping attributes too, and after a failed write (a full disk)
// HDF5 1.10's object copy crashes instead of failing.)
void copy_coordinate(hid_t file, const std::string& source, const std::string& target) {
  H5Id from(H5Dopen2(file, source.c_str(), H5P_DEFAULT));
  const std::vector<hsize_t> shape = shape_of(from.get());
  if (shape.size() != 1) fail(source + " is used as a coordinate but is not 1-D");
  H5Id type(H5Dget_type(from.get()));
  H5Id group(H5Gopen2(file, group_of(target).c_str(), H5P_DEFAULT));
  const auto read = [&](hid_t memory_type, void* data) {
    if (shape[0] > 0 && H5Dread(from.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
      throw std::runtime_error("HDF5 failed to read " + source);
  };
  if (H5Tget_class(type.get()) == H5T_INTEGER) {
    std::vector<long> values(shape[0]);
    read(H5T_NATIVE_LONG, values.data());
    write_dataset(group.get(), name_of(target), values, shape);
  } else {
    std::vector<double> values(shape[0]);
    read(H5T_NATIVE_DOUBLE, values.data());
    write_dataset(group.get(), name_of(target), values, shape);
  }
  H5Id to(H5Dopen2(file, target.c_str(), H5P_DEFAULT));
  for (const char* name : {"units", "long_name"})
    if (const auto text = read_string_attribute(from.get(), name)) write_attribute(to.get(), name, *text);
  write_attribute(to.get(), kPendingDimensions, std::vector<std::string>{name_of(target)});
}

}  // namespace

void describe(hid_t dataset, const VariableInfo& info) {
  write_attribute(dataset, "units", info.units);
  write_attribute(dataset, "long_name", info.long_name);
  if (!info.dimensions.empty()) write_attribute(dataset, kPendingDimensions, info.dimensions);
}

void describe(hid_t parent, const std::string& name, const VariableInfo& info) {
  H5Id dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) fail("no dataset " + name + " to describe");
  describe(dataset.get(), info);
}

void write_variable(hid_t parent, const std::string& name, const std::vector<double>& data,
                    const std::vector<hsize_t>& shape, const VariableInfo& info) {
  write_dataset(parent, name, data, shape);
  describe(parent, name, info);
}
void write_variable(hid_t parent, const std::string& name, const std::vector<long>& data,
                    const std::vector<hsize_t>& shape, const VariableInfo& info) {
  write_dataset(parent, name, data, shape);
  describe(parent, name, info);
}

void attach_dimension_scales(hid_t file) {
  // First every coordinate named by path is copied into the groups that use it, before any
  // dataset becomes a scale (a copy of a scale would carry its back-references).
  for (const auto& path : every_dataset(file)) {
    H5Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
    const auto dimensions = read_string_attribute_list(dataset.get(), kPendingDimensions);
    if (!dimensions) continue;
    for (const auto& dimension : *dimensions) {
      if (dimension.empty() || dimension.front() != '/') continue;
      const std::string local = join(group_of(path), name_of(dimension));
      if (local == dimension || exists(file, local)) continue;
      if (!exists(file, dimension)) fail(path + " names a coordinate " + dimension + " that does not exist");
      copy_coordinate(file, dimension, local);
    }
  }
  // Then each axis of each dataset is tied to its coordinate.
  for (const auto& path : every_dataset(file)) {
    H5Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
    const std::vector<hsize_t> shape = shape_of(dataset.get());
    auto dimensions = read_string_attribute_list(dataset.get(), kPendingDimensions);
    if (dimensions) H5Adelete(dataset.get(), kPendingDimensions);
    if (H5DSis_scale(dataset.get()) > 0) continue;  // an index coordinate made earlier
    std::vector<std::string> names;
    if (dimensions) {
      if (dimensions->size() != shape.size())
        fail(path + " has " + std::to_string(shape.size()) + " axes but " +
             std::to_string(dimensions->size()) + " dimensions");
      for (const auto& d : *dimensions) names.push_back(d.front() == '/' ? name_of(d) : d);
    } else {
      for (std::size_t k = 0; k < shape.size(); ++k)
        names.push_back(name_of(path) + "_axis" + std::to_string(k));
    }
    if (shape.size() == 1 && names[0] == name_of(path)) {  // a coordinate
      if (H5DSset_scale(dataset.get(), names[0].c_str()) < 0) fail("cannot make " + path + " a scale");
      continue;
    }
    for (std::size_t k = 0; k < shape.size(); ++k) {
      const std::string coordinate = join(group_of(path), names[k]);
      if (coordinate == path) fail(path + " names itself as a dimension but is not 1-D");
      if (!exists(file, coordinate)) create_index_coordinate(file, coordinate, shape[k]);
      H5Id scale(H5Dopen2(file, coordinate.c_str(), H5P_DEFAULT));
      const std::vector<hsize_t> scale_shape = shape_of(scale.get());
      if (scale_shape.size() != 1 || scale_shape[0] != shape[k])
        fail(path + " axis " + std::to_string(k) + " has length " + std::to_string(shape[k]) +
             " but its coordinate " + coordinate + " is not 1-D of that length");
      if (H5DSis_scale(scale.get()) <= 0 && H5DSset_scale(scale.get(), names[k].c_str()) < 0)
        fail("cannot make " + coordinate + " a scale");
      if (H5DSattach_scale(dataset.get(), scale.get(), static_cast<unsigned>(k)) < 0)
        fail("cannot attach " + coordinate + " to " + path);
    }
  }
}

}  // namespace wgf
