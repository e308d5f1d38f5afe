#pragma once
// An array of doubles for one grid field (a density, a stage, a rate, w, Φ), zero-filled, whose
// start is staggered within its 4 KiB page: each new buffer starts 192 bytes (three cache lines)
// further in than the previous one, cycling through 21 offsets.
//
// Why: grid sizes are mostly powers of two, so element i of every field, and of rows i ± 1 of a
// field, sit at the same address modulo 4 KiB. The finite-volume sweep streams about a dozen
// such rows at once; left at the same offset they all map to one L1 set (8 ways) and evict each
// other. Staggered, the rows of different fields use different sets. The values are untouched;
// only where they live changes.
#include <cstddef>
#include <span>

namespace wgf {

// Asks the kernel to back the whole 2 MiB pages inside [start, start + bytes) with huge pages
// (transparent huge pages in "madvise" mode), before the memory is first touched: a whole-grid
// array then needs a handful of TLB entries instead of thousands, which the strided passes of
// the transforms (a column block touches every row) feel. Only a hint; harmless where refused.
constexpr std::size_t kHugePage = std::size_t{2} << 20;
void advise_huge_pages(void* start, std::size_t bytes);

class FieldBuffer {
public:
  FieldBuffer() = default;
  explicit FieldBuffer(std::size_t count);
  ~FieldBuffer();
  FieldBuffer(FieldBuffer&& other) noexcept;
  FieldBuffer& operator=(FieldBuffer&& other) noexcept;
  FieldBuffer(const FieldBuffer&) = delete;
  FieldBuffer& operator=(const FieldBuffer&) = delete;

  double* data() { return data_; }
  const double* data() const { return data_; }
  std::size_t size() const { return size_; }
  double* begin() { return data_; }
  double* end() { return data_ + size_; }
  const double* begin() const { return data_; }
  const double* end() const { return data_ + size_; }
  operator std::span<double>() { return {data_, size_}; }
  operator std::span<const double>() const { return {data_, size_}; }

private:
  void* block_ = nullptr;  // the allocation (page-aligned)
  double* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace wgf
