#pragma once
// Error kinds that decide the exit code: bad input from the user (exit 2) versus any other
// failure (exit 1). Every message names the option or spec part at fault and what is allowed.
#include <stdexcept>
#include <string>

namespace wgf {

// Invalid input or usage: an unknown kernel, a malformed spec, a negative size, an unreadable or
// foreign file, an output that exists without --force. The CLI maps it to exit code 2.
class InputError : public std::runtime_error {
public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace wgf
