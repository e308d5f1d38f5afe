#pragma once
// Thin RAII layer over the HDF5 C API: output files written to a temporary name and renamed
// into place when finished (so a crash or bad input never leaves a partial file under the
// final name), extendable datasets that grow one row at a time, and attribute helpers.
#include <hdf5.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wgf {

// Owns one HDF5 identifier and closes it with the right H5*close.
class H5Id {
public:
  H5Id() = default;
  explicit H5Id(hid_t id) : id_(id) {}
  ~H5Id() { reset(); }
  H5Id(H5Id&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
  H5Id& operator=(H5Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      other.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  // Gives up ownership (to close it with a checked H5*close).
  hid_t release() {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

private:
  hid_t id_ = H5I_INVALID_HID;
};

// Silences HDF5's own error stack printing; we report errors ourselves.
void quiet_hdf5_errors();

// Call first in main, before any other HDF5 call: HDF5 (1.10) frees a file whose close failed
// (a full disk) but keeps its identifier, and its exit handler then closes it again and crashes.
// Without the handler nothing is lost: every file is closed explicitly, and the process ends.
void keep_hdf5_out_of_exit();

void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, long value);
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values);
void write_attribute(hid_t object, const std::string& name, const std::vector<long>& values);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);

// Text attributes as written now (variable-length UTF-8) and by earlier versions (fixed-length,
// NUL-padded); nullopt when absent or not text (or, for the single form, not one value).
std::optional<std::string> read_string_attribute(hid_t object, const std::string& name);
std::optional<std::vector<std::string>> read_string_attribute_list(hid_t object,
                                                                   const std::string& name);

// A dataset of shape (rows, row_shape…) that grows along its first axis, of doubles or (for
// counters: steps, iterations) 64-bit integers.
class ExtendableDataset {
public:
  enum class Element { real, integer };
  ExtendableDataset() = default;
  ExtendableDataset(hid_t parent, const std::string& name, std::vector<hsize_t> row_shape,
                    hsize_t chunk_rows, Element element = Element::real);
  // Appends `count` rows stored contiguously at `data` (converted to the dataset's type).
  void append(const double* data, hsize_t count);
  void append(const long* data, hsize_t count);
  hsize_t rows() const { return rows_; }
  hid_t id() const { return dataset_.get(); }

private:
  void append_rows(const void* data, hid_t memory_type, hsize_t count);
  H5Id dataset_;
  std::vector<hsize_t> row_shape_;
  hsize_t row_size_ = 1, rows_ = 0;
};

// A fixed dataset written at once.
void write_dataset(hid_t parent, const std::string& name, const std::vector<double>& data,
                   const std::vector<hsize_t>& shape);
void write_dataset(hid_t parent, const std::string& name, const std::vector<long>& data,
                   const std::vector<hsize_t>& shape);

class OutputFile {
public:
  // Throws InputError if `path` exists and !force, or if its folder does not exist.
  static void check_destination(const std::filesystem::path& path, bool force);

  OutputFile(std::filesystem::path final_path, bool force);
  ~OutputFile();  // without finish(): the temporary file is removed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  hid_t root() const { return file_.get(); }
  hid_t group(const std::string& path);  // creates it (and parents) on first use
  // Sets the status attribute, flushes, closes and renames into place. A failed write (a full
  // disk) throws naming the file and the system's reason; the destructor then removes the
  // temporary file.
  void finish(const std::string& status);
  const std::filesystem::path& final_path() const { return final_path_; }

private:
  std::filesystem::path final_path_, temporary_path_;
  bool force_;
  H5Id file_;
  std::vector<std::pair<std::string, H5Id>> groups_;
  bool finished_ = false;
};

// Opens an HDF5 file for reading; throws InputError naming the file when it is missing,
// unreadable or not HDF5.
H5Id open_for_reading(const std::string& path, const std::string& what);

}  // namespace wgf
