#!/usr/bin/python3
"""Stability-map throughput: `wgf map` (upper envelope of lines in eps) against the NumPy
brute-force peer a user would write (broadcast a(xi) - eps b(xi) over eps and take the max over
xi), on the same map, in the same run. Both maps are compared before the ratio is printed: a peer
that computes something else is not a comparison.

The setting: discriminator role, d = 1, e = gaussian:sigma=1, s = gaussian:sigma={s} swept over
s in [0.1, 2], eps in [0, 20], xi_i = xi_max i / n_xi. lambda = 4 rho0 xi^2 (e^ - eps s^).

usage: bench_map.py [--wgf build/wgf] [--params 1000] [--eps 1000] [--n-xi 4096] [--threads 2]
"""
import argparse
import os
import subprocess
import tempfile
import time

import h5py
import numpy as np


def numpy_map(params, eps, xi, rho0=1.0, sigma=1.0):
    e_hat = np.sqrt(2 * np.pi) * sigma * np.exp(-0.5 * sigma**2 * xi**2)
    out = np.empty((params.size, eps.size))
    for p, s in enumerate(params):
        s_hat = np.sqrt(2 * np.pi) * s * np.exp(-0.5 * s**2 * xi**2)
        a = 4 * rho0 * xi**2 * e_hat
        b = 4 * rho0 * xi**2 * s_hat
        out[p] = (a[None, :] - eps[:, None] * b[None, :]).max(axis=1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wgf", default="build/wgf")
    parser.add_argument("--params", type=int, default=1000)
    parser.add_argument("--eps", type=int, default=1000)
    parser.add_argument("--n-xi", type=int, default=4096)
    parser.add_argument("--xi-max", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "map.h5")
        command = [args.wgf, "map", "--dim", "1", "--kernel", "gaussian:sigma=1",
                   "--stabilizer", "gaussian:sigma={s}", "--sweep", f"s=0.1:2:{args.params}",
                   "--eps", f"0:20:{args.eps}", "--xi-max", str(args.xi_max),
                   "--n-xi", str(args.n_xi), "--out", out, "--quiet"]
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        wall = time.perf_counter() - start
        with h5py.File(out) as f:
            wgf_map = f["map/max_growth"][:]
            compute = float(f.attrs["compute_seconds"])
            params = f["map/param"][:]
            eps = f["map/eps"][:]
    xi = args.xi_max * np.arange(1, args.n_xi + 1) / args.n_xi
    start = time.perf_counter()
    peer = numpy_map(params, eps, xi)
    numpy_seconds = time.perf_counter() - start
    # Same lines, same arithmetic up to the order of operations: equal to 1e-12 of the scale.
    scale = 4 * xi.max() ** 2 * np.sqrt(2 * np.pi) * max(1.0, 2.0 * eps.max())
    difference = np.abs(wgf_map - peer).max() / scale
    print(f"map {args.params} params x {args.eps} eps, {args.n_xi} xi samples, "
          f"{args.threads} threads (numpy: its default BLAS/ufunc threading)")
    print(f"  wgf map (envelope):     {compute:8.3f} s compute, {wall:.3f} s wall incl. start-up and HDF5")
    print(f"  numpy brute force:      {numpy_seconds:8.3f} s")
    print(f"  ratio numpy / wgf:      {numpy_seconds / compute:8.1f}x (compute), "
          f"{numpy_seconds / wall:.1f}x (wall)")
    print(f"  max |difference|/scale: {difference:.2e}  ({'agree' if difference < 1e-12 else 'DISAGREE'})")


if __name__ == "__main__":
    main()
