#!/usr/bin/env python3
"""Turn wgf HDF5 output files into PNG figures.

    experiments/plot.py FILE.h5 [FILE.h5 ...] [--outdir DIR] [--snapshots K]

Figures go next to each file (or into --outdir), named <stem>_<figure>.png. The file kind is the
root attribute `command` (docs/design.md section 4); each kind has one function below that draws all
its figures, and PLOTTERS maps the kind to it:

    simulate  <stem>_fields.png       density snapshots (1D: lines; 2D: images; 3D: x2 mid-plane)
              <stem>_diagnostics.png  mass drift, energies, min/max densities, time step against t
              <stem>_modes.png        tracked mode amplitudes (log), predicted discrete-rate slope
    spectrum  <stem>_spectrum.png     kernel symbols and the growth rate λ(ξ), unstable bands
    map       <stem>_map.png          max growth over (parameter, ε) with the curve ε*(parameter)
    train     <stem>_samples.png      generated samples (over the real data, grey) and D's
                                      features at snapshots; <stem>_losses.png both losses;
                                      <stem>_metrics.png distances, modes, quality, feature spread,
                                      structure factor (experiments/plot_train.py)
    validate  <stem>_particles.png    particle study: measured vs predicted growth rates
              <stem>_gan.png          trained GANs: D's mean loss (in std. errors) vs ε/ε*_band
              <stem>_quick_gan.png    quick study: measured growth rates at trained GANs vs ε/ε*
              <stem>_structure.png    trained GANs: structure-factor growth vs ε/ε*_band
              <stem>_quality.png      trained GANs: sample quality vs ε/ε*_band

The module also provides fit_growth_rates(), which the quickstart uses to measure growth rates
from the same files, so the figure legends and the printed summary agree.

Exit codes: 0 figures written, 2 unreadable file or a file kind with no figures yet.
"""

import argparse
import os
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


# ---------------------------------------------------------------- reading helpers

def attr(obj, name, default=""):
    """An HDF5 attribute as a Python str/number (wgf writes fixed-length byte strings)."""
    if name not in obj.attrs:
        return default
    value = obj.attrs[name]
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.shape == ():
        return value.item()
    return value


def run_title(f):
    """One line naming the run: kernel, role, eps (and stabiliser), status and final time."""
    parts = [f"e = {attr(f, 'kernel')}", f"role {attr(f, 'role')}"]
    stabilizer = attr(f, "stabilizer")
    eps = attr(f, "eps", 0.0)
    parts.append(f"ε = {eps:g}" + (f", s = {stabilizer}" if stabilizer else ""))
    status = attr(f, "status", "?")
    t_final = attr(f, "t_final", None)
    parts.append(f"status {status}" + (f" at t = {t_final:.4g}" if t_final is not None else ""))
    return f"{attr(f, 'dim')}D, N = {attr(f, 'n')}: " + " | ".join(parts)


def snapshot_indices(n_writes, how_many):
    """Evenly spaced write indices, always including the first and the last."""
    if n_writes <= how_many:
        return list(range(n_writes))
    return sorted(set(np.linspace(0, n_writes - 1, how_many).round().astype(int).tolist()))


def moving_species(f):
    """'p', and 'q' too when q changes during the run (it is frozen for generator roles)."""
    species = ["p"]
    q = f["fields/q"]
    if q.shape[0] > 1 and not np.array_equal(q[0], q[q.shape[0] - 1]):
        species.append("q")
    return species


def fit_growth_rates(t, amplitudes, nonlinear_level=1e-2, decay_floor=1e-3, min_points=3):
    """Measured growth rate of each tracked mode: a least-squares slope of log amplitude.

    The fit uses the linear regime only: the initial stretch of steps in which every tracked
    amplitude stays below `nonlinear_level` (afterwards modes drive each other), and, for each
    mode, only while its amplitude stays above `decay_floor` times its initial value (below that
    a decaying mode sits on a floor set by nonlinear coupling to the other modes).
    Returns one (rate, t_start, t_stop) per mode; rate is NaN when fewer than min_points remain.
    """
    amplitudes = np.asarray(amplitudes, dtype=float).reshape(len(t), -1)
    linear = np.cumprod(np.all(amplitudes < nonlinear_level, axis=1)).astype(bool)
    fits = []
    for a in amplitudes.T:
        window = np.cumprod(linear & (a > decay_floor * a[0]) & (a > 0)).astype(bool)
        if window.sum() < min_points:
            fits.append((float("nan"), float("nan"), float("nan")))
            continue
        rate = np.polyfit(t[window], np.log(a[window]), 1)[0]
        fits.append((float(rate), float(t[window][0]), float(t[window][-1])))
    return fits


