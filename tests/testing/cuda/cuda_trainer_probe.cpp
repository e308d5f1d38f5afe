// tests/testing/cuda_trainer_probe.hpp on the device: the CUDA trainer's pieces alone on host data.
#include "cuda_trainer_probe.hpp"

#include <cuda_runtime.h>

#include "cuda_handles.hpp"
#include "device_mlp.hpp"
#include <optional>

#include "device_pairwise_loss.hpp"
#include "wgf/device/device_memory.hpp"

namespace wgf {

namespace cuda_trainer_probe {

double pairwise_loss(const PairKernel& kernel, Estimator estimator, const float* fake, long n,
                     const float* real, long m, int dim, float* fake_grad, float* real_grad,
                     const PairKernel* later_kernel, int later_dim) {
  using namespace cuda_trainer;
  const device::DeviceInfo device = usable_device();
  WGF_CUDA_CHECK(cudaSetDevice(device.id));
  const Stream stream = make_stream();
  const std::size_t fake_count = static_cast<std::size_t>(n) * dim;
  const std::size_t real_count = static_cast<std::size_t>(m) * dim;
  device::DeviceArray<float> features(fake_count + real_count), gradient(fake_count + real_count);
  device::DeviceArray<double> loss(1);
  DevicePairwiseLoss plan(kernel, estimator, n, m, dim, 2L * device.sm_count);
  std::optional<DevicePairwiseLoss> later;
  if (later_kernel) later.emplace(*later_kernel, estimator, n, m, later_dim, 2L * device.sm_count);
  WGF_CUDA_CHECK(cudaMemcpyAsync(features.get(), fake, fake_count * sizeof(float),
                                 cudaMemcpyHostToDevice, stream.get()));
  WGF_CUDA_CHECK(cudaMemcpyAsync(features.get() + fake_count, real, real_count * sizeof(float),
                                 cudaMemcpyHostToDevice, stream.get()));
  plan.evaluate(features.get(), n + m, 4.0f, gradient.get(), loss.get(), stream.get());
  double value = 0;
  WGF_CUDA_CHECK(cudaMemcpyAsync(&value, loss.get(), sizeof(double), cudaMemcpyDeviceToHost,
                                 stream.get()));
  WGF_CUDA_CHECK(cudaMemcpyAsync(fake_grad, gradient.get(), fake_count * sizeof(float),
                                 cudaMemcpyDeviceToHost, stream.get()));
  WGF_CUDA_CHECK(cudaMemcpyAsync(real_grad, gradient.get() + fake_count, real_count * sizeof(float),
                                 cudaMemcpyDeviceToHost, stream.get()));
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
  return value;
}

std::vector<float> mlp_forward_backward(const MlpShape& shape, const float* parameters,
                                        const float* input, long rows, const float* output_grad,
                                        float* parameter_grad, float* input_grad) {
  using namespace cuda_trainer;
  const device::DeviceInfo device = usable_device();
  WGF_CUDA_CHECK(cudaSetDevice(device.id));
  const Stream stream = make_stream();
  device::DeviceArray<unsigned char> workspace(kBlasWorkspaceBytes);
  const BlasHandle blas = make_blas(stream.get(), workspace.get(), workspace.bytes());
  const std::size_t count = shape.parameter_count();
  const std::size_t in = static_cast<std::size_t>(rows) * shape.inputs;
  const std::size_t out = static_cast<std::size_t>(rows) * shape.outputs;
  device::DeviceArray<float> p(count), g(count), x(in), dx(in), dy(out);
  DeviceMlp net(shape, rows, blas.get(), stream.get());
  auto up = [&](float* to, const float* from, std::size_t n) {
    WGF_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(float), cudaMemcpyHostToDevice, stream.get()));
  };
  auto down = [&](float* to, const float* from, std::size_t n) {
    WGF_CUDA_CHECK(cudaMemcpyAsync(to, from, n * sizeof(float), cudaMemcpyDeviceToHost, stream.get()));
  };
  up(p.get(), parameters, count);
  up(x.get(), input, in);
  up(dy.get(), output_grad, out);
  std::vector<float> outputs(out);
  down(outputs.data(), net.forward(p.get(), x.get(), rows), out);
  net.backward(p.get(), dy.get(), rows, g.get(), dx.get());
  down(parameter_grad, g.get(), count);
  down(input_grad, dx.get(), in);
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
  return outputs;
}

}  // namespace cuda_trainer_probe

}  // namespace wgf
