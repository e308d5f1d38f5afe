#include "wgf/field_spec.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_control.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

namespace {

constexpr double kPi = std::numbers::pi;

const char* kFieldHelp =
    "  uniform:rho0=R                      constant density (rho0 default 1)\n"
    "  mode:rho0=R,amp=A,k=K[,K2[,K3]]      R (1 + A cos(xi_k . x)), 0 <= A < 1, |k_j| < N/2\n"
    "  random:rho0=R,amp=A,seed=S          R (1 + A eta_i), eta_i uniform in [-1, 1] per cell\n"
    "  gaussians:at=X1[,Y1..],sigma=S[,mass=M,floor=F]\n"
    "                                      periodic Gaussians of std S at the listed centres\n"
    "                                      (d coordinates each), total mass M (default L^d),\n"
    "                                      plus the background density F (default 0)\n"
    "  FILE.h5[:field=p|q,index=I]         a field of an earlier wgf simulate run (default the\n"
    "                                      last write); its grid must match\n";

// A large fill takes seconds to minutes, before the output exists: a signal stops it there
// (run_control.hpp) instead of waiting for the fill to end. Checked every this many cells.
constexpr std::size_t kCellsBetweenSignalChecks = 4096;
const char* const kDuringFill = "the initial fill";

// Visits every cell with its multi-index, calling f(flat, index).
template <typename F>
void for_each_cell(const Grid& grid, F f) {
  const std::size_t cells = grid.cells();
  long index[3] = {0, 0, 0};
  for (std::size_t flat = 0; flat < cells; ++flat) {
    if (flat % kCellsBetweenSignalChecks == 0) stop_if_interrupted(kDuringFill);
    std::size_t rest = flat;
    for (int axis = grid.dim - 1; axis >= 0; --axis) {
      index[axis] = static_cast<long>(rest % static_cast<std::size_t>(grid.n));
      rest /= static_cast<std::size_t>(grid.n);
    }
    f(flat, index);
  }
}

double require_nonnegative(const SpecText& s, const std::string& key, double fallback,
                           const std::string& option) {
  const double v = s.number(key, fallback);
  if (v < 0) throw InputError(option + " '" + s.text() + "': " + key + " must be >= 0");
  return v;
}

void fill_mode(const SpecText& s, const Grid& grid, std::span<double> out,
               const std::string& option, FieldDescription& description) {
  s.allow_only({"rho0", "amp", "k"});
  const double rho0 = s.number("rho0", 1.0);
  const double amp = s.number("amp", 1e-3);
  if (!(rho0 > 0)) throw InputError(option + " '" + s.text() + "': rho0 must be > 0");
  if (!(amp >= 0 && amp < 1))
    throw InputError(option + " '" + s.text() + "': amp must be in [0, 1) (relative amplitude)");
  std::vector<long> k = s.integers("k");
  if (k.empty()) k = {1};
  if (static_cast<int>(k.size()) > grid.dim)
    throw InputError(option + " '" + s.text() + "': k has " + std::to_string(k.size()) +
                     " components for a " + std::to_string(grid.dim) + "D grid");
  k.resize(grid.dim, 0);
  bool nonzero = false;
  for (long kj : k) {
    if (std::labs(kj) >= grid.n / 2)
      throw InputError(option + " '" + s.text() + "': |k| must be below N/2 = " +
                       std::to_string(grid.n / 2) + " on every axis");
    nonzero = nonzero || kj != 0;
  }
  if (!nonzero) throw InputError(option + " '" + s.text() + "': k must not be zero");
  description.mode_k = k;
  // Cell average of cos(ξ·x): the centre value times Π_j sinc(ξ_j h/2).
  std::vector<double> xi(grid.dim);
  double attenuation = 1;
  for (int a = 0; a < grid.dim; ++a) {
    xi[a] = grid.wavenumber(k[a]);
    const double half = 0.5 * xi[a] * grid.h();
    attenuation *= half == 0 ? 1.0 : std::sin(half) / half;
  }
  for_each_cell(grid, [&](std::size_t flat, const long* index) {
    double phase = 0;
    for (int a = 0; a < grid.dim; ++a) phase += xi[a] * grid.cell_center(index[a]);
    out[flat] = rho0 * (1 + amp * attenuation * std::cos(phase));
  });
}

void fill_random(const SpecText& s, const Grid& grid, std::span<double> out,
                 const std::string& option, FieldDescription& description) {
  s.allow_only({"rho0", "amp", "seed"});
  const double rho0 = s.number("rho0", 1.0);
  const double amp = s.number("amp", 1e-3);
  if (!(rho0 > 0)) throw InputError(option + " '" + s.text() + "': rho0 must be > 0");
  if (!(amp >= 0 && amp < 1))
    throw InputError(option + " '" + s.text() + "': amp must be in [0, 1) (relative amplitude)");
  if (!s.has("seed"))
    throw InputError(option + " '" + s.text() + "': random fields need seed=S (reproducibility)");
  const long seed = s.integer("seed", 0);
  if (seed < 0) throw InputError(option + " '" + s.text() + "': seed must be >= 0");
  description.seed = seed;
  std::mt19937_64 engine(static_cast<std::uint64_t>(seed));
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % kCellsBetweenSignalChecks == 0) stop_if_interrupted(kDuringFill);
    out[i] = rho0 * (1 + amp * uniform(engine));
  }
}

