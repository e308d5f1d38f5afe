#include "simulation_output.hpp"

#include <algorithm>
#include <string>

#include "wgf/netcdf_variables.hpp"

namespace wgf {

FieldSnapshots::FieldSnapshots(OutputFile& file, const Grid& grid) {
  const hid_t scales = file.group("/scales");
  t_ = ExtendableDataset(scales, "t", {}, 64);
  describe(t_.id(), {{"t"}, "1", "time of each field write"});
  step_ = ExtendableDataset(scales, "step", {}, 64, ExtendableDataset::Element::integer);
  describe(step_.id(), {{"t"}, "1", "accepted steps before each field write"});
  const hid_t fields = file.group("/fields");
  const std::vector<hsize_t> field_shape(grid.dim, static_cast<hsize_t>(grid.n));
  p_ = ExtendableDataset(fields, "p", field_shape, 1);
  q_ = ExtendableDataset(fields, "q", field_shape, 1);
  // Over (t, x0, x1…): the write times and cell centres, copied into /fields at the finish.
  std::vector<std::string> dimensions{"/scales/t"};
  for (int a = 0; a < grid.dim; ++a) dimensions.push_back("/grid/x" + std::to_string(a));
  describe(p_.id(), {dimensions, "1", "generator density p"});
  describe(q_.id(), {dimensions, "1", "data density q"});
}

void FieldSnapshots::on_write(const SimulationMoment& m) {
  last_step_ = m.step;
  m.solver.get_state(m.p, m.q);
  p_.append(m.p.data(), 1);
  q_.append(m.q.data(), 1);
  t_.append(&m.t, 1);
  step_.append(&m.step, 1);
  ++writes_;
}

DiagnosticsLog::DiagnosticsLog(OutputFile& file, std::size_t modes, int energy_e, int energy_d)
    : modes_(modes), energy_e_(energy_e), energy_d_(energy_d) {
  static constexpr const char* kNames[kColumns] = {"t",     "mass_p", "mass_q", "energy",
                                                   "min_p", "max_p",  "min_q",  "max_q",
                                                   "dt",    "energy_discriminator"};
  static constexpr const char* kLongNames[kColumns] = {
      "time after each accepted step",
      "mass of p",
      "mass of q",
      "energy E[e] of p - q",
      "minimum of p",
      "maximum of p",
      "minimum of q",
      "maximum of q",
      "size of the step that ended here (0 for the initial state)",
      "discriminator's energy E[e - eps s] of p - q"};
  const hid_t group = file.group("/diagnostics");
  for (std::size_t c = 0; c < kColumns; ++c) {
    columns_[c] = ExtendableDataset(group, kNames[c], {}, kCapacity);
    describe(columns_[c].id(), {{"t"}, "1", kLongNames[c]});
    buffers_[c].resize(kCapacity);
  }
  if (modes_ > 0) {
    amplitudes_ = ExtendableDataset(file.group("/modes"), "amplitude", {modes_}, kCapacity);
    describe(amplitudes_.id(), {{"/diagnostics/t", "mode"}, "1",
                                "amplitude of p - q in each tracked mode after each step"});
    amplitude_buffer_.resize(kCapacity * modes_);
  }
}

void DiagnosticsLog::on_step(const SimulationMoment& m) {
  const StateSummary& s = m.solver.summary();
  const SpectralDiagnostics d = m.solver.diagnostics();
  const double row[kColumns] = {m.t,     s.mass_p, s.mass_q, d.energies[energy_e_],
                                s.min_p, s.max_p,  s.min_q,  s.max_q,
                                m.dt,    d.energies[energy_d_]};
  for (std::size_t c = 0; c < kColumns; ++c) buffers_[c][used_] = row[c];
  std::copy(d.amplitudes.begin(), d.amplitudes.end(), amplitude_buffer_.begin() + used_ * modes_);
  if (++used_ == kCapacity) flush();
}

void DiagnosticsLog::flush() {
  for (std::size_t c = 0; c < kColumns; ++c) columns_[c].append(buffers_[c].data(), used_);
  if (modes_ > 0) amplitudes_.append(amplitude_buffer_.data(), used_);
  used_ = 0;
}

}  // namespace wgf
