"""The rule on screen: the current optimizer's update of one weight, written out with its live numbers.

``PlaygroundState`` records the last optimizer step on the watched weight (``last_update``: the weight
before and after, its gradient, the moving averages before and after, the step count t and α). Here each
line of the lecture's formula is evaluated from the recorded inputs (g, the previous averages, t, α), so
the page shows the arithmetic itself; the last line's result is the weight nncore's optimizer produced.
"""

import html
import math
from typing import TYPE_CHECKING

from nncore.i18n import _
from nncore.widgets.controls import choice_names

if TYPE_CHECKING:
    from nncore.widgets.state import PlaygroundState


def _g(x):
    return f"{x:.4g}"


def rule_lines(state: "PlaygroundState") -> list:
    """The update as ``[(name, formula with numbers, value), …]``, the last line the new weight; ``[]`` before
    the first step."""
    u, opt = state.last_update, state.trainer.optimizer
    if u is None:
        return []
    key, i, j = state.watch_key()
    w, g, a, name = u["w"], u["g"], u["alpha"], opt.name
    lines = [("g", _("∂J/∂{weight} (this step's batch)").format(weight=f"{key}[{i},{j}]"), g)]
    if name == "gd":
        step = a * g
        lines.append(("step", f"α·g = {_g(a)} · {_g(g)}", step))
    elif name == "momentum":
        v = opt.beta * u["v_prev"] + (1 - opt.beta) * g
        lines.append(("v", f"β·v + (1 − β)·g = {opt.beta:g} · {_g(u['v_prev'])} + {1 - opt.beta:.2g} · {_g(g)}", v))
        step = a * v
        lines.append(("step", f"α·v = {_g(a)} · {_g(v)}", step))
    elif name == "rmsprop":
        s = _second_moment(u, opt.beta2, lines)
        step = a * g / (math.sqrt(s) + opt.epsilon)
        lines.append(("step", f"α·g / (√s + ε) = {_g(a)} · {_g(g)} / ({_g(math.sqrt(s))} + {opt.epsilon:g})", step))
    else:
        step = _adam(u, opt, lines)
    lines.append((f"{key}[{i},{j}]", f"{key} − step = {_g(w)} − {_g(step)}", w - step))
    return lines


def _second_moment(u, beta2, lines):
    """s = β₂·s + (1 − β₂)·g², appended to ``lines``; returns s."""
    g = u["g"]
    s = beta2 * u["s_prev"] + (1 - beta2) * g * g
    lines.append(("s", f"β₂·s + (1 − β₂)·g² = {beta2:g} · {_g(u['s_prev'])} + {1 - beta2:.3g} · {_g(g * g)}", s))
    return s


def _adam(u, opt, lines):
    """Adam's lines (v, s, the bias corrections with t, the step α·v̂/(√ŝ + ε)) appended to ``lines``; the step."""
    b1, b2, t, g, a = opt.beta1, opt.beta2, u["t"], u["g"], u["alpha"]
    v = b1 * u["v_prev"] + (1 - b1) * g
    lines.append(("v", f"β₁·v + (1 − β₁)·g = {b1:g} · {_g(u['v_prev'])} + {1 - b1:.2g} · {_g(g)}", v))
    s = _second_moment(u, b2, lines)
    v_hat, s_hat = v / (1 - b1 ** t), s / (1 - b2 ** t)
    step = a * v_hat / (math.sqrt(s_hat) + opt.epsilon)
    lines += [("v̂", f"v / (1 − β₁ᵗ) = {_g(v)} / (1 − {b1:g}^{t})", v_hat),
              ("ŝ", f"s / (1 − β₂ᵗ) = {_g(s)} / (1 − {b2:g}^{t})", s_hat),
              ("step", f"α·v̂ / (√ŝ + ε) = {_g(a)} · {_g(v_hat)} / ({_g(math.sqrt(s_hat))} + {opt.epsilon:g})", step)]
    return step


def rule_html(state: "PlaygroundState") -> str:
    """The update as a small HTML table: one line per formula, with nncore's own new weight checked against it."""
    lines = rule_lines(state)
    name = f"<b>{html.escape(choice_names('optimizer')[state.trainer.optimizer.name])}</b>"
    if not lines:
        return _("{optimizer}: press Step or Play to see one weight's update written out").format(optimizer=name)
    key, i, j = state.watch_key()
    u, shown = state.last_update, {"step": _("step")}
    rows = "".join(f"<tr><td><b>{html.escape(shown.get(q, q))}</b></td><td>=&nbsp;{html.escape(f)}</td>"
                   f"<td>=&nbsp;{_g(v)}</td></tr>" for q, f, v in lines)
    title = _("{optimizer}, update t = {t} of weight {weight} (nncore's optimizer gave {value})").format(
        optimizer=name, t=f"{u['t']:,}", weight=f"{key}[{i},{j}]", value=_g(u["w_new"]))
    return f"<div>{title}</div><table class='nncore-rule-table'>{rows}</table>"
