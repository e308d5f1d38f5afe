#include "wgf/run_control.hpp"

#include <unistd.h>

#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace wgf {

namespace {
// The first signal that arrived (0: none).
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signal) {
  if (g_signal == 0) g_signal = signal;
}
}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}
bool interrupted() { return g_signal != 0; }
int interrupt_signal() { return g_signal; }

Interrupted::Interrupted(int signal, const std::string& during)
    : std::runtime_error(std::string("interrupted by ") +
                         (signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal") +
                         " during " + during + "; nothing was written"),
      signal_(signal) {}

void stop_if_interrupted(const std::string& during) {
  if (const int signal = g_signal) throw Interrupted(signal, during);
}

namespace {
double progress_interval_seconds() {
  const char* text = std::getenv("WGF_PROGRESS_SECONDS");
  if (!text || !*text) return 10.0;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  return end && *end == '\0' && value > 0 && std::isfinite(value) ? value : 10.0;
}
}  // namespace

ProgressLine::ProgressLine(std::string label, bool quiet)
    : label_(std::move(label)),
      enabled_(!quiet),
      terminal_(::isatty(STDERR_FILENO) != 0),
      interval_seconds_(progress_interval_seconds()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(double fraction, const char* detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
  } else if (std::chrono::duration<double>(now - last_draw_).count() < interval_seconds_) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  char eta[32] = "?";
  if (fraction > 1e-6) std::snprintf(eta, sizeof eta, "%.0fs", elapsed * (1 - fraction) / fraction);
  if (terminal_)
    std::fprintf(stderr, "\r%s %5.1f%%  %s  elapsed %.0fs  ETA %s\033[K", label_.c_str(),
                 100 * fraction, detail, elapsed, eta);
  else
    std::fprintf(stderr, "%s %5.1f%%  %s  elapsed %.0fs  ETA %s\n", label_.c_str(), 100 * fraction,
                 detail, elapsed, eta);
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (enabled_ && drawn_ && terminal_) std::fprintf(stderr, "\n");
  drawn_ = false;
  enabled_ = false;
}

}  // namespace wgf
