#include "device_mlp.hpp"

#include <stdexcept>

#include "cuda_handles.hpp"
#include "row_major_gemm.hpp"
#include "trainer_kernels.hpp"

namespace wgf::cuda_trainer {

namespace {

// C = op(A) op(B) in fp32 on the plan's stream (β = 0: C is overwritten).
void gemm(cublasHandle_t blas, const GemmShape& g, const float* a, const float* b, float* c) {
  const float one = 1.0f, zero = 0.0f;
  WGF_CUBLAS_CHECK(cublasSgemm(blas, g.transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                               g.transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N, g.m, g.n, g.k, &one, a,
                               g.lda, b, g.ldb, &zero, c, g.ldc));
}

}  // namespace

ActivationCode activation_code(const Activation& f) {
  ActivationCode code;
  code.slope = static_cast<float>(f.slope);
  switch (f.kind) {
    case Activation::Kind::identity: code.kind = ActivationCode::identity; break;
    case Activation::Kind::relu: code.kind = ActivationCode::relu; break;
    case Activation::Kind::leaky_relu: code.kind = ActivationCode::leaky_relu; break;
    case Activation::Kind::tanh: code.kind = ActivationCode::tanh; break;
    case Activation::Kind::softplus: code.kind = ActivationCode::softplus; break;
    case Activation::Kind::sigmoid: code.kind = ActivationCode::sigmoid; break;
  }
  return code;
}

DeviceMlp::DeviceMlp(const MlpShape& shape, long max_rows, cublasHandle_t blas,
                     cudaStream_t stream)
    : shape_(shape), max_rows_(max_rows), blas_(blas), stream_(stream) {
  shape_.validate("network");
  for (int l = 0; l < shape_.layers(); ++l) {
    activations_.push_back(activation_code(shape_.activation_of(l)));
    pre_.emplace_back(static_cast<std::size_t>(max_rows_) * shape_.fan_out(l));
    post_.emplace_back(static_cast<std::size_t>(max_rows_) * shape_.fan_out(l));
  }
  delta_ = device::DeviceArray<float>(static_cast<std::size_t>(max_rows_) * shape_.widest());
  delta_next_ = device::DeviceArray<float>(static_cast<std::size_t>(max_rows_) * shape_.widest());
}

const float* DeviceMlp::forward(const float* parameters, const float* input, long rows) {
  if (rows > max_rows_) throw std::logic_error("DeviceMlp::forward: more rows than planned");
  forwarded_rows_ = rows;
  input_ = input;
  const float* previous = input;
  for (int l = 0; l < shape_.layers(); ++l) {
    const int in = shape_.fan_in(l), out = shape_.fan_out(l);
    gemm(blas_, forward_gemm(static_cast<int>(rows), in, out), parameters + shape_.weight_offset(l),
         previous, pre_[l].get());
    launch_bias_activation(pre_[l].get(), post_[l].get(), parameters + shape_.bias_offset(l), rows,
                           out, activations_[l], stream_);
    previous = post_[l].get();
  }
  return previous;
}

void DeviceMlp::backward(const float* parameters, const float* output_grad, long rows,
                         float* parameter_grad, float* input_grad) {
  if (rows > forwarded_rows_) throw std::logic_error("DeviceMlp::backward: more rows than forwarded");
  const int last = shape_.layers() - 1, n = static_cast<int>(rows);
  WGF_CUDA_CHECK(cudaMemcpyAsync(delta_.get(), output_grad,
                                 sizeof(float) * static_cast<std::size_t>(rows) * shape_.outputs,
                                 cudaMemcpyDeviceToDevice, stream_));
  launch_activation_backward(delta_.get(), pre_[last].get(), post_[last].get(),
                             rows * shape_.outputs, activations_[last], stream_);
  for (int l = last; l >= 0; --l) {
    const int in = shape_.fan_in(l), out = shape_.fan_out(l);
    const float* delta = delta_.get();
    const float* x = l == 0 ? input_ : post_[l - 1].get();
    const float* w = parameters + shape_.weight_offset(l);
    if (parameter_grad) {
      gemm(blas_, weight_gradient_gemm(n, in, out), delta, x,
           parameter_grad + shape_.weight_offset(l));
      launch_column_sums(delta, rows, out, parameter_grad + shape_.bias_offset(l), stream_);
    }
    if (l == 0 && !input_grad) break;
    float* target = l == 0 ? input_grad : delta_next_.get();
    gemm(blas_, input_gradient_gemm(n, in, out), w, delta, target);
    if (l == 0) break;
    launch_activation_backward(target, pre_[l - 1].get(), post_[l - 1].get(), rows * in,
                               activations_[l - 1], stream_);
    delta_.swap(delta_next_);
  }
}

}  // namespace wgf::cuda_trainer