def save(fig, path):
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    print(path)


# ---------------------------------------------------------------- simulate figures

def plot_fields_1d(f, path, how_many):
    """p (and q) against x at several write times, coloured by time; y axis from 0."""
    x = f["grid/x0"][()]
    times = f["scales/t"][()]
    indices = snapshot_indices(len(times), how_many)
    species = moving_species(f)
    fig, axes = plt.subplots(1, len(species), figsize=(6.5 * len(species), 4.2), squeeze=False)
    colours = plt.cm.viridis(np.linspace(0, 1, len(indices)))
    for ax, name in zip(axes[0], species):
        field = f[f"fields/{name}"]
        for colour, i in zip(colours, indices):
            ax.plot(x, field[i], color=colour, lw=1.2, label=f"t = {times[i]:.3g}")
        ax.set_xlabel("x")
        ax.set_ylabel(name)
        ax.set_ylim(0, 1.05 * display_max(field[indices[0]:indices[-1] + 1]))
        ax.set_xlim(x[0], x[-1])
        ax.set_title(f"{name}(x, t)")
        ax.legend(fontsize=8, ncol=2)
    fig.suptitle(run_title(f), fontsize=10)
    save(fig, path)


def display_max(values):
    """Top of a density axis: max(peak, 2 x mean), so a field within a few per cent of flat
    is drawn flat instead of magnifying round-off-sized ripples."""
    return max(float(np.max(values)), 2.0 * float(np.mean(values)))


def image_norm(frame):
    """Linear colours from 0 for moderate fields; logarithmic once mass has concentrated
    (peak above 10 x mean), where a linear scale would show only a few bright pixels."""
    peak, mean = float(frame.max()), float(frame.mean())
    if peak > 10 * mean:
        floor = max(float(frame.min()), peak * 1e-4)
        return matplotlib.colors.LogNorm(vmin=floor, vmax=peak)
    return matplotlib.colors.Normalize(vmin=0.0, vmax=display_max(frame))


def plot_fields_images(f, path, how_many):
    """2D fields (or the x2 mid-plane of 3D fields) as an image grid: species x write times."""
    dim = attr(f, "dim")
    length = attr(f["grid"], "length")
    extent = [-length / 2, length / 2, -length / 2, length / 2]
    times = f["scales/t"][()]
    indices = snapshot_indices(len(times), min(how_many, 5))
    species = moving_species(f)
    fig, axes = plt.subplots(len(species), len(indices), squeeze=False, layout="constrained",
                             figsize=(3.2 * len(indices), 2.9 * len(species) + 0.5))
    for row, name in enumerate(species):
        field = f[f"fields/{name}"]
        for col, i in enumerate(indices):
            frame = field[i] if dim == 2 else field[i, :, :, field.shape[3] // 2]
            ax = axes[row, col]
            # axis 0 of the array is x0: transpose so x0 runs horizontally
            image = ax.imshow(frame.T, origin="lower", extent=extent, cmap="magma",
                              norm=image_norm(frame), interpolation="nearest")
            fig.colorbar(image, ax=ax, shrink=0.85).ax.tick_params(labelsize=7)
            ax.set_title(f"{name}, t = {times[i]:.3g}", fontsize=9)
            ax.set_xlabel("x0", fontsize=8)
            ax.set_ylabel("x1", fontsize=8)
            ax.tick_params(labelsize=7)
    slice_note = "" if dim == 2 else " (slice x2 ≈ 0)"
    fig.suptitle(run_title(f) + slice_note, fontsize=10)
    save(fig, path)


def plot_signed_series(ax, t, y, label):
    """Plot on a log axis when the series keeps one sign (negated if negative), else symlog."""
    if np.all(y > 0):
        ax.plot(t, y, label=label)
        return "log"
    if np.all(y < 0):
        ax.plot(t, -y, label="−" + label)
        return "log"
    ax.plot(t, y, label=label)
    return "symlog"


def plot_diagnostics(f, path):
    """Mass drift, energies, density extremes and the time step, one value per step."""
    d = f["diagnostics"]
    t = d["t"][()]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))

    ax = axes[0, 0]
    for name in ("mass_p", "mass_q"):
        mass = d[name][()]
        ax.plot(t, mass / mass[0] - 1.0, label=name)
    ax.set_ylabel("mass / initial mass − 1")
    ax.set_title("mass drift (round-off expected)")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))

    ax = axes[0, 1]
    scales = [plot_signed_series(ax, t, d["energy"][()], "E_e[p, q]")]
    if "energy_discriminator" in d and attr(f, "role") != "generator":
        scales.append(plot_signed_series(ax, t, d["energy_discriminator"][()], "E_{e−εs}[p, q]"))
    if "symlog" in scales:
        ax.set_yscale("symlog", linthresh=1e-12)
    else:
        ax.set_yscale("log")
    ax.set_title("energies")

    ax = axes[1, 0]
    for name in ("max_p", "min_p", "max_q", "min_q"):
        if name in d:
            style = "-" if name.endswith("_p") else "--"
            ax.plot(t, d[name][()], style, label=name)
    lowest = min(float(d[n][()].min()) for n in ("min_p", "min_q") if n in d)
    highest = max(float(d[n][()].max()) for n in ("max_p", "max_q") if n in d)
    if lowest > 0 and highest > 10 * lowest:
        ax.set_yscale("log")
    ax.set_title("density extremes")

    ax = axes[1, 1]
    dt = d["dt"][()]
    # row 0 is the initial state (no step taken yet)
    steps = dt > 0
    ax.semilogy(t[steps], dt[steps])
    ax.set_title(f"time step ({attr(f, 'steps')} steps; dips land on write times)")
    ax.set_ylabel("Δt")

    for ax in axes.flat:
        ax.set_xlabel("t")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(run_title(f), fontsize=10)
    fig.tight_layout()
    save(fig, path)


