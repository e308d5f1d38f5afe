#include "wgf/trainer/gan_backend.hpp"

#include "wgf/cuda_devices.hpp"
#include "wgf/errors.hpp"
#include "wgf/trainer/cpu_gan_backend.hpp"

namespace wgf {

void check_gan_device(const std::string& device) {
  if (device == "cpu") return;
  if (device != "cuda")
    throw InputError("--device '" + device + "': use cpu or cuda");
  const CudaDevices cuda = query_cuda_devices();
  if (!cuda.compiled)
    throw InputError("--device cuda: this build has no CUDA support (built without nvcc, or with "
                     "WGF_ENABLE_CUDA=OFF) and no CUDA trainer backend yet; use --device cpu");
  if (cuda.devices.empty())
    throw InputError("--device cuda: no GPU (" + cuda.note + "); use --device cpu");
  // The CUDA backend plugs in here (make_gan_backend below) once it exists.
  throw InputError("--device cuda: this build has no CUDA trainer backend yet (GPU seen: " +
                   cuda.devices.front() + "); use --device cpu");
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
  return std::make_unique<CpuGanBackend>(setup);
}

}  // namespace wgf
