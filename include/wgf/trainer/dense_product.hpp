#pragma once
// The trainer's dense matrix products, C = op(A) · op(B) on row-major buffers, with the copy
// of Eigen's GEMM that suits the CPU chosen at run time.
//
// Why: the build targets x86-64-v2 (SSE4.2) so that its binaries run on any x86-64 machine
// of the last decade, and the MLPs' products are most of a training step. Eigen picks its
// vector width at compile time, so the products are compiled twice — for that baseline and
// for AVX2 + FMA (dense_product_avx2.cpp, with its own private copy of Eigen's templates so the
// two never merge at link time) — and product_isa() takes the AVX2 copy where the CPU has it.
// The copies round differently (FMA), so runs are reproducible per instruction set and thread
// count; tests hold every copy the CPU supports to a naive product with a stated tolerance.
// No copy threads internally: the callers cut their rows into slabs (row_slabs.hpp).
#include <Eigen/Core>

namespace wgf {

// avx512 is never chosen automatically (dense_product_avx512.cpp says why).
enum class ProductIsa { automatic, baseline, avx2_fma, avx512 };

// Tests and benchmarks set this to run a given copy (when the CPU supports it); automatic
// takes the fastest one the CPU has.
extern ProductIsa forced_product_isa;

bool cpu_supports(ProductIsa isa);
ProductIsa product_isa();  // the copy products run on now
const char* product_isa_name(ProductIsa isa);

// c (m × n, row stride ldc) = op(a) · op(b), op(a) m × k and op(b) k × n. a is stored m × k
// (row stride lda), or k × m when transpose_a; b is stored k × n (ldb), or n × k when
// transpose_b. c must not overlap a or b.
template <typename Scalar>
void dense_product(Eigen::Index m, Eigen::Index n, Eigen::Index k, const Scalar* a,
                   Eigen::Index lda, bool transpose_a, const Scalar* b, Eigen::Index ldb,
                   bool transpose_b, Scalar* c, Eigen::Index ldc);

extern template void dense_product<float>(Eigen::Index, Eigen::Index, Eigen::Index, const float*,
                                          Eigen::Index, bool, const float*, Eigen::Index, bool,
                                          float*, Eigen::Index);
extern template void dense_product<double>(Eigen::Index, Eigen::Index, Eigen::Index,
                                           const double*, Eigen::Index, bool, const double*,
                                           Eigen::Index, bool, double*, Eigen::Index);

}  // namespace wgf