def plot_modes(f, path):
    """Tracked modes: log amplitude against t, with a0 exp(λ_h t) from the discrete rate λ_h."""
    m = f["modes"]
    t = f["diagnostics/t"][()]
    wave_vectors = m["k"][()]
    amplitudes = m["amplitude"][()].reshape(len(t), -1)
    predicted = m["predicted_rate_discrete"][()]
    predicted_continuum = m["predicted_rate"][()]
    fits = fit_growth_rates(t, amplitudes)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for j, k in enumerate(wave_vectors):
        a = amplitudes[:, j]
        k_text = ",".join(str(int(v)) for v in np.atleast_1d(k))
        rate, t0, t1 = fits[j]
        line, = ax.semilogy(t, a, lw=1.6,
                            label=f"k = ({k_text}): measured {rate:.5g} on [{t0:.3g}, {t1:.3g}]")
        ax.semilogy(t, a[0] * np.exp(predicted[j] * t), "--", color=line.get_color(), lw=1,
                    label=f"k = ({k_text}): predicted λ_h = {predicted[j]:.5g}"
                          f" (λ = {predicted_continuum[j]:.5g})")
    positive = amplitudes[amplitudes > 0]
    if positive.size:
        ax.set_ylim(positive.min() / 3, positive.max() * 3)
    ax.set_xlabel("t")
    ax.set_ylabel("|mode amplitude of p − q|")
    ax.legend(fontsize=8)
    ax.set_title(run_title(f), fontsize=9)
    save(fig, path)


def plot_simulate(f, stem, how_many):
    dim = attr(f, "dim")
    if dim == 1:
        plot_fields_1d(f, stem + "_fields.png", how_many)
    else:
        plot_fields_images(f, stem + "_fields.png", how_many)
    plot_diagnostics(f, stem + "_diagnostics.png")
    if "modes" in f and f["modes/k"].shape[0] > 0:
        plot_modes(f, stem + "_modes.png")


# ---------------------------------------------------------------- spectrum and map figures

def plot_spectrum(f, stem, _how_many):
    """Symbols ê, ŝ, F_eff and the growth rate λ(ξ), unstable bands shaded."""
    s = f["spectrum"]
    xi = s["xi"][()]
    growth = s["growth"][()]
    eps = attr(f, "eps", 0.0)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.plot(xi, s["F_e"][()], label="ê(ξ)")
    if attr(f, "stabilizer"):
        left.plot(xi, eps * s["F_s"][()], label=f"ε ŝ(ξ), ε = {eps:g}")
    left.plot(xi, s["F_eff"][()], "k", lw=1.2, label="F_eff(ξ)")
    left.axhline(0, color="grey", lw=0.6)
    left.set_xlabel("ξ")
    left.set_title("kernel symbols")
    left.legend(fontsize=8)
    right.plot(xi, growth, "k", lw=1.2)
    right.axhline(0, color="grey", lw=0.6)
    for lo, hi in s["unstable_bands"][()].reshape(-1, 2):
        right.axvspan(lo, hi, color="tab:red", alpha=0.15)
    argmax, max_growth = attr(s, "argmax_xi"), attr(s, "max_growth")
    right.plot([argmax], [max_growth], "o", color="tab:red",
               label=f"max λ = {max_growth:.5g} at ξ = {argmax:.4g}")
    right.set_xlabel("ξ")
    right.set_ylabel("λ(ξ)")
    right.set_title(f"growth rate λ = C|ξ|² F_eff (C = {attr(s, 'C'):g}); unstable bands shaded")
    right.legend(fontsize=8)
    critical = attr(s, "critical_eps", float("nan"))
    fig.suptitle(f"{attr(f, 'dim')}D spectrum: e = {attr(f, 'kernel')} | role {attr(f, 'role')} | "
                 f"ε = {eps:g}" + (f", s = {attr(f, 'stabilizer')}" if attr(f, "stabilizer") else "")
                 + f" | ε* = {critical:.4g}", fontsize=10)
    fig.tight_layout()
    save(fig, stem + "_spectrum.png")


