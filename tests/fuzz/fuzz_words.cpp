// Fuzzes the small text parsers of the trainer and the command line, chosen by the first input
// byte (modulo 4); the rest of the input is the text:
//   0: wgf::parse_activation (include/wgf/trainer/activation.hpp): `relu`, `leaky_relu:slope=0.2`…
//   1: wgf::parse_mlp_description (include/wgf/studies/gan_checkpoint.hpp), the inverse of
//      MlpShape::describe: `2-128-128-16 leaky_relu:slope=0.2, output tanh`
//   2: wgf::parse_estimator (include/wgf/trainer/pairwise_loss.hpp): `v`, `u`
//   3: wgf::parse_role (include/wgf/dynamics.hpp): `generator`, `discriminator-p`, `game`…
// Findings: any exception other than wgf::InputError, a sanitizer report, or a broken documented
// invariant: an accepted activation's spec() parses back to the same activation; an accepted
// MLP description's describe() parses back to the same describe() ("the inverse of
// MlpShape::describe"), with positive widths; a role's role_name() parses back to it.
#include "fuzz_common.hpp"
#include "wgf/dynamics.hpp"
#include "wgf/errors.hpp"
#include "wgf/studies/gan_checkpoint.hpp"
#include "wgf/trainer/activation.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace {

void activation(const std::string& text) {
  wgf::Activation f;
  try {
    f = wgf::parse_activation(text, "--activation");
  } catch (const wgf::InputError&) {
    return;
  }
  wgf::Activation back;
  try {
    back = wgf::parse_activation(f.spec(), "--activation");
  } catch (const wgf::InputError& e) {
    wgf_fuzz::fail("spec() '" + f.spec() + "' does not parse back: " + e.what(), text);
  }
  wgf_fuzz::require(back.kind == f.kind && (f.kind != wgf::Activation::Kind::leaky_relu ||
                                            back.slope == f.slope),
                    "spec() '" + f.spec() + "' parses back to another activation", text);
}

void mlp(const std::string& text) {
  wgf::MlpShape shape;
  try {
    shape = wgf::parse_mlp_description(text, "fuzz");
  } catch (const wgf::InputError&) {
    return;
  }
  wgf_fuzz::require(shape.inputs >= 1 && shape.outputs >= 1, "accepted a width < 1", text);
  for (int h : shape.hidden) wgf_fuzz::require(h >= 1, "accepted a hidden width < 1", text);
  const std::string described = shape.describe();
  wgf::MlpShape back;
  try {
    back = wgf::parse_mlp_description(described, "fuzz");
  } catch (const wgf::InputError& e) {
    wgf_fuzz::fail("describe() '" + described + "' does not parse back: " + e.what(), text);
  }
  wgf_fuzz::require(back.describe() == described,
                    "describe() '" + described + "' parses back to '" + back.describe() + "'", text);
}

void estimator(const std::string& text) {
  try {
    const wgf::Estimator e = wgf::parse_estimator(text);
    wgf_fuzz::require(wgf::parse_estimator(wgf::estimator_name(e)) == e,
                      "estimator_name() does not parse back", text);
  } catch (const wgf::InputError&) {
  }
}

void role(const std::string& text) {
  try {
    const wgf::Role r = wgf::parse_role(text);
    wgf_fuzz::require(wgf::parse_role(wgf::role_name(r)) == r, "role_name() does not parse back",
                      text);
  } catch (const wgf::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text = wgf_fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: activation(text); break;
    case 1: mlp(text); break;
    case 2: estimator(text); break;
    case 3: role(text); break;
  }
  return 0;
}
