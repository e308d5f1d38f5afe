#!/usr/bin/env python3
"""Summary of the trained-GAN quality study (experiments/gan_quality.md).

Reads every `wgf train` file in OUT_DIR, checks that its command line is the protocol's, and
scores the last snapshot's generated samples against the mixture's centres, here, independently
of the trainer's own metric: a sample is high-quality when it lies within quality_hq_radius
standard deviations of its nearest centre; a mode is covered under the study's rule when at least
max(1, 0.1 n/k) high-quality samples are nearest to it, and under the papers' rule (PacGAN's and
VEEGAN's code) when at least one is. Per data set: the mean over seeds with a 95 % Student-t
interval, each seed's figures, and whether the protocol's targets are met.

    python3 experiments/gan_quality.py PROTOCOL OUT_DIR
"""
import glob
import math
import os
import sys

import h5py
import numpy as np

from growth_table import rules  # one reader of the protocol files (this folder is on sys.path)

# Two-sided 95 % Student-t quantiles by degrees of freedom (tables; scipy is not required).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
        10: 2.228, 14: 2.145, 19: 2.093, 29: 2.045}


def keyed(text):
    return {k.strip(): v.strip() for k, v in (item.split(":", 1) for item in text.split(";"))}


def score(samples, centres, std, hq_radius):
    d2 = ((samples[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    good = d2[np.arange(len(samples)), nearest] <= (hq_radius * std) ** 2
    counts = np.bincount(nearest[good], minlength=len(centres))
    needed = max(1.0, 0.1 * len(samples) / len(centres))
    return dict(hq=float(good.mean()), modes=int((counts >= needed).sum()),
                modes_any=int((counts >= 1).sum()))


def interval(values):
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return (float("nan"), float("nan"))
    t = T975.get(len(v) - 1, 1.96)
    half = t * v.std(ddof=1) / math.sqrt(len(v))
    return (v.mean() - half, v.mean() + half)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    protocol_path, out_dir = sys.argv[1], sys.argv[2]
    r = rules(protocol_path)
    stds = {k: float(v) for k, v in keyed(r["quality_std"]).items()}
    mode_targets = {k: float(v) for k, v in keyed(r["quality_target_modes"]).items()}
    hq_targets = {k: float(v) for k, v in keyed(r["quality_target_hq"]).items()}
    hq_radius = float(r["quality_hq_radius"])
    options = keyed(r["quality_options"])  # per data set: "ring8: OPTIONS; grid25: OPTIONS"
    label = f"{r['name']}-v{r['version']}"
    rows = {}
    for path in sorted(glob.glob(os.path.join(out_dir, "*.h5"))):
        with h5py.File(path, "r") as f:
            line = f.attrs["command_line"]
            line = line.decode() if isinstance(line, bytes) else str(line)
            data = f.attrs["data"]
            data = data.decode() if isinstance(data, bytes) else str(data)
            if data not in options or options[data] not in line:
                sys.exit(f"gan_quality: {path} was not run with the protocol's options for {data}")
            seed = int(f.attrs["seed"])
            samples = np.asarray(f["train/snapshots/samples"][-1], dtype=float)
            if "quality_samples" in r and len(samples) != int(r["quality_samples"]):
                sys.exit(f"gan_quality: {path} holds {len(samples)} samples, the protocol scores "
                         f"{r['quality_samples']}")
            centres = np.asarray(f["train/mixture_centres"], dtype=float).reshape(-1, samples.shape[1])
            s = score(samples, centres, stds[data], hq_radius)
            s["trainer_modes"] = float(f["train/metrics/modes_covered"][-1])
            s["trainer_hq"] = float(f["train/metrics/high_quality_fraction"][-1])
            s["iters"] = int(f["train/metrics/iter"][-1])
            s["k"] = len(centres)
            s["n"] = len(samples)
            rows.setdefault(data, {})[seed] = s
    if not rows:
        sys.exit(f"gan_quality: no runs in {out_dir}")
    md = [f"# Trained-GAN quality, protocol {label}", "",
          "Options: " + "; ".join(f"{d}: `{o}`" for d, o in options.items()) + f"; a sample is high-quality within {hq_radius:g} std of "
          "its nearest centre; intervals are 95 % Student-t over seeds.", ""]
    for data, by_seed in rows.items():
        seeds = sorted(by_seed)
        k = by_seed[seeds[0]]["k"]
        n = by_seed[seeds[0]]["n"]
        modes = [by_seed[s]["modes"] for s in seeds]
        modes_any = [by_seed[s]["modes_any"] for s in seeds]
        hq = [by_seed[s]["hq"] for s in seeds]
        lo_m, hi_m = interval(modes)
        lo_a, hi_a = interval(modes_any)
        lo_q, hi_q = interval(hq)
        meets = np.mean(modes) >= mode_targets[data] and np.mean(hq) >= hq_targets[data]
        md += [f"## {data} ({k} modes, {n} samples, {len(seeds)} seeds)", "",
               f"- modes covered (≥ max(1, 0.1 n/k) high-quality samples): mean {np.mean(modes):.2f} "
               f"[{lo_m:.2f}, {hi_m:.2f}]",
               f"- modes covered (papers' rule, ≥ 1 high-quality sample): mean {np.mean(modes_any):.2f} "
               f"[{lo_a:.2f}, {hi_a:.2f}]",
               f"- high-quality fraction: mean {np.mean(hq):.3f} [{lo_q:.3f}, {hi_q:.3f}]",
               f"- target (mean modes ≥ {mode_targets[data]:g}, high-quality ≥ {hq_targets[data]:g}): "
               f"**{'met' if meets else 'not met'}**", "",
               "| seed | iterations | modes | modes (≥ 1) | high-quality | trainer's modes / high-quality |",
               "|---|---|---|---|---|---|"]
        for s in seeds:
            x = by_seed[s]
            md.append(f"| {s} | {x['iters']} | {x['modes']} | {x['modes_any']} | {x['hq']:.3f} | "
                      f"{x['trainer_modes']:g} / {x['trainer_hq']:.3f} |")
        md.append("")
    open(os.path.join(out_dir, "summary.md"), "w").write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