def plot_map(f, stem, _how_many):
    """Stability map: max growth over (parameter, ε), the λ = 0 contour and the curve ε*(param)."""
    m = f["map"]
    eps, param = m["eps"][()], m["param"][()]
    growth = m["max_growth"][()]
    critical = m["critical_eps"][()]
    name = attr(m, "param_name", "param")
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    # stable points (max growth <= 0) are left out of the mesh and show the blue background
    stable_colour = "#c6dbef"
    ax.set_facecolor(stable_colour)
    mesh = ax.pcolormesh(eps, param, np.ma.masked_less_equal(growth, 0.0), cmap="Reds",
                         vmin=0.0, shading="nearest")
    fig.colorbar(mesh, ax=ax, label="max growth rate over ξ")
    if growth.min() <= 0 < growth.max():
        ax.contour(eps, param, growth, levels=[0.0], colors="k", linewidths=0.8)
    ax.fill_between([], [], color=stable_colour, label="stable: max growth ≤ 0")
    finite = np.isfinite(critical)
    ax.plot(critical[finite], param[finite], "k--", lw=1.5, label="ε*(param)")
    ax.set_xlim(eps.min(), eps.max())
    if str(attr(f, "sweep")).endswith(":log"):
        ax.set_yscale("log")
    if str(attr(f, "eps_range")).endswith(":log"):
        ax.set_xscale("log")
    ax.set_xlabel("ε")
    ax.set_ylabel(name)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(f"{attr(f, 'dim')}D map: e = {attr(f, 'kernel')}, s = {attr(f, 'stabilizer')}, "
                 f"role {attr(f, 'role')}", fontsize=9)
    save(fig, stem + "_map.png")


# ---------------------------------------------------------------- validate figures

def plot_validate_particles(f, path):
    """Particle study: measured against predicted growth rate of every tracked mode."""
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    cases = sorted((k for k in f["particles"] if k.startswith("case_")), key=lambda k: int(k[5:]))
    lo, hi = np.inf, -np.inf
    for key in cases:
        g = f["particles"][key]
        predicted, measured = g["predicted_rate"][()], g["measured_rate"][()]
        label = f"{attr(g, 'kernel')} / {attr(g, 'stabilizer')}, {attr(g, 'setting')}"
        ax.plot(predicted, measured, "o", ms=4, label=label)
        finite = np.isfinite(measured)
        lo = min(lo, predicted.min(), measured[finite].min(initial=np.inf))
        hi = max(hi, predicted.max(), measured[finite].max(initial=-np.inf))
    ax.plot([lo, hi], [lo, hi], "k--", lw=0.8, label="measured = predicted")
    ax.axhline(0, color="0.7", lw=0.5)
    ax.axvline(0, color="0.7", lw=0.5)
    ax.set_xlabel("predicted growth rate λ(ξ_k)")
    ax.set_ylabel("measured growth rate (particles)")
    ax.set_title(f"particle discriminator, {attr(f['particles'], 'particles')} particles/species",
                 fontsize=9)
    ax.legend(fontsize=5.5, loc="upper left")
    save(fig, path)


def gan_sweeps(f):
    keys = sorted((k for k in f["gan"] if k.startswith("sweep_")), key=lambda k: int(k[6:]))
    return [f["gan"][k] for k in keys]


def ratio_axis(ax, ratios):
    """ε/ε*_band on a symmetric-log axis (ratio 0, the unstabilised GAN, sits at the left)."""
    positive = ratios[ratios > 0]
    ax.set_xscale("symlog", linthresh=positive.min() if positive.size else 1.0)
    ax.axvspan(-1, 1, color="tab:red", alpha=0.07, lw=0)
    ax.axvline(1, color="k", lw=0.8, ls=":")
    ax.set_xlim(-0.05, ratios.max() * 1.3)


