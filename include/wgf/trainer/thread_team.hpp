#pragma once
// The trainer's thread team: persistent worker threads for the fine-grained parallel regions
// of a training step (the MLPs' row slabs, the pairwise loss's rows and products, Adam).
//
// Why not OpenMP's `parallel for`: one training step of the studies' networks is a few
// milliseconds cut into some thirty regions, and between two regions the workers wait. Under
// OMP_WAIT_POLICY=passive (what the tests and a shared machine want) libgomp puts them to
// sleep at once, and every region then pays a futex wake-up and a sleep at its join — on a
// virtual machine 100-200 µs per region, as much as a region's work: the benchmark GAN ran
// 1.0x faster on two threads than on one. Under the active policy they spin without end, which
// starves every other process of an oversubscribed machine. The team spins for a bounded
// window (spin_window below) after each region and then sleeps: back-to-back regions start
// within a microsecond, and an idle team costs nothing.
//
// One setting governs all threading: the team has omp_get_max_threads() threads (--threads sets
// it), re-read before each region. Task t of a region runs on thread t mod T; every task writes
// only its own outputs, so the results are those of running the tasks one after the other, in
// any order, on any number of threads. A region is run on the calling thread alone when it is
// called from inside a team task or an OpenMP parallel region, or while another thread holds the
// team (two trainings in threads of one process): the same tasks, so the same results.
// Tasks must not throw (they are numerical loops; an exception would end the process).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <type_traits>
#include <vector>

namespace wgf {

class ThreadTeam {
public:
  // The process's team.
  static ThreadTeam& shared();

  ThreadTeam() = default;
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  // The threads a region called now from this thread would run on (1 when it would run
  // serially).
  int threads_available() const;

  // Runs task(t) for every t in [0, tasks).
  template <typename Task>
  void run(int tasks, Task&& task) {
    using Plain = std::remove_reference_t<Task>;
    dispatch(tasks, [](void* context, int t) { (*static_cast<Plain*>(context))(t); },
             const_cast<void*>(static_cast<const void*>(&task)));
  }

  // How long a thread spins for the next region before it sleeps. The serial stretches of a
  // training step are 10-300 µs, but a thread that sleeps lets the virtual CPU halt, and waking
  // it costs as much again; measured on the benchmark GAN (2 threads, alternating binaries):
  // 1 ms windows gave 72-89 it/s, 5 ms 82-90 it/s. Short enough that a paused or finished
  // training frees its cores at once.
  static constexpr std::chrono::microseconds spin_window{5000};

private:
  using Call = void (*)(void*, int);
  void dispatch(int tasks, Call call, void* context);
  void resize(int threads);
  void work(int index, std::uint32_t seen);  // seen: the generation at its start
  static void wait_for_change(const std::atomic<std::uint32_t>& value, std::uint32_t seen,
                              std::atomic<int>& sleepers);

  std::vector<std::thread> workers_;  // threads 1 … T−1; the caller is thread 0
  int size_ = 1;
  std::atomic<bool> busy_{false};     // a caller holds the team
  std::atomic<std::uint32_t> generation_{0};  // bumped once per region (and to stop)
  std::atomic<std::uint32_t> pending_{0};     // workers still inside the current region
  std::atomic<int> worker_sleepers_{0};
  std::atomic<int> caller_sleepers_{0};
  bool stopping_ = false;
  // The current region, written by the caller before generation_ is bumped.
  Call call_ = nullptr;
  void* context_ = nullptr;
  int tasks_ = 0;
};

}  // namespace wgf
