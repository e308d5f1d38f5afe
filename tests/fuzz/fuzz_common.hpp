#pragma once
// Shared by the libFuzzer harnesses of tests/fuzz (built with -DWGF_FUZZ=ON, clang only).
// A harness feeds the input bytes to one parser. wgf::InputError is the documented rejection of
// bad input and is caught; any other exception escapes and aborts the run, and so does a broken
// invariant (fuzz_require) or anything AddressSanitizer / UndefinedBehaviorSanitizer reports:
// each of those is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wgf_fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A broken invariant: print it with the input and abort (libFuzzer saves the crashing input).
[[noreturn]] inline void fail(const std::string& what, const std::string& input) {
  std::fprintf(stderr, "wgf fuzz finding: %s\n  input: '%s'\n", what.c_str(), input.c_str());
  std::abort();
}

inline void require(bool condition, const std::string& what, const std::string& input) {
  if (!condition) fail(what, input);
}

}  // namespace wgf_fuzz
