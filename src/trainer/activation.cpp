#include "wgf/trainer/activation.hpp"

#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

namespace {
const char* kActivations =
    "identity, relu, leaky_relu[:slope=S] (default slope 0.2), tanh, softplus, sigmoid";
}

std::string activation_help() { return kActivations; }

std::string Activation::spec() const {
  switch (kind) {
    case Kind::identity: return "identity";
    case Kind::relu: return "relu";
    case Kind::leaky_relu: return "leaky_relu:slope=" + std::to_string(slope);
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