// ∫ over [a, b] of the periodised unit Gaussian density of std σ centred at c, period L.
// The box [−L/2, L/2) is periodic, so a centre outside it is its image inside (centres inside
// are left as they are, bit for bit). For σ ≥ 2L the
// periodised density is uniform to within its first Fourier coefficient, 2e^{−2π²σ²/L²} < 1e-34,
// far below double precision: the uniform limit (b − a)/L, which also keeps the image count
// (8σ/L of them) bounded for any σ.
double periodic_gaussian_cell_mass(double a, double b, double c, double sigma, double length) {
  if (sigma >= 2 * length) return (b - a) / length;
  c -= length * std::floor((c + 0.5 * length) / length);
  double mass = 0;
  const double scale = 1.0 / (std::sqrt(2.0) * sigma);
  const int images = static_cast<int>(std::ceil(8 * sigma / length)) + 1;
  for (int m = -images; m <= images; ++m) {
    const double shift = c + m * length;
    mass += 0.5 * (std::erf((b - shift) * scale) - std::erf((a - shift) * scale));
  }
  return mass;
}

void fill_gaussians(const SpecText& s, const Grid& grid, std::span<double> out,
                    const std::string& option) {
  s.allow_only({"at", "sigma", "mass", "floor"});
  const auto at_text = s.string("at");
  if (!at_text) throw InputError(option + " '" + s.text() + "': missing at=X1[,Y1…] (centres)");
  std::vector<double> coords;
  for (const auto& token : split(*at_text, ','))
    coords.push_back(parse_number(token, option + " '" + s.text() + "', key 'at'"));
  if (coords.empty() || coords.size() % grid.dim != 0)
    throw InputError(option + " '" + s.text() + "': at= needs " + std::to_string(grid.dim) +
                     " coordinates per centre");
  const double sigma = s.number("sigma", 0.1 * grid.length);
  if (!(sigma > 0)) throw InputError(option + " '" + s.text() + "': sigma must be > 0");
  const double volume = std::pow(grid.length, grid.dim);
  const double mass = s.number("mass", volume);
  if (!(mass > 0)) throw InputError(option + " '" + s.text() + "': mass must be > 0");
  const double floor = require_nonnegative(s, "floor", 0.0, option);
  const std::size_t centres = coords.size() / grid.dim;
  const double h = grid.h();
  // Per axis and centre, the cell masses of the 1D factor; the d-D cell mass is their product.
  std::vector<double> factors(centres * grid.dim * grid.n);
  for (std::size_t c = 0; c < centres; ++c) {
    stop_if_interrupted(kDuringFill);
    for (int a = 0; a < grid.dim; ++a)
      for (long i = 0; i < grid.n; ++i) {
        const double lo = grid.cell_center(i) - 0.5 * h;
        factors[(c * grid.dim + a) * grid.n + i] =
            periodic_gaussian_cell_mass(lo, lo + h, coords[c * grid.dim + a], sigma, grid.length);
      }
  }
  const double per_centre = mass / static_cast<double>(centres) / grid.cell_volume();
  for_each_cell(grid, [&](std::size_t flat, const long* index) {
    double value = 0;
    for (std::size_t c = 0; c < centres; ++c) {
      double product = 1;
      for (int a = 0; a < grid.dim; ++a) product *= factors[(c * grid.dim + a) * grid.n + index[a]];
      value += product;
    }
    out[flat] = floor + per_centre * value;
  });
}

bool is_file_spec(const std::string& name) {
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".h5") || ends_with(".hdf5");
}

long read_long_attribute(hid_t object, const char* name, const std::string& context) {
  if (H5Aexists(object, name) <= 0) throw InputError(context + ": /grid has no attribute " + name);
  H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  long value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_LONG, &value) < 0)
    throw InputError(context + ": cannot read attribute " + std::string(name));
  return value;
}

