#pragma once
// The /train group of a `wgf train` output (docs/design.md §4): losses at the log interval, metrics
// and snapshots at theirs, one row each time, in extendable datasets.
#include <vector>

#include "wgf/h5_file.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/metrics.hpp"

namespace wgf {

class TrainingLog {
public:
  TrainingLog(OutputFile& file, const TrainingMetrics& metrics, long snapshot_rows, int dx,
              int df);

  void losses(long iteration, const StepLosses& losses);
  void metrics(long iteration, const TrainingMetrics::Result& result);
  // First snapshot_rows rows of each buffer.
  void snapshot(long iteration, const float* samples, const float* features_real,
                const float* features_fake);

private:
  void append_rows(ExtendableDataset& dataset, const float* data, long count);

  long snapshot_rows_;
  int dx_, df_;
  ExtendableDataset iter_, loss_g_, loss_d_;
  ExtendableDataset metrics_iter_, box_length_, structure_box_, structure_user_;
  std::vector<ExtendableDataset> scalars_;
  ExtendableDataset snapshot_iter_, samples_, features_real_, features_fake_;
  std::vector<double> buffer_;
};

}  // namespace wgf
