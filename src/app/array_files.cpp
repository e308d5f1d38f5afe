#include "array_files.hpp"

#include <zlib.h>

#include <bit>
#include <stdexcept>
#include <string>

#include "wgf/text_file.hpp"

namespace wgf::cli {

namespace {

void append_u32_big_endian(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// One PNG chunk: length, type, data, and the CRC-32 of type and data.
void append_chunk(std::string& out, const char type[4], const std::string& data) {
  append_u32_big_endian(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t typed = out.size();
  out.append(type, 4);
  out.append(data);
  const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data() + typed),
                         static_cast<uInt>(out.size() - typed));
  append_u32_big_endian(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

void write_npy(const std::filesystem::path& path, const std::vector<double>& values,
               const std::vector<long>& shape) {
  static_assert(std::endian::native == std::endian::little, "the .npy header says '<f8'");
  // The shape as Python writes a tuple: (3,) for one axis, (3, 4) for two.
  std::size_t size = 1;
  std::string dims;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    size *= static_cast<std::size_t>(shape[axis]);
    if (axis > 0) dims += ", ";
    dims += std::to_string(shape[axis]);
  }
  if (shape.size() == 1) dims += ",";
  if (values.size() != size) throw std::logic_error("write_npy: shape and size differ");
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Format 1.0: magic, version, a 2-byte header length; the header padded with spaces and
  // ended by a newline so that the data start at a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes.push_back(static_cast<char>(header.size() & 0xFF));
  bytes.push_back(static_cast<char>(header.size() >> 8));
  bytes.append(header);
  bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
  write_file_atomically(path, bytes);
}

void write_png(const std::filesystem::path& path, const GrayImage& image) {
  if (image.width < 1 || image.height < 1 ||
      image.pixels.size() != static_cast<std::size_t>(image.width * image.height))
    throw std::logic_error("write_png: shape and size differ");
  // Each scanline: filter type 0 (none), then the row's bytes.
  std::string raw;
  raw.reserve(static_cast<std::size_t>((image.width + 1) * image.height));
  for (long y = 0; y < image.height; ++y) {
    raw.push_back('\0');
    raw.append(reinterpret_cast<const char*>(image.pixels.data() + y * image.width),
               static_cast<std::size_t>(image.width));
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9) != Z_OK)
    throw std::runtime_error("cannot write " + path.string() + ": zlib's compression failed");
  packed.resize(packed_size);

  std::string header;
  append_u32_big_endian(header, static_cast<std::uint32_t>(image.width));
  append_u32_big_endian(header, static_cast<std::uint32_t>(image.height));
  header.append(std::string("\x08\x00\x00\x00\x00", 5));  // 8-bit depth, grayscale, deflate, no filter variants, no interlace
  std::string bytes("\x89PNG\r\n\x1a\n", 8);
  append_chunk(bytes, "IHDR", header);
  append_chunk(bytes, "IDAT", packed);
  append_chunk(bytes, "IEND", "");
  write_file_atomically(path, bytes);
}

}  // namespace wgf::cli
