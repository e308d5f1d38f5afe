#pragma once
// The three products of an MLP layer on row-major data, as arguments of a column-major GEMM
// (cuBLAS): C = op(A) op(B) with C m × n, op(A) m × k, op(B) k × n, leading dimensions lda,
// ldb, ldc. A row-major r × c matrix is the column-major c × r matrix of its transpose, so each
// row-major product P = Q R is computed as Pᵀ = Rᵀ Qᵀ: the operands swap places and every
// storage is used as it lies. Plain data, so that tests/test_trainer_cuda_reference.cpp can run
// these very argument sets through a naive column-major GEMM against row-major loops.
namespace wgf::cuda_trainer {

struct GemmShape {
  bool transpose_a, transpose_b;
  int m, n, k;
  int lda, ldb, ldc;
};

// Z (rows × out) = X (rows × in) W (in × out):  Zᵀ = Wᵀ Xᵀ;  A = W, B = X, C = Z.
inline GemmShape forward_gemm(int rows, int in, int out) {
  return {false, false, out, rows, in, out, in, out};
}

// dW (in × out) = Xᵀ δ (δ rows × out):  dWᵀ = δᵀ X;  A = δ, B = X (transposed), C = dW.
inline GemmShape weight_gradient_gemm(int rows, int in, int out) {
  return {false, true, out, in, rows, out, in, out};
}

// dX (rows × in) = δ Wᵀ:  dXᵀ = W δᵀ;  A = W (transposed), B = δ, C = dX.
inline GemmShape input_gradient_gemm(int rows, int in, int out) {
  return {true, false, in, rows, out, out, out, in};
}

}  // namespace wgf::cuda_trainer
