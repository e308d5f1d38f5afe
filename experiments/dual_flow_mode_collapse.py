#!/usr/bin/env python3
"""Figures and summary of experiments/dual_flow_mode_collapse.sh.

    experiments/dual_flow_mode_collapse.py OUTDIR

Reads what the script wrote (map.h5, map_game_p.h5, the main runs, sweep/ and sweep_game_p/)
and writes
    OUTDIR/dual_flow_mode_mass.png   mass of p and q within each mode of q against time
    OUTDIR/dual_flow_fields.png      p and q at the start and the end of the unstable and
                                     stabilised runs, mode discs drawn
    OUTDIR/dual_flow_map.png         the stability maps over (τ, ε) of the game and of game-p,
                                     their critical ε(τ), and each sweep's final coverage
    OUTDIR/summary.md                the tables the experiment's text quotes
Coverage of a run = min over the modes of (mass of p / mass of q) within the mode's disc, at the
end; retention = min over the modes of (p's final mass / q's initial mass): in the game role q
moves too, so p can match q (coverage 1) on a q that has lost part of a mode.
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


def mode_masses(f):
    d = f["diagnostics"]
    t = d["t"][:]
    p = d["mode_mass_p"][:]
    q = d["mode_mass_q"][:]
    return t, p, q


def coverage(p_row, q_row):
    """min over modes of p/q; modes that q has emptied (< 1e-9 of the largest) are skipped."""
    keep = q_row > 1e-9 * q_row.max()
    return float(np.min(p_row[keep] / q_row[keep]))


def retention(p_row, q_start):
    return float(np.min(p_row / q_start))


def centres_radius(f):
    dataset = f["diagnostics/mode_mass_p"]
    centres = np.asarray(dataset.attrs["centres"]).reshape(-1, 2)
    return centres, float(np.asarray(dataset.attrs["radius"]))


def run_label(f):
    role = attr(f, "role")
    if not role.startswith("game"):
        return role
    return f"{role} τ={attr(f, 'tau'):g}, ε={attr(f, 'eps'):g}"


# Critical ε of the roles in closed form (ε* = (σ_e/σ_s)^d = 4 for the experiment's kernels).
E_STAR = 4.0
CRITICAL = {
    "game": lambda tau: np.where(tau > 0.5, (1 - 1 / (2 * tau)) * E_STAR, 0.0),
    "game-p": lambda tau: np.where(tau > 1, (1 - 1 / tau) * E_STAR, 0.0),
}


def plot_mode_mass(out, runs):
    rows = (len(runs) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(11, 3.8 * rows), sharey=True)
    axes = axes.ravel()
    colours = ["C0", "C1", "C2", "C3"]
    for ax, (name, f) in zip(axes, runs):
        t, p, q = mode_masses(f)
        for m in range(p.shape[1]):
            ax.plot(t, p[:, m], color=colours[m], label=f"p, mode {m + 1}")
            ax.plot(t, q[:, m], color=colours[m], ls="--", label=f"q, mode {m + 1}")
        status = attr(f, "status")
        ax.set_title(f"{run_label(f)}\n{status} at t = {attr(f, 't_final'):.3g}", fontsize=9)
        ax.set_xlabel("t")
        if status == "concentrated":
            ax.axvline(t[-1], color="k", lw=0.8, ls=":")
    for ax in axes[::2]:
        ax.set_ylabel("mass within 0.7 of the mode centre")
    axes[0].legend(fontsize=7, ncol=2, title="modes 1 and 2 coincide (symmetry)",
                   title_fontsize=7)
    fig.tight_layout()
    path = os.path.join(out, "dual_flow_mode_mass.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_fields(out, runs):
    fig, axes = plt.subplots(len(runs), 4, figsize=(13, 3.3 * len(runs)))
    for row, (name, f) in zip(axes, runs):
        x = f["grid/x0"][:]
        extent = [x[0], x[-1], x[0], x[-1]]
        times = f["scales/t"][:]
        centres, radius = centres_radius(f)
        for col, (field, index) in enumerate([("p", 0), ("q", 0), ("p", -1), ("q", -1)]):
            ax = row[col]
            data = f["fields/" + field][index]
            # Row-major with the last axis fastest: axis 0 is x0; show x0 horizontally.
            ax.imshow(data.T, origin="lower", extent=extent, cmap="magma")
            for c in centres:
                ax.add_patch(plt.Circle(c, radius, fill=False, color="w", lw=0.8, ls="--"))
            ax.set_title(f"{name}: {field} at t = {times[index]:.3g}", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    path = os.path.join(out, "dual_flow_fields.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def sweep_results(out, folder):
    results = []
    for path in sorted(glob.glob(os.path.join(out, folder, "*.h5"))):
        with h5py.File(path, "r") as f:
            t, p, q = mode_masses(f)
            results.append({
                "tau": attr(f, "tau"), "eps": attr(f, "eps"), "status": attr(f, "status"),
                "t_final": attr(f, "t_final"), "coverage": coverage(p[-1], q[-1]),
                "retention": retention(p[-1], q[0]),
                "p": p[-1], "q": q[-1],
            })
    results.sort(key=lambda r: (r["tau"], r["eps"]))
    return results


def plot_maps(out, maps):
    fig, axes = plt.subplots(1, len(maps), figsize=(7 * len(maps), 5))
    for ax, (role, map_file, sweep) in zip(np.atleast_1d(axes), maps):
        plot_map(fig, ax, role, os.path.join(out, map_file), sweep)
    fig.tight_layout()
    path = os.path.join(out, "dual_flow_map.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_map(fig, ax, role, map_path, sweep):
    with h5py.File(map_path, "r") as f:
        g = f["map"]
        tau, eps = g["param"][:], g["eps"][:]
        growth, critical = g["max_growth"][:], g["critical_eps"][:]
    scale = np.max(np.abs(growth))
    image = ax.pcolormesh(tau, eps, growth.T, cmap="RdBu_r", vmin=-scale, vmax=scale,
                          shading="auto")
    fig.colorbar(image, ax=ax, label=f"max over ξ of λ(ξ) ({role} role)")
    ax.plot(tau, critical, "k-", lw=2, label=f"ε*_{role}(τ), spectral module")
    formula = "(1 − 1/(2τ)) ε*" if role == "game" else "(1 − 1/τ) ε*"
    ax.plot(tau, CRITICAL[role](tau), "y--", lw=1.2, label=formula)
    for r in sweep:
        covered = r["coverage"] >= 0.8
        marker = "o" if r["status"] == "completed" else "x"
        ax.scatter(r["tau"], r["eps"], marker=marker, s=70,
                   c="limegreen" if covered else "magenta",
                   edgecolors="k" if marker == "o" else None, linewidths=0.6)
        ax.annotate(f"{r['coverage']:.2f}", (r["tau"], r["eps"]), textcoords="offset points",
                    xytext=(5, 4), fontsize=7)
    ax.scatter([], [], marker="o", c="limegreen", edgecolors="k", label="completed, min p/q ≥ 0.8")
    ax.scatter([], [], marker="o", c="magenta", edgecolors="k", label="completed, min p/q < 0.8")
    ax.scatter([], [], marker="x", c="limegreen", label="concentrated, min p/q ≥ 0.8")
    ax.scatter([], [], marker="x", c="magenta", label="concentrated, min p/q < 0.8")
    ax.set_xlabel("τ (discriminator rate)")
    ax.set_ylabel("ε")
    ax.set_title(f"{role} role, e = gaussian σ=1, s = gaussian σ=0.5, d = 2: stability map\n"
                 "and final coverage (min over modes of p/q) of the 2D runs", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")


def sweep_table(role, sweep):
    lines = ["", f"## {role} sweep (t_end = 2): coverage / retention at the end "
             "(× = stopped as concentrated at that time)", ""]
    taus = sorted({r["tau"] for r in sweep})
    epss = sorted({r["eps"] for r in sweep})
    lines.append("| τ \\ ε | " + " | ".join(f"{e:g}" for e in epss) + f" | ε*_{role} |")
    lines.append("|---" * (len(epss) + 2) + "|")
    for tau in taus:
        cells = []
        for e in epss:
            r = next((r for r in sweep if r["tau"] == tau and r["eps"] == e), None)
            if r is None:
                cells.append("")
            else:
                mark = "" if r["status"] == "completed" else f" × t={r['t_final']:.2g}"
                cells.append(f"{r['coverage']:.2f} / {r['retention']:.2f}{mark}")
        critical = float(CRITICAL[role](np.asarray(tau)))
        lines.append(f"| {tau:g} | " + " | ".join(cells) + f" | {critical:.3g} |")
    return lines


def summary(out, runs, sweeps):
    lines = ["## Main runs (mass within 0.7 of each mode centre)", "",
             "| run | status | t end | p per mode (start) | p per mode (end) | q per mode (end) | "
             "coverage (end) | retention (end) |", "|---|---|---|---|---|---|---|---|"]
    for name, f in runs:
        t, p, q = mode_masses(f)
        fmt = lambda v: ", ".join(f"{x:.2f}" for x in v)  # noqa: E731
        lines.append(f"| {run_label(f)} | {attr(f, 'status')} | {t[-1]:.3g} | {fmt(p[0])} | "
                     f"{fmt(p[-1])} | {fmt(q[-1])} | {coverage(p[-1], q[-1]):.3f} | "
                     f"{retention(p[-1], q[0]):.3f} |")
    for role, sweep in sweeps:
        lines += sweep_table(role, sweep)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as handle:
        handle.write(text)
    return text


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    names = ["generator", "unstable", "stabilised", "stabilised_beyond_eps_star",
             "game_p_unstable", "game_p_stabilised"]
    files = [(name, h5py.File(os.path.join(out, name + ".h5"), "r")) for name in names]
    sweeps = [("game", sweep_results(out, "sweep")),
              ("game-p", sweep_results(out, "sweep_game_p"))]
    shown = [files[i] for i in (1, 2, 4, 5)]
    written = [plot_mode_mass(out, files), plot_fields(out, shown),
               plot_maps(out, [("game", "map.h5", sweeps[0][1]),
                               ("game-p", "map_game_p.h5", sweeps[1][1])])]
    print(summary(out, files, sweeps))
    print("figures:", *written, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
