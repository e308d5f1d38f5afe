// The CUDA trainer backend in a build without CUDA: it reports itself unavailable, and asking
// for it is an input error (`wgf train --device cuda` exits 2 saying so).
#include "wgf/errors.hpp"
#include "wgf/trainer/cuda_gan_backend.hpp"

namespace wgf {

namespace {
constexpr const char* kNoCuda =
    "this build has no CUDA support (configured without nvcc or with -DWGF_ENABLE_CUDA=OFF)";
}

bool cuda_gan_backend_available(std::string* why) {
  if (why) *why = kNoCuda;
  return false;
}

std::unique_ptr<GanBackend> make_cuda_gan_backend(const GanSetup&) {
  throw InputError(std::string("--device cuda: ") + kNoCuda + "; use --device cpu");
}

}  // namespace wgf
