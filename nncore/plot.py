"""Pictures for the notebooks: decision boundaries, cost curves, image grids, histograms per layer and
computation graphs. Matplotlib only."""

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nncore.autodiff import topological_order

CLASS_COLOURS = ("#d7301f", "#2b8cbe")


def _axes(ax: Axes | None) -> Axes:
    return plt.subplots(figsize=(5, 4))[1] if ax is None else ax


def decision_boundary(predict_proba: Callable[[np.ndarray], np.ndarray], X: np.ndarray, Y: np.ndarray,
                      X_dev: np.ndarray | None = None, Y_dev: np.ndarray | None = None, ax: Axes | None = None,
                      title: str | None = None, resolution: int = 200) -> Axes:
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


def cost_curves(curves: dict[str, Sequence[float]], every: int = 100, ax: Axes | None = None, title: str = "cost",
                ylabel: str = "cost J", log: bool = False) -> Axes:
    """One line per ``{label: costs}`` entry, costs recorded every ``every`` iterations. Returns the Axes."""
    ax = _axes(ax)
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)) * every, costs, label=str(label))
    ax.set(xlabel="iteration", ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def image_grid(images: np.ndarray, true_labels: np.ndarray, predicted: np.ndarray | None = None,
               classes: Sequence[str] | None = None, columns: int = 8, size: float = 1.3) -> Figure:
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


def layer_histograms(values: Sequence[np.ndarray], ax: Axes | None = None, title: str | None = None, bins: int = 60,
                     value_range: tuple[float, float] | None = None, log_magnitude: bool = True,
                     cmap: str = "viridis") -> Axes:
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


# ---- a computation graph (nncore.autodiff's nodes, or a learner's with the same attributes) ------------------

def computation_graph(root, ax: Axes | None = None, title: str | None = None, grad_name: str = "∂J") -> Axes:
    """Draw ``root``'s graph left to right: each box shows the node's name (its ``label``, else its
    operation), its value and, in red, its gradient. Works on any node with ``data``, ``grad``,
    ``_parents``, ``_op`` (and optionally ``label``), e.g. an ``nncore.autodiff.Value``. Returns the Axes."""
    order = topological_order(root)
    where = _graph_layout(order)
    xs = [x for x, _ in where.values()]
    ys = [y for _, y in where.values()]
    if ax is None:
        _, ax = plt.subplots(figsize=(2.1 * (max(xs) + 1) + 0.5, 1.2 * (max(ys) - min(ys) + 1) + 0.6))
    for node in order:
        for parent in node._parents:
            ax.annotate("", xy=where[node], xytext=where[parent],
                        arrowprops=dict(arrowstyle="-|>", color="grey", lw=1, shrinkA=26, shrinkB=26))
    for node in order:
        _draw_node(ax, node, where[node], grad_name)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.5)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def _draw_node(ax, node, where, grad_name):
    """One node's box at ``where``: its name above, its value inside, its gradient below in red."""
    label = getattr(node, "label", "")
    name = label or node._op or f"{float(node.data):g}"
    if node._op == "**" and not label:
        name = f"**{node._arg:g}"
    x, y = where
    ax.text(x, y + 0.12, name, ha="center", va="bottom", fontsize=10, fontweight="bold")
    ax.text(x, y, f"{float(node.data):.4g}", ha="center", va="center", fontsize=9,
            bbox=dict(boxstyle="round", fc="#eef3fb", ec="#4a78b5"))
    ax.text(x, y - 0.14, f"{grad_name} = {float(node.grad):.4g}", ha="center", va="top", fontsize=8,
            color="#c0392b")


def _graph_layout(order):
    """(x, y) for each node: x = the longest path from an input; inputs stacked evenly, every other node at
    the mean height of its parents, nudged apart from its neighbours in the same column."""
    where = {}
    leaves = [n for n in order if not n._parents]
    for node in order:
        if node._parents:
            x = 1 + max(where[p][0] for p in node._parents)
            where[node] = (x, float(np.mean([where[p][1] for p in node._parents])))
        else:
            where[node] = (0, (len(leaves) - 1) / 2 - leaves.index(node))
    columns = {}
    for node in order:
        columns.setdefault(where[node][0], []).append(node)
    for x, nodes in columns.items():
        nodes.sort(key=lambda n: -where[n][1])
        for above, below in zip(nodes, nodes[1:]):
            if where[above][1] - where[below][1] < 1:
                where[below] = (x, where[above][1] - 1)
    return where
