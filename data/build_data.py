"""Build the small, fixed data files shipped with nncourse.

Writes, next to this script:

* ``digits.h5`` -- "small digit 0-4 (label 0) vs large digit 5-9 (label 1)",
  from UCI optdigits 8x8 (scikit-learn's bundled copy), in the course's
  ``train_set_x`` / ``dev_set_x`` / ``test_set_x`` HDF5 layout.
* ``photos.h5`` -- ``chelsea``, scikit-image's CC0 cat photo as 64x64x3 uint8.
* ``fashion_mnist.h5`` -- a seeded, class-balanced subset of Fashion-MNIST
  (28x28 grey images, 10 classes): 5000 train from the official training
  file, 1000 dev and 1000 test from the official test file, gzip-compressed. The
  source is Debian's ``dataset-fashion-mnist`` package (MIT licence), read from
  ``/usr/share/datasets/fashion-mnist``.
* ``names.h5`` -- the 5163 different first names of the 1990 US census lists that
  the PyPI package ``names`` (0.3.0) ships (public domain), lower-case, split into
  train and dev: the corpus of the recurrent-networks assignment.

scikit-learn and scikit-image are needed only here, at build time; nothing is
downloaded. Run with no arguments to build every file, or name the files:

    apt-get install -y dataset-fashion-mnist   # once, for fashion_mnist.h5
    python data/build_data.py                   # digits.h5 photos.h5 fashion_mnist.h5
    python data/build_data.py fashion_mnist.h5  # only that one
    pip install names==0.3.0                    # once, for names.h5
"""
import gzip
import hashlib
import sys
from pathlib import Path

import h5py
import numpy as np

OUT_DIR = Path(__file__).resolve().parent
SEED = 2026
SPLITS = (("train", 209), ("dev", 588), ("test", 1000))  # sums to 1797


def _write_file(path, datasets, attrs, compress=()):
    """Write ``datasets`` (name -> array) and root ``attrs`` to ``path``.

    Timestamps are switched off so that rebuilding gives identical bytes. Datasets named in
    ``compress`` are stored gzip-compressed (level 9, one chunk per 100 examples).
    """
    with h5py.File(path, "w", libver="earliest", track_order=False) as f:
        for key, value in attrs.items():
            f.attrs[key] = value
        for name, arr in datasets.items():
            options = {}
            if name in compress:
                options = {"compression": "gzip", "compression_opts": 9,
                           "chunks": (min(100, len(arr)),) + arr.shape[1:]}
            f.create_dataset(name, data=arr, track_times=False, **options)


