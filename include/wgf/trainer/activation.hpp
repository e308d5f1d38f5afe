#pragma once
// Pointwise activations of the trainer's MLPs, forward and backward, on whole buffers at once so
// the per-element branch on the kind is hoisted out of the loop. Spec text as everywhere else:
// `relu`, `leaky_relu:slope=0.2`, `tanh`, `softplus`, `sigmoid`, `identity`.
#include <Eigen/Core>
#include <string>

namespace wgf {

struct Activation {
  enum class Kind { identity, relu, leaky_relu, tanh, softplus, sigmoid };
  Kind kind = Kind::identity;
  double slope = 0.2;  // leaky_relu's slope for negative inputs

  std::string spec() const;
  // He initialisation suits the rectifiers; Xavier suits the saturating and linear kinds.
  bool rectifier() const { return kind == Kind::relu || kind == Kind::leaky_relu; }
};

// `option` names the command-line option in error messages (InputError).
Activation parse_activation(const std::string& spec, const std::string& option);
std::string activation_help();

// a = f(z) over n values.
template <typename Scalar>
void activate(const Activation& f, const Scalar* z, Scalar* a, Eigen::Index n) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Eigen::Map<const Array> in(z, n);
  Eigen::Map<Array> out(a, n);
  const Scalar slope = static_cast<Scalar>(f.slope);
  switch (f.kind) {
    case Activation::Kind::identity: out = in; break;
    // The rectifiers as plain loops, where Eigen's select ran element by element (16 % of a
    // training step in the profile). The files that run them are compiled with
    // -fno-trapping-math (CMakeLists.txt), without which GCC keeps a multiplication under a
    // condition scalar; the values are the same.
    case Activation::Kind::relu:
      for (Eigen::Index i = 0; i < n; ++i) a[i] = z[i] > Scalar(0) ? z[i] : Scalar(0);
      break;
    case Activation::Kind::leaky_relu:
      for (Eigen::Index i = 0; i < n; ++i) a[i] = z[i] > Scalar(0) ? z[i] : slope * z[i];
      break;
    case Activation::Kind::tanh: out = in.tanh(); break;
    // log(1 + e^z) without overflow: max(z, 0) + log1p(e^{-|z|}).
    case Activation::Kind::softplus: out = in.max(Scalar(0)) + (-in.abs()).exp().log1p(); break;
    case Activation::Kind::sigmoid: out = Scalar(1) / (Scalar(1) + (-in).exp()); break;
  }
}

// grad ← grad ⊙ f'(z), with a = f(z) from the forward pass (cheaper derivatives for tanh and
// sigmoid).
template <typename Scalar>
void activation_backward(const Activation& f, const Scalar* z, const Scalar* a, Scalar* grad,
                         Eigen::Index n) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Eigen::Map<const Array> pre(z, n), post(a, n);
  Eigen::Map<Array> g(grad, n);
  const Scalar slope = static_cast<Scalar>(f.slope);
  switch (f.kind) {
    case Activation::Kind::identity: break;
    case Activation::Kind::relu:  // plain loops, as in activate()
      for (Eigen::Index i = 0; i < n; ++i) grad[i] = z[i] > Scalar(0) ? grad[i] : Scalar(0);
      break;
    case Activation::Kind::leaky_relu:
      for (Eigen::Index i = 0; i < n; ++i) grad[i] = z[i] > Scalar(0) ? grad[i] : slope * grad[i];
      break;
    case Activation::Kind::tanh: g *= Scalar(1) - post.square(); break;
    case Activation::Kind::softplus: g *= Scalar(1) / (Scalar(1) + (-pre).exp()); break;
    case Activation::Kind::sigmoid: g *= post * (Scalar(1) - post); break;
  }
}

// grad ← grad ⊙ f''(z), with a = f(z): the curvature term of the double backward (input-gradient
// penalties, mlp_double_backward.hpp). The rectifiers' f'' is zero away from their kink.
template <typename Scalar>
void activation_second_backward(const Activation& f, const Scalar* z, const Scalar* a,
                                Scalar* grad, Eigen::Index n) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Eigen::Map<const Array> pre(z, n), post(a, n);
  Eigen::Map<Array> g(grad, n);
  switch (f.kind) {
    case Activation::Kind::identity:
    case Activation::Kind::relu:
    case Activation::Kind::leaky_relu: g.setZero(); break;
    case Activation::Kind::tanh: g *= Scalar(-2) * post * (Scalar(1) - post.square()); break;
    case Activation::Kind::softplus: {
      // f' = σ(z), f'' = σ(1 − σ).
      g *= (Scalar(1) / (Scalar(1) + (-pre).exp())) * (Scalar(1) / (Scalar(1) + pre.exp()));
      break;
    }
    case Activation::Kind::sigmoid: g *= post * (Scalar(1) - post) * (Scalar(1) - Scalar(2) * post); break;
  }
}

}  // namespace wgf