double read_double_attribute(hid_t object, const char* name, const std::string& context) {
  if (H5Aexists(object, name) <= 0) throw InputError(context + ": /grid has no attribute " + name);
  H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  double value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    throw InputError(context + ": cannot read attribute " + std::string(name));
  return value;
}

void fill_from_file(const SpecText& s, const Grid& grid, std::span<double> out,
                    const std::string& option, const std::string& default_field) {
  s.allow_only({"field", "index"});
  const std::string path = s.name();
  const std::string context = option + " '" + path + "'";
  H5Id file = open_for_reading(path, option);
  const std::string field = s.string("field").value_or(default_field);
  if (field != "p" && field != "q")
    throw InputError(context + ": field must be p or q (got '" + field + "')");
  if (H5Lexists(file.get(), "grid", H5P_DEFAULT) <= 0 ||
      H5Lexists(file.get(), "fields", H5P_DEFAULT) <= 0)
    throw InputError(context + ": not a wgf simulate output (no /grid and /fields)");
  H5Id grid_group(H5Gopen2(file.get(), "grid", H5P_DEFAULT));
  const long dim = read_long_attribute(grid_group.get(), "dim", context);
  const long n = read_long_attribute(grid_group.get(), "n", context);
  const double length = read_double_attribute(grid_group.get(), "length", context);
  if (dim != grid.dim || n != grid.n || std::fabs(length - grid.length) > 1e-12 * grid.length)
    throw InputError(context + ": its grid (dim " + std::to_string(dim) + ", n " +
                     std::to_string(n) + ", length " + std::to_string(length) +
                     ") differs from this run's");
  const std::string dataset_path = "fields/" + field;
  if (H5Lexists(file.get(), "fields", H5P_DEFAULT) <= 0 ||
      H5Lexists(file.get(), dataset_path.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(context + ": no dataset /" + dataset_path);
  H5Id dataset(H5Dopen2(file.get(), dataset_path.c_str(), H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != grid.dim + 1)
    throw InputError(context + ": /" + dataset_path + " has rank " + std::to_string(rank) +
                     ", expected " + std::to_string(grid.dim + 1));
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  for (int a = 1; a < rank; ++a)
    if (dims[a] != static_cast<hsize_t>(grid.n))
      throw InputError(context + ": /" + dataset_path + " does not match the grid");
  const long rows = static_cast<long>(dims[0]);
  if (rows == 0) throw InputError(context + ": /" + dataset_path + " holds no snapshot");
  long index = s.integer("index", -1);
  if (index < 0) index += rows;
  if (index < 0 || index >= rows)
    throw InputError(context + ": index out of range (the file holds " + std::to_string(rows) +
                     " snapshots)");
  std::vector<hsize_t> start(rank, 0), count(dims);
  start[0] = static_cast<hsize_t>(index);
  count[0] = 1;
  H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  H5Id memory(H5Screate_simple(rank, count.data(), nullptr));
  if (H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT,
              out.data()) < 0)
    throw InputError(context + ": cannot read /" + dataset_path);
  for (double v : out)
    if (!std::isfinite(v) || v < 0)
      throw InputError(context + ": /" + dataset_path + " holds negative or non-finite values");
}

}  // namespace

FieldDescription fill_field(const std::string& spec, const Grid& grid, std::span<double> out,
                            const std::string& option, const std::string& default_field) {
  const SpecText s = SpecText::parse(spec, option);
  FieldDescription description;
  description.kind = s.name();
  if (is_file_spec(s.name())) {
    description.kind = "file";
    fill_from_file(s, grid, out, option, default_field);
  } else if (s.name() == "uniform") {
    s.allow_only({"rho0"});
    const double rho0 = s.number("rho0", 1.0);
    if (!(rho0 > 0)) throw InputError(option + " '" + spec + "': rho0 must be > 0");
    std::fill(out.begin(), out.end(), rho0);
  } else if (s.name() == "mode") {
    fill_mode(s, grid, out, option, description);
  } else if (s.name() == "random") {
    fill_random(s, grid, out, option, description);
  } else if (s.name() == "gaussians") {
    fill_gaussians(s, grid, out, option);
  } else {
    throw InputError(option + " '" + spec + "': unknown field '" + s.name() + "'; allowed:\n" +
                     kFieldHelp);
  }
  return description;
}

std::string field_spec_help() { return kFieldHelp; }

}  // namespace wgf
