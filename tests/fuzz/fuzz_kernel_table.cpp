// Fuzzes the text reader of `table:file=PATH` kernels, wgf::TabulatedKernel::load
// (include/wgf/tabulated_kernel.hpp): the input bytes are written to a temporary file
// wgf-fuzz-table-PID.csv, rewritten for every input, in $WGF_FUZZ_TMPDIR when set (run_fuzz.sh
// points it at its work folder, which it removes), else in /dev/shm where writable (a memory file
// system, about 100 times faster than the disk here), else in the temporary directory; and loaded
// as a
// table of two columns r, e (comma or blank separated, one header line, '#' comments).
// Inputs that carry the HDF5 signature (at offset 0, 512, 1024 or 2048) are skipped: they
// would go to the HDF5 library's reader, which is not this project's code.
// Findings: any exception other than wgf::InputError, a sanitizer report, or an accepted table
// that breaks its documented contract: at least 8 rows, spec() == "table:file=PATH",
// r_max() finite and >= 0, max_reliable_xi() > 0; check_dimension(d) for d = 1, 2, 3 returns
// or throws InputError, and where it returns, transform(xi, d) at xi = max_reliable_xi() (the
// largest xi the commands ask for; the cost grows with xi) and value(0) are computed; a transform
// slower than libFuzzer's -timeout (run_fuzz.sh: 10 s) is a finding (a hang).
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fuzz_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/tabulated_kernel.hpp"

namespace {

const std::string& table_path() {
  static const std::string path = [] {
    const char* chosen = std::getenv("WGF_FUZZ_TMPDIR");
    const std::string dir = chosen && *chosen                  ? std::string(chosen)
                            : ::access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm")
                                                              : std::filesystem::temp_directory_path().string();
    std::string p = dir + "/wgf-fuzz-table-" + std::to_string(::getpid()) + ".csv";
    return p;
  }();
  return path;
}

bool has_hdf5_signature(const std::uint8_t* data, std::size_t size) {
  static const char signature[] = "\x89HDF\r\n\x1a\n";
  for (std::size_t offset : {0, 512, 1024, 2048})
    if (size >= offset + 8 && std::memcmp(data + offset, signature, 8) == 0) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (has_hdf5_signature(data, size)) return 0;
  const std::string text = wgf_fuzz::text_of(data, size);
  const std::string& path = table_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) wgf_fuzz::fail("cannot write " + path, "");
  }
  std::shared_ptr<const wgf::TabulatedKernel> table;
  try {
    table = wgf::TabulatedKernel::load(path);
  } catch (const wgf::InputError&) {
    return 0;
  }
  wgf_fuzz::require(table->rows() >= 8, "accepted a table of fewer than 8 rows", text);
  wgf_fuzz::require(table->spec() == "table:file=" + path, "spec() is not table:file=PATH", text);
  wgf_fuzz::require(std::isfinite(table->r_max()) && table->r_max() >= 0, "r_max not finite", text);
  wgf_fuzz::require(table->max_reliable_xi() > 0, "max_reliable_xi() <= 0", text);
  (void)table->value(0.0);
  for (int dim = 1; dim <= 3; ++dim) {
    try {
      table->check_dimension(dim);
    } catch (const wgf::InputError&) {
      continue;
    }
    (void)table->transform(table->max_reliable_xi(), dim);
  }
  return 0;
}
