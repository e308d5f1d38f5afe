// PairKernel's compiled terms exported as plain data (pair_terms.hpp) for code that evaluates one
// pair at a time: the CUDA trainer's fused loss kernel and its host emulation.
#include <string>

#include "wgf/errors.hpp"
#include "wgf/trainer/pair_kernel.hpp"

namespace wgf {

PairTerms PairKernel::flat_terms() const {
  PairTerms flat{};
  if (static_cast<int>(unladdered_.size()) > PairTerms::kMaxTerms ||
      static_cast<int>(ladder_.size()) > PairTerms::kMaxTerms)
    throw InputError("kernel '" + spec_ + "' has more than " +
                     std::to_string(PairTerms::kMaxTerms) +
                     " terms: too many for the CUDA trainer (use --device cpu)");
  for (const LadderRung& r : ladder_) flat.rungs[flat.rung_count++] = {r.squarings, r.weight, r.a};
  for (const Term& t : unladdered_) {
    int family = PairTerms::gaussian;
    switch (t.family) {
      case Family::gaussian: family = PairTerms::gaussian; break;
      case Family::rational_quadratic: family = PairTerms::rational_quadratic; break;
      case Family::laplace: family = PairTerms::laplace; break;
      case Family::energy: family = PairTerms::energy; break;
      case Family::riesz: family = PairTerms::riesz; break;
    }
    flat.terms[flat.term_count++] = {family, t.weight, t.a, t.b};
  }
  flat.softening = softening_;
  return flat;
}

}  // namespace wgf
