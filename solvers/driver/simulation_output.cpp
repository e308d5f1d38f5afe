#include "simulation_output.hpp"

#include <algorithm>

namespace wgf {

FieldSnapshots::FieldSnapshots(OutputFile& file, const Grid& grid) {
  const hid_t scales = file.group("/scales");
  t_ = ExtendableDataset(scales, "t", {}, 64);
  step_ = ExtendableDataset(scales, "step", {}, 64);
  const hid_t fields = file.group("/fields");
  const std::vector<hsize_t> field_shape(grid.dim, static_cast<hsize_t>(grid.n));
  p_ = ExtendableDataset(fields, "p", field_shape, 1);
  q_ = ExtendableDataset(fields, "q", field_shape, 1);
}

void FieldSnapshots::on_write(const SimulationMoment& m) {
  last_step_ = m.step;
  const double step_value = static_cast<double>(m.step);
  m.solver.get_state(m.p, m.q);
  p_.append(m.p.data(), 1);
  q_.append(m.q.data(), 1);
  t_.append(&m.t, 1);
  step_.append(&step_value, 1);
  ++writes_;
}

DiagnosticsLog::DiagnosticsLog(OutputFile& file, std::size_t modes, int energy_e, int energy_d)
    : modes_(modes), energy_e_(energy_e), energy_d_(energy_d) {
  static constexpr const char* kNames[kColumns] = {"t",     "mass_p", "mass_q", "energy",
                                                   "min_p", "max_p",  "min_q",  "max_q",
                                                   "dt",    "energy_discriminator"};
  const hid_t group = file.group("/diagnostics");
  for (std::size_t c = 0; c < kColumns; ++c) {
    columns_[c] = ExtendableDataset(group, kNames[c], {}, kCapacity);
    buffers_[c].resize(kCapacity);
  }
  if (modes_ > 0) {
    amplitudes_ = ExtendableDataset(file.group("/modes"), "amplitude", {modes_}, kCapacity);
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