def plot_validate_observable(f, path, column, label, threshold, what):
    """Per sweep: one observable of every run against ε/ε*_band, the rule's threshold dashed,
    the predicted-unstable side shaded; filled markers are runs observed unstable."""
    runs = f["gan/runs"]
    sweep, ratio = runs["sweep"][()].astype(int), runs["eps_ratio"][()]
    seed, value = runs["seed"][()].astype(int), runs[column][()]
    observed, agree = runs["observed_unstable"][()] > 0, runs["agree"][()] > 0
    sweeps = gan_sweeps(f)
    columns = min(len(sweeps), 4)
    rows = (len(sweeps) + columns - 1) // columns
    width = max(3.3 * columns, 6.5)  # room for the title when there is a single sweep
    fig, axes = plt.subplots(rows, columns, figsize=(width, 2.8 * rows + 0.5), squeeze=False)
    for w, g in enumerate(sweeps):
        ax = axes[w // columns][w % columns]
        mine = sweep == w
        for s in np.unique(seed[mine]):
            pick = mine & (seed == s)
            color = f"C{s % 10}"
            ax.plot(ratio[pick], value[pick], "-", color=color, lw=0.6, alpha=0.6)
            ax.scatter(ratio[pick & observed], value[pick & observed], color=color, s=18,
                       label=f"seed {s}")
            ax.scatter(ratio[pick & ~observed], value[pick & ~observed], facecolors="none",
                       edgecolors=color, s=18)
        ax.axhline(threshold, color="tab:red", lw=0.8, ls="--")
        ratio_axis(ax, ratio[mine])
        if column == "loss_mean_z":
            ax.set_yscale("symlog", linthresh=threshold)
        else:
            ax.set_yscale("log")
        ax.set_title(f"{attr(g, 'data')}, {attr(g, 'loss_name')}, s: {attr(g, 'family')} — "
                     f"agree {agree[mine].sum()}/{mine.sum()}", fontsize=8)
        ax.set_xlabel("ε / ε*_band", fontsize=8)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=7)
        if w == 0:
            ax.legend(fontsize=6)
    for w in range(len(sweeps), rows * columns):
        axes[w // columns][w % columns].axis("off")
    title = ("trained GANs: shaded = predicted unstable (ε < ε*_band); filled = observed "
             f"unstable (any rule); dashed = {what}")
    fig.suptitle(textwrap.fill(title, width=int(16 * width)), fontsize=9)
    fig.tight_layout()
    save(fig, path)


def plot_validate_quality(f, path):
    """Sample quality against ε/ε*_band, mean over seeds, one line per sweep."""
    runs = f["gan/runs"]
    sweep, ratio = runs["sweep"][()].astype(int), runs["eps_ratio"][()]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    names = (("high_quality_fraction", "high-quality fraction"), ("modes_covered", "modes covered"),
             ("mmd", "data-space MMD²"))
    for ax, (name, label) in zip(axes, names):
        values = runs[name][()]
        for w, g in enumerate(gan_sweeps(f)):
            mine = sweep == w
            xs = np.unique(ratio[mine])
            ys = [values[mine & (ratio == x)].mean() for x in xs]
            ax.plot(xs, ys, "o-", ms=3, lw=1,
                    label=f"{attr(g, 'data')} {attr(g, 'loss_name')} {attr(g, 'family')}")
        ratio_axis(ax, ratio)
        ax.set_xlabel("ε / ε*_band")
        ax.set_ylabel(label)
        if name == "mmd":
            ax.set_yscale("log")
    axes[0].legend(fontsize=6)
    fig.suptitle("sample quality at the end of training (mean over seeds); shaded: predicted "
                 "unstable", fontsize=9)
    fig.tight_layout()
    save(fig, path)


def image_grid(samples, columns=8):
    """rows × H × W images (pixels in [−1, 1]) tiled into one array with 1-pixel gaps."""
    count, height, width = samples.shape
    rows = (count + columns - 1) // columns
    grid = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), np.nan)
    for i in range(count):
        r, c = divmod(i, columns)
        grid[r * (height + 1):r * (height + 1) + height, c * (width + 1):c * (width + 1) + width] = samples[i]
    return grid


