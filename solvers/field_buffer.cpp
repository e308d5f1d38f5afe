#include "wgf/solvers/field_buffer.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include <sys/mman.h>

namespace wgf {

namespace {
constexpr std::size_t kPage = 4096;
constexpr std::size_t kStagger = 192;  // three cache lines; 21 distinct offsets per page
constexpr std::size_t kOffsets = kPage / kStagger;

std::atomic<std::size_t> next_slot{0};
}  // namespace

void advise_huge_pages(void* start, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  const auto first = (reinterpret_cast<std::uintptr_t>(start) + kHugePage - 1) / kHugePage * kHugePage;
  const auto last = (reinterpret_cast<std::uintptr_t>(start) + bytes) / kHugePage * kHugePage;
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)start;
  (void)bytes;
#endif
}

FieldBuffer::FieldBuffer(std::size_t count) : size_(count) {
  const std::size_t offset = (next_slot.fetch_add(1) % kOffsets) * kStagger;
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t bytes = (offset + count * sizeof(double) + kPage - 1) / kPage * kPage;
  const bool huge = bytes >= kHugePage;
  block_ = std::aligned_alloc(huge ? kHugePage : kPage, bytes > 0 ? bytes : kPage);
  if (!block_) throw std::bad_alloc();
  if (huge) advise_huge_pages(block_, bytes);
  data_ = reinterpret_cast<double*>(static_cast<char*>(block_) + offset);
  std::memset(data_, 0, count * sizeof(double));
}

FieldBuffer::~FieldBuffer() { std::free(block_); }

FieldBuffer::FieldBuffer(FieldBuffer&& other) noexcept
    : block_(std::exchange(other.block_, nullptr)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

FieldBuffer& FieldBuffer::operator=(FieldBuffer&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = std::exchange(other.block_, nullptr);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace wgf
