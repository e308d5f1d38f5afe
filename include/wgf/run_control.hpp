#pragma once
// Interruption (SIGINT/SIGTERM ask the run to stop and close a readable file) and the progress
// line with ETA on stderr.
#include <chrono>
#include <stdexcept>
#include <string>

namespace wgf {

// Installs the handlers; interrupted() turns true once a signal has arrived.
void install_interrupt_handlers();
bool interrupted();
// The first signal that arrived (SIGINT, SIGTERM), 0 when none: main exits 128 + it after the
// command has finished its file marked "interrupted".
int interrupt_signal();

// A signal that arrived before there is a file to finish (the initial fill): the command stops
// at once and leaves nothing; main exits 128 + the signal, as a shell reports a process the
// signal killed.
class Interrupted : public std::runtime_error {
public:
  Interrupted(int signal, const std::string& during);
  int signal() const { return signal_; }

private:
  int signal_;
};

// Throws Interrupted if a signal has arrived; `during` says what it stopped ("the initial
// fill"). For long work before the output exists, checked often enough to stop within a second.
void stop_if_interrupted(const std::string& during);

class ProgressLine {
public:
  // Silent when quiet. On a terminal one line redrawn in place a few times a second; otherwise
  // (a pipe, a log file) a whole line every WGF_PROGRESS_SECONDS seconds (default 10), so that
  // a run's log shows it is alive and how far it has come.
  ProgressLine(std::string label, bool quiet);
  ~ProgressLine();
  // fraction in [0, 1]; `detail` is appended.
  void update(double fraction, const char* detail);
  void finish();

private:
  std::string label_;
  bool enabled_;
  bool terminal_;
  double interval_seconds_;  // between lines when not a terminal
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace wgf
