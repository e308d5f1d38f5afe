#include "wgf/trainer/thread_team.hpp"

#include <omp.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace wgf {

namespace {

// Set while a thread runs a team task, so that a region started inside one runs serially.
thread_local bool inside_team_task = false;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadTeam& ThreadTeam::shared() {
  // Never destroyed: workers still asleep at exit must not be joined from a static destructor
  // that may run after the code they would wake into has been torn down.
  static ThreadTeam* team = new ThreadTeam;
  return *team;
}

ThreadTeam::~ThreadTeam() { resize(1); }

int ThreadTeam::threads_available() const {
  if (inside_team_task || omp_in_parallel()) return 1;
  return omp_get_max_threads();
}

// Waits until `value` differs from `seen`: spins for the window, then sleeps on the atomic.
// `sleepers` counts the threads asleep on it, so that the other side makes the (system) call
// that wakes them only when someone sleeps. Both sides use sequentially consistent operations:
// either the waker sees the sleeper's count or the sleeper sees the new value.
void ThreadTeam::wait_for_change(const std::atomic<std::uint32_t>& value, std::uint32_t seen,
                                 std::atomic<int>& sleepers) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + spin_window;
  for (int spin = 0;; ++spin) {
    if (value.load(std::memory_order_acquire) != seen) return;
    cpu_relax();
    if ((spin & 63) == 63 && Clock::now() > deadline) break;
  }
  sleepers.fetch_add(1);
  while (value.load() == seen) value.wait(seen);
  sleepers.fetch_sub(1);
}

void ThreadTeam::work(int index, std::uint32_t seen) {
  inside_team_task = true;
  for (;;) {
    wait_for_change(generation_, seen, worker_sleepers_);
    seen = generation_.load(std::memory_order_acquire);
    if (stopping_) return;
    for (int t = index; t < tasks_; t += size_) call_(context_, t);
    if (pending_.fetch_sub(1) == 1 && caller_sleepers_.load() > 0) pending_.notify_all();
  }
}

void ThreadTeam::resize(int threads) {
  if (threads == size_) return;
  if (!workers_.empty()) {
    stopping_ = true;
    generation_.fetch_add(1);
    generation_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stopping_ = false;
  }
  size_ = threads < 1 ? 1 : threads;
  const std::uint32_t now = generation_.load();
  for (int i = 1; i < size_; ++i) workers_.emplace_back([this, i, now] { work(i, now); });
}

void ThreadTeam::dispatch(int tasks, Call call, void* context) {
  if (tasks <= 0) return;
  const int threads = threads_available();
  bool expected = false;
  if (threads <= 1 || tasks == 1 || !busy_.compare_exchange_strong(expected, true)) {
    for (int t = 0; t < tasks; ++t) call(context, t);
    return;
  }
  resize(threads);
  call_ = call;
  context_ = context;
  tasks_ = tasks;
  pending_.store(static_cast<std::uint32_t>(size_ - 1));
  generation_.fetch_add(1);
  if (worker_sleepers_.load() > 0) generation_.notify_all();
  inside_team_task = true;
  for (int t = 0; t < tasks; t += size_) call(context, t);
  inside_team_task = false;
  for (std::uint32_t left; (left = pending_.load()) != 0;)
    wait_for_change(pending_, left, caller_sleepers_);
  busy_.store(false, std::memory_order_release);
}

}  // namespace wgf
