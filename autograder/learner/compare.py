"""Compare a learner's result with the reference and say, in the learner's terms, what differs.

``compare(expected, got, where, m)`` walks tuples, lists and dicts and returns a list of ``Problem``s,
empty when everything agrees. Each problem names the place (``grads["dw"]``), what is wrong and, when
the mismatch has a known signature, the likely cause.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nncore.i18n import _

RTOL, ATOL = 1e-5, 1e-7


@dataclass(frozen=True)
class Hint:
    """A diagnosis: a stable ``id`` that reports can count (e.g. ``missing_1_over_m``) and the text a learner reads."""
    id: str
    text: str


@dataclass(frozen=True)
class Problem:
    """One difference: where it is, what it is, and (maybe) why it probably happened."""
    where: str
    what: str
    hint: Hint | None = None

    def __str__(self):
        hint = "\n    " + _("hint: {text}").format(text=self.hint.text) if self.hint else ""
        return f"{self.where}: {self.what}" + hint


def _is_number(x):
    return isinstance(x, (int, float, np.number, bool, np.bool_)) or (
        isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "biuf")


def _as_numeric(got):
    """``got`` as a numeric array, or None when it is not numbers at all."""
    try:
        arr = np.asarray(got)
    except Exception:
        return None
    return arr if arr.dtype.kind in "biuf" else None


def _fmt(x):
    return f"{float(x):.6g}"


def _shape_hint(expected_shape, got_shape, m):
    """The likely cause of a shape mismatch, from the two shapes and the number of examples m (or None)."""
    if expected_shape == got_shape[::-1] and len(got_shape) == 2:
        return Hint("transposed", _("the result is transposed: check which factor carries .T (examples are columns)"))
    if len(expected_shape) == 2 and expected_shape[1] == 1:
        hint = _column_hint(expected_shape[0], got_shape, m)
        if hint:
            return hint
    if (len(expected_shape) == 2 and expected_shape[0] == 1 and expected_shape[1] > 1
            and got_shape == expected_shape[1:]):
        return Hint("flat_row", _("a flat vector of shape ({n},) instead of the row (1, {n}): one value per example is "
                                  "still a (1, m) array — keep it 2-D, e.g. with .reshape(1, -1) or by not indexing "
                                  "it down to one axis").format(n=expected_shape[1]))
    if m and m > 1 and got_shape == (m, m):
        return Hint("elementwise_instead_of_dot", _("an (m, m) = ({m}, {m}) result: an element-wise * where a matrix "
                    "product np.dot was meant (or a transpose on the wrong factor of np.dot)").format(m=m))
    if (len(got_shape) == 2 and len(expected_shape) == 2 and got_shape[0] == got_shape[1]
            and got_shape != expected_shape):
        return Hint("broadcast_square", _("a square result from broadcasting a column against a row: check the "
                                          "transposes and keepdims"))
    if got_shape == () and expected_shape:
        return Hint("sum_without_axis", _("a single number came back: an np.sum without axis= adds up everything"))
    return None


def _column_hint(n, got_shape, m):
    """The likely cause when a column ``(n, 1)`` (a bias or its gradient) was expected."""
    if got_shape == (n, n) and n != 1:
        return Hint("keepdims", _("(n, n) instead of (n, 1): a sum lost its column shape and then broadcast — use "
                                  "np.sum(..., axis=1, keepdims=True)"))
    if got_shape in ((), (1,), (1, 1)):
        return Hint("summed_over_units", _("a single number instead of one value per unit: sum over the examples "
                                           "only (axis=1, keepdims=True)"))
    if got_shape == (n,):
        return Hint("flat_vector", _("a flat vector of shape (n,): keep the column shape with keepdims=True "
                                     "(or reshape to (n, 1))"))
    if m and got_shape == (n, m):
        return Hint("examples_not_summed", _("one column per example: the examples were not summed over "
                                             "(np.sum(..., axis=1, keepdims=True)/m, or np.dot with a transpose)"))
    return None


def _value_hint(expected, got, m):
    """The likely cause of wrong values of the right shape (or None)."""
    if not np.all(np.isfinite(got)):
        return Hint("nan_or_inf", _("NaN or inf in your result: typically log(0) (predictions of exactly 0 or 1), "
                                    "an overflowing np.exp, or a division by zero"))
    if m and m > 1 and _close(got, expected * m):
        return Hint("missing_1_over_m", _("every entry is m = {m} times too large: the 1/m (averaging over the "
                                          "examples) is missing").format(m=m))
    if m and m > 1 and _close(got, expected / m):
        return Hint("divided_by_m_twice", _("every entry is m = {m} times too small: you divided by m "
                                            "twice").format(m=m))
    if _close(got, -expected):
        return Hint("sign_flipped", _("the sign is flipped: check the minus sign in the formula"))
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and _close(got, expected.T):
        return Hint("transposed", _("the result is transposed"))
    return None


def _close(a, b):
    return np.allclose(a, b, rtol=RTOL, atol=ATOL)


def _shape_words(shape):
    return _("a single number") if shape == () else _("shape {shape}").format(shape=shape)


def _first_difference(expected, got):
    if expected.ndim == 0:
        return _("expected {expected}, got {got}").format(expected=_fmt(expected), got=_fmt(got))
    diff = np.abs(got - expected)
    bad = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    index = np.unravel_index(np.argmax(bad), expected.shape) if expected.ndim else ()
    at = f"[{', '.join(map(str, index))}]" if index else "[]"
    largest = np.nanmax(diff) if np.any(np.isfinite(diff)) else float("nan")
    return _("first difference at {at}: expected {expected}, got {got} (largest difference {largest})").format(
        at=at, expected=_fmt(expected[index]), got=_fmt(got[index]), largest=_fmt(largest))


def _compare_array(expected, got, where, m):
    exp = np.asarray(expected)
    exp = exp.astype(np.float64) if exp.dtype == bool else exp  # a reference mask compares as 0/1
    arr = _as_numeric(got)
    if arr is None:
        return [Problem(where, _("expected numbers, got a {type}").format(type=type(got).__name__))]
    if exp.ndim == 0 and arr.size == 1:
        arr = arr.reshape(())  # a (1, 1) cost or a one-element array is a fine number
    if arr.shape != exp.shape:
        what = _("expected {expected}, got {got}").format(expected=_shape_words(exp.shape), got=_shape_words(arr.shape))
        return [Problem(where, what, _shape_hint(exp.shape, arr.shape, m))]
    arr = arr.astype(np.float64) if arr.dtype.kind != "f" else arr
    if np.allclose(arr, exp, rtol=RTOL, atol=ATOL, equal_nan=True):
        return []
    return [Problem(where, _("wrong values; {difference}").format(difference=_first_difference(exp, arr)),
                    _value_hint(exp, arr, m))]


def _compare_mapping(expected, got, where, m):
    if not isinstance(got, Mapping):
        return [Problem(where, _("expected a dictionary with keys {keys}, got a {type}").format(
            keys=sorted(expected), type=type(got).__name__))]
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        parts = ([_("missing key(s) {keys}").format(keys=missing)] if missing else []) + \
                ([_("unexpected key(s) {keys}").format(keys=extra)] if extra else [])
        hint = None
        if missing and extra and len(missing) == len(extra) and any(str(k).startswith("dA") for k in missing + extra):
            hint = Hint("keys_shifted", _("the key names are shifted: in layer l backprop stores dW[l], db[l] and "
                                          "dA[l-1] (dA of the layer below)"))
        return [Problem(where, "; ".join(parts), hint)]
    problems = []
    for k in expected:
        problems += compare(expected[k], got[k], f"{where}[{k!r}]", m)
    return problems


def _compare_sequence(expected, got, where, m):
    if isinstance(got, (str, bytes)) or not isinstance(got, Sequence):
        return [Problem(where, _("expected a {type} of {n} items, got a {got}").format(
            type=type(expected).__name__, n=len(expected), got=type(got).__name__))]
    if len(got) != len(expected):
        return [Problem(where, _("expected {n} items, got {got}").format(n=len(expected), got=len(got)))]
    problems = []
    for i, (e, g) in enumerate(zip(expected, got)):
        problems += compare(e, g, f"{where}[{i}]", m)
    return problems


def compare(expected, got, where="result", m=None):
    """All the ways ``got`` differs from ``expected`` (arrays, numbers, dicts, tuples, lists, strings)."""
    if isinstance(expected, Mapping):
        return _compare_mapping(expected, got, where, m)
    if isinstance(expected, (tuple, list)):
        return _compare_sequence(expected, got, where, m)
    if isinstance(expected, np.ndarray) or _is_number(expected):
        return _compare_array(expected, got, where, m)
    if expected != got:
        return [Problem(where, _("expected {expected}, got {got}").format(expected=repr(expected), got=repr(got)))]
    return []


def _leaves(value, path=()):
    """(path of keys, array) for every number or array inside dicts, tuples and lists."""
    if isinstance(value, Mapping):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, (tuple, list)):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    arr = _as_numeric(value)
    return [(path, arr)] if arr is not None else []


def unchanged(arguments, expected, got):
    """A hint when a value came back as it went in although it should have changed — an update never applied
    (``params["b"]`` still the ``b`` it started from, ``parameters["b1"]`` never stepped) — or None."""
    given = {path[-1]: arr for path, arr in _leaves(arguments) if path}
    wanted = dict(_leaves(expected))
    for path, arr in _leaves(got):
        key = path[-1] if path else None
        start, right = given.get(key), wanted.get(path)
        if start is None or right is None or arr.shape != start.shape or right.shape != start.shape:
            continue
        if np.array_equal(arr, start) and not np.allclose(right, start):
            return Hint("never_updated", _("{name} is exactly the value it started with: it should change and never "
                                           "does — is its update line missing (e.g. {name} = {name} − α·d{name})?")
                        .format(name=key))
    return None


def matches(expected, got):
    """True when ``got`` agrees with ``expected`` as the checker would judge it (for hints that recompute a
    known mistake and compare the learner's result with it)."""
    with np.errstate(all="ignore"):
        return not compare(expected, got)


def mutated_input():
    return Hint("mutated_input", _("work on copies: write W = W - learning_rate * dW (a new array) instead of "
                                   "W -= ..., and build a new dictionary instead of writing into the one you "
                                   "were given"))


def mutations(before, after, names):
    """Problems for every argument the learner's function changed in place."""
    problems = []
    for name in names:
        if compare(before[name], after[name], name):
            problems.append(Problem(_("argument {name}").format(name=repr(name)),
                                    _("your function changed its input in place"), mutated_input()))
    return problems
