#include "wgf/trainer/activation.hpp"

#include <cstdio>
#include <cstdlib>

#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

namespace {
const char* kActivations =
    "identity, relu, leaky_relu[:slope=S] (default slope 0.2), tanh, softplus, sigmoid";

// std::to_string's six decimals (the text in existing files, 0.200000) where they read back to
// the same slope; otherwise the shortest %.15g … %.17g that does. std::to_string alone lost
// slopes: 0.9999999 became "1.000000", which parse_activation refuses, and 0.1234567 came back
// as 0.123457 (caught by the round-trip check of tests/fuzz/fuzz_words).
std::string slope_text(double slope) {
  std::string text = std::to_string(slope);
  if (std::strtod(text.c_str(), nullptr) == slope) return text;
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, slope);
    if (std::strtod(buffer, nullptr) == slope) break;
  }
  return buffer;
}

}  // namespace

std::string activation_help() { return kActivations; }

std::string Activation::spec() const {
  switch (kind) {
    case Kind::identity: return "identity";
    case Kind::relu: return "relu";
    case Kind::leaky_relu: return "leaky_relu:slope=" + slope_text(slope);
    case Kind::tanh: return "tanh";
    case Kind::softplus: return "softplus";
    case Kind::sigmoid: return "sigmoid";
  }
  return "?";
}

Activation parse_activation(const std::string& spec, const std::string& option) {
  const SpecText s = SpecText::parse(spec, option + " activation");
  Activation f;
  const std::string& name = s.name();
  if (name == "leaky_relu") {
    s.allow_only({"slope"});
    f.kind = Activation::Kind::leaky_relu;
    f.slope = s.number("slope", 0.2);
    if (!(f.slope >= 0 && f.slope < 1))
      throw InputError(option + " '" + spec + "': slope must be in [0, 1)");
    return f;
  }
  s.allow_only({});
  if (name == "identity" || name == "linear") f.kind = Activation::Kind::identity;
  else if (name == "relu") f.kind = Activation::Kind::relu;
  else if (name == "tanh") f.kind = Activation::Kind::tanh;
  else if (name == "softplus") f.kind = Activation::Kind::softplus;
  else if (name == "sigmoid") f.kind = Activation::Kind::sigmoid;
  else
    throw InputError(option + " '" + spec + "': unknown activation; known: " + kActivations);
  return f;
}

}  // namespace wgf
