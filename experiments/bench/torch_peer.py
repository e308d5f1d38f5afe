#!/usr/bin/python3
"""PyTorch peer of the trainer's training iteration (experiments/bench/bench_train_step.cpp).

The same GAN, written the way a PyTorch user would write it, eager mode, fp32:

  G = Linear(dz, h1) act ... Linear(h_k, dx)       (act: relu for G, leaky_relu(0.2) for D,
  D = Linear(dx, h1) act ... Linear(h_k, df)         identity outputs; as `wgf train`)
  features = D(cat([G(z), x]))                     (one stacked forward through D)
  S_ij = |Z_i|^2 + |Z_j|^2 - 2 Z_i.Z_j             (squared distances of all 2B features)
  E = a_ff sum K_ff + a_gg sum K_gg - 2 a_fg sum K_fg,  K = sum_t w_t e_t(S)
      (V-statistic: all pairs, a = 1/B^2; U-statistic: diagonals left out, a_ff = 1/(B(B-1)))
  D step: G(z) under no_grad, loss -E_{e - eps s}, backward, Adam step of D
  G step: D's parameters frozen (requires_grad False), loss E_e, backward, Adam step of G
  Adam(lr, betas=(beta1, beta2), eps), PyTorch's own implementation and defaults.

One iteration is n_critic D steps and one G step, on the batches of the dump's pool in order,
exactly as the C++ side. Everything (shapes, kernels, estimator, Adam settings, initial
parameters, batches) is read from a directory written by `wgf_bench_train --dump DIR`.

  torch_peer.py --dump DIR --check [--device cpu|cuda] [--threads T]
      Runs the dump's check iterations from its initial parameters and compares the losses
      of each iteration and the parameters afterwards with the C++ run. Exit status 1 when a
      loss differs by more than --tolerance (relative, default 1e-3; see the check's text).
  torch_peer.py --dump DIR [--device cpu|cuda] [--threads T] [--reps 15] [--iters-per-rep 10]
                [--warmup 10] [--tsv]
      Median over reps of the time of --iters-per-rep iterations (losses read back with
      .item() after each rep, which also waits for the GPU), as iterations per second.

Install the peer (Debian 12): apt-get install python3-torch; run it with /usr/bin/python3.
Debian's torch calls the system BLAS (libblas.so.3) for its CPU matrix products: the
reference BLAS unless an optimised one is installed (run_train_bench.sh also runs it with
OpenBLAS, libopenblas0-pthread, through LD_LIBRARY_PATH).
"""
import argparse
import math
import os
import re
import sys
import time

import numpy as np
import torch


def read_meta(directory):
    meta = {}
    with open(os.path.join(directory, "meta.txt")) as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            meta[key] = value
    return meta


def widths(text):
    return [int(w) for w in text.split(",") if w]


def spec_parameters(text):
    """'gaussian:sigma=1' -> ('gaussian', {'sigma': 1.0})."""
    name, _, params = text.partition(":")
    values = {}
    for item in params.split(","):
        if item:
            key, _, value = item.partition("=")
            values[key] = float(value)
    return name, values


def kernel_terms(spec):
    """Kernel spec text (as Kernel::spec() writes it) -> [(weight, name, parameters)]."""
    terms = []
    # '+' joins terms; the '+' of an exponent (1e+02) is followed by digits and a ',' or the end.
    for term in re.split(r"\+(?=[-0-9.eE]*\*?[a-z])", spec):
        weight = 1.0
        if "*" in term:
            w, _, term = term.partition("*")
            weight = float(w)
        name, values = spec_parameters(term)
        terms.append((weight, name, values))
    return terms


def make_kernel(spec, softening, dim):
    """e(S) on a tensor of squared distances; the families and softening of pair_kernel.hpp."""
    terms = kernel_terms(spec)
    delta2 = softening * softening

    def one(name, p, s):
        if name == "gaussian":
            sigma = p.get("sigma", 1.0)
            return torch.exp(s * (-1.0 / (2 * sigma * sigma)))
        if name == "rq":
            alpha, ell = p.get("alpha", 1.0), p.get("ell", 1.0)
            return (1 + s / (2 * alpha * ell * ell)) ** (-alpha)
        if name == "imq":
            c = p.get("c", 1.0)
            return torch.rsqrt(1 + s / (c * c))
        if name == "laplace":
            return torch.exp(-torch.sqrt(s + delta2) / p.get("ell", 1.0))
        if name == "energy":
            return -((s + delta2) ** (0.5 * p.get("beta", 1.0)))
        if name == "riesz":
            return (s + delta2) ** (-0.5 * p.get("alpha", dim - 1.0))
        sys.exit(f"torch_peer.py: kernel family '{name}' is not implemented in the peer")

    def kernel(s):
        total = None
        for weight, name, p in terms:
            value = one(name, p, s)
            value = value if weight == 1.0 else weight * value
            total = value if total is None else total + value
        return total

    return kernel


