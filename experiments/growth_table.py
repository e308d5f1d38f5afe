#!/usr/bin/env python3
"""Summary of a growth-rate table (experiments/growth_table.md).

Reads every `wgf growth` file in OUT_DIR, checks that each was run under PROTOCOL (its SHA-256),
and writes OUT_DIR/summary.md and OUT_DIR/points.csv: per theory (free-particle, tangent-kernel)
the median relative error with a bootstrap interval over runs, the fraction within the protocol's
target with a Wilson interval, and the sign agreement with its Wilson interval beside the
always-positive and always-negative baselines and an exact McNemar test against the better one.
The Wilson and McNemar formulas are those of analysis/statistics/agreement.cpp (its tests check
them against published values).

    python3 experiments/growth_table.py PROTOCOL OUT_DIR [KEPT_POINTS.csv]

A protocol with `table_runs_of = NAME` (growth-table-v2) makes no runs of its own: its points
are those of experiments/results/NAME/points.csv (checked against NAME's protocol file and its
SHA-256), allowed only when the two protocols differ in nothing but the keys REANALYSIS_KEYS, and
every point is marked resolved again by this protocol's rule. The summary says it is a
reanalysis.

A table can take more than one session: KEPT_POINTS.csv (the points.csv of an earlier summary,
committed under experiments/results/) adds the runs it holds that OUT_DIR has no file for. Its
rows carry the protocol's SHA-256 and are refused when it differs. The summary says how many of
the protocol's runs it holds, so a partial table is labelled as one.
"""
import csv
import glob
import hashlib
import math
import os
import sys

import h5py
import numpy as np


