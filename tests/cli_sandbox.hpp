#pragma once
// Test support: run the `wgf` binary in a private temporary folder and read what it wrote.
#include <hdf5.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wgf/h5_file.hpp"

namespace wgf::testing {

namespace fs = std::filesystem;

// The wgf binary under test: the build's, or $WGF_BINARY (binaries carried to another machine).
inline std::string wgf_binary() {
  const char* env = std::getenv("WGF_BINARY");
  return env && *env ? env : WGF_BINARY;
}

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

class Sandbox {
public:
  Sandbox() {
    std::string pattern = (fs::temp_directory_path() / "wgf-cli-XXXXXX").string();
    folder_ = mkdtemp(pattern.data());
  }
  ~Sandbox() {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  fs::path path(const std::string& name) const { return folder_ / name; }
  // `shell_setup`: shell commands run first in the same shell, e.g. "ulimit -f 32;".
  CommandResult run(const std::string& arguments, const std::string& shell_setup = "") const {
    const fs::path log = folder_ / "command.log";
    const std::string command = "cd '" + folder_.string() + "' && " + shell_setup +
                                " OMP_NUM_THREADS=1 '" + wgf_binary() + "' " + arguments + " > '" +
                                log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
  }
  // Runs wgf in the background, sends it SIGNAL ("INT", "TERM") after `seconds` and waits;
  // exit_code is its exit status (-1 when the signal killed it).
  CommandResult run_signalled(const std::string& arguments, const std::string& signal,
                              double seconds) const {
    const fs::path log = folder_ / "command.log";
    const std::string command = "cd '" + folder_.string() + "' && OMP_NUM_THREADS=1 '" +
                                wgf_binary() + "' " + arguments + " > '" + log.string() +
                                "' 2>&1 & pid=$!; sleep " + std::to_string(seconds) +
                                "; kill -" + signal + " $pid; wait $pid";
    const int status = std::system(command.c_str());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    // The shell reports a child killed by signal N as exit status 128 + N: kept apart here.
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return {code, text.str()};
  }
  // Files other than the command log: an invalid run must leave none.
  int stray_files() const {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(folder_))
      if (entry.path().filename() != "command.log" && entry.path().filename() != "keep.h5" &&
          entry.path().filename() != "foreign.h5" && entry.path().filename() != "text.h5")
        ++count;
    return count;
  }

private:
  fs::path folder_;
};

// A simulate run whose initial fill takes ~10 s (a thousand Gaussians, spread over the box, on
// a 1024² grid) and that writes o.h5: for signals that arrive during the fill.
inline std::string long_fill_simulation() {
  std::string at;
  for (int i = 0; i < 2000; ++i) {
    char value[32];
    std::snprintf(value, sizeof value, "%s%.3f", i ? "," : "", (i % 97) / 97.0 * 6 - 3);
    at += value;
  }
  return "simulate --dim 2 --n 1024 --kernel gaussian:sigma=1 --t-end 1e-6 --fft-plan estimate "
         "--init gaussians:sigma=0.3,at=" + at + " --quiet --out o.h5";
}

// A fixed-length string attribute of the root group.
// A text attribute, read here with HDF5's own calls (not the library's reader). Text is
// written as netCDF-4 stores it, variable-length UTF-8: anything else reads as a marker that no
// expected value equals, so every check of a text attribute also checks that convention.
inline std::string read_text_attribute(hid_t object, const std::string& name) {
  H5Id attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  if (!attribute.valid()) return "<no attribute " + name + ">";
  H5Id type(H5Aget_type(attribute.get()));
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0 ||
      H5Tget_cset(type.get()) != H5T_CSET_UTF8)
    return "<" + name + " is not variable-length UTF-8 text>";
  H5Id memory(H5Tcopy(H5T_C_S1));
  H5Tset_size(memory.get(), H5T_VARIABLE);
  H5Tset_cset(memory.get(), H5T_CSET_UTF8);
  char* text = nullptr;
  if (H5Aread(attribute.get(), memory.get(), &text) < 0) return "<" + name + " unreadable>";
  std::string value = text ? text : "";
  H5free_memory(text);
  return value;
}

inline std::string read_root_string(const fs::path& file, const std::string& name) {
  H5Id f = open_for_reading(file.string(), "test");
  return read_text_attribute(f.get(), name);
}

inline std::string read_status(const fs::path& file) { return read_root_string(file, "status"); }


// A 1-D dataset of doubles.
inline std::vector<double> read_vector(const fs::path& file, const std::string& path) {
  H5Id f = open_for_reading(file.string(), "test");
  H5Id dataset(H5Dopen2(f.get(), path.c_str(), H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  return values;
}

inline double read_double_attribute(const fs::path& file, const std::string& object,
                                    const std::string& name) {
  H5Id f = open_for_reading(file.string(), "test");
  H5Id o(H5Oopen(f.get(), object.c_str(), H5P_DEFAULT));
  H5Id attribute(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT));
  double value = 0;
  H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value);
  return value;
}

// An HDF5 file of `datasets` 2-D datasets points0, points1, … (50 × 3 points each) and one 1-D
// dataset `vector` (never a candidate for --data).
inline void write_points(const Sandbox& box, const std::string& name, int datasets) {
  quiet_hdf5_errors();
  H5Id file(H5Fcreate(box.path(name).c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  std::vector<double> points(50 * 3);
  for (std::size_t i = 0; i < points.size(); ++i) points[i] = std::sin(0.37 * i);
  for (int d = 0; d < datasets; ++d) write_dataset(file.get(), "points" + std::to_string(d), points, {50, 3});
  write_dataset(file.get(), "vector", points, {150});
}

}  // namespace wgf::testing
