#include "training_log.hpp"

#include <algorithm>

namespace wgf {

TrainingLog::TrainingLog(OutputFile& file, const TrainingMetrics& metrics, long snapshot_rows,
                         int dx, int df)
    : snapshot_rows_(snapshot_rows), dx_(dx), df_(df) {
  const hid_t train = file.group("/train");
  iter_ = ExtendableDataset(train, "iter", {}, 256);
  loss_g_ = ExtendableDataset(train, "loss_g", {}, 256);
  loss_d_ = ExtendableDataset(train, "loss_d", {}, 256);

  const hid_t group = file.group("/train/metrics");
  write_attribute(group, "mmd_kernel", metrics.mmd_spec());
  write_attribute(group, "energy_distance_kernel", std::string("energy:beta=1 (U-statistic)"));
  metrics_iter_ = ExtendableDataset(group, "iter", {}, 64);
  for (const auto& name : metrics.scalar_names())
    scalars_.emplace_back(group, name, std::vector<hsize_t>{}, 64);
  box_length_ = ExtendableDataset(group, "structure_box_length", {}, 64);
  const hsize_t k_box = metrics.box_count(), k_user = metrics.user_count();
  if (k_box > 0) {
    structure_box_ = ExtendableDataset(group, "structure_factor", {k_box}, 64);
    write_dataset(group, "structure_k", metrics.box_wave_numbers(), {k_box, hsize_t(df)});
    write_attribute(structure_box_.id(), "xi",
                    std::string("2 pi structure_k / structure_box_length (per row)"));
  }
  if (k_user > 0) {
    structure_user_ = ExtendableDataset(group, "structure_factor_xi", {k_user}, 64);
    write_dataset(group, "structure_xi", metrics.user_xi(), {k_user, hsize_t(df)});
  }

  const hid_t snapshots = file.group("/train/snapshots");
  const hsize_t rows = snapshot_rows_;
  snapshot_iter_ = ExtendableDataset(snapshots, "iter", {}, 16);
  samples_ = ExtendableDataset(snapshots, "samples", {rows, hsize_t(dx)}, 1);
  features_real_ = ExtendableDataset(snapshots, "features_real", {rows, hsize_t(df)}, 1);
  features_fake_ = ExtendableDataset(snapshots, "features_fake", {rows, hsize_t(df)}, 1);
}

void TrainingLog::losses(long iteration, const StepLosses& losses) {
  const double it = static_cast<double>(iteration);
  iter_.append(&it, 1);
  loss_g_.append(&losses.generator, 1);
  loss_d_.append(&losses.discriminator, 1);
}

void TrainingLog::metrics(long iteration, const TrainingMetrics::Result& result) {
  const double it = static_cast<double>(iteration);
  metrics_iter_.append(&it, 1);
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
  const double it = static_cast<double>(iteration);
  snapshot_iter_.append(&it, 1);
  append_rows(samples_, samples, snapshot_rows_ * dx_);
  append_rows(features_real_, features_real, snapshot_rows_ * df_);
  append_rows(features_fake_, features_fake, snapshot_rows_ * df_);
}

}  // namespace wgf
