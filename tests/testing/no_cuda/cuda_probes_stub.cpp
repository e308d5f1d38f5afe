// The CUDA probes in a build without CUDA: each throws the InputError of `--device cuda` (the
// CUDA test cases skip before calling them when no device is usable).
#include "cuda_solver_probe.hpp"
#include "cuda_trainer_probe.hpp"
#include "wgf/errors.hpp"

namespace wgf {

namespace {
constexpr const char* kNoCuda =
    "this build has no CUDA support (configured without nvcc or with -DWGF_ENABLE_CUDA=OFF)";
}

namespace cuda_probe {
SweepResult device_sweep(const Grid&, Precision, int, const Species*, const Stage*, long long) {
  throw InputError(std::string("--device cuda: ") + kNoCuda);
}
}  // namespace cuda_probe

namespace cuda_trainer_probe {
double pairwise_loss(const PairKernel&, Estimator, const float*, long, const float*, long, int,
                     float*, float*, const PairKernel*, int) {
  throw InputError(std::string("--device cuda: ") + kNoCuda);
}
std::vector<float> mlp_forward_backward(const MlpShape&, const float*, const float*, long,
                                        const float*, float*, float*) {
  throw InputError(std::string("--device cuda: ") + kNoCuda);
}
}  // namespace cuda_trainer_probe

}  // namespace wgf
