#pragma once
// Test support: the CUDA solver's sweep kernels emulated on the host. Every GPU thread's work —
// one column, one axis-0 chunk, through cuda_cell::march_column with the kernels' own sinks —
// runs here in a loop, and the per-thread results are merged as the block reductions merge
// them. Same signature as wgf::cuda_probe::device_sweep, so one test body checks both.
#include <algorithm>
#include <vector>

#include "../solvers/cuda/fv_cell.hpp"
#include "cuda_solver_probe.hpp"
#include "wgf/grid.hpp"

namespace wgf::testing {

template <class Real>
class SweepEmulation {
  using Index = cuda_cell::Index;

public:
  static cuda_probe::SweepResult run(const Grid& grid, int ns, const cuda_probe::Species* species,
                                     const cuda_probe::Stage* stage, long long chunk_length) {
    SweepEmulation e(grid, ns, species, stage);
    return ns == 1 ? e.template sweep<1>(chunk_length) : e.template sweep<2>(chunk_length);
  }

private:
  SweepEmulation(const Grid& grid, int ns, const cuda_probe::Species* species,
                 const cuda_probe::Stage* stage)
      : grid_(grid), ns_(ns), stage_(stage), cells_(grid.cells()) {
    for (int k = 0; k < ns; ++k) {
      rho_[k] = convert(species[k].rho);
      rate_[k] = convert(species[k].rate);
      phi_[k] = convert(species[k].phi);
      scale_[k] = static_cast<Real>(species[k].scale);
      if (stage) x_[k] = convert(stage->x[k]);
    }
    if (stage) {
      fixed_p_ = convert(stage->fixed_p);
      fixed_q_ = convert(stage->fixed_q);
    }
  }

  std::vector<Real> convert(const double* values) const {
    return values ? std::vector<Real>(values, values + cells_) : std::vector<Real>();
  }
  static const Real* data_or_null(const std::vector<Real>& v) {
    return v.empty() ? nullptr : v.data();
  }

  template <int NS>
  cuda_probe::SweepResult sweep(long long chunk_length) {
    Index plane = 1;
    for (int a = 1; a < grid_.dim; ++a) plane *= grid_.n;
    const double inv_h = 1.0 / grid_.h();
    const cuda_cell::Geometry<Real> g{grid_.dim, grid_.n, plane, static_cast<Real>(inv_h),
                                      -static_cast<Real>(inv_h)};
    const Index length = std::max<Index>(1, std::min<Index>(chunk_length, grid_.n));
    const Index chunks = (grid_.n + length - 1) / length;
    std::vector<Real> out[2], w;
    for (int k = 0; k < NS; ++k) out[k].assign(cells_, Real(0));
    if (stage_) w.assign(cells_, Real(0));

    cuda_probe::SweepResult result;
    cuda_cell::FieldSummary summary[2] = {cuda_cell::FieldSummary::identity(),
                                          cuda_cell::FieldSummary::identity()};
    Real umax_all = 0;
    const bool fly = stage_ && !rate_[0].empty();
    for (Index chunk = 0; chunk < chunks; ++chunk) {
      const Index begin = chunk * length, end = std::min(begin + length, static_cast<Index>(grid_.n));
      for (Index j = 0; j < plane; ++j) {  // one GPU thread
        Real umax = 0;
        if (!stage_) {
          cuda_cell::RateSink<Real, NS, true> sink{};
          sink.reset();
          for (int k = 0; k < NS; ++k) sink.rate[k] = out[k].data();
          march<NS, false>(g, j, begin, end, sink, umax);
          for (int k = 0; k < NS; ++k) summary[k].merge(sink.summary[k]);
        } else {
          cuda_cell::StageSink<Real, NS> sink{};
          sink.a = static_cast<Real>(stage_->a);
          sink.b = static_cast<Real>(stage_->b);
          sink.dt = static_cast<Real>(stage_->dt);
          for (int k = 0; k < NS; ++k) {
            sink.x[k] = x_[k].data();
            sink.next[k] = out[k].data();
          }
          sink.slot_p = stage_->slot_p;
          sink.slot_q = stage_->slot_q;
          sink.fixed_p = data_or_null(fixed_p_);
          sink.fixed_q = data_or_null(fixed_q_);
          sink.w = w.data();
          if (fly)
            march<NS, true>(g, j, begin, end, sink, umax);
          else
            march<NS, false>(g, j, begin, end, sink, umax);
        }
        umax_all = cuda_cell::max_of(umax_all, umax);
      }
    }
    for (int k = 0; k < NS; ++k) result.out[k].assign(out[k].begin(), out[k].end());
    result.w.assign(w.begin(), w.end());
    result.max_speed = static_cast<double>(umax_all);
    if (!stage_)
      for (int k = 0; k < NS; ++k) {
        result.sum[k] = summary[k].sum;
        result.min[k] = summary[k].min;
        result.max[k] = summary[k].max;
        result.argmax[k] = summary[k].argmax;
      }
    return result;
  }

  template <int NS, bool OnTheFly, class Sink>
  void march(const cuda_cell::Geometry<Real>& g, Index j, Index begin, Index end, Sink& sink,
             Real& umax) const {
    cuda_cell::SpeciesIn<Real, OnTheFly> species[NS];
    const Real dt_first = stage_ ? static_cast<Real>(stage_->dt_first) : Real(0);
    for (int k = 0; k < NS; ++k)
      species[k] = {rho_[k].data(), data_or_null(rate_[k]), dt_first, phi_[k].data(), scale_[k]};
    cuda_cell::march_column<Real, NS>(g, species, j, begin, end, sink, umax);
  }

  Grid grid_;
  int ns_;
  const cuda_probe::Stage* stage_;
  std::size_t cells_;
  std::vector<Real> rho_[2], rate_[2], phi_[2], x_[2], fixed_p_, fixed_q_;
  Real scale_[2] = {1, 1};
};

}  // namespace wgf::testing
