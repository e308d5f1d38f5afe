#include "wgf/studies/training_observation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"

namespace wgf {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Any numeric dataset, flattened; `columns` receives the size of its trailing axes.
std::vector<double> read_numbers(hid_t file, const std::string& name, const std::string& context,
                                 long* columns = nullptr) {
  if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(context + ": not a wgf train output with " + name);
  H5Id dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(rank, 1), 1);
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  if (columns) {
    *columns = 1;
    for (int a = 1; a < rank; ++a) *columns *= static_cast<long>(dims[a]);
  }
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!values.empty() && H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                                 H5P_DEFAULT, values.data()) < 0)
    throw InputError(context + ": cannot read " + name);
  return values;
}

std::string read_string(hid_t object, const char* name, const std::string& context) {
  if (H5Aexists(object, name) <= 0)
    throw InputError(context + ": not a wgf output (no attribute " + std::string(name) + ")");
  const auto value = read_string_attribute(object, name);
  if (!value) throw InputError(context + ": attribute " + std::string(name) + " is not a string");
  return *value;
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += v[i];
  return to > from ? sum / static_cast<double>(to - from) : kNaN;
}

// Mean over the last third of the rows of each row's mean S, over row 0's.
double late_over_initial(const std::vector<double>& s, long count, std::size_t rows) {
  const auto k = static_cast<std::size_t>(count);
  if (rows < 2 || k == 0) return kNaN;
  const std::size_t late_from = rows - std::max<std::size_t>(1, rows / 3);
  double late = 0;
  for (std::size_t i = late_from; i < rows; ++i) late += mean(s, i * k, (i + 1) * k);
  late /= static_cast<double>(rows - late_from);
  return late / mean(s, 0, k);
}

}  // namespace

TrainingRecord read_training_record(const std::string& path) {
  const std::string context = "training record '" + path + "'";
  H5Id file = open_for_reading(path, "training record");
  TrainingRecord r;
  r.path = path;
  r.status = read_string(file.get(), "status", context);
  r.loss_iter = read_numbers(file.get(), "train/iter", context);
  r.loss_d = read_numbers(file.get(), "train/loss_d", context);
  r.metrics_iter = read_numbers(file.get(), "train/metrics/iter", context);
  r.feature_std_real = read_numbers(file.get(), "train/metrics/feature_std_real", context);
  r.mmd = read_numbers(file.get(), "train/metrics/mmd", context);
  r.modes_covered = read_numbers(file.get(), "train/metrics/modes_covered", context);
  r.high_quality_fraction =
      read_numbers(file.get(), "train/metrics/high_quality_fraction", context);
  r.structure = read_numbers(file.get(), "train/metrics/structure_factor", context,
                             &r.structure_count);
  r.structure_fixed = read_numbers(file.get(), "train/metrics/structure_factor_xi", context,
                                   &r.structure_fixed_count);
  const std::size_t rows = r.metrics_iter.size();
  if (rows == 0 || r.structure_count < 1 || r.structure.size() != rows * r.structure_count ||
      r.structure_fixed.size() != rows * r.structure_fixed_count)
    throw InputError(context + ": its structure factor rows do not match its metric rows");
  return r;
}

Observation observe(const TrainingRecord& r, const ObservationRules& rules) {
  Observation o;
  const std::size_t rows = r.metrics_iter.size();
  o.structure_ratio = late_over_initial(r.structure, r.structure_count, rows);
  o.structure_ratio_fixed = late_over_initial(r.structure_fixed, r.structure_fixed_count, rows);

  const std::size_t n = r.loss_d.size();
  double sum = 0, sum2 = 0;
  for (std::size_t i = n / 2; i < n; ++i) {
    sum += r.loss_d[i];
    sum2 += r.loss_d[i] * r.loss_d[i];
  }
  const double count = static_cast<double>(n - n / 2);
  const double rms = count > 0 ? std::sqrt(sum2 / count) : kNaN;
  const double variance = count > 0 ? std::max(0.0, sum2 / count - std::pow(sum / count, 2)) : kNaN;
  o.loss_oscillation = rms > 0 ? std::sqrt(variance) / rms : 0.0;
  o.loss_mean = count > 0 ? sum / count : kNaN;
  const double standard_error = count > 1 ? std::sqrt(variance / (count - 1)) : 0.0;
  o.loss_mean_z = standard_error > 0 ? o.loss_mean / standard_error
                                     : (o.loss_mean > 0 ? HUGE_VAL : o.loss_mean < 0 ? -HUGE_VAL : 0.0);

  const double first = r.feature_std_real.front(), last = r.feature_std_real.back();
  o.spread_ratio = last / first;
  const bool spread_broke = !(o.spread_ratio <= rules.spread_factor) ||
                            !(o.spread_ratio >= 1.0 / rules.spread_factor);
  o.diverged = r.status == "diverged" || spread_broke;
  o.modes_covered = r.modes_covered.back();
  o.high_quality_fraction = r.high_quality_fraction.back();
  o.mmd = r.mmd.back();

  if (r.status == "diverged") {
    o.unstable = true;
    o.reason = "diverged (non-finite loss)";
  } else if (spread_broke) {
    o.unstable = true;
    o.reason = o.spread_ratio > 1 ? "features exploded" : "features collapsed";
  } else if (o.loss_mean_z >= rules.positive_energy_z) {
    o.unstable = true;
    o.reason = "D holds a positive energy";
  } else if (o.structure_ratio >= rules.structure_growth) {
    o.unstable = true;
    o.reason = "structure factor grew";
  } else {
    o.reason = "no growth";
  }
  return o;
}

}  // namespace wgf
