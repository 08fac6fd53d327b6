"""Backpropagation, step by step: one example through a small network (2-3-1 by default), one forward pass
that puts values on the nodes, then one backward pass that puts gradients on the nodes and the edges.

``backprop_steps(parameters, x, y, hidden)`` computes every step with the lecture's per-layer formulas
(Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l]); dZ[L] = A[L] − y, dW[l] = dZ[l]·A[l−1]ᵀ, db[l] = dZ[l],
dA[l−1] = W[l]ᵀ·dZ[l], dZ[l] = dA[l] ∘ g′(Z[l])), one layer at a time, so the numbers can be shown as they
appear; they agree with nncore's own ``training.forward``/``backward`` (tested). ``Backprop()`` shows them
as a network diagram (SVG) that Step advances; without a live frontend it shows the finished pass.
"""

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from nncore import activations, losses, training
from nncore.i18n import _
from nncore.widgets.playground import has_frontend

if TYPE_CHECKING:
    import ipywidgets

TRAIN, FORWARD, BACKWARD, MUTED = "#3a3a3a", "#2b8cbe", "#d7301f", "#8c8c8c"


@dataclass
class Step:
    """One step: its title, its formulas with numbers, and every value known after it (``values[name]`` is an
    array such as ``"A1": (n[1], 1)`` or ``"dW2": (n[2], n[1])``)."""
    title: str
    formulas: list
    values: dict = field(default_factory=dict)


def _vec(a):
    return "[" + ", ".join(f"{v:.3g}" for v in np.ravel(a)) + "]"


def backprop_steps(parameters: dict, x: np.ndarray, y: float, hidden: str = "tanh") -> list:
    """The steps of one forward and one backward pass of ``x: (n[0], 1)`` with label ``y`` (sigmoid output,
    binary cross-entropy), each step's ``values`` holding everything computed so far; titles in the learner's
    language."""
    L = sum(1 for k in parameters if k.startswith("W"))
    values = {"A0": x, **parameters}
    steps = [Step(_("the example x enters the network"),
                  [_("A[0] = x = {x}, label y = {y}").format(x=_vec(x), y=f"{y:g}")], dict(values))]
    for l in range(1, L + 1):
        g, name = activations.get(hidden if l < L else "sigmoid")[0], hidden if l < L else "sigmoid"
        values[f"Z{l}"] = parameters[f"W{l}"] @ values[f"A{l - 1}"] + parameters[f"b{l}"]
        values[f"A{l}"] = g(values[f"Z{l}"])
        steps.append(Step(_("forward, layer {l}").format(l=l), [
            f"Z[{l}] = W[{l}]·A[{l - 1}] + b[{l}] = {_vec(values[f'Z{l}'])}",
            f"A[{l}] = {name}(Z[{l}]) = {_vec(values[f'A{l}'])}"], dict(values)))
    values["J"] = np.array(losses.binary_cross_entropy(values[f"A{L}"], np.array([[y]])))
    steps.append(Step(_("the cost"), [f"J = −(y·log a + (1 − y)·log(1 − a)) = {float(values['J']):.4g}"], dict(values)))
    values[f"dZ{L}"] = values[f"A{L}"] - y
    for l in range(L, 0, -1):
        if l < L:
            values[f"dA{l}"] = parameters[f"W{l + 1}"].T @ values[f"dZ{l + 1}"]
            values[f"dZ{l}"] = activations.get(hidden)[1](values[f"dA{l}"], values[f"Z{l}"])
            steps.append(Step(_("backward, into layer {l}").format(l=l), [
                f"dA[{l}] = W[{l + 1}]ᵀ·dZ[{l + 1}] = {_vec(values[f'dA{l}'])}",
                f"dZ[{l}] = dA[{l}] ∘ {hidden}′(Z[{l}]) = {_vec(values[f'dZ{l}'])}"], dict(values)))
        values[f"dW{l}"] = values[f"dZ{l}"] @ values[f"A{l - 1}"].T
        values[f"db{l}"] = values[f"dZ{l}"]
        first = [f"dZ[{L}] = A[{L}] − y = {_vec(values[f'dZ{L}'])}"] if l == L else []
        steps.append(Step(_("backward, weights of layer {l}").format(l=l), [
            *first, f"dW[{l}] = dZ[{l}]·A[{l - 1}]ᵀ = {_vec(values[f'dW{l}'])}",
            f"db[{l}] = dZ[{l}] = {_vec(values[f'db{l}'])}"], dict(values)))
    return steps


def network_svg(layer_dims: list, step: Step, width: int = 660, height: int = 330) -> str:
    """The network as an SVG drawing: weights on the edges (with dW once known), and on each node its value
    A (and Z) after the forward pass reaches it, its gradient dZ (and dA) once the backward pass does."""
    v, L = step.values, len(layer_dims) - 1
    xs = [70 + l * (width - 140) / L for l in range(L + 1)]
    gap = [min(95, (height - 60) / max(n - 1, 1)) for n in layer_dims]
    ys = [[height / 2 + (j - (n - 1) / 2) * gap[l] for j in range(n)] for l, n in enumerate(layer_dims)]
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-family='sans-serif' "
             f"font-size='11'>"]
    for l in range(1, L + 1):
        for j, yj in enumerate(ys[l]):
            for i, yi in enumerate(ys[l - 1]):
                # labels near the target, where the edges into one node fan out and do not cross
                parts.append(_edge((xs[l - 1], yi), (xs[l], yj), 0.62, v[f"W{l}"][j, i], v.get(f"dW{l}"), (j, i)))
    for l in range(L + 1):
        for j, yj in enumerate(ys[l]):
            parts.append(_node(xs[l], yj, _node_lines(v, l, j, L)))
    parts.append("</svg>")
    return "".join(parts)