class Setting:
    def __init__(self, directory, device):
        m = read_meta(directory)
        self.directory = directory
        self.device = torch.device(device)
        self.dz, self.dx, self.df = int(m["dz"]), int(m["dx"]), int(m["df"])
        self.g_hidden, self.d_hidden = widths(m["g_hidden"]), widths(m["d_hidden"])
        self.batch, self.n_critic = int(m["batch"]), int(m["n_critic"])
        self.u_statistic = m["estimator"] in ("u", "U")
        self.lr, self.beta1, self.beta2 = float(m["lr"]), float(m["beta1"]), float(m["beta2"])
        self.adam_eps = float(m["adam_eps"])
        self.check_iters, self.pool = int(m["check_iters"]), int(m["pool_batches"])
        softening = float(m["softening"])
        self.g_activation, self.d_activation = m["g_activation"], m["d_activation"]
        self.generator_kernel = make_kernel(m["generator_kernel"], softening, self.df)
        self.discriminator_kernel = make_kernel(m["discriminator_kernel"], softening, self.df)
        self.meta = m
        b = self.batch
        # The pool stays in host memory and is copied per step, as the C++ backends receive it.
        self.real = self.floats("real.bin").reshape(self.pool, b, self.dx)
        self.latent = self.floats("latent.bin").reshape(self.pool, b, self.dz)
        if self.device.type == "cuda":
            self.real, self.latent = self.real.pin_memory(), self.latent.pin_memory()

    def floats(self, name):
        return torch.from_numpy(np.fromfile(os.path.join(self.directory, name), dtype="<f4"))


def activation(spec):
    if spec == "relu":
        return torch.nn.ReLU()
    if spec.startswith("leaky_relu"):
        return torch.nn.LeakyReLU(float(spec.partition("slope=")[2] or 0.2))
    if spec == "tanh":
        return torch.nn.Tanh()
    if spec == "softplus":
        return torch.nn.Softplus()
    if spec == "sigmoid":
        return torch.nn.Sigmoid()
    sys.exit(f"torch_peer.py: activation '{spec}' is not implemented in the peer")


def mlp(inputs, hidden, outputs, act):
    sizes = [inputs] + hidden + [outputs]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(activation(act))
    return torch.nn.Sequential(*layers)


def linears(net):
    return [m for m in net if isinstance(m, torch.nn.Linear)]


@torch.no_grad()
def load_flat(net, flat):
    """MlpShape's layout: per layer W (fan_in x fan_out, row-major; y = x W + b), then b."""
    offset = 0
    for lin in linears(net):
        out_features, in_features = lin.weight.shape
        w = flat[offset:offset + in_features * out_features].reshape(in_features, out_features)
        offset += in_features * out_features
        lin.weight.copy_(w.t())
        lin.bias.copy_(flat[offset:offset + out_features])
        offset += out_features
    assert offset == flat.numel(), "parameter count differs from the dump"


@torch.no_grad()
def read_flat(net):
    parts = []
    for lin in linears(net):
        parts += [lin.weight.t().reshape(-1), lin.bias.reshape(-1)]
    return torch.cat(parts).cpu()


class Gan:
    def __init__(self, s):
        self.s = s
        dev = s.device
        self.G = mlp(s.dz, s.g_hidden, s.dx, s.g_activation).to(dev)
        self.D = mlp(s.dx, s.d_hidden, s.df, s.d_activation).to(dev)
        load_flat(self.G, s.floats("generator0.bin").to(dev))
        load_flat(self.D, s.floats("discriminator0.bin").to(dev))
        adam = dict(lr=s.lr, betas=(s.beta1, s.beta2), eps=s.adam_eps)
        self.opt_g = torch.optim.Adam(self.G.parameters(), **adam)
        self.opt_d = torch.optim.Adam(self.D.parameters(), **adam)
        b = s.batch
        if s.u_statistic:
            a_ff = a_gg = 1.0 / (b * (b - 1))
        else:
            a_ff = a_gg = 1.0 / (b * b)
        self.a_ff, self.a_gg, self.a_fg = a_ff, a_gg, 1.0 / (b * b)
        self.next = 0
        self.loss_d = self.loss_g = None

    def energy(self, features, kernel):
        b = self.s.batch
        gram = features @ features.t()
        norms = gram.diagonal()
        squared = (norms[:, None] + norms[None, :] - 2 * gram).clamp_min(0)
        k = kernel(squared)
        k_ff, k_gg, k_fg = k[:b, :b], k[b:, b:], k[:b, b:]
        sum_ff, sum_gg = k_ff.sum(), k_gg.sum()
        if self.s.u_statistic:
            sum_ff = sum_ff - k_ff.diagonal().sum()
            sum_gg = sum_gg - k_gg.diagonal().sum()
        return self.a_ff * sum_ff + self.a_gg * sum_gg - 2 * self.a_fg * k_fg.sum()

    def batch(self):
        k = self.next % self.s.pool
        self.next += 1
        dev = self.s.device
        return (self.s.real[k].to(dev, non_blocking=True),
                self.s.latent[k].to(dev, non_blocking=True))

    def discriminator_step(self):
        x, z = self.batch()
        with torch.no_grad():
            fake = self.G(z)
        e = self.energy(self.D(torch.cat([fake, x])), self.s.discriminator_kernel)
        self.opt_d.zero_grad()
        (-e).backward()
        self.opt_d.step()
        self.loss_d = e.detach()

    def generator_step(self):
        x, z = self.batch()
        for p in self.D.parameters():
            p.requires_grad_(False)
        e = self.energy(self.D(torch.cat([self.G(z), x])), self.s.generator_kernel)
        self.opt_g.zero_grad()
        e.backward()
        self.opt_g.step()
        for p in self.D.parameters():
            p.requires_grad_(True)
        self.loss_g = e.detach()

    def iteration(self):
        for _ in range(self.s.n_critic):
            self.discriminator_step()
        self.generator_step()

    def losses(self):
        return float(self.loss_d.item()), float(self.loss_g.item())


