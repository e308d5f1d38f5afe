#include "wgf/trainer/gan_backend.hpp"

#include "wgf/errors.hpp"
#include "wgf/trainer/cpu_gan_backend.hpp"
#include "wgf/trainer/cuda_gan_backend.hpp"

namespace wgf {

void check_gan_device(const std::string& device) {
  if (device == "cpu") return;
  if (device != "cuda")
    throw InputError("--device '" + device + "': use cpu or cuda");
  std::string why;
  if (!cuda_gan_backend_available(&why))
    throw InputError("--device cuda: " + why + "; use --device cpu");
}

bool gan_backend_available(const std::string& device, std::string* why) {
  try {
    check_gan_device(device);
    return true;
  } catch (const InputError& e) {
    if (why) *why = e.what();
    return false;
  }
}

std::unique_ptr<GanBackend> make_gan_backend(const std::string& device, const GanSetup& setup) {
  check_gan_device(device);
  if (device == "cuda") return make_cuda_gan_backend(setup);
  return std::make_unique<CpuGanBackend>(setup);
}

}  // namespace wgf
