"""The course's data: HDF5 sets shipped in ``data/`` and seeded generators for 2-D toy sets.

Everything comes back in the course layout: ``X: (n_x, m)`` (one column per example), ``Y: (1, m)``.
Nothing is downloaded.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from nncore.init import rng_from

SPLITS = ("train", "dev", "test")
Seed = int | np.random.Generator | None


def data_dir() -> Path:
    """Where the HDF5 files are: ``$NNCOURSE_DATA``, else the data shipped in the wheel, else the repo's ``data/``."""
    if "NNCOURSE_DATA" in os.environ:
        return Path(os.environ["NNCOURSE_DATA"])
    here = Path(__file__).resolve().parent
    shipped = here / "_data"
    return shipped if shipped.is_dir() else here.parent / "data"


@dataclass(frozen=True)
class Dataset:
    """Train/dev/test splits: ``X_*: (n_x, m)`` floats in [0, 1], ``Y_*: (1, m)`` 0/1 floats.

    ``images_*`` keep the pictures (m, height, width[, 3]) for plotting; ``extra`` holds other label
    sets of the same examples, e.g. ``extra["Y_train_digit"]: (1, m)`` with the digit 0–9.
    """
    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    images_train: np.ndarray
    images_dev: np.ndarray
    images_test: np.ndarray
    classes: list
    extra: dict = field(default_factory=dict)

    @property
    def image_shape(self) -> tuple[int, ...]:
        """The shape of one picture, to turn a column of X back into an image."""
        return self.images_train.shape[1:]


# How to scale each shipped set's raw pixel values into [0, 1].
_PIXEL_MAX = {"digits": 16.0}


def load_dataset(name: str, dtype: type = np.float64) -> Dataset:
    """Load ``data/<name>.h5`` (course layout) as a ``Dataset`` with flattened, scaled columns."""
    path = data_dir() / f"{name}.h5"
    if not path.exists():
        shipped = sorted(p.stem for p in data_dir().glob("*.h5"))
        raise FileNotFoundError(f"no data set {name!r} in {data_dir()}; available: {shipped}")
    scale = _PIXEL_MAX.get(name, 255.0)
    arrays, extra = {}, {}
    with h5py.File(path, "r") as f:
        for split in SPLITS:
            images = f[f"{split}_set_x"][()]
            arrays[f"images_{split}"] = images
            arrays[f"X_{split}"] = (images.reshape(images.shape[0], -1).T / scale).astype(dtype)
            arrays[f"Y_{split}"] = f[f"{split}_set_y"][()].reshape(1, -1).astype(dtype)
            for key in f:
                prefix = f"{split}_set_"
                if key.startswith(prefix) and key[len(prefix):] not in ("x", "y"):
                    extra[f"Y_{split}_{key[len(prefix):]}"] = f[key][()].reshape(1, -1)
        classes = [c.decode() for c in f["list_classes"][()]]
    return Dataset(classes=classes, extra=extra, **arrays)


def load_photo(name: str = "chelsea") -> np.ndarray:
    """A small colour photo from ``data/photos.h5`` as a ``(64, 64, 3)`` uint8 array."""
    with h5py.File(data_dir() / "photos.h5", "r") as f:
        return f[name][()]


def load_names(split="train"):
    """The census first names of ``data/names.h5`` (lower-case a–z) for ``split`` "train" or "dev", as a list
    of str: the corpus of the recurrent-networks assignment."""
    with h5py.File(data_dir() / "names.h5", "r") as f:
        key = f"{split}_names"
        if key not in f:
            raise ValueError(f"no split {split!r} in names.h5; choose one of {sorted(k[:-6] for k in f)}")
        return [name.decode("ascii") for name in f[key][()]]


