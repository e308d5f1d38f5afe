"""Figures of a `wgf train` file (docs/design.md section 4), for experiments/plot.py:

    <stem>_samples.png  snapshots over the run: generated samples over the real data (grey);
                        for images, a grid of generated images per snapshot; below them, D's
                        features of real (grey) and generated samples (first two components)
    <stem>_losses.png   loss_g (E_e, what G descends) and loss_d (E_{e-eps s}, what D ascends)
    <stem>_metrics.png  data-space energy distance and MMD, modes covered and high-quality
                        fraction (mixtures), D's feature spread, the features' structure factor
"""

import numpy as np
import matplotlib.pyplot as plt

from plot import attr, save, snapshot_indices


def train_title(f):
    eps = attr(f, "eps", 0.0)
    stabilizer = attr(f, "stabilizer")
    parts = [f"{attr(f, 'data')}", f"e = {attr(f, 'loss')}"]
    if stabilizer and eps:
        parts.append(f"ε = {eps:g}, s = {stabilizer}")
    parts.append(f"seed {attr(f, 'seed')}, status {attr(f, 'status')} after "
                 f"{attr(f, 'iterations_done')} iterations")
    return " | ".join(parts)


def real_points(f, count=2000):
    """Points of the data distribution for the grey background: the mixture's own samples."""
    train = f["train"]
    if "mixture_centres" not in train:
        return None
    centres = train["mixture_centres"][()]
    std = attr(train, "mixture_std", 0.0)
    rng = np.random.default_rng(0)  # display only; the run's own samples have their seeds
    picks = rng.integers(0, centres.shape[0], count)
    return centres[picks] + std * rng.standard_normal((count, centres.shape[1]))


def image_shape(f):
    shape = np.atleast_1d(attr(f, "sample_shape", np.array([0])))
    return tuple(int(s) for s in shape) if shape.size == 2 else None


