#include "wgf/tabulated_kernel.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <vector>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/input_file.hpp"

namespace wgf {

namespace {

constexpr std::size_t kMinRows = 8;
// |e(r_max)| above this fraction of max|e| is not negligible.
constexpr double kNegligible = 1e-6;
// At most this ratio r_max / (the widest spacing where e is not negligible): the transform's
// cost bound (see the constructor).
constexpr double kMaxSpanInSpacings = 1e6;

std::string number_text(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.8g", v);
  return buffer;
}

struct Table {
  std::vector<double> r, e;
  std::vector<std::string> where;  // "line 12" (text) or "row 11" (HDF5), for messages
};

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// Fields of one line: split on commas when there is one, on blanks otherwise.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  if (line.find(',') != std::string::npos) {
    std::string current;
    for (char c : line) {
      if (c == ',') {
        fields.push_back(trim(current));
        current.clear();
      } else {
        current += c;
      }
    }
    fields.push_back(trim(current));
  } else {
    std::istringstream in(line);
    std::string token;
    while (in >> token) fields.push_back(token);
  }
  return fields;
}

bool parse_field(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

Table read_text(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(what + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  if (content.find('\0') != std::string::npos)
    throw InputError(what + ": neither an HDF5 file nor a text table (binary content); expected "
                            "CSV with two numeric columns r, e or HDF5 with datasets r and e");
  Table table;
  std::istringstream lines(content);
  std::string raw;
  long number = 0;
  bool header_allowed = true;
  while (std::getline(lines, raw)) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = fields_of(line);
    bool numeric = true;
    for (const auto& f : fields)
      if (double v; !parse_field(f, v)) numeric = false;
    if (!numeric && header_allowed) {  // one header line (not all numbers) before the data
      header_allowed = false;
      continue;
    }
    header_allowed = false;
    double r = 0, e = 0;
    const std::string where = "line " + std::to_string(number);
    if (fields.size() != 2)
      throw InputError(what + ", " + where + ": expected two columns r, e (comma or blank "
                       "separated), found " + std::to_string(fields.size()));
    for (const auto& f : fields)
      if (double v; !parse_field(f, v))
        throw InputError(what + ", " + where + ": '" + f + "' is not a number");
    parse_field(fields[0], r);
    parse_field(fields[1], e);
    table.r.push_back(r);
    table.e.push_back(e);
    table.where.push_back(where);
  }
  return table;
}

std::vector<double> read_dataset(hid_t file, const std::string& name, const std::string& what) {
  if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(what + ": HDF5 file without a dataset '" + name +
                     "' (expected 1-D numeric datasets r and e)");
  H5Id dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) throw InputError(what + ": '" + name + "' is not a dataset");
  H5Id type(H5Dget_type(dataset.get()));
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw InputError(what + ": dataset '" + name + "' is not numeric");
  H5Id space(H5Dget_space(dataset.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1)
    throw InputError(what + ": dataset '" + name + "' must be 1-D (it has rank " +
                     std::to_string(rank) + ")");
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!values.empty() && H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                 values.data()) < 0)
    throw InputError(what + ": cannot read dataset '" + name + "'");
  return values;
}

Table read_hdf5(const std::string& path, const std::string& what) {
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw InputError(what + ": HDF5 cannot open it");
  Table table;
  table.r = read_dataset(file.get(), "r", what);
  table.e = read_dataset(file.get(), "e", what);
  if (table.r.size() != table.e.size())
    throw InputError(what + ": datasets r and e differ in length (" +
                     std::to_string(table.r.size()) + " and " + std::to_string(table.e.size()) +
                     ")");
  for (std::size_t i = 0; i < table.r.size(); ++i) table.where.push_back("row " + std::to_string(i));
  return table;
}

void validate(const std::string& what, const std::vector<double>& r, const std::vector<double>& e,
              const std::vector<std::string>& where) {
  const std::size_t n = r.size();
  if (e.size() != n) throw InputError(what + ": r and e differ in length");
  if (n < kMinRows)
    throw InputError(what + ": has " + std::to_string(n) + " rows (r, e); at least " +
                     std::to_string(kMinRows) + " are needed");
  double largest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = what + ", " + where[i];
    if (!std::isfinite(r[i])) throw InputError(at + ": r = " + number_text(r[i]) + " is not finite");
    if (!std::isfinite(e[i])) throw InputError(at + ": e = " + number_text(e[i]) + " is not finite");
    if (r[i] < 0)
      throw InputError(at + ": r = " + number_text(r[i]) + " is negative (r must be >= 0)");
    if (i > 0 && !(r[i] > r[i - 1]))
      throw InputError(at + ": r = " + number_text(r[i]) + " does not exceed the previous r = " +
                       number_text(r[i - 1]) + " (r must be strictly increasing)");
    largest = std::max(largest, std::fabs(e[i]));
  }
  if (largest == 0) throw InputError(what + ": e is zero everywhere");
  if (std::fabs(e.back()) > kNegligible * largest)
    throw InputError(what + ": the last value e(r_max = " + number_text(r.back()) + ") = " +
                     number_text(e.back()) + " is not negligible (|e(r_max)| must be <= 1e-6 "
                     "max|e| = " + number_text(kNegligible * largest) + "). e is taken as 0 "
                     "beyond the table, so a kernel cut off before it has decayed would get a "
                     "wrong transform: extend the table to larger r");
}

