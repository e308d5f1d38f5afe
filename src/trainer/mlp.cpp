#include "wgf/trainer/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "wgf/errors.hpp"
#include "wgf/trainer/dense_product.hpp"
#include "wgf/trainer/row_slabs.hpp"

namespace wgf {

std::size_t MlpShape::weight_offset(int layer) const {
  std::size_t offset = 0;
  for (int l = 0; l < layer; ++l)
    offset += static_cast<std::size_t>(fan_in(l)) * fan_out(l) + fan_out(l);
  return offset;
}

int MlpShape::widest() const {
  int w = std::max(inputs, outputs);
  for (int h : hidden) w = std::max(w, h);
  return w;
}

std::string MlpShape::describe() const {
  std::string text = std::to_string(inputs);
  for (int h : hidden) text += "-" + std::to_string(h);
  text += "-" + std::to_string(outputs) + " " + activation.spec();
  if (output_activation.kind != Activation::Kind::identity)
    text += ", output " + output_activation.spec();
  return text;
}

void MlpShape::validate(const std::string& what) const {
  if (inputs < 1 || outputs < 1)
    throw InputError(what + ": input and output sizes must be >= 1");
  for (int h : hidden)
    if (h < 1) throw InputError(what + ": hidden widths must be >= 1 (got " + std::to_string(h) + ")");
}

void initialize_mlp(const MlpShape& shape, Rng& rng, float* parameters) {
  for (int l = 0; l < shape.layers(); ++l) {
    const int in = shape.fan_in(l), out = shape.fan_out(l);
    // The variance keeps the signal's scale through the activation applied to this layer's
    // output: He for rectifiers, Xavier for the saturating and linear ones (and the last layer).
    const Activation& after = shape.activation_of(l);
    double variance;
    if (after.rectifier()) {
      const double slope = after.kind == Activation::Kind::relu ? 0.0 : after.slope;
      variance = 2.0 / (1.0 + slope * slope) / in;
    } else {
      variance = 2.0 / (in + out);
    }
    const double scale = std::sqrt(variance);
    float* weights = parameters + shape.weight_offset(l);
    for (long i = 0; i < static_cast<long>(in) * out; ++i)
      weights[i] = static_cast<float>(scale * rng.normal());
    float* biases = parameters + shape.bias_offset(l);
    std::fill(biases, biases + out, 0.0f);
  }
}

template <typename Scalar>
Mlp<Scalar>::Mlp(const MlpShape& shape, Index max_rows) : shape_(shape), max_rows_(max_rows) {
  shape_.validate("network");
  input_.resize(max_rows_, shape_.inputs);
  for (int l = 0; l < shape_.layers(); ++l) {
    pre_.emplace_back(max_rows_, shape_.fan_out(l));
    post_.emplace_back(max_rows_, shape_.fan_out(l));
  }
  delta_.resize(max_rows_, shape_.widest());
  delta_next_.resize(max_rows_, shape_.widest());
}

template <typename Scalar>
void Mlp<Scalar>::forward_rows(const Scalar* parameters, const Scalar* input, Index rows,
                               Scalar* output) {
  const Index inputs = shape_.inputs, outputs = shape_.outputs;
  for (Index start = 0; start < rows; start += max_rows_) {
    const Index count = std::min(max_rows_, rows - start);
    const Scalar* out = forward(parameters, input + start * inputs, count);
    std::copy(out, out + count * outputs, output + start * outputs);
  }
}

template <typename Scalar>
const Scalar* Mlp<Scalar>::forward(const Scalar* parameters, const Scalar* input, Index rows) {
  using Map = Eigen::Map<Matrix>;
  using RowVector = Eigen::Map<const Eigen::Matrix<Scalar, 1, Eigen::Dynamic>>;
  if (rows > max_rows_) throw std::logic_error("Mlp::forward: more rows than planned");
  forwarded_rows_ = rows;
  std::copy(input, input + rows * shape_.inputs, input_.data());
  const Scalar* previous = input_.data();
  for (int l = 0; l < shape_.layers(); ++l) {
    const Index in = shape_.fan_in(l), out = shape_.fan_out(l);
    const Scalar* w = parameters + shape_.weight_offset(l);
    RowVector b(parameters + shape_.bias_offset(l), out);
    const Activation& f = shape_.activation_of(l);
    Scalar* z_data = pre_[l].data();
    Scalar* a_data = post_[l].data();
    for_row_slabs(rows, double(rows) * in * out, [&](Index first, Index count) {
      Map z(z_data + first * out, count, out);
      dense_product(count, out, in, previous + first * in, in, false, w, out, false, z.data(), out);
      z.rowwise() += b;
      activate(f, z.data(), a_data + first * out, count * out);
    });
    previous = a_data;
  }
  return previous;
}

template <typename Scalar>
void Mlp<Scalar>::backward(const Scalar* parameters, const Scalar* output_grad, Index rows,
                           Scalar* parameter_grad, Scalar* input_grad) {
  using ConstMap = Eigen::Map<const Matrix>;
  using RowVector = Eigen::Map<Eigen::Matrix<Scalar, 1, Eigen::Dynamic>>;
  if (rows > forwarded_rows_) throw std::logic_error("Mlp::backward: more rows than forwarded");
  const int last = shape_.layers() - 1;
  {
    const Index out = shape_.outputs;
    std::copy(output_grad, output_grad + rows * out, delta_.data());
    activation_backward(shape_.activation_of(last), pre_[last].data(), post_[last].data(),
                        delta_.data(), rows * out);
  }
  for (int l = last; l >= 0; --l) {
    const Index in = shape_.fan_in(l), out = shape_.fan_out(l);
    const Scalar* delta = delta_.data();
    const Scalar* x = l == 0 ? input_.data() : post_[l - 1].data();
    const Scalar* w = parameters + shape_.weight_offset(l);
    const double work = double(rows) * in * out;
    if (parameter_grad) {
      // dW = xᵀ δ sums over rows: slabs of W's rows (the inputs) keep each sum in one thread.
      // dW = xᵀ δ sums over rows: slabs of W's rows (the inputs) keep each sum in one thread.
      // db = Σ_rows δ rides in the same region, cut by columns, so that it adds no serial
      // stretch between two parallel ones (each column sums its rows in order either way).
      Scalar* dw = parameter_grad + shape_.weight_offset(l);
      Scalar* db = parameter_grad + shape_.bias_offset(l);
      for_slab_tasks(slab_count(in, work), [&](int t, int parts) {
        const Slab rows_of_w = slab_of(in, parts, t), columns = slab_of(out, parts, t);
        if (rows_of_w.count > 0)
          dense_product(rows_of_w.count, out, rows, x + rows_of_w.first, in, true, delta, out,
                        false, dw + rows_of_w.first * out, out);
        if (columns.count > 0)
          RowVector(db + columns.first, columns.count).noalias() =
              ConstMap(delta, rows, out).middleCols(columns.first, columns.count).colwise().sum();
      });
    }
    if (l == 0 && !input_grad) break;
    Scalar* target = l == 0 ? input_grad : delta_next_.data();
    const Activation* below = l == 0 ? nullptr : &shape_.activation_of(l - 1);
    const Scalar* below_pre = l == 0 ? nullptr : pre_[l - 1].data();
    const Scalar* below_post = l == 0 ? nullptr : post_[l - 1].data();
    for_row_slabs(rows, work, [&](Index first, Index count) {
      Scalar* dx = target + first * in;
      dense_product(count, in, out, delta + first * out, out, false, w, out, true, dx, in);
      if (below)
        activation_backward(*below, below_pre + first * in, below_post + first * in, dx, count * in);
    });
    if (l == 0) break;
    std::swap(delta_, delta_next_);
  }
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace wgf
