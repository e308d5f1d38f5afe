#!/usr/bin/python3
"""NumPy peer of the grid solver's SSP-RK3 step (experiments/bench/bench_step.cpp).

The scheme is the one a user would write with NumPy alone: potentials from
numpy.fft.rfftn/irfftn, the minmod-limited upwind fluxes of Carrillo-Chertock-Huang
vectorised with np.roll along each axis, SSP-RK3 with the solver's time-step rule.
The setting is the benchmark's: discriminator role, e = gaussian:sigma=0.5, box [-pi, pi)^d.

    Phi_p = irfftn(m_p * rfftn(p - q)),  m_p(xi) = -2 e^(xi),  e^(0) := 0,  Phi_q = -Phi_p
    e^(xi) = (2 pi sigma^2)^(d/2) exp(-sigma^2 |xi|^2 / 2)
    u_{i+1/2} = -(Phi_{i+1} - Phi_i)/h,  F = u > 0 ? u rho^E_i : u rho^W_{i+1}
    rho^{E,W}_i = rho_i +- 1/2 minmod(rho_{i+1} - rho_i, rho_i - rho_{i-1})
    d rho/dt = -sum_axes (F_{i+1/2} - F_{i-1/2})/h

Threads: numpy.fft (pocketfft in NumPy 1.x) and NumPy's elementwise ufuncs run on one
thread whatever OMP_NUM_THREADS / OPENBLAS_NUM_THREADS say; no BLAS call is involved. The
peer is therefore single-threaded at every thread count the C++ side is given.

Modes:
  numpy_peer.py [--grids 2:1024,3:128] [--reps 5] [--warmup 1] [--threads-label T] [--tsv]
      median wall time of one step per grid (after warm-up steps).
  numpy_peer.py --check DIR
      DIR written by `wgf_bench_step --dump DIR`: recomputes Phi_p, the rates and one step
      with the C++ run's fixed dt from the same initial state and compares (relative max
      error <= 1e-12, else exit status 1).
"""
import argparse
import math
import os
import sys
import time

import numpy as np

SIGMA = 0.5
LENGTH = 2 * math.pi
CFL = 0.5  # wgf::SolverOptions::cfl default


