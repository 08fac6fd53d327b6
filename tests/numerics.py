"""Numerical gradients for the tests: independent of ``nncore.gradcheck``, which is itself under test.

``num_grad`` is a fourth-order centred difference, accurate enough to hold backprop to ``TOL`` even where
``nncore.gradcheck``'s two-point difference (the lecture's) is limited by round-off.
"""

import numpy as np

TOL = 1e-7          # the bound on ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)
EPS = 1e-4          # the tests' own centred-difference step (float64)


def num_grad(f, x, eps=EPS):
    """Centred difference of a scalar function f at x (any shape, including 0-d), in float64.

    The fourth-order centred stencil (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h: its truncation error
    O(h⁴) and round-off O(10⁻¹⁶/h) are both far below 1e-7 even for the tiny first-layer gradients of a
    deep sigmoid network, where the two-point (f(x+h) − f(x−h)) / 2h is limited by round-off to ~1e-6.
    """
    x = np.array(x, dtype=np.float64)          # a private copy, perturbed in place
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        values = []
        for step in (-2, -1, 1, 2):
            x[idx] = old + step * eps
            values.append(f(x.copy()))
        x[idx] = old
        g[idx] = (values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12 * eps)
    return g


def num_grad_dict(f, params, eps=EPS):
    """{"d" + key: ∂f/∂params[key]} for a scalar function of a dict of arrays."""
    return {"d" + k: num_grad(lambda v, k=k: f({**params, k: v}), params[k], eps) for k in params}


def rel_diff(g, h):
    """‖g − h‖ / (‖g‖ + ‖h‖) of two arrays of the same size (0 when both are zero)."""
    g, h = np.ravel(np.asarray(g, dtype=np.float64)), np.ravel(np.asarray(h, dtype=np.float64))
    assert g.shape == h.shape
    den = np.linalg.norm(g) + np.linalg.norm(h)
    return 0.0 if den == 0 else float(np.linalg.norm(g - h) / den)
