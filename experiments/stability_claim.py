#!/usr/bin/env python3
"""The paper's stability claim per run on a growth-rate table (protocol stability-claim).

    python3 experiments/stability_claim.py PROTOCOL TABLE [POINTS.csv]

TABLE is a table protocol's name (growth-table-v1, growth-trained-v2, one of PROTOCOL's
`tables`); its points come from POINTS.csv (default experiments/results/TABLE/points.csv, or
the points.csv growth_table.py writes into an output folder). Per run it applies PROTOCOL's three
verdict rules and prints a markdown summary: each prediction against the observation with its
Wilson interval, the always-unstable and always-stable baselines and the exact McNemar test
against the better one, overall and per (data, loss), and the fraction observed unstable below
and above ε*_shells. The statistics are growth_table.py's (wilson, mcnemar_exact).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from growth_table import mcnemar_exact, rules, wilson  # noqa: E402


def runs_of(points_path):
    runs = {}
    for row in csv.DictReader(open(points_path, newline="")):
        runs.setdefault(row["run"], []).append(row)
    out = []
    for name, rows in sorted(runs.items()):
        out.append(dict(
            run=name, data=rows[0]["data"], loss=rows[0]["loss"], stabilizer=rows[0]["stabilizer"],
            eps=float(rows[0]["eps"]), seed=int(rows[0]["seed"]), shells=len(rows),
            free=any(float(r["free"]) > 0 for r in rows),
            tangent=any(float(r["tangent"]) > 0 for r in rows),
            observed=any(float(r["ci_low"]) > 0 for r in rows)))
    return out


def agreement(runs, key):
    n = len(runs)
    agree = sum(r[key] == r["observed"] for r in runs)
    unstable = sum(r["observed"] for r in runs)
    better_unstable = unstable >= n - unstable
    base = [r["observed"] == better_unstable for r in runs]
    ok = [r[key] == r["observed"] for r in runs]
    b = sum(o and not bb for o, bb in zip(ok, base))
    c = sum(bb and not o for o, bb in zip(ok, base))
    lo, hi = wilson(agree, n)
    return (f"{agree}/{n} = {agree / n:.0%} [{lo:.0%}, {hi:.0%}] | {unstable}/{n} / {n - unstable}/{n} | "
            f"{mcnemar_exact(b, c):.2g} (always {'unstable' if better_unstable else 'stable'}; {b} vs {c})")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    protocol, table = sys.argv[1], sys.argv[2]
    r = rules(protocol)
    if (r.get("prediction_free"), r.get("prediction_tangent"), r.get("observation")) != (
            "some_shell_rate_positive", "some_shell_rate_positive", "some_shell_interval_above_zero"):
        sys.exit("stability_claim: the protocol names rules this script does not implement")
    if table not in [t.strip() for t in r["tables"].split(";")]:
        sys.exit(f"stability_claim: {table} is not one of the protocol's tables")
    points = sys.argv[3] if len(sys.argv) == 4 else os.path.join("experiments", "results", table, "points.csv")
    runs = runs_of(points)
    label = f"{r['name']}-v{r['version']}"
    when = "post hoc" if table == "growth-table-v1" else "prospective"
    md = [f"# The paper's stability claim on {table} (protocol {label}, {when})", "",
          f"{len(runs)} runs from {points}. Unstable: some shell's free-particle rate > 0 (the paper), "
          "some shell's tangent-kernel rate > 0 (tangent kernel), some shell's measured interval "
          "above 0 (observed).", "",
          "| runs | prediction | agreement [Wilson 95 %] | observed unstable / stable (the baselines) | McNemar p vs better baseline |",
          "|---|---|---|---|---|"]
    groups = [("all", runs)] + [(f"{d}, {l}", [x for x in runs if x["data"] == d and x["loss"] == l])
                                for d in sorted({x["data"] for x in runs}) for l in sorted({x["loss"] for x in runs})]
    for title, sub in groups:
        if not sub:
            continue
        md.append(f"| {title} ({len(sub)}) | paper (free particles) | {agreement(sub, 'free')} |")
        md.append(f"| {title} ({len(sub)}) | tangent kernel | {agreement(sub, 'tangent')} |")
    md.append("")
    below = [x for x in runs if x["free"]]
    above = [x for x in runs if not x["free"]]
    for title, sub in (("ε < ε*_shells (predicted unstable)", below), ("ε ≥ ε*_shells (predicted stable)", above)):
        k = sum(x["observed"] for x in sub)
        lo, hi = wilson(k, len(sub)) if sub else (float("nan"), float("nan"))
        md.append(f"- {title}: observed unstable {k}/{len(sub)}"
                  + (f" = {k / len(sub):.0%} [Wilson {lo:.0%}, {hi:.0%}]" if sub else ""))
    md.append("")
    print("\n".join(md))


if __name__ == "__main__":
    main()
