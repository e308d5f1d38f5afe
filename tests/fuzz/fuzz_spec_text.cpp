// Fuzzes the shared spec grammar of include/wgf/spec_text.hpp: wgf::parse_number on the whole
// input, and wgf::SpecText::parse (`NAME[:key=value[,key=value…]]`, a bare token continuing the
// previous value) with its typed accessors number, integer, integers, string and allow_only on
// the keys a, k and seed.
// Findings: any exception other than wgf::InputError, a sanitizer report, or a broken documented
// invariant: parse_number returns finite numbers only; SpecText::integer/integers return whole
// numbers of magnitude <= 10^15; an accepted spec has a non-empty name.
#include <cmath>

#include "fuzz_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = wgf_fuzz::text_of(data, size);
  try {
    const double v = wgf::parse_number(text, "fuzz");
    wgf_fuzz::require(std::isfinite(v), "parse_number returned a non-finite value", text);
  } catch (const wgf::InputError&) {
  }
  wgf::SpecText spec;
  try {
    spec = wgf::SpecText::parse(text, "fuzz spec");
  } catch (const wgf::InputError&) {
    return 0;
  }
  wgf_fuzz::require(!spec.name().empty(), "an accepted spec has an empty name", text);
  for (const char* key : {"a", "k", "seed"}) {
    try {
      const double v = spec.number(key, 0.5);
      wgf_fuzz::require(std::isfinite(v), "number() returned a non-finite value", text);
    } catch (const wgf::InputError&) {
    }
    try {
      const long v = spec.integer(key, 0);
      wgf_fuzz::require(v >= -1000000000000000L && v <= 1000000000000000L,
                        "integer() beyond 10^15", text);
    } catch (const wgf::InputError&) {
    }
    try {
      for (long v : spec.integers(key))
        wgf_fuzz::require(v >= -1000000000000000L && v <= 1000000000000000L,
                          "integers() beyond 10^15", text);
    } catch (const wgf::InputError&) {
    }
    const auto value = spec.string(key);
    wgf_fuzz::require(value.has_value() == spec.has(key), "string() and has() disagree", text);
  }
  try {
    spec.allow_only({"a", "k"});
  } catch (const wgf::InputError&) {
  }
  return 0;
}
