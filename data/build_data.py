"""Build the small, fixed data files shipped with nncourse.

Writes, next to this script:

* ``digits.h5`` -- "small digit 0-4 (label 0) vs large digit 5-9 (label 1)",
  from UCI optdigits 8x8 (scikit-learn's bundled copy), in the course's
  ``train_set_x`` / ``dev_set_x`` / ``test_set_x`` HDF5 layout.
* ``photos.h5`` -- ``chelsea``, scikit-image's CC0 cat photo as 64x64x3 uint8.

scikit-learn and scikit-image are needed only here, at build time; nothing is
downloaded. Run with no arguments:  ``python data/build_data.py``
"""
import hashlib
from pathlib import Path

import h5py
import numpy as np

OUT_DIR = Path(__file__).resolve().parent
SEED = 2026
SPLITS = (("train", 209), ("dev", 588), ("test", 1000))  # sums to 1797


def _write_file(path, datasets, attrs):
    """Write ``datasets`` (name -> array) and root ``attrs`` to ``path``.

    Timestamps are switched off so that rebuilding gives identical bytes.
    """
    with h5py.File(path, "w", libver="earliest", track_order=False) as f:
        for key, value in attrs.items():
            f.attrs[key] = value
        for name, arr in datasets.items():
            f.create_dataset(name, data=arr, track_times=False)


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


def sha256(path):
    """Return the hex sha256 of the file at ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main():
    """Build both files and print split sizes, class balance and checksums."""
    balance = build_digits(OUT_DIR / "digits.h5")
    for name, (n, n0, n1) in balance.items():
        print(f"{name:5s}: {n:4d} examples, small(0) {n0:4d} ({n0 / n:.1%}), "
              f"large(1) {n1:4d} ({n1 / n:.1%})")
    build_photos(OUT_DIR / "photos.h5")
    for fname in ("digits.h5", "photos.h5"):
        p = OUT_DIR / fname
        print(f"{fname}: {p.stat().st_size} bytes  sha256 {sha256(p)}")


if __name__ == "__main__":
    main()
