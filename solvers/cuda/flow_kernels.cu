// The CUDA grid solver's kernels: thin launches of the per-cell functions of fv_cell.hpp, plus
// the deterministic block reductions (a fixed tree per block, then one finalising block), so a
// run gives the same bits every time.
#include "flow_kernels.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "wgf/device/cuda_check.hpp"

namespace wgf::cuda_solver {

namespace {

// Tree reduction over the block (blockDim.x · blockDim.y = kBlockThreads, a power of two) in
// shared memory; every thread gets the result.
template <class T, class Merge>
__device__ T block_reduce(T value, T* shared, Merge merge) {
  const int tid = threadIdx.x + blockDim.x * threadIdx.y;
  shared[tid] = value;
  __syncthreads();
  for (int stride = kBlockThreads / 2; stride > 0; stride >>= 1) {
    if (tid < stride) shared[tid] = merge(shared[tid], shared[tid + stride]);
    __syncthreads();
  }
  const T result = shared[0];
  __syncthreads();
  return result;
}

struct MaxOp {
  __device__ double operator()(double a, double b) const { return cuda_cell::max_of(a, b); }
};
struct SumOp {
  __device__ double operator()(double a, double b) const { return a + b; }
};
struct MergeOp {
  __device__ FieldSummary operator()(FieldSummary a, const FieldSummary& b) const {
    a.merge(b);
    return a;
  }
};

__device__ Index block_index() { return blockIdx.x + Index(gridDim.x) * (blockIdx.y + Index(gridDim.y) * blockIdx.z); }

// This thread's column (in-plane index j) and axis-0 chunk; false for threads past the grid.
template <int Dim>
__device__ bool column_of_thread(Index n, const Chunking& c, Index& j, Index& begin, Index& end) {
  Index chunk;
  if (Dim == 1) {
    chunk = Index(blockIdx.x) * blockDim.x + threadIdx.x;
    j = 0;
    if (chunk >= c.chunks) return false;
  } else {
    const Index i2 = Index(blockIdx.x) * blockDim.x + threadIdx.x;
    const Index i1 = Index(blockIdx.y) * blockDim.y + threadIdx.y;
    chunk = blockIdx.z;
    if (i2 >= n || i1 >= (Dim == 3 ? n : 1)) return false;
    j = i1 * n + i2;
  }
  begin = chunk * c.length;
  end = begin + c.length < n ? begin + c.length : n;
  return begin < end;
}

template <class Real, int Dim, int NS>
__global__ void __launch_bounds__(kBlockThreads)
    rate_sweep_kernel(Geometry<Real> g, Chunking chunking,
                      cuda_cell::SpeciesIn<Real, false> s0, cuda_cell::SpeciesIn<Real, false> s1,
                      cuda_cell::RateSink<Real, NS, true> sink, double* speed_partials,
                      FieldSummary* summary_0, FieldSummary* summary_1) {
  __shared__ double shared_speed[kBlockThreads];
  __shared__ FieldSummary shared_summary[kBlockThreads];
  cuda_cell::SpeciesIn<Real, false> species[NS];
  species[0] = s0;
  if constexpr (NS > 1) species[1] = s1;
  sink.reset();
  Real umax = 0;
  Index j, begin, end;
  if (column_of_thread<Dim>(g.n, chunking, j, begin, end)) {
    Geometry<Real> gd = g;
    gd.dim = Dim;  // a compile-time constant for the inlined march
    cuda_cell::march_column<Real, NS>(gd, species, j, begin, end, sink, umax);
  }
  const double speed = block_reduce(static_cast<double>(umax), shared_speed, MaxOp{});
  FieldSummary* outs[2] = {summary_0, summary_1};
  for (int k = 0; k < NS; ++k) {
    const FieldSummary s = block_reduce(sink.summary[k], shared_summary, MergeOp{});
    if (threadIdx.x == 0 && threadIdx.y == 0) outs[k][block_index()] = s;
  }
  if (threadIdx.x == 0 && threadIdx.y == 0) speed_partials[block_index()] = speed;
}

template <class Real, int Dim, int NS, bool OnTheFly>
__global__ void __launch_bounds__(kBlockThreads)
    stage_sweep_kernel(Geometry<Real> g, Chunking chunking,
                       cuda_cell::SpeciesIn<Real, OnTheFly> s0,
                       cuda_cell::SpeciesIn<Real, OnTheFly> s1,
                       cuda_cell::StageSink<Real, NS> sink, double* speed_partials) {
  __shared__ double shared_speed[kBlockThreads];
  cuda_cell::SpeciesIn<Real, OnTheFly> species[NS];
  species[0] = s0;
  if constexpr (NS > 1) species[1] = s1;
  Real umax = 0;
  Index j, begin, end;
  if (column_of_thread<Dim>(g.n, chunking, j, begin, end)) {
    Geometry<Real> gd = g;
    gd.dim = Dim;
    cuda_cell::march_column<Real, NS>(gd, species, j, begin, end, sink, umax);
  }
  const double speed = block_reduce(static_cast<double>(umax), shared_speed, MaxOp{});
  if (threadIdx.x == 0 && threadIdx.y == 0) speed_partials[block_index()] = speed;
}

template <class Real>
__global__ void form_difference_kernel(Index cells, const Real* p, const Real* rate_p,
                                       const Real* q, const Real* rate_q, Real dt, Real* w) {
  for (Index i = Index(blockIdx.x) * blockDim.x + threadIdx.x; i < cells;
       i += Index(gridDim.x) * blockDim.x)
    w[i] = cuda_cell::stage_one_difference(p, rate_p, q, rate_q, dt, i);
}

template <class Real>
__global__ void __launch_bounds__(kBlockThreads)
    summarise_field_kernel(Index cells, const Real* field, FieldSummary* partials) {
  __shared__ FieldSummary shared[kBlockThreads];
  FieldSummary s = FieldSummary::identity();
  for (Index i = Index(blockIdx.x) * blockDim.x + threadIdx.x; i < cells;
       i += Index(gridDim.x) * blockDim.x)
    s.add(static_cast<double>(cuda_cell::load(field + i)), i);
  s = block_reduce(s, shared, MergeOp{});
  if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

template <class Real, int E>
struct EnergySymbols {
  const Real* symbol[E > 0 ? E : 1];
};

template <class Real, int E>
__global__ void __launch_bounds__(kBlockThreads)
    spectral_pass_kernel(Index n, Index spectral, Complex<Real>* spectrum, Complex<Real>* work,
                         const Real* symbol_0, const Real* symbol_1, bool multiply,
                         EnergySymbols<Real, E> energy, double* energy_partials) {
  __shared__ double shared[kBlockThreads];
  double acc[E > 0 ? E : 1] = {};
  for (Index s = Index(blockIdx.x) * blockDim.x + threadIdx.x; s < spectral;
       s += Index(gridDim.x) * blockDim.x) {
    if constexpr (E > 0) cuda_cell::accumulate_energies<Real, E>(spectrum[s], n, s, energy.symbol, acc);
    if (multiply) cuda_cell::multiply_symbols(spectrum, work, symbol_0, symbol_1, s);
  }
  for (int e = 0; e < E; ++e) {
    const double total = block_reduce(acc[e], shared, SumOp{});
    if (threadIdx.x == 0) energy_partials[Index(e) * gridDim.x + blockIdx.x] = total;
  }
}

template <class Real>
__global__ void gather_modes_kernel(const Complex<Real>* spectrum, int count, const Index* indices,
                                    StepScalars* out) {
  const int m = blockIdx.x * blockDim.x + threadIdx.x;
  if (m < count) {
    const Complex<Real> v = spectrum[indices[m]];
    out->mode_re[m] = static_cast<double>(v.re);
    out->mode_im[m] = static_cast<double>(v.im);
  }
}

template <class Real>
__global__ void gather_patch_kernel(int dim, Index n, const Real* field, Index peak, double* patch) {
  const int e = threadIdx.x;
  int count = 1;
  for (int a = 0; a < dim; ++a) count *= 5;
  if (e < count) patch[e] = static_cast<double>(field[cuda_cell::patch_cell(dim, n, peak, e)]);
}

__global__ void __launch_bounds__(kBlockThreads) finalize_kernel(FinalizeJob job, StepScalars* out) {
  __shared__ double shared[kBlockThreads];
  __shared__ FieldSummary shared_summary[kBlockThreads];
  const int tid = threadIdx.x;
  for (int k = 0; k < 3; ++k) {
    if (!job.speed[k]) continue;
    double m = 0;
    for (Index b = tid; b < job.speed_blocks[k]; b += kBlockThreads) m = cuda_cell::max_of(m, job.speed[k][b]);
    m = block_reduce(m, shared, MaxOp{});
    if (tid == 0) out->speed[k] = m;
  }
  for (int k = 0; k < 2; ++k) {
    if (!job.summary[k]) continue;
    FieldSummary s = FieldSummary::identity();
    for (Index b = tid; b < job.summary_blocks[k]; b += kBlockThreads) s.merge(job.summary[k][b]);
    s = block_reduce(s, shared_summary, MergeOp{});
    if (tid == 0) out->summary[k] = s;
  }
  for (int e = 0; e < job.energies; ++e) {
    double sum = 0;
    for (Index b = tid; b < job.energy_blocks; b += kBlockThreads) sum += job.energy[e * job.energy_blocks + b];
    sum = block_reduce(sum, shared, SumOp{});
    if (tid == 0) out->energy_sum[e] = sum;
  }
}

Index ceil_div(Index a, Index b) { return (a + b - 1) / b; }

unsigned grid_stride_blocks(Index count, Index cap) {
  return static_cast<unsigned>(std::max<Index>(1, std::min(ceil_div(count, kBlockThreads), cap)));
}

template <class Real, bool OnTheFly>
cuda_cell::SpeciesIn<Real, OnTheFly> species_in(const SweepSpecies<Real>& s, Real dt) {
  return {s.rho, s.rate, dt, s.phi, s.scale};
}

}  // namespace

SweepShape make_sweep_shape(int dim, Index n, Chunking chunking) {
  SweepShape shape;
  shape.chunking = chunking;
  if (dim == 1) {
    shape.block = dim3(kBlockThreads, 1, 1);
    shape.grid = dim3(static_cast<unsigned>(ceil_div(chunking.chunks, kBlockThreads)), 1, 1);
  } else if (dim == 2) {
    shape.block = dim3(kBlockThreads, 1, 1);
    shape.grid = dim3(static_cast<unsigned>(ceil_div(n, kBlockThreads)), 1,
                      static_cast<unsigned>(chunking.chunks));
  } else {
    shape.block = dim3(32, kBlockThreads / 32, 1);
    shape.grid = dim3(static_cast<unsigned>(ceil_div(n, 32)),
                      static_cast<unsigned>(ceil_div(n, kBlockThreads / 32)),
                      static_cast<unsigned>(chunking.chunks));
  }
  return shape;
}

SweepShape make_sweep_shape(int dim, Index n, Index resident_threads) {
  Index columns = 1;
  for (int a = 1; a < dim; ++a) columns *= n;
  const Index wanted_chunks = std::max<Index>(1, ceil_div(4 * resident_threads, columns));
  const Index min_length = std::min<Index>(n, 8);
  Index length = std::max(min_length, ceil_div(n, wanted_chunks));
  length = std::min(length, n);
  return make_sweep_shape(dim, n, Chunking{length, ceil_div(n, length)});
}

template <class Real>
void launch_rate_sweep(const Geometry<Real>& g, const SweepShape& shape, int ns,
                       const SweepSpecies<Real>* species, Real* const* rate,
                       double* speed_partials, FieldSummary* const* summary_partials,
                       cudaStream_t stream) {
  const auto s0 = species_in<Real, false>(species[0], Real(0));
  const auto s1 = species_in<Real, false>(species[ns > 1 ? 1 : 0], Real(0));
  auto launch = [&](auto dim_tag, auto ns_tag) {
    constexpr int D = decltype(dim_tag)::value, K = decltype(ns_tag)::value;
    cuda_cell::RateSink<Real, K, true> sink{};
    for (int k = 0; k < K; ++k) sink.rate[k] = rate[k];
    rate_sweep_kernel<Real, D, K><<<shape.grid, shape.block, 0, stream>>>(
        g, shape.chunking, s0, s1, sink, speed_partials, summary_partials[0],
        summary_partials[K > 1 ? 1 : 0]);
  };
  using One = std::integral_constant<int, 1>;
  using Two = std::integral_constant<int, 2>;
  using Three = std::integral_constant<int, 3>;
  if (ns == 1) {
    if (g.dim == 1) launch(One{}, One{});
    else if (g.dim == 2) launch(Two{}, One{});
    else launch(Three{}, One{});
  } else {
    if (g.dim == 1) launch(One{}, Two{});
    else if (g.dim == 2) launch(Two{}, Two{});
    else launch(Three{}, Two{});
  }
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_stage_sweep(const Geometry<Real>& g, const SweepShape& shape, int ns,
                        const SweepSpecies<Real>* species, Real dt_first,
                        const StageParams<Real>& stage, double* speed_partials,
                        cudaStream_t stream) {
  const bool on_the_fly = species[0].rate != nullptr;
  auto launch = [&](auto dim_tag, auto ns_tag, auto fly_tag) {
    constexpr int D = decltype(dim_tag)::value, K = decltype(ns_tag)::value;
    constexpr bool F = decltype(fly_tag)::value;
    cuda_cell::StageSink<Real, K> sink{};
    sink.a = stage.a;
    sink.b = stage.b;
    sink.dt = stage.dt;
    for (int k = 0; k < K; ++k) {
      sink.x[k] = stage.x[k];
      sink.next[k] = stage.next[k];
    }
    sink.slot_p = stage.slot_p;
    sink.slot_q = stage.slot_q;
    sink.fixed_p = stage.fixed_p;
    sink.fixed_q = stage.fixed_q;
    sink.w = stage.w;
    stage_sweep_kernel<Real, D, K, F><<<shape.grid, shape.block, 0, stream>>>(
        g, shape.chunking, species_in<Real, F>(species[0], dt_first),
        species_in<Real, F>(species[K > 1 ? 1 : 0], dt_first), sink, speed_partials);
  };
  using One = std::integral_constant<int, 1>;
  using Two = std::integral_constant<int, 2>;
  using Three = std::integral_constant<int, 3>;
  auto by_dim = [&](auto ns_tag, auto fly_tag) {
    if (g.dim == 1) launch(One{}, ns_tag, fly_tag);
    else if (g.dim == 2) launch(Two{}, ns_tag, fly_tag);
    else launch(Three{}, ns_tag, fly_tag);
  };
  auto by_ns = [&](auto fly_tag) {
    if (ns == 1) by_dim(One{}, fly_tag);
    else by_dim(Two{}, fly_tag);
  };
  if (on_the_fly) by_ns(std::true_type{});
  else by_ns(std::false_type{});
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_form_difference(Index cells, const Real* p, const Real* rate_p, const Real* q,
                            const Real* rate_q, Real dt, Real* w, cudaStream_t stream) {
  form_difference_kernel<<<grid_stride_blocks(cells, 65536), kBlockThreads, 0, stream>>>(
      cells, p, rate_p, q, rate_q, dt, w);
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_summarise_field(Index cells, const Real* field, Index blocks, FieldSummary* partials,
                            cudaStream_t stream) {
  summarise_field_kernel<<<static_cast<unsigned>(blocks), kBlockThreads, 0, stream>>>(cells, field,
                                                                                      partials);
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_spectral_pass(Index n, Index spectral, Complex<Real>* spectrum, Complex<Real>* work,
                          const Real* symbol_0, const Real* symbol_1, bool multiply,
                          int energies, const Real* const* energy_symbols, Index blocks,
                          double* energy_partials, cudaStream_t stream) {
  auto launch = [&](auto e_tag) {
    constexpr int E = decltype(e_tag)::value;
    EnergySymbols<Real, E> symbols{};
    for (int e = 0; e < E; ++e) symbols.symbol[e] = energy_symbols[e];
    spectral_pass_kernel<Real, E><<<static_cast<unsigned>(blocks), kBlockThreads, 0, stream>>>(
        n, spectral, spectrum, work, symbol_0, symbol_1, multiply, symbols, energy_partials);
  };
  switch (energies) {
    case 0: launch(std::integral_constant<int, 0>{}); break;
    case 1: launch(std::integral_constant<int, 1>{}); break;
    case 2: launch(std::integral_constant<int, 2>{}); break;
    case 3: launch(std::integral_constant<int, 3>{}); break;
    case 4: launch(std::integral_constant<int, 4>{}); break;
    default: throw std::logic_error("spectral pass: more energy symbols than kMaxEnergies");
  }
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_gather_modes(const Complex<Real>* spectrum, int count, const Index* indices,
                         StepScalars* out, cudaStream_t stream) {
  if (count == 0) return;
  gather_modes_kernel<<<1, kMaxModes, 0, stream>>>(spectrum, count, indices, out);
  WGF_CUDA_CHECK(cudaGetLastError());
}

template <class Real>
void launch_gather_patch(int dim, Index n, const Real* field, Index peak, double* patch,
                         cudaStream_t stream) {
  gather_patch_kernel<<<1, 128, 0, stream>>>(dim, n, field, peak, patch);
  WGF_CUDA_CHECK(cudaGetLastError());
}

void launch_finalize(const FinalizeJob& job, StepScalars* out, cudaStream_t stream) {
  finalize_kernel<<<1, kBlockThreads, 0, stream>>>(job, out);
  WGF_CUDA_CHECK(cudaGetLastError());
}

#define WGF_INSTANTIATE(Real)                                                                     \
  template void launch_rate_sweep<Real>(const Geometry<Real>&, const SweepShape&, int,           \
                                        const SweepSpecies<Real>*, Real* const*, double*,        \
                                        FieldSummary* const*, cudaStream_t);                     \
  template void launch_stage_sweep<Real>(const Geometry<Real>&, const SweepShape&, int,          \
                                         const SweepSpecies<Real>*, Real,                        \
                                         const StageParams<Real>&, double*, cudaStream_t);       \
  template void launch_form_difference<Real>(Index, const Real*, const Real*, const Real*,       \
                                             const Real*, Real, Real*, cudaStream_t);            \
  template void launch_summarise_field<Real>(Index, const Real*, Index, FieldSummary*,           \
                                             cudaStream_t);                                      \
  template void launch_spectral_pass<Real>(Index, Index, Complex<Real>*, Complex<Real>*,         \
                                           const Real*, const Real*, bool, int,                  \
                                           const Real* const*, Index, double*, cudaStream_t);    \
  template void launch_gather_modes<Real>(const Complex<Real>*, int, const Index*, StepScalars*, \
                                          cudaStream_t);                                         \
  template void launch_gather_patch<Real>(int, Index, const Real*, Index, double*, cudaStream_t);

WGF_INSTANTIATE(double)
WGF_INSTANTIATE(float)

}  // namespace wgf::cuda_solver
