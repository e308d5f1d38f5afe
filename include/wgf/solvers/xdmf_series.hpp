#pragma once
// An XDMF 3 description of a finished simulate file's 2D/3D fields (docs/design.md §4), written
// beside it as NAME.xdmf, so that ParaView and VisIt open the run as a time series: a temporal
// collection with one grid per write, a co-rectilinear mesh whose nodes are the cell centres,
// and p and q as node values, each a hyperslab of /fields/{p,q} in the HDF5 file (referenced by
// its file name, so the two files move together).
#include <filesystem>

namespace wgf {

// NAME.xdmf for NAME.h5 (or NAME.hdf5, or NAME + ".xdmf" for any other name).
std::filesystem::path xdmf_path_for(const std::filesystem::path& h5);

// Reads /grid and /scales/t from the finished file `h5` and writes xdmf_path_for(h5).
void write_xdmf_series(const std::filesystem::path& h5);

}  // namespace wgf
