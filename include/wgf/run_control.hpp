#pragma once
// Interruption (SIGINT/SIGTERM ask the run to stop and close a readable file) and the progress
// line with ETA on stderr.
#include <chrono>
#include <string>

namespace wgf {

// Installs the handlers; interrupted() turns true once a signal has arrived.
void install_interrupt_handlers();
bool interrupted();

class ProgressLine {
public:
  // Silent unless stderr is a terminal and !quiet.
  ProgressLine(std::string label, bool quiet);
  ~ProgressLine();
  // fraction in [0, 1]; `detail` is appended. Redraws at most a few times per second.
  void update(double fraction, const char* detail);
  void finish();

private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace wgf