def make_memory_task(m=64, gap=30, noise=1.0, seed=0):
    """A sequence task that needs memory: remember the first input's sign across ``gap`` noisy steps.

    Each example is a sequence of T_x = gap + 1 single numbers: the bit to remember as +1 or −1 at t = 0, then
    ``gap`` draws of N(0, noise²) on the same input. The answer, asked after the last step, is the bit.
    Returns ``x: (1, m, T_x)`` (the recurrent course's layout) and ``y: (2, m)`` one-hot (row 1: the bit was +1).
    """
    rng = rng_from(seed)
    bit = rng.integers(0, 2, m)
    x = np.empty((1, m, gap + 1))
    x[0, :, 0] = 2.0 * bit - 1
    x[0, :, 1:] = noise * rng.standard_normal((m, gap))
    return x, np.eye(2)[:, bit]


# ---- 2-D toy sets -------------------------------------------------------------------------------

def _labels(y: np.ndarray) -> np.ndarray:
    return np.asarray(y, dtype=np.uint8).reshape(1, -1)


def make_flower(m: int = 400, noise: float = 0.2, seed: Seed = 1, petals: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """The flower: two interleaved classes of petals (the lecture's generator; seed 1 gives its data).

    For class j, t = linspace(3.12j, 3.12(j+1)) + noise·N(0,1), r = petals·sin(4t) + noise·N(0,1),
    point = (r·sin t, r·cos t). Labels are uint8, as in the lecture.
    """
    rs = np.random.RandomState(seed) if not isinstance(seed, np.random.Generator) else seed
    points, labels = [], []
    for j, n in enumerate((m // 2, m - m // 2)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rs.standard_normal(n) * noise
        r = petals * np.sin(4 * t) + rs.standard_normal(n) * noise
        points.append(np.stack([r * np.sin(t), r * np.cos(t)]))
        labels.append(np.full(n, j))
    return np.hstack(points), _labels(np.concatenate(labels))


def make_moons(m: int = 400, noise: float = 0.2, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles."""
    rng = rng_from(seed)
    n = m // 2
    t = np.pi * rng.random(m)
    X = np.where(np.arange(m) < n, [np.cos(t), np.sin(t)], [1 - np.cos(t), 0.5 - np.sin(t)])
    return X + noise * rng.standard_normal((2, m)), _labels(np.arange(m) >= n)


def make_circles(m: int = 400, noise: float = 0.05, seed: Seed = 0,
                 factor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (label 1) inside a large one (label 0)."""
    rng = rng_from(seed)
    inner = np.arange(m) >= m // 2
    t = 2 * np.pi * rng.random(m)
    r = np.where(inner, factor, 1.0)
    return np.stack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((2, m)), _labels(inner)


def make_xor(m: int = 400, noise: float = 0.1, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants: label 1 where x₁ and x₂ have the same sign."""
    rng = rng_from(seed)
    X = rng.uniform(-1, 1, (2, m))
    Y = X[0] * X[1] > 0
    return X + noise * rng.standard_normal((2, m)), _labels(Y)


def make_gaussian_quantiles(m: int = 400, noise: float = 0.0, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D Gaussian cut at its median radius: label 1 outside, 0 inside."""
    rng = rng_from(seed)
    X = rng.standard_normal((2, m))
    r = np.linalg.norm(X, axis=0)
    return X + noise * rng.standard_normal((2, m)), _labels(r > np.median(r))


def _class_labels(m: int, classes: int) -> np.ndarray:
    """``(m,)`` labels 0 … K−1 in blocks: m // K examples per class, the remainder in the last class."""
    return np.minimum(np.arange(m) // max(m // classes, 1), classes - 1)


def make_blobs(m: int = 400, noise: float = 1.0, seed: Seed = 0,
               centres: tuple[tuple[float, float], ...] | None = None,
               classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs, a linearly separable control: two at (−2, −2) and (2, 2), or ``classes`` = K around
    a circle of radius 3 (K ≥ 3). ``centres`` (K pairs) places them yourself."""
    rng = rng_from(seed)
    if centres is None:
        angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
        centres = ((-2.0, -2.0), (2.0, 2.0)) if classes == 2 else 3 * np.stack([np.cos(angles), np.sin(angles)], 1)
    Y = _class_labels(m, len(centres))
    X = np.asarray(centres, dtype=float).T[:, Y] + noise * rng.standard_normal((2, m))
    return X, _labels(Y)


def make_spirals(m: int = 400, noise: float = 0.2, seed: Seed = 0, turns: float = 1.5,
                 arms: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Intertwined spirals, one class per arm: arm k is the first arm turned by 2πk/K (K = ``arms``)."""
    rng = rng_from(seed)
    Y = _class_labels(m, arms)
    t = np.sqrt(rng.random(m)) * turns * 2 * np.pi
    phase = 2 * np.pi * Y / arms
    X = np.stack([t * np.cos(t + phase), t * np.sin(t + phase)]) / (turns * np.pi)
    return X + noise * rng.standard_normal((2, m)) / 2, _labels(Y)


GENERATORS = {"flower": make_flower, "moons": make_moons, "circles": make_circles, "xor": make_xor,
              "gaussian_quantiles": make_gaussian_quantiles, "blobs": make_blobs, "spirals": make_spirals}
MULTICLASS = {"spirals": "arms", "blobs": "classes"}     # the sets with K classes, and the keyword that sets K


def make_2d(name: str, m: int = 400, noise: float | None = None, seed: Seed = 0,
            classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Any 2-D set by name (see ``GENERATORS``); ``noise=None`` keeps the set's default.

    ``classes`` = K > 2 is for the sets in ``MULTICLASS`` (K spiral arms, K blobs); labels are 0 … K−1.
    """
    try:
        generator = GENERATORS[name]
    except KeyError:
        raise ValueError(f"unknown 2-D set {name!r}; choose one of {sorted(GENERATORS)}") from None
    kwargs = {"m": m, "seed": seed} if noise is None else {"m": m, "seed": seed, "noise": noise}
    if classes != 2:
        if name not in MULTICLASS:
            raise ValueError(f"{name!r} has two classes; {sorted(MULTICLASS)} can have {classes}")
        kwargs[MULTICLASS[name]] = classes
    return generator(**kwargs)


def train_dev_split(X: np.ndarray, Y: np.ndarray, dev_fraction: float = 0.3,
                    seed: Seed = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the columns once and split them: returns ``(X_train, Y_train, X_dev, Y_dev)``."""
    m = X.shape[1]
    order = rng_from(seed).permutation(m)
    n_dev = int(round(dev_fraction * m))
    dev, train = order[:n_dev], order[n_dev:]
    return X[:, train], Y[:, train], X[:, dev], Y[:, dev]


def flip_labels(Y: np.ndarray, rate: float, seed: Seed = 0) -> np.ndarray:
    """``Y: (1, m)`` 0/1 labels with each one flipped independently with probability ``rate`` (label noise).

    When the clean labels are a function of x (e.g. ``make_gaussian_quantiles`` or ``make_xor`` with
    ``noise=0``), the best possible classifier still errs on the flipped fraction: the Bayes error is
    ``rate`` by construction. Returns a new array of ``Y``'s dtype; ``seed`` may be a Generator.
    """
    Y = np.asarray(Y)
    flip = rng_from(seed).random(Y.shape) < rate
    return np.where(flip, 1 - Y, Y).astype(Y.dtype)


def normalize_inputs(X_train: np.ndarray, X_other: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardize each feature (row) with the training set's statistics.

    μ = (1/m) Σ x⁽ⁱ⁾ and σ² = (1/m) Σ (x⁽ⁱ⁾ − μ)², both ``(n_x, 1)`` over the training examples;
    returns ``((X_train − μ)/σ, (X_other − μ)/σ, μ, σ²)``.
    """
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma2 = np.mean((X_train - mu) ** 2, axis=1, keepdims=True)
    sigma = np.sqrt(sigma2)
    return (X_train - mu) / sigma, (X_other - mu) / sigma, mu, sigma2
