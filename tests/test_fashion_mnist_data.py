"""The shipped Fashion-MNIST subset: its layout, balance and checksum, the loader's view of it, and (where Debian's
``dataset-fashion-mnist`` package is installed) that the data script rebuilds it byte for byte."""

import gzip
import hashlib
import importlib.util
import re

import h5py
import numpy as np
import pytest

from course_tools import REPO
from nncore import data, losses

PATH = REPO / "data" / "fashion_mnist.h5"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SIZES = {"train": 5000, "dev": 1000, "test": 1000}


def _build_module():
    spec = importlib.util.spec_from_file_location("build_data", REPO / "data" / "build_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _recorded_sha256():
    """The checksum data/README.md records for fashion_mnist.h5."""
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"\|\s*`fashion_mnist\.h5`\s*\|\s*(\d+)\s*\|\s*`([0-9a-f]{64})`\s*\|", text)
    assert match, "data/README.md must record the size and sha256 of fashion_mnist.h5"
    return int(match[1]), match[2]


def test_file_matches_the_recorded_size_and_checksum():
    size, digest = _recorded_sha256()
    assert PATH.stat().st_size == size
    assert hashlib.sha256(PATH.read_bytes()).hexdigest() == digest
    assert size < 5_000_000  # a few MB: the images are gzip-compressed


def test_layout_dtypes_and_class_balance():
    with h5py.File(PATH, "r") as f:
        assert [c.decode() for c in f["list_classes"][()]] == CLASSES
        assert {"source", "licence", "description", "built_by"} <= set(f.attrs)
        assert "MIT" in f.attrs["licence"]
        for split, m in SIZES.items():
            x, y = f[f"{split}_set_x"], f[f"{split}_set_y"]
            assert x.shape == (m, 28, 28) and x.dtype == np.uint8 and x.compression == "gzip"
            assert y.shape == (m,) and y.dtype == np.uint8
            assert np.array_equal(np.bincount(y[()], minlength=10), np.full(10, m // 10))  # class-balanced
            assert len(np.unique(y[:20])) > 3  # shuffled, not sorted by class
            pixels = x[()]
            assert pixels.max() == 255 and pixels.min() == 0


@pytest.mark.parametrize("first, second", [("train", "dev"), ("train", "test"), ("dev", "test")])
def test_splits_hold_different_pictures(first, second):
    with h5py.File(PATH, "r") as f:
        seen = {bytes(img) for img in f[f"{first}_set_x"][()].reshape(SIZES[first], -1)}
        other = [bytes(img) for img in f[f"{second}_set_x"][()].reshape(SIZES[second], -1)]
    # Fashion-MNIST holds a few exact duplicates; a split that reused examples would share hundreds
    assert sum(img in seen for img in other) <= 5


def test_load_dataset_gives_columns_and_ten_class_labels():
    fashion = data.load_dataset("fashion_mnist")
    assert fashion.classes == CLASSES and fashion.image_shape == (28, 28)
    for split, m in SIZES.items():
        X, Y = getattr(fashion, f"X_{split}"), getattr(fashion, f"Y_{split}")
        images = getattr(fashion, f"images_{split}")
        assert X.shape == (784, m) and X.dtype == np.float64 and X.min() >= 0 and X.max() == 1.0
        assert Y.shape == (1, m) and set(np.unique(Y)) == set(range(10))
        # column j is picture j, flattened row by row and scaled by 1/255
        assert np.array_equal(X[:, 7], images[7].reshape(-1) / 255.0)
    assert losses.one_hot(fashion.Y_train, 10).sum(axis=1).tolist() == [500.0] * 10


def test_read_idx_parses_the_header_and_rejects_other_files(tmp_path):
    build = _build_module()
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    header = bytes([0, 0, 0x08, 3]) + b"".join(int(d).to_bytes(4, "big") for d in images.shape)
    (tmp_path / "ok.gz").write_bytes(gzip.compress(header + images.tobytes()))
    assert np.array_equal(build.read_idx(tmp_path / "ok.gz"), images)
    (tmp_path / "bad.gz").write_bytes(gzip.compress(bytes([0, 0, 0x0D, 1, 0, 0, 0, 1]) + b"\0\0\0\0"))
    with pytest.raises(ValueError, match="unsigned bytes"):
        build.read_idx(tmp_path / "bad.gz")


@pytest.mark.skipif(not _build_module().FASHION_DIR.is_dir(), reason="needs apt-get install dataset-fashion-mnist")
def test_the_data_script_rebuilds_the_same_bytes(tmp_path):
    build = _build_module()
    counts = build.build_fashion_mnist(tmp_path / "fashion_mnist.h5")
    assert {k: v.tolist() for k, v in counts.items()} == {s: [m // 10] * 10 for s, m in SIZES.items()}
    assert build.sha256(tmp_path / "fashion_mnist.h5") == _recorded_sha256()[1]
