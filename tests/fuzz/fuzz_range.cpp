// Fuzzes wgf::parse_range (include/wgf/analysis/stability_map.hpp): sweep ranges `A:B:K` and
// `A:B:K:log` such as `0:1:5`, `1e-3:1:5:log`.
// Findings: any exception other than wgf::InputError, a sanitizer report, or an accepted range
// that breaks its documented contract: exactly K values, all finite, the first equal to A.
// Ranges with K > 10^5 are skipped (legal up to 10^7, but each takes ~0.1 s under the
// sanitizers and would slow the search down without reaching other code).
#include <cmath>

#include "fuzz_common.hpp"
#include "wgf/analysis/stability_map.hpp"
#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = wgf_fuzz::text_of(data, size);
  const auto parts = wgf::split(text, ':');
  if (parts.size() < 3) return 0;  // refused before any number is read; nothing to learn
  double start = 0, count = 0;
  try {
    start = wgf::parse_number(parts[0], "start");
    count = wgf::parse_number(parts[2], "count");
  } catch (const wgf::InputError&) {
  }
  if (count > 1e5) return 0;
  std::vector<double> values;
  try {
    values = wgf::parse_range(text, "--range");
  } catch (const wgf::InputError&) {
    return 0;
  }
  wgf_fuzz::require(static_cast<double>(values.size()) == count,
                    "range gave " + std::to_string(values.size()) + " values", text);
  for (double v : values)
    wgf_fuzz::require(std::isfinite(v), "range gave a non-finite value", text);
  wgf_fuzz::require(values.front() == start || (parts.size() == 4 && values.size() == 1),
                    "the first value is not the start", text);
  return 0;
}