def plot_validate_fashion(f, path):
    """Fashion-MNIST study: a sample grid of each setting (its best seed), the Fréchet distance
    of every run as bars (mean ± std per setting) with the training-images floor."""
    group = f["fashion"]
    runs = [group[k] for k in sorted((k for k in group if k.startswith("run_")), key=lambda k: int(k[4:]))]
    settings = ["original", "stabilised"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1, 1, 1.1]})
    for ax, setting in zip(axes[:2], settings):
        mine = [g for g in runs if attr(g, "setting") == setting]
        if not mine:
            ax.set_axis_off()
            continue
        best = min(mine, key=lambda g: attr(g, "frechet") if np.isfinite(attr(g, "frechet")) else np.inf)
        samples = best["samples"][()][:64]
        ax.imshow(image_grid(samples), cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
        ax.set_title(f"{setting} (ε = {attr(best, 'eps'):.3g}), seed {attr(best, 'seed')}: "
                     f"FD {attr(best, 'frechet'):.2f}", fontsize=9)
        ax.set_axis_off()
    ax = axes[2]
    colours = {"original": "tab:red", "stabilised": "tab:blue"}
    for x, setting in enumerate(settings):
        values = group[f"frechet_{setting}"][()]
        mean, std = attr(group[f"frechet_{setting}"], "mean"), attr(group[f"frechet_{setting}"], "std")
        ax.bar(x, mean, yerr=std, color=colours[setting], alpha=0.35, capsize=6, width=0.6)
        ax.plot(np.full(values.size, x) + np.linspace(-0.12, 0.12, values.size), values, "o",
                color=colours[setting], label=f"{setting}: {mean:.2f} ± {std:.2f}")
    ax.axhline(attr(f, "floor_frechet"), color="k", ls=":", lw=0.9,
               label=f"training images: {attr(f, 'floor_frechet'):.2f}")
    ax.set_xticks(range(len(settings)), settings)
    ax.set_ylabel("Fréchet distance to the test images")
    ax.set_title(f"classifier features (test acc. {100 * attr(f, 'classifier_test_accuracy'):.1f} %), "
                 f"change {100 * attr(f, 'relative_change'):+.1f} %, device {attr(f, 'device')}",
                 fontsize=8)
    ax.legend(fontsize=7)
    fig.tight_layout()
    save(fig, path)


def plot_growth_group(g, path, title):
    """Measured growth rates per |ξ| with their intervals against the two predictions (left), and
    the rotation-averaged power of the SGD run and of the tangent-kernel prediction (right)."""
    xi = g["xi"][()]
    measured, ci = g["measured_rate"][()], g["measured_rate_ci"][()]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.errorbar(xi, measured, yerr=[measured - ci[:, 0], ci[:, 1] - measured], fmt="o", color="k",
                  capsize=3, label="measured (SGD), bootstrap interval")
    left.plot(xi, g["predicted_tangent"][()], "s--", color="tab:blue", label="tangent kernel (b)")
    left.plot(xi, g["predicted_free"][()], "^:", color="tab:red", label="free particles (a)")
    left.axhline(0, color="grey", lw=0.6)
    left.set_xlabel("|ξ|")
    left.set_ylabel("growth rate (flow time)")
    left.legend(fontsize=8)
    t = g["time"][()]
    for power, style, label in ((g["power_measured"][()], "-", "measured"),
                                (g["power_tangent"][()], "--", "tangent kernel")):
        for k in range(power.shape[1]):
            right.semilogy(t, power[:, k] / power[0, k], style, color=f"C{k}",
                           label=f"|ξ| = {xi[k]:.3g}" if style == "-" else None)
    right.set_xlabel("flow time")
    right.set_ylabel("S(|ξ|, t) / S(|ξ|, 0)")
    right.set_title("rotation-averaged power: solid measured, dashed tangent kernel")
    right.legend(fontsize=7)
    fig.suptitle(f"{title} | D = {attr(g, 'network')} | {attr(g, 'steps')} steps, stop: {attr(g, 'stop_reason')}",
                 fontsize=10)
    fig.tight_layout()
    save(fig, path)


def plot_growth(f, stem, _how_many):
    title = (f"{attr(f, 'data')}: e = {attr(f, 'loss')}, s = {attr(f, 'stabilizer')}, ε = {attr(f, 'eps', 0.0):g}"
             f" | protocol {attr(f, 'protocol_name')}-v{attr(f, 'protocol_version')}")
    plot_growth_group(f["growth"], stem + "_growth.png", title)


def plot_validate_quick_gan(f, path):
    """Quick-gan: each run's largest measured growth rate (with its shell's interval) against
    eps/eps*_shells, one colour per seed; filled markers are runs observed unstable. The paper
    predicts unstable left of the dashed line at 1 and stable right of it."""
    q = f["quick_gan"]
    ratio = q["eps_ratio"][()]
    rate = q["largest_measured_rate"][()]
    low, high = q["largest_measured_rate_ci_low"][()], q["largest_measured_rate_ci_high"][()]
    seeds, observed = q["seed"][()], q["observed"][()]
    positions = sorted(set(ratio.tolist()))
    x_of = {r: i for i, r in enumerate(positions)}
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for j, seed in enumerate(sorted(set(seeds.tolist()))):
        pick = seeds == seed
        x = np.array([x_of[r] for r in ratio[pick]]) + 0.08 * (j - 2)
        colour = plt.cm.tab10(j % 10)
        ax.errorbar(x, rate[pick], yerr=[rate[pick] - low[pick], high[pick] - rate[pick]], fmt="none",
                    ecolor=colour, alpha=0.6)
        for xi, yi, ob in zip(x, rate[pick], observed[pick]):
            ax.plot(xi, yi, "o", color=colour, mfc=colour if ob else "white",
                    label=f"seed {seed}" if xi == x[0] else None)
    ax.axhline(0, color="k", lw=0.8)
    boundary = [i for i, r in enumerate(positions) if r >= 1]
    if boundary:
        ax.axvline(boundary[0] - 0.5, color="tab:red", ls="--", lw=1,
                   label="paper: stable right of here (ε ≥ ε*)")
    ax.set_xticks(range(len(positions)), [f"{r:g}" for r in positions])
    ax.set_xlabel("ε / ε*_shells")
    ax.set_ylabel("largest measured growth rate (flow time)")
    ax.set_title(f"trained GANs, protocol {attr(q, 'protocol_name')}-v{attr(q, 'protocol_version')}: "
                 "filled = observed unstable")
    ax.legend(fontsize=7)
    save(fig, path)


def plot_validate(f, stem, _how_many):
    if "growth" in f and "network" in f["growth"]:
        plot_growth_group(f["growth/network"], stem + "_growth.png",
                          f"quick study, protocol {attr(f, 'protocol_name')}-v{attr(f, 'protocol_version')}")
    if "particles" in f:
        plot_validate_particles(f, stem + "_particles.png")
    if "gan" in f and "runs" in f["gan"] and f["gan/runs/sweep"].shape[0] > 0:
        gan = f["gan"]
        plot_validate_observable(f, stem + "_gan.png", "loss_mean_z",
                                 "mean loss_d / std. error (2nd half)",
                                 attr(gan, "rule_positive_energy_z", 3.0),
                                 "D holds a positive energy above this")
        plot_validate_observable(f, stem + "_structure.png", "structure_ratio",
                                 "S(ξ*) late / initial", attr(gan, "rule_structure_growth", 2.0),
                                 "structure-factor growth threshold")
        plot_validate_quality(f, stem + "_quality.png")
    if "quick_gan" in f:
        plot_validate_quick_gan(f, stem + "_quick_gan.png")
    if "fashion" in f:
        plot_validate_fashion(f, stem + "_fashion.png")


def plot_train(f, stem, how_many):
    # experiments/plot_train.py draws them; imported here because it imports this module's helpers.
    from plot_train import plot_train as draw
    draw(f, stem, how_many)


# ---------------------------------------------------------------- W1 persistence experiment


def plot_w1_persistence(folder):
    """Figure and summary of experiments/w1_persistence.sh: seed-mean data-space MMD^2 against
    iterations and wall time for each (data, generator update, K); writes w1_persistence.png and
    summary.md into `folder` and prints the summary."""
    import glob
    import re

    runs = {}
    pattern = re.compile(r"(\w+?)_(euler|gradient)_K(\d+)_s(\d+)\.h5$")
    for path in sorted(glob.glob(os.path.join(folder, "*.h5"))):
        match = pattern.search(os.path.basename(path))
        if not match:
            continue
        data, update, k, seed = match.group(1), match.group(2), int(match.group(3)), int(match.group(4))
        with h5py.File(path, "r") as f:
            if attr(f, "status") != "completed":
                print(f"plot.py: {path} is {attr(f, 'status')!r}; left out", file=sys.stderr)
                continue
            m = f["train/metrics"]
            per_iter = float(attr(f, "train_seconds")) / max(int(attr(f, "iterations_done")), 1)
            runs.setdefault((data, update, k), []).append({
                "iter": m["iter"][:], "mmd": m["mmd"][:], "seconds_per_iter": per_iter,
                "modes": m["modes_covered"][-1], "quality": m["high_quality_fraction"][-1]})
    if not runs:
        print(f"plot.py: no w1_persistence runs in {folder}", file=sys.stderr)
        return 2
    datasets = sorted({key[0] for key in runs}, key=lambda d: ["ring8", "grid25"].index(d)
                      if d in ("ring8", "grid25") else 9)
    ks = sorted({key[2] for key in runs})
    colours = {k: plt.cm.viridis(i / max(len(ks) - 1, 1)) for i, k in enumerate(ks)}
    fig, axes = plt.subplots(len(datasets), 2, figsize=(11, 4.5 * len(datasets)), squeeze=False,
                             constrained_layout=True)
    rows = []
    for row, data in enumerate(datasets):
        for (d, update, k), group in sorted(runs.items()):
            if d != data:
                continue
            n = min(len(r["mmd"]) for r in group)
            iters = group[0]["iter"][:n]
            curves = np.array([r["mmd"][:n] for r in group])
            mean = curves.mean(axis=0)
            seconds = np.mean([r["seconds_per_iter"] for r in group])
            style = "-" if update == "euler" else "--"
            label = f"{'Euler' if update == 'euler' else 'naive'} K={k}"
            for col, x in enumerate((iters, iters * seconds)):
                axes[row, col].plot(x, np.maximum(mean, 1e-5), style, color=colours[k], label=label)
            tail = curves[:, -3:].mean(axis=1)  # last three evaluations: less minibatch noise
            early = curves[:, (iters > 0) & (iters <= 300)].mean()
            reached = [iters[np.argmax(c <= 0.03)] if (c <= 0.03).any() else np.inf for c in curves]
            rows.append((data, update, k, len(group), early, np.median(reached), tail.mean(), tail.std(),
                         seconds * 1e3, np.mean([r["modes"] for r in group]),
                         np.mean([r["quality"] for r in group])))
        for col, xlabel in enumerate(("iteration (5 critic steps each)", "wall time (s)")):
            ax = axes[row, col]
            ax.set_yscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel("data-space MMD$^2$ (seed mean)")
            ax.set_title(f"{data}: against {'iterations' if col == 0 else 'wall time'}")
            ax.grid(alpha=0.3)
        axes[row, 0].legend(fontsize=8)
    fig.suptitle("WGAN-GP generator updates: forward Euler with persistence K (solid) vs K "
                 "naive steps (dashed)")
    save(fig, os.path.join(folder, "w1_persistence.png"))
    lines = ["| data | generator update | K | seeds | MMD² at iterations 1-300 | iterations to "
             "MMD² ≤ 0.03 (median) | final MMD² (mean ± std over seeds) | ms / iteration "
             "| modes covered | high-quality fraction |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for data, update, k, count, early, reached, mean, std, ms, modes, quality in rows:
        lines.append(f"| {data} | {update} | {k} | {count} | {early:.4f} | {reached:.0f} "
                     f"| {mean:.4f} ± {std:.4f} | {ms:.1f} | {modes:.1f} | {quality:.2f} |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(folder, "summary.md"), "w") as out:
        out.write("MMD² at iterations 1-300: mean over those evaluations and the seeds; final "
                  "MMD²: mean of each run's last three evaluations.\n\n" + text)
    print(text, end="")
    return 0


# File kinds from docs/design.md section 4 (the root attribute `command`).
PLOTTERS = {
    "simulate": plot_simulate,
    "spectrum": plot_spectrum,
    "map": plot_map,
    "validate": plot_validate,
    "train": plot_train,
    "growth": plot_growth,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Turn wgf HDF5 files into PNG figures.")
    parser.add_argument("files", nargs="+", metavar="FILE.h5")
    parser.add_argument("--outdir", help="write figures here instead of next to each file")
    parser.add_argument("--snapshots", type=int, default=6,
                        help="how many write times to draw in field figures (default 6)")
    args = parser.parse_args(argv)
    if args.outdir:
        os.makedirs(args.outdir, exist_ok=True)
    for path in args.files:
        try:
            f = h5py.File(path, "r")
        except OSError as error:
            print(f"plot.py: cannot read '{path}' as HDF5: {error}", file=sys.stderr)
            return 2
        with f:
            kind = attr(f, "command", None)
            if kind not in PLOTTERS:
                known = ", ".join(sorted(PLOTTERS))
                print(f"plot.py: '{path}' has command = {kind!r}; figures exist only for: {known}",
                      file=sys.stderr)
                return 2
            base = os.path.splitext(os.path.basename(path))[0]
            folder = args.outdir or os.path.dirname(path)
            PLOTTERS[kind](f, os.path.join(folder, base), args.snapshots)
    return 0


if __name__ == "__main__":
    sys.exit(main())
