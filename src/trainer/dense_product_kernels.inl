// One copy of the trainer's products (dense_product.hpp), included with WGF_PRODUCT_NAMESPACE
// set: by dense_product.cpp for the baseline instruction set, by dense_product_avx2.cpp for
// AVX2 + FMA. Only raw pointers cross its boundary, so a copy may rename Eigen's namespace.
#include <Eigen/Core>
#include <cstddef>

namespace wgf::WGF_PRODUCT_NAMESPACE {

template <typename Scalar>
void dense_product(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const Scalar* a,
                   std::ptrdiff_t lda, bool transpose_a, const Scalar* b, std::ptrdiff_t ldb,
                   bool transpose_b, Scalar* c, std::ptrdiff_t ldc) {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Stride = Eigen::OuterStride<>;
  using ConstMap = Eigen::Map<const Matrix, Eigen::Unaligned, Stride>;
  Eigen::Map<Matrix, Eigen::Unaligned, Stride> product(c, m, n, Stride(ldc));
  // A transposed operand is a column-major view of the same storage: Eigen's GEMM packs
  // either layout, so no operand is copied.
  if (!transpose_a && !transpose_b)
    product.noalias() = ConstMap(a, m, k, Stride(lda)) * ConstMap(b, k, n, Stride(ldb));
  else if (transpose_a && !transpose_b)
    product.noalias() = ConstMap(a, k, m, Stride(lda)).transpose() * ConstMap(b, k, n, Stride(ldb));
  else if (!transpose_a && transpose_b)
    product.noalias() = ConstMap(a, m, k, Stride(lda)) * ConstMap(b, n, k, Stride(ldb)).transpose();
  else
    product.noalias() =
        ConstMap(a, k, m, Stride(lda)).transpose() * ConstMap(b, n, k, Stride(ldb)).transpose();
}

template void dense_product<float>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, const float*,
                                   std::ptrdiff_t, bool, const float*, std::ptrdiff_t, bool,
                                   float*, std::ptrdiff_t);
template void dense_product<double>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                    const double*, std::ptrdiff_t, bool, const double*,
                                    std::ptrdiff_t, bool, double*, std::ptrdiff_t);

}  // namespace wgf::WGF_PRODUCT_NAMESPACE
