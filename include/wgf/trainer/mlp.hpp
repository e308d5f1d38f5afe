#pragma once
// The trainer's networks: fully connected layers y = x W + b with a pointwise activation, on
// row-major batches (one sample per row), forward and backward written out by hand.
//
// Parameters live outside the network in one flat buffer per network (layer l: W_l as
// fan_in × fan_out row-major, then b_l), so the optimiser is one loop over a vector, a backend
// can keep them wherever it likes, and reading them back is one copy. An Mlp<Scalar> is the
// plan: built once for a largest batch, it owns every activation buffer, and forward/backward
// allocate nothing. Scalar is float for training and double for the gradient checks.
#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

#include "wgf/trainer/activation.hpp"
#include "wgf/trainer/random.hpp"

namespace wgf {

struct MlpShape {
  int inputs = 0;
  std::vector<int> hidden;  // widths of the hidden layers; the depth is hidden.size()
  int outputs = 0;
  Activation activation;         // after every hidden layer
  Activation output_activation;  // after the last layer (identity by default)

  int layers() const { return static_cast<int>(hidden.size()) + 1; }
  int fan_in(int layer) const { return layer == 0 ? inputs : hidden[layer - 1]; }
  int fan_out(int layer) const { return layer + 1 == layers() ? outputs : hidden[layer]; }
  const Activation& activation_of(int layer) const {
    return layer + 1 == layers() ? output_activation : activation;
  }
  std::size_t weight_offset(int layer) const;
  std::size_t bias_offset(int layer) const { return weight_offset(layer) + fan_in(layer) * fan_out(layer); }
  std::size_t parameter_count() const { return weight_offset(layers()); }
  int widest() const;
  std::string describe() const;  // "2-128-128-16 relu"
  void validate(const std::string& what) const;  // InputError on empty or non-positive widths
};

// Weights ~ N(0, gain²/fan_in) (He, gain² = 2/(1 + slope²), for layers followed by a rectifier) or
// N(0, 2/(fan_in + fan_out)) (Xavier, otherwise); biases zero. Draws in layer order from `rng`.
void initialize_mlp(const MlpShape& shape, Rng& rng, float* parameters);

template <typename Scalar>
class Mlp {
public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Index = Eigen::Index;

  Mlp(const MlpShape& shape, Index max_rows);

  const MlpShape& shape() const { return shape_; }
  Index max_rows() const { return max_rows_; }

  // Runs `rows` input rows (rows × inputs) through the network with `parameters`; keeps the
  // activations backward needs. Returns the rows × outputs result, valid until the next forward.
  const Scalar* forward(const Scalar* parameters, const Scalar* input, Index rows);

  // Evaluation passes of any length: forwards `rows` input rows in chunks of max_rows() and
  // writes the rows × outputs results to `output`. Leaves the last chunk's activations behind.
  void forward_rows(const Scalar* parameters, const Scalar* input, Index rows, Scalar* output);

  // Backpropagates dL/d(output) for the first `rows` rows of the last forward (rows may be fewer
  // than were forwarded: the generator step needs only the fake half of a stacked batch).
  // Overwrites dL/d(parameters) when `parameter_grad` is given and dL/d(input) when
  // `input_grad` is given; either may be null.
  void backward(const Scalar* parameters, const Scalar* output_grad, Index rows,
                Scalar* parameter_grad, Scalar* input_grad);

  // The last forward's input and per-layer pre-activations z_l and activations a_l (rows ×
  // fan_out(l), row-major): what a second-order pass (mlp_double_backward.hpp) works from.
  const Scalar* forwarded_input() const { return input_.data(); }
  const Scalar* pre_activation(int layer) const { return pre_[layer].data(); }
  const Scalar* activation(int layer) const { return post_[layer].data(); }
  Index forwarded_rows() const { return forwarded_rows_; }

private:
  MlpShape shape_;
  Index max_rows_, forwarded_rows_ = 0;
  Matrix input_;
  std::vector<Matrix> pre_, post_;  // per layer: x W + b, and its activation
  Matrix delta_, delta_next_;       // ping-pong buffers of dL/d(pre-activation)
};

extern template class Mlp<float>;
extern template class Mlp<double>;

}  // namespace wgf
