#include "wgf/h5_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <optional>

#include "wgf/errors.hpp"
#include "wgf/input_file.hpp"
#include "wgf/netcdf_variables.hpp"

namespace wgf {

namespace {

// The operating system's reason for the HDF5 call that just failed: HDF5's file drivers quote
// errno in their messages ("errno = 28, error message = ..."), deep in the error stack; 0 when
// the failure was not a system call's.
int system_error_of_last_failure() {
  int found = 0;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        if (error->desc)
          if (const char* at = std::strstr(error->desc, "errno = "))
            *static_cast<int*>(data) = std::atoi(at + 8);
        return 0;
      },
      &found);
  return found;
}

// What a write failure means to the user: a full disk is the common case and deserves plain
// words; other system errors get the system's.
std::string explain_system_error(int error) {
  switch (error) {
    case ENOSPC: return "no space left on the device";
    case EDQUOT: return "disk quota exceeded";
    case EFBIG: return "file too large for the file system or the process's file-size limit";
    default: return std::strerror(error);
  }
}

// The file an object lives in, as the user named it: our temporary name without ".tmp-PID".
std::string file_name_of(hid_t object) {
  const ssize_t size = H5Fget_name(object, nullptr, 0);
  if (size <= 0) return {};
  std::string name(static_cast<std::size_t>(size) + 1, '\0');
  H5Fget_name(object, name.data(), name.size());
  name.resize(static_cast<std::size_t>(size));
  const std::string suffix = ".tmp-" + std::to_string(::getpid());
  if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  return name;
}

// Throws for a failed HDF5 call on `object`'s file. A failed write is an I/O error (exit 1)
// that names the file and the system's reason, so a full disk says so instead of "HDF5 failed".
[[noreturn]] void fail(hid_t object, const std::string& what) {
  const int error = system_error_of_last_failure();
  if (error == 0) throw std::runtime_error("HDF5 failed to " + what);
  const std::string file = file_name_of(object);
  throw std::runtime_error("cannot write " + (file.empty() ? std::string("the output file") : file) +
                           ": " + explain_system_error(error) + " (HDF5 failed to " + what + ")");
}
void check(herr_t status, hid_t object, const std::string& what) {
  if (status < 0) fail(object, what);
}
hid_t checked(hid_t id, hid_t parent, const std::string& what) {
  if (id < 0) fail(parent, what);
  return id;
}

}  // namespace

void H5Id::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = H5I_INVALID_HID;
}

void quiet_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

void keep_hdf5_out_of_exit() { H5dont_atexit(); }

namespace {
void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* data,
                             hsize_t count, bool scalar) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
  H5Id space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr));
  H5Id attribute(checked(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                         object, "create attribute " + name));
  check(H5Awrite(attribute.get(), type, data), object, "write attribute " + name);
}
}  // namespace

void write_attribute(hid_t object, const std::string& name, double value) {
  write_numeric_attribute(object, name, H5T_NATIVE_DOUBLE, &value, 1, true);
}
void write_attribute(hid_t object, const std::string& name, long value) {
  write_numeric_attribute(object, name, H5T_NATIVE_LONG, &value, 1, true);
}
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
  write_numeric_attribute(object, name, H5T_NATIVE_DOUBLE, values.data(), values.size(), false);
}
void write_attribute(hid_t object, const std::string& name, const std::vector<long>& values) {
  write_numeric_attribute(object, name, H5T_NATIVE_LONG, values.data(), values.size(), false);
}
void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
  // Variable-length UTF-8, as netCDF-4 stores text: h5py gives str, xarray and ncdump read it.
  H5Id type(H5Tcopy(H5T_C_S1));
  check(H5Tset_size(type.get(), H5T_VARIABLE), object, "size string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), object, "set string charset");
  H5Id space(H5Screate(H5S_SCALAR));
  H5Id attribute(checked(
      H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      object, "create attribute " + name));
  const char* text = value.c_str();
  check(H5Awrite(attribute.get(), type.get(), &text), object, "write attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
  H5Id type(H5Tcopy(H5T_C_S1));
  check(H5Tset_size(type.get(), H5T_VARIABLE), object, "size string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), object, "set string charset");
  const hsize_t count = values.size();
  H5Id space(H5Screate_simple(1, &count, nullptr));
  H5Id attribute(checked(
      H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      object, "create attribute " + name));
  std::vector<const char*> texts;
  for (const auto& v : values) texts.push_back(v.c_str());
  check(H5Awrite(attribute.get(), type.get(), texts.data()), object, "write attribute " + name);
}

std::optional<std::vector<std::string>> read_string_attribute_list(hid_t object,
                                                                   const std::string& name) {
  if (H5Aexists(object, name.c_str()) <= 0) return std::nullopt;
  H5Id attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  H5Id type(H5Aget_type(attribute.get()));
  if (H5Tget_class(type.get()) != H5T_STRING) return std::nullopt;
  H5Id space(H5Aget_space(attribute.get()));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) return std::nullopt;
  std::vector<std::string> values;
  if (H5Tis_variable_str(type.get()) > 0) {
    std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
    H5Id memory(H5Tcopy(H5T_C_S1));
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    if (count > 0 && H5Aread(attribute.get(), memory.get(), texts.data()) < 0) return std::nullopt;
    for (char* text : texts) values.emplace_back(text ? text : "");
    if (count > 0) H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, texts.data());
    return values;
  }
  // Fixed-length text (the files of earlier versions): NUL-padded, one entry after another.
  const std::size_t size = H5Tget_size(type.get());
  std::string buffer(size * static_cast<std::size_t>(count), '\0');
  if (!buffer.empty() && H5Aread(attribute.get(), type.get(), buffer.data()) < 0) return std::nullopt;
  for (hssize_t i = 0; i < count; ++i) {
    std::string value = buffer.substr(static_cast<std::size_t>(i) * size, size);
    values.push_back(value.substr(0, value.find('\0')));
  }
  return values;
}

