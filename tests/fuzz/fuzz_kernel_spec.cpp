// Fuzzes wgf::parse_kernel (include/wgf/kernel.hpp): kernel and stabiliser specs such as
// `gaussian:sigma=0.5`, `rq:alpha=2,ell=0.15`, `riesz`, `2*gaussian:sigma=1+laplace:ell=0.5`.
// Findings: any exception other than wgf::InputError, a sanitizer report, or a broken documented
// invariant of an accepted spec:
//   * RadialKernel::spec() is "canonical spec text, parseable back into the same kernel": the
//     kernel's spec() parses again, to a kernel with the same number of terms and the same spec();
//   * check_dimension(d) for d = 1, 2, 3 either returns or throws InputError.
// Specs naming `table` are skipped: they read the file they name (any path the fuzzer makes up);
// the table reader has its own harness, fuzz_kernel_table.
#include "fuzz_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/kernel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = wgf_fuzz::text_of(data, size);
  if (text.find("table") != std::string::npos) return 0;
  wgf::Kernel kernel;
  try {
    kernel = wgf::parse_kernel(text);
  } catch (const wgf::InputError&) {
    return 0;
  }
  wgf_fuzz::require(!kernel.empty(), "an accepted spec gave a kernel without terms", text);
  const std::string spec = kernel.spec();
  wgf::Kernel again;
  try {
    again = wgf::parse_kernel(spec);
  } catch (const wgf::InputError& e) {
    wgf_fuzz::fail("spec() '" + spec + "' does not parse back: " + e.what(), text);
  }
  wgf_fuzz::require(again.terms().size() == kernel.terms().size(),
                    "spec() '" + spec + "' parses back to a different number of terms", text);
  wgf_fuzz::require(again.spec() == spec,
                    "spec() '" + spec + "' parses back to '" + again.spec() + "'", text);
  for (int dim = 1; dim <= 3; ++dim) {
    try {
      kernel.check_dimension(dim);
    } catch (const wgf::InputError&) {
    }
  }
  return 0;
}
