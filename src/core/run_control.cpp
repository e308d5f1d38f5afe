#include "wgf/run_control.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace wgf {

namespace {
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_signal(int) { g_interrupted = 1; }
}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}
bool interrupted() { return g_interrupted != 0; }

ProgressLine::ProgressLine(std::string label, bool quiet)
    : label_(std::move(label)),
      enabled_(!quiet && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(double fraction, const char* detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  char eta[32] = "?";
  if (fraction > 1e-6) std::snprintf(eta, sizeof eta, "%.0fs", elapsed * (1 - fraction) / fraction);
  std::fprintf(stderr, "\r%s %5.1f%%  %s  elapsed %.0fs  ETA %s\033[K", label_.c_str(),
               100 * fraction, detail, elapsed, eta);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
  enabled_ = false;
}

}  // namespace wgf
