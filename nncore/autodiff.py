"""Reverse-mode automatic differentiation, small enough to read: scalar nodes and matrix nodes.

A node records what it was computed from. ``Value`` holds a number ``data``; after ``backward(root)`` its
``grad`` is ∂root/∂node. It also keeps its parents (``_parents``), the name of the operation that made it
(``_op``: "+", "*", "**", "exp", "tanh", "log", and for matrix nodes "@" and "sum") and, for a power, the
exponent (``_arg``). Nodes store names, never closures, so a graph pickles.

Each operation's *local rule* is a plain function of numbers, e.g. ``mul_backward(a, b, out_grad) -> (da, db)``:
given the inputs a, b (or the output ``out``) and ∂root/∂out, it returns ∂root/∂a = ∂out/∂a · ∂root/∂out
(the chain rule). The rules work element-wise on numpy arrays too, so ``Tensor`` (a matrix node:
``W: (n[l], n[l-1])``, ``A: (n[l], m)``, ``b: (n[l], 1)``) reuses them and adds two of its own: the matrix
product and the sum.

``backward(root)`` zeroes every gradient of the graph, sets ∂root/∂root = 1 and runs each node's rule once,
from the root towards the inputs (reverse topological order). The order comes from an iterative depth-first
search, so a graph deeper than Python's recursion limit works.

``nncore.plot.computation_graph`` draws a graph; ``nncore.symbolic`` differentiates formulas, for comparison.
"""

import math
from collections.abc import Callable

import numpy as np

Number = float | np.ndarray  # a rule's inputs and outputs: numbers, or arrays element-wise

# ---- local rules: plain functions of numbers (scalars or arrays, element-wise) ---------------------------


def add_backward(a: Number, b: Number, out_grad: Number) -> tuple[Number, Number]:
    """out = a + b: ∂out/∂a = ∂out/∂b = 1, so both receive ``out_grad``. Returns ``(da, db)``."""
    return out_grad, out_grad


def mul_backward(a: Number, b: Number, out_grad: Number) -> tuple[Number, Number]:
    """out = a·b: ∂out/∂a = b, ∂out/∂b = a. Returns ``(da, db) = (b·out_grad, a·out_grad)``."""
    return b * out_grad, a * out_grad


def pow_backward(a: Number, n: float, out_grad: Number) -> Number:
    """out = aⁿ (n a constant number): returns ``da = n·aⁿ⁻¹·out_grad``."""
    return n * a ** (n - 1) * out_grad


def exp_backward(out: Number, out_grad: Number) -> Number:
    """out = eᵃ: ∂out/∂a = eᵃ = out itself. Returns ``da = out·out_grad``."""
    return out * out_grad


def tanh_backward(out: Number, out_grad: Number) -> Number:
    """out = tanh(a): ∂out/∂a = 1 − tanh²(a) = 1 − out². Returns ``da = (1 − out²)·out_grad``."""
    return (1 - out ** 2) * out_grad


def log_backward(a: Number, out_grad: Number) -> Number:
    """out = ln a: ∂out/∂a = 1/a. Returns ``da = out_grad / a``."""
    return out_grad / a


