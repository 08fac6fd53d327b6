"""Pictures for the notebooks: decision boundaries, cost curves, image grids. Matplotlib only."""

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLOURS = ("#d7301f", "#2b8cbe")


def _axes(ax):
    return plt.subplots(figsize=(5, 4))[1] if ax is None else ax


def decision_boundary(predict_proba, X, Y, X_dev=None, Y_dev=None, ax=None, title=None, resolution=200):
    """Shade P(y=1 | x) over the plane and draw the points, training as dots, dev as rings.

    ``predict_proba`` maps ``(2, k)`` points to ``(1, k)`` probabilities (or 0/1 predictions);
    ``X: (2, m)``, ``Y: (1, m)``. Returns the matplotlib Axes.
    """
    ax = _axes(ax)
    points = X if X_dev is None else np.hstack([X, X_dev])
    lo, hi = points.min(axis=1) - 0.5, points.max(axis=1) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    P = np.asarray(predict_proba(np.vstack([g1.ravel(), g2.ravel()]))).reshape(g1.shape)
    ax.imshow(P, origin="lower", extent=(lo[0], hi[0], lo[1], hi[1]), cmap="RdBu", vmin=0, vmax=1,
              alpha=0.6, aspect="auto", interpolation="bilinear")
    ax.contour(g1, g2, P, levels=[0.5], colors="k", linewidths=1)
    for label, colour in enumerate(CLASS_COLOURS):
        on = np.ravel(Y) == label
        ax.scatter(X[0, on], X[1, on], s=14, c=colour, edgecolors="k", linewidths=0.3,
                   label=f"train y={label}")
        if X_dev is not None:
            on = np.ravel(Y_dev) == label
            ax.scatter(X_dev[0, on], X_dev[1, on], s=22, facecolors="none", edgecolors=colour,
                       linewidths=1.2, label=f"dev y={label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return ax


def cost_curves(curves, every=100, ax=None, title="cost", ylabel="cost J", log=False):
    """One line per ``{label: costs}`` entry, costs recorded every ``every`` iterations."""
    ax = _axes(ax)
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)) * every, costs, label=str(label))
    ax.set(xlabel="iteration", ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def image_grid(images, true_labels, predicted=None, classes=None, columns=8, size=1.3):
    """A grid of pictures titled "pred / true" (red when wrong). Returns the Figure.

    ``images: (k, h, w)`` or ``(k, h, w, 3)``; labels are length-k sequences (or (1, k) arrays).
    """
    true_labels = np.ravel(true_labels).astype(int)
    predicted = None if predicted is None else np.ravel(predicted).astype(int)
    name = (lambda c: str(classes[c])) if classes is not None else str
    k = len(images)
    rows = max(1, -(-k // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * size * 1.2), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= k:
            continue
        ax.imshow(images[i], cmap="gray_r" if np.ndim(images[i]) == 2 else None)
        if predicted is None:
            ax.set_title(name(true_labels[i]), fontsize=8)
        else:
            wrong = predicted[i] != true_labels[i]
            ax.set_title(f"{name(predicted[i])} / {name(true_labels[i])}", fontsize=8,
                         color="#d7301f" if wrong else "black")
    fig.tight_layout()
    return fig


def layer_histograms(values, ax=None, title=None, bins=60, value_range=None, log_magnitude=True, cmap="viridis"):
    """Overlaid histograms of one array per layer (layer 1 first), coloured from dark (first) to light (last).

    With ``log_magnitude`` (the default) each histogram is of log₁₀|value| over the non-zero entries, so layers
    whose values differ by many orders of magnitude (vanishing or exploding signals) share one axis; exact zeros
    (ReLU's) are left out. ``value_range=(lo, hi)`` fixes the x-axis (e.g. the same for several schemes).
    Histograms are densities, so layers of different sizes compare. Each is labelled "layer l" for a legend.
    Returns the matplotlib Axes.
    """
    ax = _axes(ax)
    colours = plt.get_cmap(cmap)(np.linspace(0.0, 0.9, max(len(values), 1)))
    for l, (v, colour) in enumerate(zip(values, colours), start=1):
        v = np.ravel(np.asarray(v, dtype=np.float64))
        if log_magnitude:
            v = np.log10(np.abs(v[v != 0]))
        v = v[np.isfinite(v)]
        if v.size:
            counts, edges = np.histogram(v, bins=bins, range=value_range, density=True)
            ax.stairs(counts, edges, color=colour, linewidth=1.2, label=f"layer {l}")
    ax.set(xlabel="log₁₀ |value|" if log_magnitude else "value", ylabel="density", title=title)
    return ax