def _edge(start, end, t, w, dW, index):
    (x0, y0), (x1, y1) = start, end
    lx, ly = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    label = f"<tspan fill='{MUTED}'>w {w:.2f}</tspan>"
    if dW is not None:
        label += f"<tspan fill='{BACKWARD}' dx='4'>dW {dW[index]:.3f}</tspan>"
    return (f"<line x1='{x0}' y1='{y0}' x2='{x1}' y2='{y1}' stroke='#cccccc' stroke-width='1.2'/>"
            f"<text x='{lx:.1f}' y='{ly - 3:.1f}' text-anchor='middle' paint-order='stroke' stroke='white' "
            f"stroke-width='3'>{label}</text>")


def _node_lines(v, l, j, L):
    lines = []
    if f"A{l}" in v:
        lines.append((FORWARD, f"a {v[f'A{l}'][j, 0]:.3f}" if l else f"x{j + 1} {v['A0'][j, 0]:.2f}"))
    if f"Z{l}" in v:
        lines.append((FORWARD, f"z {v[f'Z{l}'][j, 0]:.3f}"))
    if f"dA{l}" in v:
        lines.append((BACKWARD, f"dA {v[f'dA{l}'][j, 0]:.3f}"))
    if f"dZ{l}" in v and (l == L or f"dA{l}" in v):
        lines.append((BACKWARD, f"dZ {v[f'dZ{l}'][j, 0]:.3f}"))
    return lines


def _node(x, y, lines):
    top = y - 7 * (len(lines) - 1)
    text = "".join(f"<text x='{x}' y='{top + 14 * k + 4:.1f}' text-anchor='middle' fill='{colour}'>{html.escape(s)}"
                   f"</text>" for k, (colour, s) in enumerate(lines))
    h = 14 * len(lines) + 10
    return (f"<rect x='{x - 40}' y='{y - h / 2:.1f}' width='80' height='{h}' rx='12' fill='white' stroke='{TRAIN}' "
            f"stroke-width='1.3'/>{text}")


class Backprop:
    """One example through a small network, step by step: Step, Back and Reset walk through one forward pass
    and one backward pass. ``layer_dims`` (default 2-3-1), ``hidden`` activation and ``seed`` choose the
    network (Xavier initial weights from ``training.Trainer``); ``x`` and ``y`` the example."""

    def __init__(self, layer_dims: tuple = (2, 3, 1), hidden: str = "tanh", seed: int = 1, x: tuple = (0.5, -1.0),
                 y: float = 1, frontend: bool | None = None):
        self.layer_dims = list(layer_dims)
        parameters = training.Trainer(self.layer_dims, hidden=hidden, init_method="xavier", seed=seed).parameters
        self.steps = backprop_steps(parameters, np.reshape(np.asarray(x, float), (-1, 1)), float(y), hidden)
        self.frontend = has_frontend() if frontend is None else frontend
        self.position, self._widget = 0, None

    def html(self, position: int | None = None) -> str:
        """Step ``position`` (default: the current one) as HTML: where we are, its formulas, the diagram."""
        k = self.position if position is None else position
        step = self.steps[k]
        formulas = "".join(f"<div>{html.escape(f)}</div>" for f in step.formulas)
        where = _("step {k} of {n}: {title}").format(k=k, n=len(self.steps) - 1, title=step.title)
        return (f"<div class='nncore-backprop-step'><b>{html.escape(where)}</b>"
                f"<div style='font-family:monospace;font-size:12.5px;margin:4px 0'>{formulas}</div>"
                f"{network_svg(self.layer_dims, step)}</div>")

    def go(self, position: int) -> None:
        """Show step ``position`` (clipped to the first and last)."""
        self.position = int(np.clip(position, 0, len(self.steps) - 1))
        if self._widget is not None:
            self._view.value = self.html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.frontend:
            return self.widget._repr_mimebundle_(include=include, exclude=exclude)
        return {"text/html": self.html(len(self.steps) - 1),
                "text/plain": _("backpropagation through a {layers} network").format(
                    layers="-".join(map(str, self.layer_dims)))}

    @property
    def widget(self) -> "ipywidgets.VBox":
        """Back, Step and Reset buttons over the diagram (labelled in the learner's language)."""
        if self._widget is None:
            import ipywidgets as w

            buttons = []
            for label, icon, move in ((_("Back"), "step-backward", -1), (_("Step"), "step-forward", 1),
                                      (_("Reset"), "undo", 0)):
                button = w.Button(description=label, icon=icon, layout=w.Layout(width="86px"))
                button.on_click(lambda _, move=move: self.go(self.position + move if move else 0))
                buttons.append(button)
            self._view = w.HTML(self.html())
            self._widget = w.VBox([w.HBox(buttons), self._view])
            self._widget.add_class("nncore-backprop")
        return self._widget