def matmul_backward(W: np.ndarray, A: np.ndarray, out_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """out = W·A with ``W: (n, k)``, ``A: (k, m)``, ``out_grad: (n, m)``: returns ``(dW, dA) =
    (out_grad·Aᵀ: (n, k), Wᵀ·out_grad: (k, m))``."""
    return out_grad @ A.T, W.T @ out_grad


def sum_backward(a: np.ndarray, out_grad: Number) -> np.ndarray:
    """out = Σ a (every entry): each entry of a moves out one for one. Returns ``out_grad`` in a's shape."""
    return out_grad * np.ones_like(a)


def unbroadcast(grad: Number, shape: tuple[int, ...]) -> np.ndarray:
    """``grad`` summed over the axes that broadcasting stretched, so that it has ``shape`` again.

    ``b: (n, 1)`` added to ``Z: (n, m)`` is used by all m columns, so ``db`` sums the m columns of the
    output's gradient (no 1/m here: that is part of the cost).
    """
    grad = np.asarray(grad, dtype=np.float64)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def local_gradients(node: "_Node") -> list[tuple["_Node", Number]]:
    """``[(parent, contribution to parent.grad)]`` for ``node``'s operation, by its op name (the chain rule)."""
    op, g, parents = node._op, node.grad, node._parents
    if op == "+":
        (a, b) = parents
        return list(zip(parents, add_backward(a.data, b.data, g)))
    if op == "*":
        (a, b) = parents
        return list(zip(parents, mul_backward(a.data, b.data, g)))
    if op == "@":
        (W, A) = parents
        return list(zip(parents, matmul_backward(W.data, A.data, g)))
    (a,) = parents if parents else (None,)
    if op == "**":
        return [(a, pow_backward(a.data, node._arg, g))]
    if op == "exp":
        return [(a, exp_backward(node.data, g))]
    if op == "tanh":
        return [(a, tanh_backward(node.data, g))]
    if op == "log":
        return [(a, log_backward(a.data, g))]
    if op == "sum":
        return [(a, sum_backward(a.data, g))]
    return []  # an input or a constant: nothing to pass on


# ---- nodes ----------------------------------------------------------------------------------------------


class _Node:
    """What scalar and matrix nodes share: the operators that build the graph (``_math`` holds the
    element-wise exp, tanh and log for the kind of data)."""

    __array_ufunc__ = None  # numpy hands ``2.0 * node`` or ``array * node`` back to the node's own operators
    _math = math

    def __init__(self, data, parents=(), op="", arg=None, label=""):
        self.data = data
        self._parents = tuple(parents)
        self._op = op
        self._arg = arg
        self.label = label

    @classmethod
    def lift(cls, x):
        return x if isinstance(x, cls) else cls(x)

    def _new(self, data, parents, op, arg=None):
        return type(self)(data, parents, op, arg)

    def __add__(self, other):
        other = self.lift(other)
        return self._new(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = self.lift(other)
        return self._new(self.data * other.data, (self, other), "*")

    def __pow__(self, n):
        return self._new(self.data ** n, (self,), "**", n)

    def exp(self):
        return self._new(self._math.exp(self.data), (self,), "exp")

    def tanh(self):
        return self._new(self._math.tanh(self.data), (self,), "tanh")

    def log(self):
        return self._new(self._math.log(self.data), (self,), "log")

    def __radd__(self, other):
        return self.lift(other) + self

    def __rmul__(self, other):
        return self.lift(other) * self

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-self.lift(other))

    def __rsub__(self, other):
        return self.lift(other) + (-self)

    def __truediv__(self, other):
        return self * self.lift(other) ** -1

    def __rtruediv__(self, other):
        return self.lift(other) * self ** -1


class Value(_Node):
    """A number in a computation graph: ``data``, ``grad`` = ∂root/∂this node, and how it was computed.

    Operators build the graph: ``+``, ``*``, ``**`` (a constant exponent), ``exp()``, ``tanh()``, ``log()``, and
    from them ``-``, ``/`` (``a / b = a · b⁻¹``). A plain number on either side becomes a constant node.
    """

    def __init__(self, data, parents=(), op="", arg=None, label=""):
        super().__init__(float(data), parents, op, arg, label)
        self.grad = 0.0

    def _backward(self):
        """Add this node's share to its parents' gradients (``+=``: a node used twice receives both shares)."""
        for parent, contribution in local_gradients(self):
            parent.grad += contribution

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{', op=' + repr(self._op) if self._op else ''})"


# ---- the backward pass --------------------------------------------------------------------------------------


def topological_order(root: _Node) -> list[_Node]:
    """Every node of ``root``'s graph exactly once, each after all of its parents (the root last).

    A depth-first search written with an explicit stack: a node is appended once all its parents are.
    """
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents if p not in seen)
    return order