def build_digits(path):
    """Split load_digits into train/dev/test and write the binary task to ``path``.

    Returns a dict ``split -> (n_examples, n_label0, n_label1)``.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images.astype(np.uint8)  # raw 0..16, shape (1797, 8, 8)
    target = digits.target.astype(np.uint8)  # 0..9
    assert images.max() <= 16 and np.array_equal(images, digits.images)
    perm = np.random.default_rng(SEED).permutation(len(target))
    assert sum(n for _, n in SPLITS) == len(target)

    datasets, balance, start = {}, {}, 0
    for name, n in SPLITS:
        idx = perm[start:start + n]
        start += n
        y = (target[idx] >= 5).astype(np.uint8)
        datasets[f"{name}_set_x"] = images[idx]
        datasets[f"{name}_set_y"] = y
        datasets[f"{name}_set_digit"] = target[idx]
        balance[name] = (n, int((y == 0).sum()), int((y == 1).sum()))
    datasets["list_classes"] = np.array([b"small (0-4)", b"large (5-9)"])
    datasets["list_digits"] = np.array([str(d).encode() for d in range(10)])

    attrs = {
        "source": "UCI Optical Recognition of Handwritten Digits (optdigits), "
                  "8x8 version bundled with scikit-learn (sklearn.datasets.load_digits); "
                  "Alpaydin, E. & Kaynak, C. (1998)",
        "licence": "CC BY 4.0",
        "description": "Binary task: small digit 0-4 (y=0) vs large digit 5-9 (y=1). "
                       "x: uint8 8x8 images, values 0..16; digit: 10-class label 0..9. "
                       f"Split: one permutation from np.random.default_rng({SEED}), "
                       "train 209 / dev 588 / test 1000.",
        "built_by": "data/build_data.py",
    }
    _write_file(path, datasets, attrs)
    return balance


def build_photos(path):
    """Centre-crop skimage.data.chelsea() to a square, resize to 64x64, write to ``path``."""
    from skimage import data as skdata
    from skimage.transform import resize

    img = skdata.chelsea()  # (300, 451, 3) uint8
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    square = img[top:top + s, left:left + s]
    small = resize(square, (64, 64), anti_aliasing=True)  # float in [0, 1]
    small = np.clip(np.round(small * 255), 0, 255).astype(np.uint8)

    attrs = {
        "source": "skimage.data.chelsea() (scikit-image), centre-cropped to "
                  f"{s}x{s} and resized to 64x64 with anti-aliasing",
        "licence": "CC0",
        "description": "chelsea: uint8 (64, 64, 3) RGB photo of a cat.",
    }
    _write_file(path, {"chelsea": small}, attrs)


FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
# dev and test both come from the official test file: the same distribution, as the course teaches.
FASHION_PER_CLASS = (("train", "train", 500), ("dev", "t10k", 100), ("test", "t10k", 100))


def read_idx(path):
    """Read a (gzipped) IDX file of unsigned bytes, as MNIST ships them, into a uint8 array."""
    raw = gzip.decompress(Path(path).read_bytes())
    zero, dtype_code, ndim = raw[0] << 8 | raw[1], raw[2], raw[3]
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return data.reshape(dims)


def build_fashion_mnist(path, source=FASHION_DIR):
    """A class-balanced subset of Fashion-MNIST, written to ``path``.

    From the official training file, one permutation from ``np.random.default_rng(SEED)`` gives, for
    each class in turn, its first 500 examples to train; from a second permutation (same generator) of
    the official test file, dev takes the first 100 of each class and test the next 100. Each
    split is then shuffled (same generator) so that the classes are mixed. Returns a dict
    ``split -> per-class counts``.
    """
    if not source.is_dir():
        raise FileNotFoundError(f"{source} not found: install it with `apt-get install -y dataset-fashion-mnist`")
    raw = {kind: (read_idx(source / f"{kind}-images-idx3-ubyte.gz"),
                  read_idx(source / f"{kind}-labels-idx1-ubyte.gz")) for kind in ("train", "t10k")}
    for images, labels in raw.values():
        assert images.shape[1:] == (28, 28) and len(images) == len(labels) and labels.max() == 9
    rng = np.random.default_rng(SEED)
    order = {kind: rng.permutation(len(raw[kind][1])) for kind in ("train", "t10k")}
    taken = {kind: np.zeros(10, dtype=int) for kind in order}
    datasets, counts = {}, {}
    for split, kind, per_class in FASHION_PER_CLASS:
        images, labels = raw[kind]
        idx = []
        for c in range(10):
            of_class = order[kind][labels[order[kind]] == c]
            idx.append(of_class[taken[kind][c]:taken[kind][c] + per_class])
            taken[kind][c] += per_class
        idx = np.concatenate(idx)
        idx = idx[rng.permutation(len(idx))]
        datasets[f"{split}_set_x"] = np.ascontiguousarray(images[idx])
        datasets[f"{split}_set_y"] = labels[idx].copy()
        counts[split] = np.bincount(labels[idx], minlength=10)
    datasets["list_classes"] = np.array([c.encode() for c in FASHION_CLASSES])

    attrs = {
        "source": "Fashion-MNIST (Zalando Research, https://github.com/zalandoresearch/fashion-mnist), "
                  "from Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist); "
                  "Xiao, H., Rasul, K. & Vollgraf, R. (2017), arXiv:1708.07747",
        "licence": "MIT (Copyright 2017 Zalando SE)",
        "description": "10-class task; x: uint8 28x28 grey images, values 0..255 (light article on a dark "
                       "background); y: class 0..9, names in list_classes. Class-balanced subset: "
                       "train 5000 (500 per class) from the official training set, dev 1000 and test 1000 "
                       "(100 per class each, disjoint) from the official test set; chosen with "
                       f"np.random.default_rng({SEED}).",
        "built_by": "data/build_data.py",
    }
    _write_file(path, datasets, attrs, compress=[k for k in datasets if k.endswith("_x")])
    return counts


NAMES_DEV = 500


def read_census_names():
    """The first names of the ``names`` package's census lists, lower-case, without repeats, in the lists'
    order (female then male, each by frequency); returns ``(names, package version)``."""
    from importlib import metadata, resources

    names, seen = [], set()
    for listing in ("dist.female.first", "dist.male.first"):
        for line in resources.files("names").joinpath(listing).read_text(encoding="ascii").splitlines():
            name = line.split()[0].lower() if line.strip() else ""
            if name and name not in seen:
                seen.add(name)
                names.append(name)
    return names, metadata.version("names")


def build_names(path):
    """Split the census first names into train and dev (one permutation from ``np.random.default_rng(SEED)``,
    the first ``NAMES_DEV`` to dev) and write them to ``path``. Returns ``split -> number of names``."""
    names, version = read_census_names()
    assert all(name.isascii() and name.isalpha() for name in names)
    order = np.random.default_rng(SEED).permutation(len(names))
    splits = {"dev": [names[i] for i in order[:NAMES_DEV]], "train": [names[i] for i in order[NAMES_DEV:]]}
    width = max(map(len, names))
    datasets = {f"{split}_names": np.array([n.encode() for n in chosen], dtype=f"S{width}")
                for split, chosen in splits.items()}
    attrs = {
        "source": f"the first-name lists dist.female.first and dist.male.first of the PyPI package names {version} "
                  "(https://github.com/treyhunner/names), derived from the 1990 US Census",
        "licence": "public domain (the census data; the package's code is MIT)",
        "description": "Lower-case first names a-z, each once (a name on both lists counted once). "
                       f"Split: one permutation from np.random.default_rng({SEED}), dev {NAMES_DEV} names, "
                       f"train the other {len(names) - NAMES_DEV}. Fixed-width byte strings, unpadded when read.",
        "built_by": "data/build_data.py",
    }
    _write_file(path, datasets, attrs, compress=list(datasets))
    return {split: len(chosen) for split, chosen in splits.items()}


def sha256(path):
    """Return the hex sha256 of the file at ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(names=()):
    """Build the named files (default: all) and print split sizes, class balance and checksums."""
    names = list(names) or ["digits.h5", "photos.h5", "fashion_mnist.h5", "names.h5"]
    unknown = set(names) - {"digits.h5", "photos.h5", "fashion_mnist.h5", "names.h5"}
    if unknown:
        raise SystemExit(f"unknown file(s) {sorted(unknown)}: choose digits.h5, photos.h5, fashion_mnist.h5, names.h5")
    if "digits.h5" in names:
        balance = build_digits(OUT_DIR / "digits.h5")
        for name, (n, n0, n1) in balance.items():
            print(f"{name:5s}: {n:4d} examples, small(0) {n0:4d} ({n0 / n:.1%}), "
                  f"large(1) {n1:4d} ({n1 / n:.1%})")
    if "photos.h5" in names:
        build_photos(OUT_DIR / "photos.h5")
    if "fashion_mnist.h5" in names:
        for name, per_class in build_fashion_mnist(OUT_DIR / "fashion_mnist.h5").items():
            print(f"fashion {name:5s}: {per_class.sum():4d} examples, per class {per_class.tolist()}")
    if "names.h5" in names:
        for name, count in build_names(OUT_DIR / "names.h5").items():
            print(f"names {name:5s}: {count:4d} first names")
    for fname in names:
        p = OUT_DIR / fname
        print(f"{fname}: {p.stat().st_size} bytes  sha256 {sha256(p)}")


if __name__ == "__main__":
    main(sys.argv[1:])
