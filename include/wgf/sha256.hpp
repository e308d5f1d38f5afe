#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: the fingerprint a study
// writes beside the text of the protocol it ran under, so that a result names its rules exactly.
#include <string>
#include <string_view>

namespace wgf {

std::string sha256_hex(std::string_view bytes);

}  // namespace wgf
