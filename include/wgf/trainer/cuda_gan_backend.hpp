#pragma once
// The CUDA backend of the GAN trainer (src/trainer/cuda/): all training state on the device —
// both networks' parameters, gradients and Adam moments, activations, the loss's scratch. Per
// step only the host batches go up (through pinned staging buffers owned by the backend, copied
// asynchronously on its stream); losses and parameters come back only when asked for.
// GEMMs are cuBLAS SGEMMs (fp32, no TF32: parity with the CPU reference), bias + activation,
// the bias gradient and Adam are the trainer's own kernels, and the pairwise loss with its
// gradient is one fused tiled kernel that never stores the B×B pair matrix.
//
// In a build without CUDA, src/trainer/no_cuda/cuda_gan_backend_stub.cpp reports it unavailable.
#include <memory>
#include <string>
#include <vector>

#include "wgf/trainer/gan_backend.hpp"

namespace wgf {

// Whether a CUDA trainer backend can be made in this process; `why` says why not.
bool cuda_gan_backend_available(std::string* why = nullptr);

// Throws InputError when no device is usable or the setup does not fit it.
std::unique_ptr<GanBackend> make_cuda_gan_backend(const GanSetup& setup);

}  // namespace wgf