std::optional<std::string> read_string_attribute(hid_t object, const std::string& name) {
  auto values = read_string_attribute_list(object, name);
  if (!values || values->size() != 1) return std::nullopt;
  return values->front();
}

ExtendableDataset::ExtendableDataset(hid_t parent, const std::string& name,
                                     std::vector<hsize_t> row_shape, hsize_t chunk_rows,
                                     Element element)
    : row_shape_(std::move(row_shape)) {
  for (hsize_t s : row_shape_) row_size_ *= s;
  std::vector<hsize_t> dims{0}, max_dims{H5S_UNLIMITED}, chunk{std::max<hsize_t>(1, chunk_rows)};
  // Chunks of at most ~4 Mi values: whole rows for small rows, slabs of a large field.
  hsize_t chunk_size = chunk[0];
  for (hsize_t s : row_shape_) {
    dims.push_back(s);
    max_dims.push_back(s);
    const hsize_t room = std::max<hsize_t>(1, (hsize_t{1} << 22) / chunk_size);
    chunk.push_back(std::min(s, room));
    chunk_size *= chunk.back();
  }
  H5Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()));
  H5Id properties(H5Pcreate(H5P_DATASET_CREATE));
  check(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), parent,
        "set chunk");
  const hid_t file_type = element == Element::integer ? H5T_NATIVE_LONG : H5T_NATIVE_DOUBLE;
  dataset_ = H5Id(checked(H5Dcreate2(parent, name.c_str(), file_type, space.get(),
                                     H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                          parent, "create dataset " + name));
}

void ExtendableDataset::append(const double* data, hsize_t count) {
  append_rows(data, H5T_NATIVE_DOUBLE, count);
}
void ExtendableDataset::append(const long* data, hsize_t count) {
  append_rows(data, H5T_NATIVE_LONG, count);
}

void ExtendableDataset::append_rows(const void* data, hid_t memory_type, hsize_t count) {
  if (count == 0) return;
  std::vector<hsize_t> new_dims{rows_ + count}, start{rows_}, extent{count};
  for (hsize_t s : row_shape_) {
    new_dims.push_back(s);
    start.push_back(0);
    extent.push_back(s);
  }
  check(H5Dset_extent(dataset_.get(), new_dims.data()), dataset_.get(), "extend dataset");
  H5Id file_space(H5Dget_space(dataset_.get()));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                            extent.data(), nullptr),
        dataset_.get(), "select rows");
  H5Id memory_space(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr));
  check(H5Dwrite(dataset_.get(), memory_type, memory_space.get(), file_space.get(),
                 H5P_DEFAULT, data),
        dataset_.get(), "append rows");
  rows_ += count;
}

namespace {
template <typename T>
void write_fixed(hid_t parent, const std::string& name, const std::vector<T>& data,
                 const std::vector<hsize_t>& shape, hid_t type) {
  H5Id space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr));
  H5Id dataset(checked(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       parent, "create dataset " + name));
  if (!data.empty())
    check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), parent,
          "write dataset " + name);
  // Closing may write what HDF5 still buffers (a small dataset's data): its failure counts.
  check(H5Dclose(dataset.release()), parent, "write dataset " + name);
}
}  // namespace