def check(s, tolerance):
    gan = Gan(s)
    reference = np.loadtxt(os.path.join(s.directory, "losses.txt"), ndmin=2)
    worst = 0.0
    print(f"check ({s.device.type}): G {s.dz}-{s.meta['g_hidden']}-{s.dx}, "
          f"D {s.dx}-{s.meta['d_hidden']}-{s.df}, batch {s.batch}, n_critic {s.n_critic}, "
          f"{s.check_iters} iterations from the same parameters and batches")
    for it in range(s.check_iters):
        gan.iteration()
        d, g = gan.losses()
        ref_d, ref_g = reference[it]
        rel_d = abs(d - ref_d) / max(abs(ref_d), 1e-30)
        rel_g = abs(g - ref_g) / max(abs(ref_g), 1e-30)
        worst = max(worst, rel_d, rel_g)
        print(f"  iter {it + 1}: loss_d {d:.7g} vs C++ {ref_d:.7g} (rel {rel_d:.1e}), "
              f"loss_g {g:.7g} vs C++ {ref_g:.7g} (rel {rel_g:.1e})")
    for name, net in (("generator", gan.G), ("discriminator", gan.D)):
        ours = read_flat(net)
        theirs = s.floats(f"{name}_after.bin")
        start = s.floats(f"{name}0.bin")
        moved = float((theirs - start).norm())
        diff = float((ours - theirs).norm())
        # Adam moves a parameter by about lr whatever its gradient's size, so where a gradient
        # is at rounding level its sign, and that parameter's step, may differ: the norm of the
        # difference relative to the norm of the move says how much of the move differs.
        print(f"  {name} parameters after: |torch - C++| / |C++ move| = {diff / max(moved, 1e-30):.1e} "
              f"(max |torch - C++| {float((ours - theirs).abs().max()):.1e}, lr {s.lr:g})")
    ok = worst <= tolerance
    print(f"  worst relative loss difference {worst:.2e} (tolerance {tolerance:g}): "
          f"{'same computation' if ok else 'MISMATCH'}")
    return ok


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_iterations(s, threads, reps, per_rep, warmup, tsv):
    gan = Gan(s)
    for _ in range(warmup):
        gan.iteration()
    gan.losses()
    sync(s.device)
    seconds = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(per_rep):
            gan.iteration()
        gan.losses()  # .item() waits for the GPU, as the C++ side's last_losses()
        sync(s.device)
        seconds.append((time.perf_counter() - start) / per_rep)
    median = float(np.median(seconds))
    best = min(seconds)
    label = f"torch-{s.device.type}"
    if tsv:
        print("device\tthreads\tbatch\tg_hidden\td_hidden\tn_critic\tms_per_iter\tit_per_s\tbest_it_per_s")
        print(f"{label}\t{threads}\t{s.batch}\t{s.meta['g_hidden']}\t{s.meta['d_hidden']}\t"
              f"{s.n_critic}\t{1e3 * median:.4f}\t{1 / median:.2f}\t{1 / best:.2f}")
    else:
        print(f"{label}, {threads} thread(s), torch {torch.__version__}: "
              f"{1e3 * median:.3f} ms per iteration (median of {reps} x {per_rep}), "
              f"{1 / median:.1f} it/s (best rep {1 / best:.1f} it/s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", required=True, help="directory written by wgf_bench_train --dump")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--tolerance", type=float, default=1e-3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--iters-per-rep", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--tsv", action="store_true")
    a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        print("skipped: torch sees no CUDA device (torch.cuda.is_available() is False)")
        return 0
    torch.set_num_threads(a.threads)
    s = Setting(a.dump, a.device)
    if a.check:
        return 0 if check(s, a.tolerance) else 1
    time_iterations(s, a.threads, a.reps, a.iters_per_rep, a.warmup, a.tsv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
