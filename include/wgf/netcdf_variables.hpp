#pragma once
// What makes a wgf file a netCDF-4 file that xarray (h5netcdf and netcdf4 engines), ncdump and
// other netCDF tools open with coordinates: every variable carries `units` and `long_name`, and
// each of its axes is tied to a coordinate — an HDF5 dimension scale in the variable's own group
// (netCDF's rule: a reader opening one group sees that group's coordinates).
//
// Writers describe each dataset as they create it; the dimension scales are made and attached
// once, when the file is finished (OutputFile::finish), because a coordinate may still be growing
// while its variables are written, and one written in another group (the write times of
// /scales/t for /fields/p) is copied into the variable's group only then, when its data are final.
#include <hdf5.h>

#include <string>
#include <vector>

namespace wgf {

struct VariableInfo {
  // One entry per axis: a name in the variable's group (a 1-D dataset of that name there is the
  // coordinate; without one an integer index coordinate 0..n-1 is made), or an absolute path to
  // a 1-D dataset elsewhere, copied into the group under its last name. A coordinate names
  // itself: /grid/x0 has dimensions {"x0"}.
  std::vector<std::string> dimensions;
  std::string units;      // UDUNITS spelling; "1" for a dimensionless number, "" for none
  std::string long_name;  // what it is, in words
};

// Writes `units` and `long_name` on the dataset and records its dimensions for the finish.
void describe(hid_t dataset, const VariableInfo& info);
void describe(hid_t parent, const std::string& name, const VariableInfo& info);

// write_dataset (wgf/h5_file.hpp) and describe in one.
void write_variable(hid_t parent, const std::string& name, const std::vector<double>& data,
                    const std::vector<hsize_t>& shape, const VariableInfo& info);
void write_variable(hid_t parent, const std::string& name, const std::vector<long>& data,
                    const std::vector<hsize_t>& shape, const VariableInfo& info);

// Makes every recorded dimension a dimension scale attached to its variables, copying coordinates
// from other groups and creating index coordinates where needed. A dataset nobody described gets
// index coordinates named "<dataset>_axis<k>" so that the file still opens. Throws
// std::logic_error when a coordinate's length differs from its variable's axis (a writer's bug).
void attach_dimension_scales(hid_t file);

}  // namespace wgf