std::vector<std::string> row_labels(std::size_t n) {
  std::vector<std::string> where;
  for (std::size_t i = 0; i < n; ++i) where.push_back("row " + std::to_string(i));
  return where;
}

}  // namespace

std::shared_ptr<const TabulatedKernel> TabulatedKernel::load(const std::string& path) {
  const std::string what = "kernel table '" + path + "'";
  check_input_file(path, what);
  quiet_hdf5_errors();
  const Table table = H5Fis_hdf5(path.c_str()) > 0 ? read_hdf5(path, what) : read_text(path, what);
  validate(what, table.r, table.e, table.where);
  return std::make_shared<TabulatedKernel>(path, table.r, table.e);
}

TabulatedKernel::TabulatedKernel(std::string path, std::vector<double> r, std::vector<double> e)
    : path_(std::move(path)), rows_(r.size()) {
  validate("kernel table '" + path_ + "'", r, e, row_labels(r.size()));
  r_max_ = r.back();
  double largest = 0;
  for (double v : e) largest = std::max(largest, std::fabs(v));
  // Widest spacing where e is not negligible; [0, r_0] counts when the table starts at r_0 > 0.
  double widest = 0;
  const double threshold = kNegligible * largest;
  if (r[0] > 0 && std::fabs(e[0]) > threshold) widest = r[0];
  for (std::size_t i = 0; i + 1 < r.size(); ++i)
    if (std::max(std::fabs(e[i]), std::fabs(e[i + 1])) > threshold)
      widest = std::max(widest, r[i + 1] - r[i]);
  max_reliable_xi_ = std::numbers::pi / widest;
  // A panel that neither the Taylor nor the oscillatory rule covers is integrated by
  // Gauss–Legendre in pieces of phase <= 4 (hankel_transform.cpp), so a transform up to
  // max_reliable_xi costs up to about (pi / 4) r_max / widest pieces: a few thousand for tables of
  // a few thousand rows, but a table of unit spacings ending in one interval out to r = 8e8 (e = 0
  // there) took minutes per transform (found by tests/fuzz/fuzz_kernel_table). Refused above 10^6.
  if (r_max_ > kMaxSpanInSpacings * widest)
    throw InputError("kernel table '" + path_ + "': r_max = " + number_text(r_max_) +
                     " is more than 10^6 times the widest spacing where e is not negligible (" +
                     number_text(widest) + "), so one transform would need more than 10^6 "
                     "quadrature pieces; drop the rows far beyond where e is negligible (e is "
                     "taken as 0 beyond the table) or tabulate e more finely where it is not");
  transform_ = RadialHankelTransform(PiecewiseQuintic::hermite_interpolant(r, e));
}

double TabulatedKernel::value(double r) const {
  r = std::fabs(r);
  return r > r_max_ ? 0.0 : transform_.function().value(r);
}

double TabulatedKernel::radial_derivative(double r) const {
  r = std::fabs(r);
  return r > r_max_ ? 0.0 : transform_.function().derivative(r);
}

double TabulatedKernel::transform(double xi, int dim) const {
  check_dimension(dim);
  xi = std::fabs(xi);
  if (dim > static_cast<int>(memo_.size())) return transform_.transform(xi, dim);
  auto& memo = memo_[dim - 1];
  {
    std::lock_guard<std::mutex> lock(memo_mutex_);
    const auto found = memo.find(xi);
    if (found != memo.end()) return found->second;
  }
  const double value = transform_.transform(xi, dim);
  std::lock_guard<std::mutex> lock(memo_mutex_);
  if (memo.size() < kMemoLimit) memo.emplace(xi, value);
  return value;
}

void TabulatedKernel::check_dimension(int dim) const {
  if (dim < 1)
    throw InputError("kernel spec '" + spec() + "': dimension must be >= 1 (got " +
                     std::to_string(dim) + ")");
}

}  // namespace wgf
