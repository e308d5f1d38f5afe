#include "wgf/device/device_info.hpp"

#include "wgf/device/cuda_devices.hpp"

#include <cuda_runtime.h>

#include <cstdio>

namespace wgf::device {

std::string DeviceInfo::describe() const {
  char text[256];
  std::snprintf(text, sizeof text, "%s (sm_%d%d, %d SMs, %.1f GiB, %.0f GB/s peak)", name.c_str(),
                major, minor, sm_count, total_memory_gib, peak_bandwidth_gbs());
  return text;
}

std::optional<DeviceInfo> DeviceInfo::query(int id, std::string* why) {
  auto fail = [&](const std::string& reason) -> std::optional<DeviceInfo> {
    if (why) *why = reason;
    return std::nullopt;
  };
  int count = 0;
  cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess)
    return fail(std::string("no usable CUDA device (") + cudaGetErrorString(status) + ")");
  if (count <= id) return fail("no CUDA device found");
  cudaDeviceProp prop{};
  status = cudaGetDeviceProperties(&prop, id);
  if (status != cudaSuccess)
    return fail(std::string("no usable CUDA device (") + cudaGetErrorString(status) + ")");
  DeviceInfo info;
  info.id = id;
  info.name = prop.name;
  info.major = prop.major;
  info.minor = prop.minor;
  info.sm_count = prop.multiProcessorCount;
  info.max_threads_per_sm = prop.maxThreadsPerMultiProcessor;
  info.total_memory_gib = static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0);
  int clock_khz = 0, bus_bits = 0;
  // Only the peak-bandwidth estimate uses these: a failed query leaves 0 (unknown), and its
  // error is cleared so that it is not reported by the next unrelated check.
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, id) != cudaSuccess) {
    clock_khz = 0;
    cudaGetLastError();
  }
  if (cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, id) != cudaSuccess) {
    bus_bits = 0;
    cudaGetLastError();
  }
  info.memory_clock_khz = clock_khz;
  info.bus_width_bits = bus_bits;
  // A context must come up (a driver too old for this runtime fails here, not mid-run).
  status = cudaSetDevice(id);
  if (status == cudaSuccess) status = cudaFree(nullptr);
  if (status != cudaSuccess)
    return fail(std::string("no usable CUDA device (") + cudaGetErrorString(status) + ")");
  if (why) why->clear();
  return info;
}

}  // namespace wgf::device

namespace wgf {

// The listing of `wgf info` and the studies' run headers: every visible device described the way
// the solver and the trainer describe the one they run on.
CudaDevices query_cuda_devices() {
  CudaDevices result;
  result.compiled = true;
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) count = 0;
  std::string why;
  for (int id = 0; id < count; ++id)
    if (const auto info = device::DeviceInfo::query(id, &why)) result.devices.push_back(info->describe());
  if (result.devices.empty()) {
    if (why.empty()) device::DeviceInfo::query(0, &why);
    result.note = why;
  }
  return result;
}

}  // namespace wgf
