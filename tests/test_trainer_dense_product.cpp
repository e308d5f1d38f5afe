// The trainer's products (dense_product.hpp): every instruction-set copy the CPU supports,
// every transposition, against a naive triple loop in long double, with padded row strides
// (the padding must stay untouched).
//
// Tolerance: a length-k dot product in floating point with unit roundoff u has
// |computed − exact| ≤ k·u·Σ_l |a_il b_lj| (Higham, Accuracy and Stability, §3.1; with or
// without FMA, in any summation order), so each entry is held to that bound — loose enough for
// any blocking Eigen chooses, tight enough that a wrong operand, stride or transposition (an
// error of the size of the entries themselves) fails by orders of magnitude.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "wgf/trainer/dense_product.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

struct ForcedIsa {
  explicit ForcedIsa(ProductIsa isa) { forced_product_isa = isa; }
  ~ForcedIsa() { forced_product_isa = ProductIsa::automatic; }
};

template <typename Scalar>
void check_product(long m, long n, long k, bool ta, bool tb, Rng& rng) {
  const long pad = 3;
  // Stored shapes: a is m × k (k × m when transposed), b is k × n (n × k when transposed).
  const long a_rows = ta ? k : m, a_cols = ta ? m : k;
  const long b_rows = tb ? n : k, b_cols = tb ? k : n;
  const long lda = a_cols + pad, ldb = b_cols + pad, ldc = n + pad;
  std::vector<Scalar> a(a_rows * lda), b(b_rows * ldb);
  for (auto& v : a) v = static_cast<Scalar>(rng.normal());
  for (auto& v : b) v = static_cast<Scalar>(rng.normal());
  const Scalar sentinel = Scalar(12345);
  std::vector<Scalar> c(m * ldc, sentinel);
  dense_product<Scalar>(m, n, k, a.data(), lda, ta, b.data(), ldb, tb, c.data(), ldc);

  auto a_at = [&](long i, long l) { return ta ? a[l * lda + i] : a[i * lda + l]; };
  auto b_at = [&](long l, long j) { return tb ? b[j * ldb + l] : b[l * ldb + j]; };
  const long double u = std::numeric_limits<Scalar>::epsilon() / 2;
  double worst = 0;  // error over its bound
  long padding_changed = 0;
  for (long i = 0; i < m; ++i) {
    for (long j = 0; j < n; ++j) {
      long double exact = 0, magnitude = 0;
      for (long l = 0; l < k; ++l) {
        const long double term = static_cast<long double>(a_at(i, l)) * b_at(l, j);
        exact += term;
        magnitude += std::fabs(term);
      }
      const long double bound = k * u * magnitude + std::numeric_limits<Scalar>::min();
      worst = std::max(worst, static_cast<double>(std::fabs(c[i * ldc + j] - exact) / bound));
    }
    for (long j = n; j < ldc; ++j) padding_changed += c[i * ldc + j] != sentinel;
  }
  CAPTURE(m);
  CAPTURE(n);
  CAPTURE(k);
  CAPTURE(ta);
  CAPTURE(tb);
  CHECK(worst <= 1.0);
  CHECK(padding_changed == 0);
}

}  // namespace

TEST_CASE_TEMPLATE("dense_product: every copy and transposition against a naive product", Scalar,
                   float, double) {
  const long shapes[][3] = {{1, 1, 1}, {2, 5, 2}, {37, 19, 301}, {64, 256, 256}, {130, 16, 7}};
  for (ProductIsa isa : {ProductIsa::baseline, ProductIsa::avx2_fma, ProductIsa::avx512}) {
    if (!cpu_supports(isa)) {
      MESSAGE("this CPU has no " << product_isa_name(isa) << ": that copy is not checked here");
      continue;
    }
    ForcedIsa forced(isa);
    REQUIRE(product_isa() == isa);
    CAPTURE(product_isa_name(isa));
    Rng rng(11);
    for (const auto& s : shapes)
      for (bool ta : {false, true})
        for (bool tb : {false, true}) check_product<Scalar>(s[0], s[1], s[2], ta, tb, rng);
  }
}
