#include "wgf/trainer/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_header.hpp"
#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/random.hpp"
#include "wgf/trainer/row_slabs.hpp"

namespace wgf {

template <typename Scalar>
double softmax_cross_entropy(const Scalar* logits, const int* labels, long rows, int classes,
                             Scalar* logits_grad) {
  double total = 0;
  for (long i = 0; i < rows; ++i) {
    const Scalar* z = logits + i * classes;
    const double shift = *std::max_element(z, z + classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c) sum += std::exp(double(z[c]) - shift);
    const double log_sum = shift + std::log(sum);
    total += log_sum - double(z[labels[i]]);
    if (logits_grad)
      for (int c = 0; c < classes; ++c)
        logits_grad[i * classes + c] = static_cast<Scalar>(
            (std::exp(double(z[c]) - log_sum) - (c == labels[i] ? 1.0 : 0.0)) / rows);
  }
  return total / rows;
}

template double softmax_cross_entropy<float>(const float*, const int*, long, int, float*);
template double softmax_cross_entropy<double>(const double*, const int*, long, int, double*);

void ClassifierConfig::validate() const {
  if (hidden.empty())
    throw InputError("--classifier-hidden: needs at least one hidden layer (its features)");
  for (int h : hidden)
    if (h < 1) throw InputError("--classifier-hidden: widths must be >= 1");
  if (epochs < 1) throw InputError("--classifier-epochs: must be >= 1");
  if (batch < 1) throw InputError("--classifier-batch: must be >= 1");
  if (!(lr > 0) || !std::isfinite(lr)) throw InputError("--classifier-lr: must be > 0");
}

namespace {

MlpShape feature_part(const MlpShape& shape) {
  MlpShape part = shape;
  part.outputs = shape.hidden.back();
  part.hidden.pop_back();
  part.output_activation = shape.activation;
  return part;
}

// ---- reading a classifier file back ----

void require_attribute(hid_t object, const char* name, const std::string& context) {
  if (H5Aexists(object, name) <= 0)
    throw InputError(context + ": not a wgf classifier file (no attribute " + name + ")");
}

long read_long(hid_t object, const char* name, const std::string& context) {
  require_attribute(object, name, context);
  H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  long value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_LONG, &value) < 0)
    throw InputError(context + ": cannot read attribute " + name + " as an integer");
  return value;
}

std::vector<long> read_longs(hid_t object, const char* name, const std::string& context) {
  require_attribute(object, name, context);
  H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  H5Id space(H5Aget_space(attribute.get()));
  std::vector<long> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!values.empty() && H5Aread(attribute.get(), H5T_NATIVE_LONG, values.data()) < 0)
    throw InputError(context + ": cannot read attribute " + name + " as integers");
  return values;
}

std::string read_text(hid_t object, const char* name, const std::string& context) {
  require_attribute(object, name, context);
  const auto value = read_string_attribute(object, name);
  if (!value) throw InputError(context + ": attribute " + name + " is not text");
  return *value;
}

}  // namespace

ImageClassifier::ImageClassifier(MlpShape shape, std::vector<float> parameters)
    : shape_(std::move(shape)),
      feature_shape_(feature_part(shape_)),
      parameters_(std::move(parameters)),
      network_(shape_, kChunk),
      feature_network_(feature_shape_, kChunk) {
  if (parameters_.size() != shape_.parameter_count())
    throw InputError("classifier: " + std::to_string(parameters_.size()) +
                     " parameters for the shape " + shape_.describe() + ", which needs " +
                     std::to_string(shape_.parameter_count()));
}

ImageClassifier ImageClassifier::train(const LabelledImages& data, const ClassifierConfig& config,
                                       const std::function<void(long, double)>& progress) {
  config.validate();
  if (data.count < 1) throw InputError("classifier: no training images");
  ScopedEigenThreads eigen_threads;
  MlpShape shape;
  shape.inputs = data.dim;
  shape.hidden = config.hidden;
  shape.outputs = data.classes();
  shape.activation = parse_activation(config.activation, "--classifier-activation");
  shape.validate("--classifier-hidden");
  std::vector<float> parameters(shape.parameter_count()), gradient(parameters.size());
  Rng init_rng(config.seed, 1), batch_rng(config.seed, 2);
  initialize_mlp(shape, init_rng, parameters.data());

  const long batch = std::min(config.batch, data.count);
  Mlp<float> network(shape, batch);
  Adam adam({config.lr, 0.9, 0.999, 1e-8}, parameters.size());
  std::vector<long> order(data.count);
  std::iota(order.begin(), order.end(), 0L);
  std::vector<float> images(batch * data.dim), logits_grad(batch * shape.outputs);
  std::vector<int> labels(batch);
  const long steps_per_epoch = data.count / batch;  // the incomplete last batch is dropped
  const long total_steps = steps_per_epoch * config.epochs;
  long step = 0;
  for (long epoch = 1; epoch <= config.epochs; ++epoch) {
    for (long i = data.count - 1; i > 0; --i)
      std::swap(order[i], order[batch_rng.below(static_cast<std::uint64_t>(i + 1))]);
    double loss_sum = 0;
    for (long s = 0; s < steps_per_epoch; ++s, ++step) {
      for (long r = 0; r < batch; ++r) {
        const long image = order[s * batch + r];
        std::copy_n(data.pixels.data() + image * data.dim, data.dim, images.data() + r * data.dim);
        labels[r] = data.labels[image];
      }
      const float* logits = network.forward(parameters.data(), images.data(), batch);
      loss_sum += softmax_cross_entropy(logits, labels.data(), batch, shape.outputs,
                                        logits_grad.data());
      network.backward(parameters.data(), logits_grad.data(), batch, gradient.data(), nullptr);
      adam.set_learning_rate(config.lr * (1.0 - static_cast<double>(step) / total_steps));
      adam.step(parameters.data(), gradient.data());
    }
    if (progress) progress(epoch, loss_sum / std::max<long>(steps_per_epoch, 1));
  }
  return ImageClassifier(shape, std::move(parameters));
}

