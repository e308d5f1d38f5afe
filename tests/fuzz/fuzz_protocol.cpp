// Fuzzes wgf::Protocol::parse (include/wgf/protocol.hpp): study protocol files of `key = value`
// lines, `#` comments, with `name` and `version` required (experiments/protocols/*.txt).
// An accepted protocol is then read through every typed accessor (string, number, integer,
// numbers, integers, strings) on the keys name, version, a, b and seeds, and allow_only and
// require_name are called.
// Findings: any exception other than wgf::InputError, a sanitizer report, or a broken documented
// invariant: version() >= 1, label() is NAME-vVERSION, text() is the input.
#include "fuzz_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = wgf_fuzz::text_of(data, size);
  wgf::Protocol protocol;
  try {
    protocol = wgf::Protocol::parse(text, "fuzz.txt");
  } catch (const wgf::InputError&) {
    return 0;
  }
  wgf_fuzz::require(protocol.version() >= 1, "accepted version < 1", text);
  wgf_fuzz::require(protocol.label() == protocol.name() + "-v" + std::to_string(protocol.version()),
                    "label() is not NAME-vVERSION", text);
  wgf_fuzz::require(protocol.text() == text, "text() differs from the input", text);
  for (const char* key : {"name", "version", "a", "b", "seeds"}) {
    auto attempt = [&](auto&& read) {
      try {
        read();
      } catch (const wgf::InputError&) {
      }
    };
    attempt([&] { (void)protocol.string(key); });
    attempt([&] { (void)protocol.number(key); });
    attempt([&] { (void)protocol.integer(key); });
    attempt([&] { (void)protocol.numbers(key); });
    attempt([&] { (void)protocol.integers(key); });
    attempt([&] { (void)protocol.strings(key); });
  }
  try {
    protocol.allow_only({"a", "b"});
  } catch (const wgf::InputError&) {
  }
  try {
    protocol.require_name("growth");
  } catch (const wgf::InputError&) {
  }
  return 0;
}
