#pragma once
// Small files written whole (summary.md, .npy, .png, .xdmf): to PATH.tmp-PID, then renamed into
// place, so that a reader never sees half a file.
#include <filesystem>
#include <string>

namespace wgf {

// A failed write (a full disk) removes the temporary file and throws std::runtime_error naming
// PATH and the system's reason (exit 1).
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace wgf
