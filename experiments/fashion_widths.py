#!/usr/bin/env python3
"""Summary of a fashion-widths protocol (experiments/fashion_mnist.md, "Under a protocol").

Reads OUT_DIR/x<scale>/validate.h5 for every width scale of PROTOCOL, checks that each was run
with that scale's loss, stabiliser, ξ_c and the protocol's seeds and iterations (the file's own
attributes), and that every scale scored with the same classifier; writes OUT_DIR/summary.md:
per scale, the FD of each setting (mean, 95 % Student-t interval over seeds), the relative change
r = (mean stabilised − mean original) / mean original with a percentile bootstrap interval over
seeds resampled in pairs, the mean per-seed relative change with a paired Student-t interval, the seeds on which the stabilised FD is smaller (Wilson interval)
against the no-effect baseline (exact two-sided binomial test, p = ½ per seed), and the
protocol's verdict on the paired t interval: gain (below 0), reversal (above 0) or unresolved.

    python3 experiments/fashion_widths.py PROTOCOL OUT_DIR
"""
import hashlib
import math
import os
import sys

import h5py
import numpy as np

from gan_quality import interval  # 95 % Student-t over seeds (this folder is on sys.path)
from growth_table import rules, wilson


def binomial_two_sided(k, n):
    """Exact two-sided p of k successes in n under Binomial(n, ½)."""
    tail = sum(math.comb(n, j) for j in range(0, min(k, n - k) + 1)) / 2.0 ** n
    return min(1.0, 2 * tail)


def bootstrap_change(original, stabilised, resamples, rng, confidence):
    """Percentile interval of (mean s − mean o) / mean o over seeds resampled in pairs."""
    n = len(original)
    picks = rng.integers(0, n, size=(resamples, n))
    o, s = original[picks].mean(axis=1), stabilised[picks].mean(axis=1)
    alpha = (1 - confidence) / 2
    return tuple(np.quantile((s - o) / o, [alpha, 1 - alpha]))


def read_scale(path, expected):
    with h5py.File(path, "r") as f:
        attrs = f.attrs
        as_text = lambda v: v.decode() if isinstance(v, bytes) else str(v)
        for key, want in expected.items():
            got = attrs[key]
            ok = (as_text(got) == want) if isinstance(want, str) else np.allclose(np.ravel(got), want)
            if not ok:
                sys.exit(f"fashion_widths: {path}: {key} is {got!r}, the protocol says {want!r}")
        runs = {}
        for name in f["fashion"]:
            if name.startswith("run_"):
                g = f["fashion"][name].attrs
                runs[(as_text(g["setting"]), int(g["seed"]))] = float(g["frechet"])
        return dict(runs=runs, eps=float(attrs["eps"]), classifier=as_text(attrs["classifier_file"]),
                    accuracy=float(attrs["classifier_test_accuracy"]),
                    floor=float(attrs["floor_frechet"]), device=as_text(attrs["device"]),
                    seconds=float(attrs["seconds"]))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    protocol_path, out_dir = sys.argv[1], sys.argv[2]
    r = rules(protocol_path)
    sha = hashlib.sha256(open(protocol_path, "rb").read()).hexdigest()
    scales = [s.strip() for s in r["width_scales"].split(",")]
    losses = [s.strip() for s in r["losses"].split(";")]
    stabilizers = [s.strip() for s in r["stabilizers"].split(";")]
    xis = [float(s) for s in r["stable_above"].split(",")]
    seeds = [int(s) for s in r["seeds"].split(",")]
    iters = int(r["options"].split("--iters", 1)[1].split()[0])
    resamples, confidence = int(r["bootstrap_resamples"]), float(r["confidence"])
    rng = np.random.default_rng(int(r["bootstrap_seed"]))

    rows, missing, classifiers = [], [], set()
    for c, loss, stab, xi in zip(scales, losses, stabilizers, xis):
        path = os.path.join(out_dir, "x" + c, "validate.h5")
        if not os.path.exists(path):
            missing.append(c)
            continue
        s = read_scale(path, dict(loss=loss, stabilizer=stab, stable_above_xi=xi, seeds=seeds,
                                  iters=iters))
        classifiers.add(os.path.basename(os.path.dirname(s["classifier"])))
        o = np.array([s["runs"][("original", k)] for k in seeds])
        t = np.array([s["runs"][("stabilised", k)] for k in seeds])
        change = (t.mean() - o.mean()) / o.mean()
        lo, hi = bootstrap_change(o, t, resamples, rng, confidence)
        wins = int((t < o).sum())
        per_seed = (t - o) / o
        pl, ph = interval(per_seed)
        verdict = "gain" if ph < 0 else ("reversal" if pl > 0 else "unresolved")
        rows.append((c, s, o, t, change, lo, hi, per_seed, wins, verdict))
    if len(classifiers) > 1:
        sys.exit(f"fashion_widths: the scales used different classifiers: {sorted(classifiers)}")

    lines = [f"# Fashion-MNIST across kernel widths, protocol {r['name']}-v{r['version']}", "",
             f"protocol SHA-256 `{sha}`; {len(rows)} of {len(scales)} scales"
             + (f" (missing: {', '.join(missing)}: **partial**)" if missing else "")
             + f", seeds {', '.join(map(str, seeds))}, {iters} iterations per GAN.", ""]
    if rows:
        s0 = rows[0][1]
        lines += [f"Classifier test accuracy {100 * s0['accuracy']:.2f} %; floor (10 000 training "
                  f"images against the test images) FD {s0['floor']:.2f}; device {s0['device']}.", "",
                  "| width scale | ε (rule) | FD original [95 % t] | FD stabilised [95 % t] | "
                  "relative change [bootstrap 95 %] | per-seed change [paired t 95 %] | "
                  "stabilised better [Wilson 95 %], binomial p | verdict |",
                  "|---|---|---|---|---|---|---|---|"]
        for c, s, o, t, change, lo, hi, per_seed, wins, verdict in rows:
            pl, ph = interval(per_seed)
            ol, oh = interval(o)
            tl, th = interval(t)
            wl, wh = wilson(wins, len(seeds))
            lines.append(
                f"| ×{c} | {s['eps']:.6g} | {o.mean():.1f} [{ol:.1f}, {oh:.1f}] | "
                f"{t.mean():.1f} [{tl:.1f}, {th:.1f}] | {100 * change:+.1f} % [{100 * lo:+.1f}, "
                f"{100 * hi:+.1f}] | {100 * per_seed.mean():+.1f} % [{100 * pl:+.1f}, {100 * ph:+.1f}] | "
                f"{wins}/{len(seeds)} [{100 * wl:.0f} %, {100 * wh:.0f} %], "
                f"{binomial_two_sided(wins, len(seeds)):.2g} | {verdict} |")
        lines += ["", "Per seed (original → stabilised FD):", ""]
        for c, s, o, t, *_ in rows:
            pairs = ", ".join(f"{k}: {a:.1f} → {b:.1f}" for k, a, b in zip(seeds, o, t))
            lines.append(f"- ×{c} ({s['seconds']:.0f} s): {pairs}")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out_dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