void ImageClassifier::features(const float* images, long rows, float* out) {
  ScopedEigenThreads eigen_threads;
  feature_network_.forward_rows(parameters_.data(), images, rows, out);
}

void ImageClassifier::predict(const float* images, long rows, int* labels) {
  ScopedEigenThreads eigen_threads;
  const int classes = shape_.outputs;
  for (long start = 0; start < rows; start += kChunk) {
    const long count = std::min(kChunk, rows - start);
    const float* z = network_.forward(parameters_.data(), images + start * shape_.inputs, count);
    for (long i = 0; i < count; ++i)
      labels[start + i] =
          static_cast<int>(std::max_element(z + i * classes, z + (i + 1) * classes) - (z + i * classes));
  }
}

double ImageClassifier::accuracy(const LabelledImages& data) {
  if (data.dim != shape_.inputs)
    throw InputError("classifier: images of " + std::to_string(data.dim) +
                     " pixels for a classifier of " + std::to_string(shape_.inputs) + " inputs");
  std::vector<int> predicted(data.count);
  predict(data.pixels.data(), data.count, predicted.data());
  long right = 0;
  for (long i = 0; i < data.count; ++i) right += predicted[i] == data.labels[i];
  return static_cast<double>(right) / std::max<long>(data.count, 1);
}

void ImageClassifier::save(const std::string& path, const std::string& command_line,
                           const Facts& facts, bool force) const {
  OutputFile file(path, force);
  write_run_header(file.root(), "classifier", command_line);
  for (const auto& [name, value] : facts.numbers) write_attribute(file.root(), name, value);
  for (const auto& [name, value] : facts.texts) write_attribute(file.root(), name, value);
  const hid_t group = file.group("/classifier");
  write_attribute(group, "inputs", static_cast<long>(shape_.inputs));
  write_attribute(group, "hidden", std::vector<long>(shape_.hidden.begin(), shape_.hidden.end()));
  write_attribute(group, "outputs", static_cast<long>(shape_.outputs));
  write_attribute(group, "activation", shape_.activation.spec());
  write_attribute(group, "shape", shape_.describe());
  write_dataset(group, "parameters", std::vector<double>(parameters_.begin(), parameters_.end()),
                {parameters_.size()});
  file.finish("completed");
}

ImageClassifier ImageClassifier::load(const std::string& path, int inputs, Facts* facts) {
  const std::string context = "--classifier '" + path + "'";
  H5Id file = open_for_reading(path, "--classifier");
  if (H5Lexists(file.get(), "classifier", H5P_DEFAULT) <= 0)
    throw InputError(context + ": not a wgf classifier file (no /classifier group)");
  H5Id group(H5Gopen2(file.get(), "classifier", H5P_DEFAULT));
  MlpShape shape;
  shape.inputs = static_cast<int>(read_long(group.get(), "inputs", context));
  for (long h : read_longs(group.get(), "hidden", context)) shape.hidden.push_back(static_cast<int>(h));
  shape.outputs = static_cast<int>(read_long(group.get(), "outputs", context));
  shape.activation = parse_activation(read_text(group.get(), "activation", context), context);
  if (shape.inputs != inputs)
    throw InputError(context + ": a classifier of " + std::to_string(shape.inputs) +
                     " inputs, the images have " + std::to_string(inputs) + " pixels");
  if (shape.hidden.empty() || shape.outputs < 2)
    throw InputError(context + ": needs a hidden layer and at least 2 classes");
  shape.validate(context);
  if (H5Lexists(group.get(), "parameters", H5P_DEFAULT) <= 0)
    throw InputError(context + ": no dataset /classifier/parameters");
  H5Id dataset(H5Dopen2(group.get(), "parameters", H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  if (count != shape.parameter_count())
    throw InputError(context + ": holds " + std::to_string(count) + " parameters, the shape " +
                     shape.describe() + " needs " + std::to_string(shape.parameter_count()));
  std::vector<float> parameters(count);
  if (H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, parameters.data()) < 0)
    throw InputError(context + ": cannot read /classifier/parameters");
  for (float v : parameters)
    if (!std::isfinite(v)) throw InputError(context + ": a parameter is NaN or infinite");
  if (facts) {
    for (auto& [name, value] : facts->numbers) {
      if (H5Aexists(file.get(), name.c_str()) <= 0) continue;
      H5Id attribute(H5Aopen(file.get(), name.c_str(), H5P_DEFAULT));
      H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value);
    }
    for (auto& [name, value] : facts->texts)
      if (H5Aexists(file.get(), name.c_str()) > 0) value = read_text(file.get(), name.c_str(), context);
  }
  return ImageClassifier(shape, std::move(parameters));
}

}  // namespace wgf
