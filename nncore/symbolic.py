"""Symbolic differentiation, small enough to read: what a computer algebra system does, to compare with
automatic differentiation (``nncore.autodiff``).

An expression is a number, a variable name (``"x"``) or a tuple ``(op, *operands)`` with op one of ``"+"``,
``"-"``, ``"*"``, ``"^"`` (a number as exponent), ``"exp"``, ``"log"``; e.g. x²·y + y + 2 is
``("+", ("+", ("*", ("^", "x", 2), "y"), "y"), 2)``. ``derivative`` applies the textbook rules to the formula
itself and returns another formula, which swells on long compositions (no subexpression is shared).
"""

import math

Expression = int | float | str | tuple


def _make(op: str, *args: Expression) -> Expression:
    """(op, *args) with the obvious simplifications: numbers folded, 0 and 1 dropped where they do nothing."""
    a = args[0]
    b = args[1] if len(args) > 1 else None
    numbers = all(isinstance(x, (int, float)) for x in args)
    if op == "+":
        if numbers:
            return a + b
        return b if a == 0 else a if b == 0 else (op, a, b)
    if op == "-":
        if numbers:
            return a - b
        return a if b == 0 else (op, a, b)
    if op == "*":
        if numbers:
            return a * b
        if a == 0 or b == 0:
            return 0
        return b if a == 1 else a if b == 1 else (op, a, b)
    if op == "^":
        return 1 if b == 0 else a if b == 1 else (op, a, b)
    return (op, *args)


def derivative(expr: Expression, var: str) -> Expression:
    """The expression of ∂expr/∂var, by the sum, product, power and chain rules (with ``_make``'s
    simplifications only: no common subexpressions are shared, as in a formula on paper)."""
    if isinstance(expr, (int, float)):
        return 0
    if isinstance(expr, str):
        return 1 if expr == var else 0
    op, *args = expr
    d = [derivative(a, var) for a in args]
    if op in ("+", "-"):
        return _make(op, d[0], d[1])
    if op == "*":
        return _make("+", _make("*", d[0], args[1]), _make("*", args[0], d[1]))
    if op == "^":
        n = args[1]
        return _make("*", _make("*", n, _make("^", args[0], n - 1)), d[0])
    if op == "exp":
        return _make("*", expr, d[0])
    if op == "log":
        return _make("*", _make("^", args[0], -1), d[0])
    raise ValueError(f"unknown operation {op!r}")


def expression_size(expr: Expression) -> int:
    """The number of operations, variables and numbers in the written-out expression."""
    return 1 + sum(expression_size(a) for a in expr[1:]) if isinstance(expr, tuple) else 1


def evaluate(expr: Expression, **values: float) -> float:
    """The expression's value with variables set by keyword, e.g. ``evaluate(e, x=3.0, y=4.0)``."""
    if isinstance(expr, (int, float)):
        return expr
    if isinstance(expr, str):
        return values[expr]
    op, *args = expr
    v = [evaluate(a, **values) for a in args]
    return {"+": lambda: v[0] + v[1], "-": lambda: v[0] - v[1], "*": lambda: v[0] * v[1],
            "^": lambda: v[0] ** v[1], "exp": lambda: math.exp(v[0]), "log": lambda: math.log(v[0])}[op]()


def to_string(expr: Expression) -> str:
    """The expression written out with the fewest parentheses that keep it unambiguous."""
    rank = {"+": 1, "-": 1, "*": 2, "^": 3}

    def show(e, outer=0, right=False):
        if isinstance(e, (int, float)):
            text = f"{e:g}"
            return f"({text})" if e < 0 and outer else text
        if isinstance(e, str):
            return e
        op, *args = e
        if op in ("exp", "log"):
            return f"{op}({show(args[0])})"
        r = rank[op]
        sep = {"+": " + ", "-": " − ", "*": "·", "^": "^"}[op]
        text = show(args[0], r) + sep + show(args[1], r + (op in "-^"), True)
        return f"({text})" if r < outer or (right and r == outer and op in "-") else text

    return show(expr)