void write_dataset(hid_t parent, const std::string& name, const std::vector<double>& data,
                   const std::vector<hsize_t>& shape) {
  write_fixed(parent, name, data, shape, H5T_NATIVE_DOUBLE);
}
void write_dataset(hid_t parent, const std::string& name, const std::vector<long>& data,
                   const std::vector<hsize_t>& shape) {
  write_fixed(parent, name, data, shape, H5T_NATIVE_LONG);
}

void OutputFile::check_destination(const std::filesystem::path& path, bool force) {
  if (path.empty()) throw InputError("--out: an output file name is required");
  if (std::filesystem::exists(path) && !force)
    throw InputError("--out " + path.string() + ": file exists (use --force to overwrite it)");
  if (std::filesystem::is_directory(path))
    throw InputError("--out " + path.string() + ": is a directory");
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder))
    throw InputError("--out " + path.string() + ": folder '" + folder.string() +
                     "' does not exist");
}

namespace {

// A run killed by SIGKILL (or a power cut) leaves its "NAME.tmp-PID" behind, and nothing else
// would ever remove it: the next run to the same NAME removes those whose process no longer
// exists, and says so. A live process's temporary file is another run writing now: left alone.
void remove_orphaned_temporaries(const std::filesystem::path& final_path) {
  const auto folder = final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  const std::string prefix = final_path.filename().string() + ".tmp-";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    if (entry.is_regular_file(ignored) && std::filesystem::remove(entry.path(), ignored))
      std::cerr << "wgf: removed " << entry.path().string() << ", the unfinished output of a run "
                << "(process " << pid << ") that no longer exists\n";
  }
}

}  // namespace

OutputFile::OutputFile(std::filesystem::path final_path, bool force)
    : final_path_(std::move(final_path)), force_(force) {
  check_destination(final_path_, force_);
  remove_orphaned_temporaries(final_path_);
  quiet_hdf5_errors();
  temporary_path_ = final_path_;
  temporary_path_ += ".tmp-" + std::to_string(::getpid());
  // Strong close: closing the file closes whatever is still open in it, so the close in
  // finish() is the last write and its result is known (a weak close waits for the last open
  // dataset, whose failure nobody would hear of).
  H5Id access(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
  file_ = H5Id(H5Fcreate(temporary_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()));
  if (!file_.valid())
    throw InputError("--out " + final_path_.string() + ": cannot create '" +
                     temporary_path_.string() + "' (is the folder writable?)");
}

OutputFile::~OutputFile() {
  if (finished_) return;
  groups_.clear();
  file_.reset();
  std::error_code ignored;
  std::filesystem::remove(temporary_path_, ignored);
}

hid_t OutputFile::group(const std::string& path) {
  for (const auto& [name, id] : groups_)
    if (name == path) return id.get();
  // Create the parents first ("/a/b" needs "/a").
  const auto slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) group(path.substr(0, slash));
  H5Id id(checked(H5Gcreate2(file_.get(), path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  file_.get(), "create group " + path));
  groups_.emplace_back(path, std::move(id));
  return groups_.back().second.get();
}

void OutputFile::finish(const std::string& status) {
  attach_dimension_scales(file_.get());
  write_attribute(file_.get(), "status", status);
  groups_.clear();
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), file_.get(), "flush the output file");
  // The close writes what is left (the superblock's end of file); a failure here is a failed
  // file too.
  const hid_t file = file_.release();
  if (H5Fclose(file) < 0) {
    const int error = system_error_of_last_failure();
    throw std::runtime_error("cannot write " + final_path_.string() + ": " +
                             (error ? explain_system_error(error) : std::string("HDF5 failed")) +
                             " (HDF5 failed to close the output file)");
  }
  if (std::filesystem::exists(final_path_) && !force_)
    throw InputError("--out " + final_path_.string() +
                     ": file appeared during the run (use --force to overwrite it)");
  std::filesystem::rename(temporary_path_, final_path_);
  finished_ = true;
}

H5Id open_for_reading(const std::string& path, const std::string& what) {
  quiet_hdf5_errors();
  check_input_file(path, what + " '" + path + "'");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw InputError(what + " '" + path + "': not an HDF5 file");
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw InputError(what + " '" + path + "': HDF5 cannot open it");
  return file;
}

}  // namespace wgf
