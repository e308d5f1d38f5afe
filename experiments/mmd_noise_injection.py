#!/usr/bin/env python3
"""Figure and summary of experiments/mmd_noise_injection.sh.

    experiments/mmd_noise_injection.py OUTDIR

Reads every OUTDIR/*.h5 written by `wgf mmd-flow` and writes
    OUTDIR/mmd_noise_injection.png   MMD² against the iteration (plain and noisy flow, per file),
                                     and histograms of the final particles against the target
    OUTDIR/summary.md                MMD² at the end of the noise phase and at the end, the
                                     smallest MMD² reached, and the particles left far out
"""

import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot import attr  # noqa: E402

FAR = 4.0  # a particle beyond 4 target standard deviations counts as left behind


def load(path):
    with h5py.File(path, "r") as f:
        g = f["mmd_flow"]
        run = {name: g[name][:] for name in g}
        run["attrs"] = {k: attr(f, k) for k in f.attrs}
    run["name"] = os.path.splitext(os.path.basename(path))[0]
    return run


def label(run):
    a = run["attrs"]
    target = "exact N(0,1)" if a["target_samples"] == 0 else f"{a['target_samples']} samples"
    return (f"{run['name']}: N={a['particles']}, {target}, β={a['noise']:g} for "
            f"{a['noise_iters']} steps")


def value_at(run, key, iteration):
    index = min(np.searchsorted(run["iteration"], iteration), len(run["iteration"]) - 1)
    return run[key][index]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    runs = [load(p) for p in sorted(glob.glob(os.path.join(out, "*.h5")))]
    if not runs:
        print(f"no mmd-flow files in {out}", file=sys.stderr)
        return 2

    fig, (ax, hist) = plt.subplots(1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    for i, run in enumerate(runs):
        colour = f"C{i}"
        ax.semilogy(run["iteration"], run["mmd2_without_noise"], color=colour, ls="--", lw=1)
        ax.semilogy(run["iteration"], run["mmd2_with_noise"], color=colour, lw=1.5,
                    label=label(run))
        ax.axvline(run["attrs"]["noise_iters"], color=colour, lw=0.6, ls=":")
    ax.axhline(1e-3, color="k", lw=0.6)
    ax.axhline(1e-4, color="k", lw=0.6)
    ax.set_xlabel("iteration")
    ax.set_ylabel("MMD² (particles vs target)")
    ax.set_title("solid: with noise injection; dashed: without; dotted: end of the noise phase",
                 fontsize=9)
    ax.legend(fontsize=7)
    # The histogram shows the set-up when it is there (paper.h5), else the first file.
    first = next((run for run in runs if run["name"] == "paper"), runs[0])
    bins = np.linspace(-4, 60, 129)
    hist.hist(first["initial_positions"][:, 0], bins=bins, alpha=0.4, label="initial")
    hist.hist(first["final_positions_without_noise"][:, 0], bins=bins, histtype="step", lw=1.5,
              label="final, without noise")
    hist.hist(first["final_positions_with_noise"][:, 0], bins=bins, histtype="step", lw=1.5,
              label="final, with noise")
    hist.set_yscale("log")
    hist.set_xlabel("x")
    hist.set_ylabel("particles per bin")
    hist.set_title(f"{first['name']}: particles (target N(0, 1))", fontsize=9)
    hist.legend(fontsize=7)
    fig.tight_layout()
    figure = os.path.join(out, "mmd_noise_injection.png")
    fig.savefig(figure, dpi=110)
    plt.close(fig)

    lines = ["| run | flow | MMD² start | MMD² at end of noise phase | MMD² end | smallest MMD² | "
             f"particles beyond |x| > {FAR:g} at the end |", "|---|---|---|---|---|---|---|"]
    for run in runs:
        noise_end = run["attrs"]["noise_iters"]
        for flow, key, positions in [("without noise", "mmd2_without_noise",
                                      "final_positions_without_noise"),
                                     ("with noise", "mmd2_with_noise",
                                      "final_positions_with_noise")]:
            far = int(np.sum(np.abs(run[positions][:, 0]) > FAR))
            lines.append(f"| {label(run)} | {flow} | {run[key][0]:.3g} | "
                         f"{value_at(run, key, noise_end):.3g} | {run[key][-1]:.3g} | "
                         f"{run[key].min():.3g} | {far} of {run['attrs']['particles']} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as handle:
        handle.write(text)
    print(text)
    print("figure:", figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
