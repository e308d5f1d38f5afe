#!/usr/bin/env python3
"""Summary of the quality-against-ε study (protocol gan-quality-eps; experiments/gan_quality.md).

Reads every `wgf train` file in OUT_DIR, checks its command line holds the protocol's options,
stabiliser and an ε of the grid, scores the last snapshot with gan_quality.py's score(), and
prints per ratio the mean modes and high-quality fraction (95 % Student-t over seeds), the paired
difference from ratio 0 (same seeds), and the protocol's verdict per ratio. A study with missing
runs is labelled partial and compares only the seeds that ran at both ratios.

    python3 experiments/gan_quality_eps.py PROTOCOL OUT_DIR
"""
import glob
import os
import re
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gan_quality import interval, keyed, score  # noqa: E402
from growth_table import rules  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    protocol_path, out_dir = sys.argv[1], sys.argv[2]
    r = rules(protocol_path)
    data, options = next(iter(keyed(r["quality_options"]).items()))
    std = float(keyed(r["quality_std"])[data])
    hq_radius = float(r["quality_hq_radius"])
    critical = float(r["quality_eps_critical"])
    ratios = [float(x) for x in r["quality_eps_ratios"].split(",")]
    seeds = [int(x) for x in r["quality_seeds"].split(",")]
    by = {}  # (ratio, seed) -> score
    for path in sorted(glob.glob(os.path.join(out_dir, "*.h5"))):
        with h5py.File(path, "r") as f:
            line = text(f.attrs["command_line"])
            if options not in line or f"--stabilizer {r['quality_stabilizer']}" not in line:
                sys.exit(f"gan_quality_eps: {path} was not run with the protocol's options")
            eps = float(re.search(r"--eps (\S+)", line).group(1))
            ratio = next((x for x in ratios if abs(x * critical - eps) <= 1e-12 * max(1.0, eps)), None)
            if ratio is None:
                sys.exit(f"gan_quality_eps: {path} has eps {eps}, not on the protocol's grid")
            if text(f.attrs["status"]) != "completed":
                print(f"gan_quality_eps: {path} is {text(f.attrs['status'])}; left out", file=sys.stderr)
                continue
            samples = np.asarray(f["train/snapshots/samples"][-1], dtype=float)
            if len(samples) != int(r["quality_samples"]):
                sys.exit(f"gan_quality_eps: {path} holds {len(samples)} samples, not {r['quality_samples']}")
            centres = np.asarray(f["train/mixture_centres"], dtype=float).reshape(-1, samples.shape[1])
            by[(ratio, int(f.attrs["seed"]))] = score(samples, centres, std, hq_radius)
    done = len(by)
    total = len(ratios) * len(seeds)
    md = [f"# Sample quality against ε, protocol {r['name']}-v{r['version']}", "",
          f"{data}, `{options}`, stabiliser {r['quality_stabilizer']}, ε = ratio × {critical:g} (ε*); "
          f"{done} of {total} runs" + (" — **partial**" if done < total else "") + ". Intervals: 95 % Student-t over seeds.", "",
          "| ε/ε* | ε | seeds | modes [95 %] | high-quality [95 %] | Δ modes vs ε = 0 (paired) | Δ high-quality vs ε = 0 (paired) | verdict |",
          "|---|---|---|---|---|---|---|---|"]
    for ratio in ratios:
        have = [s for s in seeds if (ratio, s) in by]
        if not have:
            md.append(f"| {ratio:g} | {ratio * critical:.4g} | 0 | – | – | – | – | not run |")
            continue
        modes = [by[(ratio, s)]["modes"] for s in have]
        hq = [by[(ratio, s)]["hq"] for s in have]
        lm, hm = interval(modes)
        lq, hq_hi = interval(hq)
        row = (f"| {ratio:g} | {ratio * critical:.4g} | {len(have)} | {np.mean(modes):.2f} [{lm:.2f}, {hm:.2f}] | "
               f"{np.mean(hq):.3f} [{lq:.3f}, {hq_hi:.3f}] |")
        paired = [s for s in have if (0.0, s) in by]
        if ratio == 0 or len(paired) < 2:
            md.append(row + (" – | – | baseline |" if ratio == 0 else f" ({len(paired)} paired seeds) | – | undecided (too few seeds) |"))
            continue
        dm = [by[(ratio, s)]["modes"] - by[(0.0, s)]["modes"] for s in paired]
        dq = [by[(ratio, s)]["hq"] - by[(0.0, s)]["hq"] for s in paired]
        ldm, hdm = interval(dm)
        ldq, hdq = interval(dq)
        if np.all(np.array(dm) == dm[0]):
            ldm = hdm = dm[0]  # no spread: the interval is the value itself
        verdict = ("supported" if ldq > 0 and not hdm < 0 else "contradicted" if hdq < 0 else "undecided")
        md.append(row + f" {np.mean(dm):+.2f} [{ldm:+.2f}, {hdm:+.2f}] | {np.mean(dq):+.3f} [{ldq:+.3f}, {hdq:+.3f}] | {verdict} |")
    md += ["", "Per run (modes / high-quality):", "",
           "| seed | " + " | ".join(f"ε/ε* {x:g}" for x in ratios) + " |", "|---" * (len(ratios) + 1) + "|"]
    for s in seeds:
        cells = [f"{by[(x, s)]['modes']} / {by[(x, s)]['hq']:.3f}" if (x, s) in by else "–" for x in ratios]
        md.append(f"| {s} | " + " | ".join(cells) + " |")
    open(os.path.join(out_dir, "summary.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