def _zero(data):
    return np.zeros_like(data, dtype=np.float64) if isinstance(data, np.ndarray) else 0.0


def backward(root: _Node) -> list[_Node]:
    """Fill ``grad`` of every node of ``root``'s graph with ∂root/∂node; returns the order the rules ran in.

    Every gradient starts at 0 (so calling it twice gives the same result), ∂root/∂root = 1, then each
    node's rule runs once, root first: a node passes its gradient on only after every node that uses it
    has added its share.
    """
    order = topological_order(root)
    for node in order:
        node.grad = _zero(node.data)
    root.grad = _zero(root.data) + 1.0
    for node in reversed(order):
        node._backward()
    return order[::-1]


def gradients(f: Callable[..., Value], inputs: list[float]) -> np.ndarray:
    """∂f/∂x for each number x of ``inputs``: ``f(*nodes)`` builds the graph, ``backward`` differentiates it.

    Returns an array of ``len(inputs)`` floats.
    """
    xs = [Value(x) for x in inputs]
    backward(f(*xs))
    return np.array([x.grad for x in xs], dtype=np.float64)


# ---- matrix nodes ------------------------------------------------------------------------------------------


class Tensor(_Node):
    """A matrix node: ``data`` an array (``W: (n[l], n[l-1])``, ``A: (n[l], m)``, ``b: (n[l], 1)``, a cost
    ``()``), ``grad`` an array of the same shape after ``backward``.

    The same operations as ``Value``, element-wise with numpy broadcasting, plus ``W @ A`` and ``sum()``. A
    gradient flowing into a broadcast operand is summed back to its shape (``unbroadcast``): ``db`` adds up
    the columns. One node stands for a whole array, so a training step is a handful of nodes and the work
    is numpy's.
    """

    _math = np

    def __init__(self, data, parents=(), op="", arg=None, label=""):
        super().__init__(np.asarray(data, dtype=np.float64), parents, op, arg, label)
        self.grad = np.zeros_like(self.data)

    def __matmul__(self, other):
        other = self.lift(other)
        return Tensor(self.data @ other.data, (self, other), "@")

    def __rmatmul__(self, other):
        return self.lift(other) @ self

    def sum(self):
        return Tensor(self.data.sum(), (self,), "sum")

    def _backward(self):
        """Add this node's share to its parents' gradients, each summed back to its parent's shape."""
        for parent, contribution in local_gradients(self):
            parent.grad = parent.grad + unbroadcast(contribution, np.shape(parent.data))

    def __repr__(self):
        return f"Tensor(shape={self.data.shape}{', op=' + repr(self._op) if self._op else ''})"


def sigmoid(z: _Node) -> _Node:
    """σ(z) = 1 / (1 + e⁻ᶻ) built from the graph's operations (works on ``Value`` and ``Tensor``)."""
    return 1 / (1 + (-z).exp())


def shallow_cost(X: np.ndarray, Y: np.ndarray, W1: "Tensor", b1: "Tensor", W2: "Tensor", b2: "Tensor") -> "Tensor":
    """The one-hidden-layer network's cost as a graph: Z1 = W1·X + b1, A1 = tanh(Z1), Z2 = W2·A1 + b2,
    A2 = σ(Z2), J = −(1/m) Σ [y·ln a + (1 − y)·ln(1 − a)].

    ``X: (n_x, m)`` and ``Y: (1, m)`` are arrays; the parameters are ``Tensor`` nodes (``W1: (n_h, n_x)``,
    ``b1: (n_h, 1)``, ``W2: (1, n_h)``, ``b2: (1, 1)``). Returns the cost node J (shape ``()``).
    """
    m = X.shape[1]
    Y = np.asarray(Y, dtype=np.float64)
    A1 = (W1 @ X + b1).tanh()
    A2 = sigmoid(W2 @ A1 + b2)
    return -(Y * A2.log() + (1 - Y) * (1 - A2).log()).sum() / m