def plot_train_samples(f, path, how_many):
    snaps = f["train/snapshots"]
    iters = snaps["iter"][()]
    picks = snapshot_indices(len(iters), how_many)
    shape = image_shape(f)
    real = real_points(f)
    features_real, features_fake = snaps["features_real"], snaps["features_fake"]
    fig, axes = plt.subplots(2, len(picks), figsize=(2.3 * len(picks), 4.9), squeeze=False,
                             layout="constrained")
    samples = snaps["samples"]
    for col, k in enumerate(picks):
        ax = axes[0, col]
        x = samples[k]
        if shape is not None:
            # A 4 x 4 grid of the snapshot's first images.
            tiles = x[:16].reshape(-1, *shape)
            rows = [np.hstack(list(tiles[r * 4:(r + 1) * 4])) for r in range(len(tiles) // 4)]
            ax.imshow(np.vstack(rows), cmap="gray", vmin=-1, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            if real is not None:
                ax.plot(real[:, 0], real[:, 1], ".", color="0.75", ms=2, zorder=1)
            ax.plot(x[:, 0], x[:, 1], ".", color="tab:blue", ms=2, alpha=0.5, zorder=2)
            if real is not None:
                span = np.abs(real).max() * 1.5
                ax.set_xlim(-span, span)
                ax.set_ylim(-span, span)
            ax.set_aspect("equal")
            ax.tick_params(labelsize=6)
        ax.set_title(f"iter {int(iters[k])}", fontsize=8)
        fax = axes[1, col]
        fr, ff = features_real[k], features_fake[k]
        fax.plot(fr[:, 0], fr[:, 1], ".", color="0.6", ms=2, label="D(real)")
        if fr.shape[1] > 1:
            fax.plot(ff[:, 0], ff[:, 1], ".", color="tab:orange", ms=2, alpha=0.4, label="D(G(z))")
        fax.tick_params(labelsize=6)
        if col == 0:
            fax.set_ylabel("D's features f1, f2", fontsize=7)
            fax.legend(fontsize=6, markerscale=3, loc="best")
    axes[0, 0].set_ylabel("generated (blue), real (grey)" if shape is None else "generated",
                          fontsize=7)
    fig.suptitle(train_title(f), fontsize=8)
    save(fig, path)


def plot_train_losses(f, path):
    train = f["train"]
    it, loss_g, loss_d = train["iter"][()], train["loss_g"][()], train["loss_d"][()]
    fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    window = max(1, len(it) // 50)
    kernel = np.ones(window) / window
    for values, label, colour in ((loss_g, "loss_g = E_e (G descends)", "tab:blue"),
                                  (loss_d, "loss_d = E_{e−εs} (D ascends)", "tab:orange")):
        ax.plot(it, values, color=colour, lw=0.5, alpha=0.35)
        if len(values) > window:
            smooth = np.convolve(values, kernel, mode="valid")
            ax.plot(it[window - 1:], smooth, color=colour, lw=1.5,
                    label=f"{label}, mean of {window} log rows")
        else:
            ax.plot(it, values, color=colour, lw=1.5, label=label)
    ax.axhline(0, color="0.6", lw=0.5)
    ax.set_xlabel("iteration")
    ax.set_ylabel("minibatch estimate")
    ax.legend(fontsize=7)
    ax.set_title(train_title(f), fontsize=7)
    save(fig, path)


def plot_train_metrics(f, path):
    m = f["train/metrics"]
    it = m["iter"][()]
    panels = [("distances in data space", [("energy_distance", "energy distance"),
                                           ("mmd", f"MMD² ({attr(m, 'mmd_kernel')})")], "log")]
    if "modes_covered" in m:
        panels.append(("mixture modes", [("modes_covered", "modes covered")], "linear"))
        panels.append(("sample quality", [("high_quality_fraction",
                                           "fraction within 3 std of a mode")], "linear"))
    spread = [(n, n.replace("_", " ")) for n in ("feature_std_real", "feature_std_fake",
                                                 "feature_distance_real", "feature_distance_fake")
              if n in m]
    if spread:
        panels.append(("D's feature spread", spread, "linear"))
    has_structure = "structure_factor" in m
    count = len(panels) + (1 if has_structure else 0)
    columns = min(count, 3)
    grid_rows = (count + columns - 1) // columns
    fig, grid = plt.subplots(grid_rows, columns, figsize=(3.6 * columns, 3.0 * grid_rows),
                             layout="constrained", squeeze=False)
    axes = grid.ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    for ax, (title, series, scale) in zip(axes, panels):
        for name, label in series:
            values = m[name][()]
            if scale == "log":
                values = np.where(values > 0, values, np.nan)
            ax.plot(it, values, marker=".", ms=3, lw=1, label=label)
        ax.set_yscale(scale)
        ax.set_title(title, fontsize=8)
        ax.set_xlabel("iteration", fontsize=7)
        ax.tick_params(labelsize=6)
        ax.legend(fontsize=6)
    if "modes_covered" in m and "mixture_centres" in f["train"]:
        axes[1].set_ylim(-0.3, f["train/mixture_centres"].shape[0] + 0.5)
    if has_structure:
        ax = axes[count - 1]
        factor = m["structure_factor"][()]
        k = m["structure_k"][()]
        # Box wave vectors are m·e_a: per harmonic m, the largest factor over the axes a.
        harmonic = np.abs(k).max(axis=1).astype(int)
        for h in np.unique(harmonic):
            ax.plot(it, factor[:, harmonic == h].max(axis=1), lw=1,
                    label=f"max over axes a, ξ = 2π·{h}·e_a / box")
        rows = attr(f, "eval_samples", 0)
        if rows:
            ax.axhline(1.0 / rows, color="0.5", ls="--", lw=0.8, label="1/n (no structure)")
        ax.set_yscale("log")
        ax.set_title("structure factor |n⁻¹Σ exp(−iξ·f)|² of D(real)", fontsize=8)
        ax.set_xlabel("iteration", fontsize=7)
        ax.tick_params(labelsize=6)
        ax.legend(fontsize=6, loc="center right")
    fig.suptitle(train_title(f), fontsize=8)
    save(fig, path)


def plot_train(f, stem, how_many):
    plot_train_samples(f, stem + "_samples.png", how_many)
    plot_train_losses(f, stem + "_losses.png")
    plot_train_metrics(f, stem + "_metrics.png")
