#include "wgf/trainer/dense_product.hpp"

#include <cstddef>

// The baseline copy: the same instruction set and the same Eigen as the rest of the libraries.
#define WGF_PRODUCT_NAMESPACE product_baseline
#include "dense_product_kernels.inl"
#undef WGF_PRODUCT_NAMESPACE

namespace wgf {

namespace product_avx2_fma {  // dense_product_avx2.cpp
template <typename Scalar>
void dense_product(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const Scalar* a,
                   std::ptrdiff_t lda, bool transpose_a, const Scalar* b, std::ptrdiff_t ldb,
                   bool transpose_b, Scalar* c, std::ptrdiff_t ldc);
}
namespace product_avx512 {  // dense_product_avx512.cpp
template <typename Scalar>
void dense_product(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const Scalar* a,
                   std::ptrdiff_t lda, bool transpose_a, const Scalar* b, std::ptrdiff_t ldb,
                   bool transpose_b, Scalar* c, std::ptrdiff_t ldc);
}

ProductIsa forced_product_isa = ProductIsa::automatic;

bool cpu_supports(ProductIsa isa) {
  static const bool avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  static const bool avx512 = avx2_fma && __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512vl");
  if (isa == ProductIsa::avx2_fma) return avx2_fma;
  if (isa == ProductIsa::avx512) return avx512;
  return true;
}

ProductIsa product_isa() {
  if (forced_product_isa != ProductIsa::automatic && cpu_supports(forced_product_isa))
    return forced_product_isa;
  // AVX-512 only when asked: see dense_product_avx512.cpp.
  return cpu_supports(ProductIsa::avx2_fma) ? ProductIsa::avx2_fma : ProductIsa::baseline;
}

const char* product_isa_name(ProductIsa isa) {
  switch (isa) {
    case ProductIsa::automatic: return "automatic";
    case ProductIsa::baseline: return "baseline (x86-64-v2)";
    case ProductIsa::avx2_fma: return "avx2+fma";
    case ProductIsa::avx512: return "avx512";
  }
  return "?";
}

template <typename Scalar>
void dense_product(Eigen::Index m, Eigen::Index n, Eigen::Index k, const Scalar* a,
                   Eigen::Index lda, bool transpose_a, const Scalar* b, Eigen::Index ldb,
                   bool transpose_b, Scalar* c, Eigen::Index ldc) {
  const ProductIsa isa = product_isa();
  if (isa == ProductIsa::avx2_fma)
    product_avx2_fma::dense_product(m, n, k, a, lda, transpose_a, b, ldb, transpose_b, c, ldc);
  else if (isa == ProductIsa::avx512)
    product_avx512::dense_product(m, n, k, a, lda, transpose_a, b, ldb, transpose_b, c, ldc);
  else
    product_baseline::dense_product(m, n, k, a, lda, transpose_a, b, ldb, transpose_b, c, ldc);
}

template void dense_product<float>(Eigen::Index, Eigen::Index, Eigen::Index, const float*,
                                   Eigen::Index, bool, const float*, Eigen::Index, bool, float*,
                                   Eigen::Index);
template void dense_product<double>(Eigen::Index, Eigen::Index, Eigen::Index, const double*,
                                    Eigen::Index, bool, const double*, Eigen::Index, bool,
                                    double*, Eigen::Index);

}  // namespace wgf
