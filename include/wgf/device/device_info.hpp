#pragma once
// A CUDA device as the solver and the trainer use it: what it is, how many threads it keeps resident (for the
// launch shapes) and its peak DRAM bandwidth (for the benchmark's fraction of peak).
#include <optional>
#include <string>

namespace wgf::device {

struct DeviceInfo {
  int id = 0;
  std::string name;
  int major = 0, minor = 0;
  int sm_count = 0, max_threads_per_sm = 0;
  double memory_clock_khz = 0, bus_width_bits = 0;
  double total_memory_gib = 0;

  long long resident_threads() const {
    return static_cast<long long>(sm_count) * max_threads_per_sm;
  }
  // Double data rate: two transfers per memory clock over the whole bus.
  double peak_bandwidth_gbs() const {
    return 2.0 * memory_clock_khz * 1e3 * (bus_width_bits / 8.0) / 1e9;
  }
  std::string describe() const;

  // The device, or nothing with `why` saying why not (no driver, no device, context failure).
  static std::optional<DeviceInfo> query(int id, std::string* why);
};

}  // namespace wgf::device
