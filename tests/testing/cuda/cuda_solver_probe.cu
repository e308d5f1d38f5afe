// tests/testing/cuda_solver_probe.hpp on the device: the solver's sweep kernels on host data.
#include "cuda_solver_probe.hpp"

#include <algorithm>
#include <vector>

#include "wgf/device/device_info.hpp"
#include "wgf/device/device_memory.hpp"
#include "flow_kernels.hpp"
#include "wgf/errors.hpp"

namespace wgf::cuda_probe {

using namespace cuda_solver;
using namespace device;

namespace {

template <class Real>
DeviceArray<Real> upload(const double* values, std::size_t count) {
  if (!values) return DeviceArray<Real>();
  std::vector<Real> converted(values, values + count);
  DeviceArray<Real> device(count);
  WGF_CUDA_CHECK(cudaMemcpy(device.get(), converted.data(), count * sizeof(Real),
                            cudaMemcpyHostToDevice));
  return device;
}

template <class Real>
std::vector<double> download(const DeviceArray<Real>& device) {
  std::vector<Real> values(device.size());
  WGF_CUDA_CHECK(cudaMemcpy(values.data(), device.get(), device.bytes(), cudaMemcpyDeviceToHost));
  return std::vector<double>(values.begin(), values.end());
}

template <class Real>
SweepResult run(const Grid& grid, int ns, const Species* species, const Stage* stage,
                long long chunk_length) {
  const std::size_t cells = grid.cells();
  Index plane = 1;
  for (int a = 1; a < grid.dim; ++a) plane *= grid.n;
  const double inv_h = 1.0 / grid.h();
  const Geometry<Real> g{grid.dim, grid.n, plane, static_cast<Real>(inv_h),
                         -static_cast<Real>(inv_h)};
  const Index length = std::max<Index>(1, std::min<Index>(chunk_length, grid.n));
  const SweepShape shape =
      make_sweep_shape(grid.dim, grid.n, Chunking{length, (grid.n + length - 1) / length});

  std::vector<DeviceArray<Real>> arrays;  // owners of every upload
  auto keep = [&](const double* values) -> Real* {
    arrays.push_back(upload<Real>(values, cells));
    return arrays.back().get();
  };
  SweepSpecies<Real> swept[2];
  for (int k = 0; k < ns; ++k)
    swept[k] = {keep(species[k].rho), keep(species[k].rate), keep(species[k].phi),
                static_cast<Real>(species[k].scale)};
  DeviceArray<Real> out[2];
  for (int k = 0; k < ns; ++k) out[k] = DeviceArray<Real>(cells);
  DeviceArray<Real> w(stage ? cells : 0);
  DeviceArray<double> speed(shape.blocks());
  DeviceArray<FieldSummary> summaries[2] = {DeviceArray<FieldSummary>(shape.blocks()),
                                            DeviceArray<FieldSummary>(shape.blocks())};
  DeviceArray<StepScalars> scalars(1);
  cudaStream_t stream = nullptr;
  if (stage) {
    StageParams<Real> params{};
    params.a = static_cast<Real>(stage->a);
    params.b = static_cast<Real>(stage->b);
    params.dt = static_cast<Real>(stage->dt);
    for (int k = 0; k < ns; ++k) {
      params.x[k] = keep(stage->x[k]);
      params.next[k] = out[k].get();
    }
    params.slot_p = stage->slot_p;
    params.slot_q = stage->slot_q;
    params.fixed_p = keep(stage->fixed_p);
    params.fixed_q = keep(stage->fixed_q);
    params.w = w.get();
    launch_stage_sweep(g, shape, ns, swept, static_cast<Real>(stage->dt_first), params,
                       speed.get(), stream);
  } else {
    Real* rates[2] = {out[0].get(), out[1].get()};
    FieldSummary* partials[2] = {summaries[0].get(), summaries[1].get()};
    launch_rate_sweep(g, shape, ns, swept, rates, speed.get(), partials, stream);
  }
  FinalizeJob job;
  job.speed[0] = speed.get();
  job.speed_blocks[0] = shape.blocks();
  if (!stage)
    for (int k = 0; k < ns; ++k) {
      job.summary[k] = summaries[k].get();
      job.summary_blocks[k] = shape.blocks();
    }
  launch_finalize(job, scalars.get(), stream);
  StepScalars host{};
  WGF_CUDA_CHECK(cudaMemcpy(&host, scalars.get(), sizeof host, cudaMemcpyDeviceToHost));

  SweepResult result;
  for (int k = 0; k < ns; ++k) result.out[k] = download(out[k]);
  if (stage) result.w = download(w);
  result.max_speed = host.speed[0];
  if (!stage)
    for (int k = 0; k < ns; ++k) {
      result.sum[k] = host.summary[k].sum;
      result.min[k] = host.summary[k].min;
      result.max[k] = host.summary[k].max;
      result.argmax[k] = host.summary[k].argmax;
    }
  return result;
}

}  // namespace

SweepResult device_sweep(const Grid& grid, Precision precision, int species_count,
                         const Species* species, const Stage* stage, long long chunk_length) {
  std::string why;
  const auto device = DeviceInfo::query(0, &why);
  if (!device) throw InputError("--device cuda: " + why);
  return precision == Precision::fp64
             ? run<double>(grid, species_count, species, stage, chunk_length)
             : run<float>(grid, species_count, species, stage, chunk_length);
}

}  // namespace wgf::cuda_probe
