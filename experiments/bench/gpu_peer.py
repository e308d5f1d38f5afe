#!/usr/bin/env python3
"""CuPy / PyTorch peer of the CUDA grid solver's SSP-RK3 step (bench_gpu_step.cpp).

The NumPy peer (numpy_peer.py) ported to the GPU the way a user would port it: the same
array code with numpy replaced by cupy (or torch): potentials from rfftn/irfftn (cuFFT
underneath, plans cached by the library), the minmod-limited upwind fluxes of
Carrillo-Chertock-Huang vectorised with roll along each axis, SSP-RK3 with the solver's
time-step rule (the positivity bound needs max|u| on the host, as the solver does).
The setting is the benchmark's: discriminator role, e = gaussian:sigma=0.5, box [-pi, pi)^d,
p = q = 1 plus uniform noise of amplitude 1e-2.

Modes:
  gpu_peer.py [--backend cupy|torch] [--grids 2:4096,3:256,3:512] [--precision fp64,fp32]
              [--reps 10] [--warmup 2] [--tsv]
      median wall time of one step per grid and precision (device synchronised around it).
  gpu_peer.py --check DIR [--backend cupy|torch]
      DIR written by `wgf_bench_step --dump DIR`: recomputes Phi_p, the rates and one step
      with the C++ run's fixed dt from the same initial state in fp64 and compares (relative
      max error <= 1e-12, else exit status 1).
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


class CupyOps:
    name = "cupy"

    def __init__(self, precision):
        import cupy
        self.xp = cupy
        self.dtype = cupy.float64 if precision == "fp64" else cupy.float32

    def asarray(self, a):
        return self.xp.asarray(a, dtype=self.dtype)

    def roll(self, a, shift, axis):
        return self.xp.roll(a, shift, axis)

    def where(self, c, a, b):
        return self.xp.where(c, a, b)

    def abs(self, a):
        return self.xp.abs(a)

    def rfftn(self, a):
        return self.xp.fft.rfftn(a)

    def irfftn(self, a, shape):
        return self.xp.fft.irfftn(a, s=shape)

    def scalar(self, a):
        return float(a)

    def to_numpy(self, a):
        return self.xp.asnumpy(a).astype(np.float64)

    def sync(self):
        self.xp.cuda.Device().synchronize()

    def version(self):
        return f"cupy {self.xp.__version__}"


class TorchOps:
    name = "torch"

    def __init__(self, precision):
        import torch
        self.torch = torch
        self.dtype = torch.float64 if precision == "fp64" else torch.float32
        self.device = torch.device("cuda")

    def asarray(self, a):
        return self.torch.as_tensor(np.asarray(a), dtype=self.dtype, device=self.device)

    def roll(self, a, shift, axis):
        return self.torch.roll(a, shifts=shift, dims=axis)

    def where(self, c, a, b):
        if not isinstance(b, self.torch.Tensor):
            b = self.torch.tensor(b, dtype=self.dtype, device=self.device)
        return self.torch.where(c, a, b)

    def abs(self, a):
        return self.torch.abs(a)

    def rfftn(self, a):
        return self.torch.fft.rfftn(a)

    def irfftn(self, a, shape):
        return self.torch.fft.irfftn(a, s=shape)

    def scalar(self, a):
        return float(a)

    def to_numpy(self, a):
        return a.double().cpu().numpy()

    def sync(self):
        self.torch.cuda.synchronize()

    def version(self):
        return f"torch {self.torch.__version__}"


def make_ops(backend, precision):
    return CupyOps(precision) if backend == "cupy" else TorchOps(precision)


class Peer:
    def __init__(self, ops, dim, n, length=LENGTH, sigma=SIGMA, cfl=CFL):
        self.ops, self.dim, self.n, self.cfl = ops, dim, n, cfl
        self.h = length / n
        self.inv_h = 1.0 / self.h
        self.shape = (n,) * dim
        full = np.fft.fftfreq(n, d=1.0 / n)
        half = np.arange(n // 2 + 1, dtype=float)
        axes = [full] * (dim - 1) + [half]
        grids = np.meshgrid(*axes, indexing="ij", sparse=True)
        xi2 = sum((2 * math.pi * k / length) ** 2 for k in grids)
        e_hat = (2 * math.pi * sigma * sigma) ** (0.5 * dim) * np.exp(-0.5 * sigma * sigma * xi2)
        e_hat[(0,) * dim] = 0.0
        m_p = -2.0 * e_hat  # discriminator: sign -1, rate 1, dE/dp = +2 e*(p - q)
        disc = sum(4 * np.sin(0.5 * (2 * math.pi * k / length) * self.h) ** 2 / self.h ** 2
                   for k in grids)
        self.max_rate_per_density = float(np.max(disc * np.abs(2 * m_p)))
        self.m_p = ops.asarray(m_p)

    def potential(self, p, q):
        o = self.ops
        phi_p = o.irfftn(self.m_p * o.rfftn(p - q), self.shape)
        return phi_p, -phi_p

    def divergence(self, rho, phi):
        o, inv_h = self.ops, self.inv_h
        rate, speed = None, 0.0
        for axis in range(self.dim):
            forward = o.roll(rho, -1, axis) - rho
            backward = rho - o.roll(rho, 1, axis)
            smaller = o.where(o.abs(forward) < o.abs(backward), forward, backward)
            slope = o.where(forward * backward <= 0, 0.0, 0.5 * smaller)
            u = -(o.roll(phi, -1, axis) - phi) * inv_h
            flux = o.where(u > 0, u * (rho + slope), u * o.roll(rho - slope, -1, axis))
            div = (o.roll(flux, 1, axis) - flux) * inv_h
            rate = div if rate is None else rate + div
            speed = max(speed, o.scalar(o.abs(u).max()))
        return rate, speed

    def rates(self, p, q):
        phi_p, phi_q = self.potential(p, q)
        rate_p, speed_p = self.divergence(p, phi_p)
        rate_q, speed_q = self.divergence(q, phi_q)
        return rate_p, rate_q, max(speed_p, speed_q)

    def positivity_limit(self, speed):
        return self.h / (2.0 * self.dim * speed) if speed > 0 else math.inf

    def step(self, p, q, dt_cap=math.inf):
        o = self.ops
        rate_p0, rate_q0, speed = self.rates(p, q)
        rho_max = max(o.scalar(p.max()), o.scalar(q.max()))
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
        # The per-step diagnostics the solver keeps (mass, extremes), fetched to the host.
        volume = self.h ** self.dim
        summary = (o.scalar(p3.sum()) * volume, o.scalar(q3.sum()) * volume, o.scalar(p3.min()),
                   o.scalar(p3.max()), o.scalar(q3.min()), o.scalar(q3.max()))
        return p3, q3, dt, summary


def parse_grids(text):
    return [tuple(int(v) for v in item.split(":")) for item in text.split(",")]


def bench(args):
    rng = np.random.default_rng(args.seed)
    if args.tsv:
        print("dim\tn\tprecision\treps\tpeer_step_ms\tpeer")
    for dim, n in parse_grids(args.grids):
        for precision in args.precision.split(","):
            ops = make_ops(args.backend, precision)
            p = q = None
            try:
                peer = Peer(ops, dim, n)
                p = ops.asarray(1.0 + 1e-2 * rng.uniform(-1.0, 1.0, (n,) * dim))
                q = ops.asarray(1.0 + 1e-2 * rng.uniform(-1.0, 1.0, (n,) * dim))
                for _ in range(args.warmup):
                    p, q, _, _ = peer.step(p, q)
                times = []
                for _ in range(args.reps):
                    ops.sync()
                    start = time.perf_counter()
                    p, q, _, _ = peer.step(p, q)
                    ops.sync()
                    times.append(time.perf_counter() - start)
                median = float(np.median(times)) * 1e3
            except Exception as e:  # out of memory on the largest grids, typically
                median = float("nan")
                print(f"# {dim}D {n} {precision}: {type(e).__name__}: {e}", file=sys.stderr)
            p = q = None  # free the device memory before the next grid
            if args.tsv:
                print(f"{dim}\t{n}\t{precision}\t{args.reps}\t{median:.3f}\t{ops.version()}")
            else:
                print(f"{dim}D {n} {precision}: {ops.version()} step {median:.2f} ms "
                      f"(median of {args.reps})")
            sys.stdout.flush()


def relative_error(mine, theirs):
    scale = float(np.max(np.abs(theirs)))
    return float(np.max(np.abs(mine - theirs))) / scale if scale > 0 else float(np.max(np.abs(mine)))


def check(args, tolerance=1e-12):
    root = args.check
    cases = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "meta.txt")))
    if not cases:
        print(f"no dumps under {root}")
        return 1
    ops = make_ops(args.backend, "fp64")
    worst = 0.0
    for case in cases:
        directory = os.path.join(root, case)
        meta = dict(line.split() for line in open(os.path.join(directory, "meta.txt")))
        dim, n = int(meta["dim"]), int(meta["n"])
        peer = Peer(ops, dim, n, float(meta["length"]), float(meta["sigma"]))

        def load(name):
            return np.fromfile(os.path.join(directory, name + ".bin"), dtype="<f8").reshape(peer.shape)

        p0, q0, dt = ops.asarray(load("p0")), ops.asarray(load("q0")), float(meta["dt"])
        phi_p, _ = peer.potential(p0, q0)
        rate_p, rate_q, _ = peer.rates(p0, q0)
        p1, q1, dt_used, _ = peer.step(p0, q0, dt_cap=dt)
        if dt_used != dt:
            print(f"{case}: the peer's step did not take the fixed dt ({dt_used} vs {dt})")
            return 1
        errors = {
            "phi_p": relative_error(ops.to_numpy(phi_p), load("phi_p0")),
            "rate_p": relative_error(ops.to_numpy(rate_p), load("rate_p0")),
            "rate_q": relative_error(ops.to_numpy(rate_q), load("rate_q0")),
            "p_step": relative_error(ops.to_numpy(p1), load("p1")),
            "q_step": relative_error(ops.to_numpy(q1), load("q1")),
        }
        case_worst = max(errors.values())
        worst = max(worst, case_worst)
        print(f"{case}: " + ", ".join(f"{k} {v:.2e}" for k, v in errors.items()) +
              f"  [{'ok' if case_worst <= tolerance else 'MISMATCH'}]")
    print(f"{ops.version()} peer vs C++ step: worst relative error {worst:.2e} "
          f"(tolerance {tolerance:.0e})")
    return 0 if worst <= tolerance else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["cupy", "torch"], default="cupy")
    parser.add_argument("--grids", default="2:4096,3:256,3:512")
    parser.add_argument("--precision", default="fp64,fp32")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tsv", action="store_true")
    parser.add_argument("--check", metavar="DIR")
    args = parser.parse_args()
    if args.check:
        return check(args)
    bench(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
