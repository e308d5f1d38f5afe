#include "training_log.hpp"

#include "wgf/netcdf_variables.hpp"
#include <algorithm>

namespace wgf {

namespace {
std::string metric_long_name(const std::string& name) {
  if (name == "mmd") return "MMD between generator and data samples";
  if (name == "energy_distance") return "energy distance between generator and data samples";
  if (name == "modes_covered") return "mixture modes with a high-quality sample";
  if (name == "high_quality_fraction") return "fraction of samples within 3 std of a centre";
  if (name == "feature_distance_fake") return "mean distance between D's fake features";
  if (name == "feature_distance_real") return "mean distance between D's real features";
  if (name == "feature_std_fake") return "spread of D's fake features";
  if (name == "feature_std_real") return "spread of D's real features";
  return "metric " + name;
}
}  // namespace

TrainingLog::TrainingLog(OutputFile& file, const TrainingMetrics& metrics, long snapshot_rows,
                         int dx, int df)
    : snapshot_rows_(snapshot_rows), dx_(dx), df_(df) {
  const hid_t train = file.group("/train");
  constexpr auto integer = ExtendableDataset::Element::integer;
  iter_ = ExtendableDataset(train, "iter", {}, 256, integer);
  describe(iter_.id(), {{"iter"}, "1", "training iteration"});
  loss_g_ = ExtendableDataset(train, "loss_g", {}, 256);
  describe(loss_g_.id(), {{"iter"}, "1", "generator's loss"});
  loss_d_ = ExtendableDataset(train, "loss_d", {}, 256);
  describe(loss_d_.id(), {{"iter"}, "1", "discriminator's loss"});

  const hid_t group = file.group("/train/metrics");
  write_attribute(group, "mmd_kernel", metrics.mmd_spec());
  write_attribute(group, "energy_distance_kernel", std::string("energy:beta=1 (U-statistic)"));
  metrics_iter_ = ExtendableDataset(group, "iter", {}, 64, integer);
  describe(metrics_iter_.id(), {{"iter"}, "1", "training iteration of each evaluation"});
  for (const auto& name : metrics.scalar_names()) {
    scalars_.emplace_back(group, name, std::vector<hsize_t>{}, 64);
    describe(scalars_.back().id(), {{"iter"}, "1", metric_long_name(name)});
  }
  box_length_ = ExtendableDataset(group, "structure_box_length", {}, 64);
  describe(box_length_.id(), {{"iter"}, "1", "side of the box the feature structure factor is taken in"});
  const hsize_t k_box = metrics.box_count(), k_user = metrics.user_count();
  if (k_box > 0) {
    structure_box_ = ExtendableDataset(group, "structure_factor", {k_box}, 64);
    describe(structure_box_.id(), {{"iter", "box_wave"}, "1", "structure factor of D's fake features"});
    write_variable(group, "structure_k", metrics.box_wave_numbers(), {k_box, hsize_t(df)},
                   {{"box_wave", "feature"}, "1", "integer box wave vectors of structure_factor"});
    write_attribute(structure_box_.id(), "xi",
                    std::string("2 pi structure_k / structure_box_length (per row)"));
  }
  if (k_user > 0) {
    structure_user_ = ExtendableDataset(group, "structure_factor_xi", {k_user}, 64);
    describe(structure_user_.id(), {{"iter", "user_wave"}, "1", "structure factor at --structure-xi"});
    write_variable(group, "structure_xi", metrics.user_xi(), {k_user, hsize_t(df)},
                   {{"user_wave", "feature"}, "1", "wave vectors of structure_factor_xi"});
  }

  const hid_t snapshots = file.group("/train/snapshots");
  const hsize_t rows = snapshot_rows_;
  snapshot_iter_ = ExtendableDataset(snapshots, "iter", {}, 16, integer);
  describe(snapshot_iter_.id(), {{"iter"}, "1", "training iteration of each snapshot"});
  samples_ = ExtendableDataset(snapshots, "samples", {rows, hsize_t(dx)}, 1);
  describe(samples_.id(), {{"iter", "sample", "coordinate"}, "1", "generator samples"});
  features_real_ = ExtendableDataset(snapshots, "features_real", {rows, hsize_t(df)}, 1);
  describe(features_real_.id(), {{"iter", "sample", "feature"}, "1", "D's features of data samples"});
  features_fake_ = ExtendableDataset(snapshots, "features_fake", {rows, hsize_t(df)}, 1);
  describe(features_fake_.id(), {{"iter", "sample", "feature"}, "1", "D's features of generator samples"});
}

void TrainingLog::losses(long iteration, const StepLosses& losses) {
  iter_.append(&iteration, 1);
  loss_g_.append(&losses.generator, 1);
  loss_d_.append(&losses.discriminator, 1);
}

void TrainingLog::metrics(long iteration, const TrainingMetrics::Result& result) {
  metrics_iter_.append(&iteration, 1);
  for (std::size_t i = 0; i < scalars_.size(); ++i) scalars_[i].append(&result.scalars[i], 1);
  box_length_.append(&result.box_length, 1);
  if (!result.structure_box.empty()) structure_box_.append(result.structure_box.data(), 1);
  if (!result.structure_user.empty()) structure_user_.append(result.structure_user.data(), 1);
}

void TrainingLog::append_rows(ExtendableDataset& dataset, const float* data, long count) {
  buffer_.assign(data, data + count);
  dataset.append(buffer_.data(), 1);
}

void TrainingLog::snapshot(long iteration, const float* samples, const float* features_real,
                           const float* features_fake) {
  snapshot_iter_.append(&iteration, 1);
  append_rows(samples_, samples, snapshot_rows_ * dx_);
  append_rows(features_real_, features_real, snapshot_rows_ * df_);
  append_rows(features_fake_, features_fake, snapshot_rows_ * df_);
}

}  // namespace wgf