class Peer:
    def __init__(self, dim, n, length=LENGTH, sigma=SIGMA, cfl=CFL):
        self.dim, self.n, self.length, self.cfl = dim, n, length, cfl
        self.h = length / n
        self.inv_h = 1.0 / self.h
        self.shape = (n,) * dim
        # Integer wavenumbers of the half spectrum: full axes, then 0..n/2 on the last one.
        full = np.fft.fftfreq(n, d=1.0 / n)
        half = np.arange(n // 2 + 1, dtype=float)
        axes = [full] * (dim - 1) + [half]
        grids = np.meshgrid(*axes, indexing="ij", sparse=True)
        xi2 = sum((2 * math.pi * k / length) ** 2 for k in grids)
        xi = np.sqrt(xi2)
        e_hat = (2 * math.pi * sigma * sigma) ** (0.5 * dim) * np.exp(-0.5 * sigma * sigma * xi * xi)
        e_hat[(0,) * dim] = 0.0  # the grid symbol: xi = 0 carries no potential
        self.m_p = -2.0 * e_hat  # discriminator: sign -1, rate 1, dE/dp = +2 e*(p - q)
        # Largest linear rate per unit density: sum_j 4 sin^2(xi_j h/2)/h^2 |m_p - m_q|.
        disc = sum(4 * np.sin(0.5 * (2 * math.pi * k / length) * self.h) ** 2 / self.h ** 2
                   for k in grids)
        self.max_rate_per_density = float(np.max(disc * np.abs(self.m_p - (-self.m_p))))

    def potential(self, p, q):
        phi_p = np.fft.irfftn(self.m_p * np.fft.rfftn(p - q), s=self.shape)
        return phi_p, -phi_p

    def divergence(self, rho, phi):
        """d rho/dt of one species and max |u| over its interfaces."""
        inv_h = self.inv_h
        rate = None
        speed = 0.0
        for axis in range(self.dim):
            forward = np.roll(rho, -1, axis) - rho
            backward = rho - np.roll(rho, 1, axis)
            smaller = np.where(np.abs(forward) < np.abs(backward), forward, backward)
            slope = np.where(forward * backward <= 0, 0.0, 0.5 * smaller)
            u = -(np.roll(phi, -1, axis) - phi) * inv_h
            flux = np.where(u > 0, u * (rho + slope), u * np.roll(rho - slope, -1, axis))
            div = (np.roll(flux, 1, axis) - flux) * inv_h
            rate = div if rate is None else rate + div
            speed = max(speed, float(np.abs(u).max()))
        return rate, speed

    def rates(self, p, q):
        phi_p, phi_q = self.potential(p, q)
        rate_p, speed_p = self.divergence(p, phi_p)
        rate_q, speed_q = self.divergence(q, phi_q)
        return rate_p, rate_q, max(speed_p, speed_q)

    def positivity_limit(self, speed):
        return self.h / (2.0 * self.dim * speed) if speed > 0 else math.inf

    def step(self, p, q, dt_cap=math.inf):
        """One SSP-RK3 step with the solver's rule for dt; returns (p, q, dt, summary)."""
        rate_p0, rate_q0, speed = self.rates(p, q)
        rho_max = max(float(p.max()), float(q.max()))
        linear_rate = rho_max * self.max_rate_per_density
        linear = 1.0 / linear_rate if linear_rate > 0 else math.inf
        dt = min(self.cfl * min(self.positivity_limit(speed), linear), dt_cap)
        while True:
            p1 = p + dt * rate_p0
            q1 = q + dt * rate_q0
            rate_p, rate_q, speed = self.rates(p1, q1)
            if dt > self.positivity_limit(speed):
                dt = self.cfl * self.positivity_limit(speed)
                continue
            p2 = 0.75 * p + 0.25 * (p1 + dt * rate_p)
            q2 = 0.75 * q + 0.25 * (q1 + dt * rate_q)
            rate_p, rate_q, speed = self.rates(p2, q2)
            if dt > self.positivity_limit(speed):
                dt = self.cfl * self.positivity_limit(speed)
                continue
            p3 = (1.0 / 3.0) * p + (2.0 / 3.0) * (p2 + dt * rate_p)
            q3 = (1.0 / 3.0) * q + (2.0 / 3.0) * (q2 + dt * rate_q)
            break
        # The diagnostics the solver keeps per step (mass, extremes) for concentration checks.
        volume = self.h ** self.dim
        summary = (float(p3.sum()) * volume, float(q3.sum()) * volume, float(p3.min()),
                   float(p3.max()), float(q3.min()), float(q3.max()))
        return p3, q3, dt, summary


def parse_grids(text):
    grids = []
    for item in text.split(","):
        dim, n = item.split(":")
        grids.append((int(dim), int(n)))
    return grids


def bench(args):
    rng = np.random.default_rng(args.seed)
    if args.tsv:
        print("dim\tn\tthreads\treps\tnumpy_step_ms")
    for dim, n in parse_grids(args.grids):
        peer = Peer(dim, n)
        p = 1.0 + 1e-2 * rng.uniform(-1.0, 1.0, peer.shape)
        q = 1.0 + 1e-2 * rng.uniform(-1.0, 1.0, peer.shape)
        for _ in range(args.warmup):
            p, q, _, _ = peer.step(p, q)
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            p, q, _, _ = peer.step(p, q)
            times.append(time.perf_counter() - start)
        median = float(np.median(times)) * 1e3
        if args.tsv:
            print(f"{dim}\t{n}\t{args.threads_label}\t{args.reps}\t{median:.3f}")
        else:
            print(f"{dim}D {n}: numpy step {median:.1f} ms (median of {args.reps})")
        sys.stdout.flush()


def read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            key, value = line.split()
            meta[key] = value
    return meta


def relative_error(mine, theirs):
    scale = float(np.max(np.abs(theirs)))
    return float(np.max(np.abs(mine - theirs))) / scale if scale > 0 else float(np.max(np.abs(mine)))


def increment_error(mine, theirs, start):
    rounding = 4 * np.finfo(float).eps * float(np.max(np.abs(theirs)))
    excess = max(0.0, float(np.max(np.abs((mine - start) - (theirs - start)))) - rounding)
    return excess / float(np.max(np.abs(theirs - start)))


def check(root, tolerance=1e-12):
    cases = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "meta.txt")))
    if not cases:
        print(f"no dumps under {root}")
        return 1
    worst = 0.0
    for case in cases:
        directory = os.path.join(root, case)
        meta = read_meta(os.path.join(directory, "meta.txt"))
        dim, n = int(meta["dim"]), int(meta["n"])
        assert meta["role"] == "discriminator" and float(meta["sigma"]) == SIGMA
        peer = Peer(dim, n, float(meta["length"]), float(meta["sigma"]))

        def load(name):
            return np.fromfile(os.path.join(directory, name + ".bin"), dtype="<f8").reshape(peer.shape)

        p0, q0 = load("p0"), load("q0")
        dt = float(meta["dt"])
        phi_p, _ = peer.potential(p0, q0)
        rate_p, rate_q, _ = peer.rates(p0, q0)
        p1, q1, dt_used, _ = peer.step(p0, q0, dt_cap=dt)
        if dt_used != dt:
            print(f"{case}: the peer's step did not take the fixed dt ({dt_used} vs {dt})")
            return 1
        c_p1, c_q1 = load("p1"), load("q1")
        errors = {
            "phi_p": relative_error(phi_p, load("phi_p0")),
            "rate_p": relative_error(rate_p, load("rate_p0")),
            "rate_q": relative_error(rate_q, load("rate_q0")),
            "p_step": relative_error(p1, c_p1),
            "q_step": relative_error(q1, c_q1),
            # The increment alone, where a wrong scheme cannot hide behind p ~ 1: relative to
            # max |increment|, beyond the rounding both sides' states carry (a few ulp of p).
            "dp_step": increment_error(p1, c_p1, p0),
            "dq_step": increment_error(q1, c_q1, q0),
        }
        case_worst = max(errors.values())
        worst = max(worst, case_worst)
        status = "ok" if case_worst <= tolerance else "MISMATCH"
        amplitude = meta.get("amplitude", "?")
        print(f"{case} (amplitude {amplitude}): dt {dt:.6g}, relative max errors " +
              ", ".join(f"{k} {v:.2e}" for k, v in errors.items()) + f"  [{status}]")
    print(f"numpy peer vs C++ step: worst relative error {worst:.2e} (tolerance {tolerance:.0e})")
    return 0 if worst <= tolerance else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grids", default="2:1024,3:128")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads-label", default=os.environ.get("OMP_NUM_THREADS", "1"),
                        help="thread count to report (NumPy itself uses one thread)")
    parser.add_argument("--tsv", action="store_true")
    parser.add_argument("--check", metavar="DIR")
    args = parser.parse_args()
    if args.check:
        return check(args.check)
    bench(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
