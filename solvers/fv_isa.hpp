#pragma once
// Internal to the grid solver: the instruction sets the fused finite-volume sweep is compiled
// for (fv_sweep.hpp: the baseline ISA, AVX2 and AVX-512, all without FMA contraction, so all
// give identical bits) and the choice among them at run time. Tests force each path in turn.
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define WGF_FV_HAVE_X86_PATHS 1
#endif

namespace wgf::fv {

// The instruction sets the sweep is compiled for. `automatic` takes the widest the CPU has;
// the others force one path (tests run each against the reference; all give the same bits).
enum class Isa { automatic, baseline, avx2, avx512 };
inline Isa forced_isa = Isa::automatic;

inline bool cpu_supports(Isa isa) {
#ifdef WGF_FV_HAVE_X86_PATHS
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool avx512 = __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512vl") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512bw");
  if (isa == Isa::avx2) return avx2;
  if (isa == Isa::avx512) return avx512;
#else
  if (isa == Isa::avx2 || isa == Isa::avx512) return false;
#endif
  return true;
}

// The path a sweep takes now: the forced one if the CPU has it, else the widest available.
inline Isa active_isa() {
  if (forced_isa != Isa::automatic && cpu_supports(forced_isa)) return forced_isa;
  if (cpu_supports(Isa::avx512)) return Isa::avx512;
  if (cpu_supports(Isa::avx2)) return Isa::avx2;
  return Isa::baseline;
}

}  // namespace wgf::fv