def rules(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def wilson(successes, trials, z=1.959963984540054):
    if trials == 0:
        return (float("nan"), float("nan"))
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


def mcnemar_exact(b, c):
    """Two-sided exact McNemar p: the discordant pairs b, c under Binomial(b + c, 1/2)."""
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n
    return min(1.0, 2 * tail)


def read_points(protocol_path, out_dir):
    text = open(protocol_path, encoding="utf-8").read()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    points, runs, foreign = [], 0, 0
    for path in sorted(glob.glob(os.path.join(out_dir, "*.h5"))):
        with h5py.File(path, "r") as f:
            sha = f.attrs["protocol_sha256"]
            sha = sha.decode() if isinstance(sha, bytes) else str(sha)
            if sha != digest:
                foreign += 1
                continue
            g = f["growth"]
            run = os.path.basename(path)[:-3]
            attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
            for k in range(len(g["xi"])):
                points.append(dict(run=run, data=attrs["data"], loss=attrs["loss"],
                                   stabilizer=attrs["stabilizer"], eps=float(attrs["eps"]),
                                   seed=int(attrs["seed"]), xi=float(g["xi"][k]),
                                   measured=float(g["measured_rate"][k]),
                                   ci_low=float(g["measured_rate_ci"][k, 0]),
                                   ci_high=float(g["measured_rate_ci"][k, 1]),
                                   free=float(g["predicted_free"][k]),
                                   tangent=float(g["predicted_tangent"][k]),
                                   resolved=int(g["resolved"][k]),
                                   stop=str(g.attrs["stop_reason"].decode() if isinstance(g.attrs["stop_reason"], bytes) else g.attrs["stop_reason"]),
                                   protocol_sha256=digest))
            runs += 1
    return points, runs, foreign, digest


def read_kept(path, digest, have):
    """Rows of an earlier points.csv for runs not in `have`; a row of another protocol is an error."""
    kept = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row.get("protocol_sha256") != digest:
                sys.exit(f"growth_table: {path} holds a row of another protocol (run {row['run']})")
            if row["run"] in have:
                continue
            for key in ("eps", "xi", "measured", "ci_low", "ci_high", "free", "tangent"):
                row[key] = float(row[key])
            for key in ("seed", "resolved"):
                row[key] = int(row[key])
            kept.append(row)
    return kept


# Keys a reanalysis may change: what counts as resolved, and the file's own name and text.
REANALYSIS_KEYS = {"version", "description", "resolved_ci_fraction", "resolved_rule", "table_runs_of"}


def mark_resolved(points, r):
    """The protocol's resolved rule (growth_study.cpp's two rules) applied to each point."""
    largest = {}
    for p in points:
        largest[p["run"]] = max(largest.get(p["run"], 0.0), abs(p["measured"]))
    for p in points:
        if r.get("resolved_rule") == "interval_excludes_zero":
            p["resolved"] = int(p["ci_low"] > 0 or p["ci_high"] < 0)
        elif "resolved_ci_fraction" in r and "resolved_rule" not in r:
            p["resolved"] = int(p["ci_high"] - p["ci_low"] <= float(r["resolved_ci_fraction"]) * largest[p["run"]])
        else:
            sys.exit("growth_table: the protocol names no known resolved rule")


def reanalysed_points(protocol_path, r, digest):
    """The points of the protocol named by table_runs_of, resolved again by this protocol's rule."""
    source = r["table_runs_of"]
    source_protocol = os.path.join(os.path.dirname(protocol_path), source + ".txt")
    source_rules = rules(source_protocol)
    differing = {k for k in set(r) | set(source_rules) if r.get(k) != source_rules.get(k)}
    if differing - REANALYSIS_KEYS:
        sys.exit(f"growth_table: {protocol_path} reanalyses {source} but changes run rules: "
                 + ", ".join(sorted(differing - REANALYSIS_KEYS)))
    source_digest = hashlib.sha256(open(source_protocol, encoding="utf-8").read().encode("utf-8")).hexdigest()
    path = os.path.join("experiments", "results", source, "points.csv")
    points = read_kept(path, source_digest, set())
    mark_resolved(points, r)
    return points, source, source_digest


def expected_runs(r):
    # A grid without stabilisers (the trained pilot) has one run per (data, loss, seed).
    counts = [len(r[k].split(sep)) if k in r else 1
              for k, sep in (("table_data", ";"), ("table_losses", ";"), ("table_stabilizers", ";"),
                             ("table_eps", ","), ("table_seeds", ","))]
    return math.prod(counts)


def summarise(points, theory, target, resamples, rng):
    """Figures for one theory over a set of points; the median's interval resamples runs."""
    if not points:
        return None
    rel = np.array([abs(p[theory] - p["measured"]) / abs(p["measured"]) if p["measured"] != 0 else np.inf
                    for p in points])
    sign_ok = np.array([np.sign(p[theory]) == np.sign(p["measured"]) for p in points])
    positive_ok = np.array([p["measured"] > 0 for p in points])
    negative_ok = ~positive_ok
    runs = sorted({p["run"] for p in points})
    by_run = {r: np.array([i for i, p in enumerate(points) if p["run"] == r]) for r in runs}
    medians = []
    for _ in range(resamples):
        pick = rng.integers(0, len(runs), len(runs))
        idx = np.concatenate([by_run[runs[j]] for j in pick])
        medians.append(np.median(rel[idx]))
    within = int(np.sum(rel <= target))
    better_name, better = ("always positive", positive_ok) if positive_ok.sum() >= negative_ok.sum() else ("always negative", negative_ok)
    b = int(np.sum(sign_ok & ~better))
    c = int(np.sum(~sign_ok & better))
    n = len(points)
    return dict(n=n, runs=len(runs), median=float(np.median(rel)),
                median_ci=(float(np.percentile(medians, 2.5)), float(np.percentile(medians, 97.5))),
                within=within, within_ci=wilson(within, n), sign=int(sign_ok.sum()),
                sign_ci=wilson(int(sign_ok.sum()), n), positive=int(positive_ok.sum()),
                negative=int(negative_ok.sum()), better=better_name, mcnemar=mcnemar_exact(b, c))


def table(title, points, target, resamples, seed):
    rng = np.random.default_rng(seed)
    lines = [f"### {title}", "",
             f"| theory | points (runs) | median rel. error [95 % CI] | within {100 * target:g} % [Wilson 95 %] | sign agreement [Wilson 95 %] | always + / always − | McNemar p vs better baseline |",
             "|---|---|---|---|---|---|---|"]
    for theory, name in (("free", "free particles (a)"), ("tangent", "tangent kernel (b)")):
        s = summarise(points, theory, target, resamples, rng)
        if s is None:
            lines.append(f"| {name} | 0 | – | – | – | – | – |")
            continue
        n = s["n"]
        lines.append(
            f"| {name} | {n} ({s['runs']}) | {s['median']:.3g} [{s['median_ci'][0]:.3g}, {s['median_ci'][1]:.3g}] | "
            f"{s['within']}/{n} = {s['within']/n:.0%} [{s['within_ci'][0]:.0%}, {s['within_ci'][1]:.0%}] | "
            f"{s['sign']}/{n} = {s['sign']/n:.0%} [{s['sign_ci'][0]:.0%}, {s['sign_ci'][1]:.0%}] | "
            f"{s['positive']/n:.0%} / {s['negative']/n:.0%} | {s['mcnemar']:.2g} ({s['better']}) |")
    return lines + [""]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    protocol_path, out_dir = sys.argv[1], sys.argv[2]
    r = rules(protocol_path)
    target = float(r["table_relative_target"])
    resamples = int(r["table_resamples"])
    seed = int(r["table_seed"])
    reanalysis = None
    if "table_runs_of" in r:
        digest = hashlib.sha256(open(protocol_path, encoding="utf-8").read().encode("utf-8")).hexdigest()
        points, source, source_digest = reanalysed_points(protocol_path, r, digest)
        runs, foreign = len({p["run"] for p in points}), 0
        reanalysis = (source, source_digest)
    else:
        points, runs, foreign, digest = read_points(protocol_path, out_dir)
    kept_runs = 0
    if reanalysis is None and len(sys.argv) == 4 and os.path.exists(sys.argv[3]):
        kept = read_kept(sys.argv[3], digest, {p["run"] for p in points})
        kept_runs = len({p["run"] for p in kept})
        points += kept
        runs += kept_runs
    if not points:
        sys.exit(f"growth_table: no runs of {protocol_path} in {out_dir}")
    with open(os.path.join(out_dir, "points.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(points[0].keys()))
        w.writeheader()
        w.writerows(points)
    resolved = [p for p in points if p["resolved"]]
    label = f"{r['name']}-v{r['version']}"
    md = [f"# Growth-rate table, protocol {label}", "",
          f"protocol SHA-256 `{digest}`; {runs} runs ({kept_runs} of them from an earlier session's "
          f"points file; {foreign} files of other protocols ignored); "
          f"{len(points)} (run, |ξ|) points, {len(resolved)} resolved.", ""]
    if reanalysis is not None:
        md += [f"**A reanalysis, post hoc**: the points are those of {reanalysis[0]} (protocol SHA-256 "
               f"`{reanalysis[1]}`), marked resolved by this protocol's rule "
               f"({r.get('resolved_rule', 'resolved_ci_fraction = ' + r.get('resolved_ci_fraction', '?'))}), "
               "which was chosen after seeing that protocol's results.", ""]
    total = expected_runs(r) if "table_data" in r else runs
    if runs < total:
        per_seed = {}
        for run in {(p["run"], p["seed"]) for p in points}:
            per_seed[run[1]] = per_seed.get(run[1], 0) + 1
        md += [f"**Partial table: {runs} of the protocol's {total} runs** (runs per seed: "
               + ", ".join(f"seed {k}: {v}" for k, v in sorted(per_seed.items()))
               + "). The figures below are those of the runs done so far, in the script's order "
               "(growth_table.sh: the grid's order, data, loss, stabiliser, ε, seed, so whole "
               "settings are missing; growth_trained.sh: seed by seed), not a random subset.", ""]
    md += table("Resolved points", resolved, target, resamples, seed)
    md += table("All points", points, target, resamples, seed)
    for data in sorted({p["data"] for p in points}):
        for loss in sorted({p["loss"] for p in points}):
            sub = [p for p in points if p["data"] == data and p["loss"] == loss]
            md += table(f"All points: {data}, {loss}", sub, target, resamples, seed)
            if resolved:
                md += table(f"Resolved points: {data}, {loss}", [p for p in sub if p["resolved"]],
                            target, resamples, seed)
    stops = {}
    for p in points:
        stops[p["stop"]] = stops.get(p["stop"], 0) + 1
    md += ["Stop reasons (points): " + ", ".join(f"{k} {v}" for k, v in sorted(stops.items())), ""]
    open(os.path.join(out_dir, "summary.md"), "w").write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
