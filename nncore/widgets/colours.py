"""The Playground's colours, computed with numpy: one home for both pictures (the live canvas and the
static matplotlib snapshot).

A class's colour shades the plane where the network predicts that class, stronger the surer it is: white
where it hesitates between classes. For two classes this is the diverging red–white–blue map of the
probability of class 1.
"""

import numpy as np
from matplotlib.colors import to_rgb

from nncore.plot import CLASS_COLOURS

PALETTE = (*CLASS_COLOURS, "#31a354", "#8856a7", "#e6ab02", "#525252")   # class 0, 1, 2, …
LIGHTNESS = 0.55           # the boundary's colours: this much of the class colour, the rest white


def rgb(colour: str) -> np.ndarray:
    """A colour name or hex string as floats ``(3,)`` in [0, 1]."""
    return np.array(to_rgb(colour))


def boundary_rgba(P: np.ndarray) -> np.ndarray:
    """The decision boundary ``(res, res, 4)`` uint8 from ``P: (K, res, res)``, the probability of each class.

    Each pixel takes the most probable class's colour, blended with white by the margin between the two
    most probable classes: white where two classes tie (on the boundary), ``LIGHTNESS`` of the class colour
    at certainty. For two classes the margin is |2p − 1|, the red–white–blue map of p = P(y = 1).
    """
    K = P.shape[0]
    best = np.argmax(P, axis=0)
    top_two = np.sort(P, axis=0)[-2:] if K > 1 else np.stack([np.zeros_like(P[0]), P[0]])
    confidence = np.clip(top_two[1] - top_two[0], 0, 1)[..., None]
    light = np.array([LIGHTNESS * rgb(c) + (1 - LIGHTNESS) for c in PALETTE[:K]])
    out = np.empty(P.shape[1:] + (4,), np.uint8)
    out[..., :3] = np.round(255 * (1 - confidence + confidence * light[best]))
    out[..., 3] = 255
    return out


def units_rgba(tiles: np.ndarray) -> np.ndarray:
    """Hidden-unit thumbnails ``(h, w)`` in [−1, 1] (NaN in the gaps) as ``(h, w, 4)`` uint8: class 0's colour
    at −1 through white to class 1's at +1, transparent gaps."""
    t = np.nan_to_num(tiles, nan=0.0)[..., None]
    low, high = rgb(PALETTE[0]), rgb(PALETTE[1])
    colour = np.where(t < 0, 1 + t * (1 - low), 1 - t * (1 - high))
    out = np.empty(tiles.shape + (4,), np.uint8)
    out[..., :3] = np.round(255 * np.clip(colour, 0, 1))
    out[..., 3] = np.where(np.isnan(tiles), 0, 255)
    return out
