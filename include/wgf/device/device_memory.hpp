#pragma once
// Owners of device and pinned host memory (plan once, allocate once: the solver makes all of
// them at construction and none in the time loop).
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "wgf/device/cuda_check.hpp"

namespace wgf::device {

template <class T>
class DeviceArray {
public:
  DeviceArray() = default;
  // Zero-filled, as the CPU backends' std::vector storage: no state, rate or parameter starts
  // from whatever the allocator left. The memset is finished before the constructor returns
  // (work on non-blocking streams is not ordered after the legacy stream it runs on); arrays
  // are made at set-up, never in a time loop.
  explicit DeviceArray(std::size_t count) : count_(count) {
    if (count == 0) return;
    WGF_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
    cudaError_t status = cudaMemset(data_, 0, count * sizeof(T));
    if (status == cudaSuccess) status = cudaStreamSynchronize(nullptr);
    if (status != cudaSuccess) {
      cudaFree(std::exchange(data_, nullptr));
      count_ = 0;
      WGF_CUDA_CHECK(status);
    }
  }
  ~DeviceArray() {
    if (data_) cudaFree(data_);
  }
  DeviceArray(DeviceArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  DeviceArray& operator=(DeviceArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;

  T* get() const { return data_; }
  std::size_t size() const { return count_; }
  std::size_t bytes() const { return count_ * sizeof(T); }
  void swap(DeviceArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
  }

private:
  T* data_ = nullptr;
  std::size_t count_ = 0;
};

template <class T>
class PinnedArray {
public:
  PinnedArray() = default;
  explicit PinnedArray(std::size_t count) : count_(count) {
    if (count > 0) WGF_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&data_), count * sizeof(T)));
  }
  ~PinnedArray() {
    if (data_) cudaFreeHost(data_);
  }
  PinnedArray(PinnedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  PinnedArray& operator=(PinnedArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }
  PinnedArray(const PinnedArray&) = delete;
  PinnedArray& operator=(const PinnedArray&) = delete;

  T* get() const { return data_; }
  T& operator[](std::size_t i) const { return data_[i]; }

private:
  T* data_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace wgf::device
