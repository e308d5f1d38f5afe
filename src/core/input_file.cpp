#include "wgf/input_file.hpp"

#include <filesystem>
#include <fstream>

#include "wgf/errors.hpp"

namespace wgf {

void check_input_file(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError(what + ": no such file");
  if (fs::is_directory(status)) throw InputError(what + ": is a folder, not a file");
  if (!fs::is_regular_file(status))
    throw InputError(what + ": is not a regular file (a device, FIFO or socket cannot be read "
                            "as input)");
  if (std::ifstream(path, std::ios::binary).fail())
    throw InputError(what + ": cannot be read (check its permissions)");
}

}  // namespace wgf
