"""Time nncore's convolution and pooling layers against PyTorch (CPU) on LeNet-5's layer shapes, batch 64.

Each layer runs forward and backward: nncore's fast path (``nncore.conv``) in its (m, n_H, n_W, n_C) layout,
PyTorch's ``torch.nn.functional.conv2d`` / ``max_pool2d`` with autograd in its own (m, n_C, n_H, n_W) layout
(forward with the graph recorded; backward alone, ``torch.autograd.grad`` on a kept graph). The first
convolution computes no gradient for the input pictures in either framework (LeNet does not need it). Same
dtype, one thread each (threadpoolctl for numpy's BLAS, ``torch.set_num_threads``), interleaved rounds,
medians; ratios > 1 mean nncore is faster. Then the loop version the notebook teaches against the fast path,
on a batch of 8 (the loops take seconds on 64). ``--cpu-time`` times each call by this thread's CPU time instead
of the wall clock (both frameworks do all their work on the calling thread here): on a busy machine it leaves out
the time spent waiting for a core.

    python benchmarks/conv.py [--quick] [--cpu-time] [--json PATH]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train_step.py: an idle OpenMP pool must not spin

import argparse
import json
import platform
import time

import numpy as np
from threadpoolctl import threadpool_limits
from train_step import measure

from nncore import conv

try:
    import torch
except ImportError:
    torch = None

BATCH = 64
LOOP_BATCH = 8
# name, input (n_H, n_W, n_C), filters (f, n_C) or pool f, hparameters, does the input need a gradient?
LAYERS = [
    ("conv1 5×5×1→6, pad 2", (28, 28, 1), (5, 6), {"stride": 1, "pad": 2}, False),
    ("pool1 max 2×2", (28, 28, 6), None, {"f": 2, "stride": 2}, True),
    ("conv2 5×5×6→16", (14, 14, 6), (5, 16), {"stride": 1, "pad": 0}, True),
    ("pool2 max 2×2", (10, 10, 16), None, {"f": 2, "stride": 2}, True),
]


def tensors(shape, filters, dtype, rng, m=BATCH):
    """Seeded A_prev, W, b (W and b None for a pooling layer) in nncore's layout."""
    A = rng.standard_normal((m, *shape)).astype(dtype)
    if filters is None:
        return A, None, None
    f, n_C = filters
    return A, (rng.standard_normal((f, f, shape[2], n_C)) * 0.1).astype(dtype), np.zeros((1, 1, 1, n_C), dtype)


def nncore_layer(A, W, b, hparameters, need_dA_prev):
    """(forward, backward) closures for nncore's fast path; backward starts from a fixed random dZ."""
    if W is None:
        out, cache = conv.pool_forward(A, hparameters)
        dout = np.random.default_rng(1).standard_normal(out.shape).astype(A.dtype)
        return (lambda: conv.pool_forward(A, hparameters)), (lambda: conv.pool_backward(dout, cache))
    out, cache = conv.conv_forward(A, W, b, hparameters)
    dout = np.random.default_rng(1).standard_normal(out.shape).astype(A.dtype)
    return (lambda: conv.conv_forward(A, W, b, hparameters)), (lambda: conv.conv_backward(dout, cache, need_dA_prev))


def torch_layer(A, W, b, hparameters, need_dA_prev):
    """The same layer in PyTorch (NCHW), with autograd: forward records the graph, backward is autograd.grad."""
    A_t = torch.from_numpy(np.ascontiguousarray(A.transpose(0, 3, 1, 2))).requires_grad_(need_dA_prev)
    if W is None:
        def forward():
            return torch.nn.functional.max_pool2d(A_t, hparameters["f"], hparameters["stride"])
        inputs = [A_t]
    else:
        W_t = torch.from_numpy(np.ascontiguousarray(W.transpose(3, 2, 0, 1))).requires_grad_()
        b_t = torch.from_numpy(b.ravel().copy()).requires_grad_()

        def forward():
            return torch.nn.functional.conv2d(A_t, W_t, b_t, stride=hparameters["stride"], padding=hparameters["pad"])
        inputs = [A_t, W_t, b_t] if need_dA_prev else [W_t, b_t]
    out = forward()
    dout = torch.from_numpy(np.random.default_rng(1).standard_normal(tuple(out.shape)).astype(A.dtype))
    return forward, lambda: torch.autograd.grad(out, inputs, dout, retain_graph=True)


def loop_layer(A, W, b, hparameters):
    """(forward, backward) closures for the loop version the notebook teaches."""
    if W is None:
        out, cache = conv.pool_forward_loops(A, hparameters)
        return (lambda: conv.pool_forward_loops(A, hparameters)), (lambda: conv.pool_backward_loops(out, cache))
    out, cache = conv.conv_forward_loops(A, W, b, hparameters)
    return (lambda: conv.conv_forward_loops(A, W, b, hparameters)), (lambda: conv.conv_backward_loops(out, cache))


def run(seconds, dtypes, clock=time.perf_counter):
    """nncore vs torch (batch 64) for every layer, pass and dtype; then loops vs fast path (batch 8, float64)."""
    rows = []
    for dtype in dtypes:
        for name, shape, filters, hparameters, need in LAYERS:
            A, W, b = tensors(shape, filters, dtype, np.random.default_rng(0))
            ours = nncore_layer(A, W, b, hparameters, need)
            theirs = torch_layer(A, W, b, hparameters, need) if torch else None
            row = {"layer": name, "dtype": np.dtype(dtype).name}
            for k, direction in enumerate(("forward", "backward")):
                steps = {"nncore": ours[k], **({"torch": theirs[k]} if theirs else {})}
                row[direction] = {fw: t * 1e3 for fw, t in measure(steps, seconds, clock=clock).items()}
            rows.append(row)
        print(f"  done: {np.dtype(dtype).name}", flush=True)
    loops = []
    for name, shape, filters, hparameters, _ in LAYERS:
        A, W, b = tensors(shape, filters, np.float64, np.random.default_rng(0), LOOP_BATCH)
        fast, slow = nncore_layer(A, W, b, hparameters, True), loop_layer(A, W, b, hparameters)
        for k, direction in enumerate(("forward", "backward")):
            ms = {fw: t * 1e3 for fw, t in measure({"fast": fast[k], "loops": slow[k]}, seconds / 4,
                                                               clock=clock).items()}
            loops.append({"layer": name, "pass": direction, "ms": ms})
    return rows, loops


def tables(rows, loops):
    """Markdown tables: nncore vs torch per layer (forward, backward, both) with a total per dtype, then loops
    vs fast path. Ratios are torch / nncore: above 1, nncore is faster; the target is ≥ 1/1.5 ≈ 0.67."""
    lines = ["| layer | dtype | forward nncore / torch ms | backward nncore / torch ms | forward + backward "
             "torch / nncore |", "|---|---|---:|---:|---:|"]
    for dtype in dict.fromkeys(r["dtype"] for r in rows):
        block = [r for r in rows if r["dtype"] == dtype]
        total = {"layer": "**all four layers**", "dtype": dtype}
        total.update({p: {fw: sum(r[p].get(fw, np.nan) for r in block) for fw in ("nncore", "torch")}
                      for p in ("forward", "backward")})
        for r in block + [total]:
            both = {fw: r["forward"].get(fw, np.nan) + r["backward"].get(fw, np.nan) for fw in ("nncore", "torch")}
            cells = [f"{r[p]['nncore']:.3f} / {r[p].get('torch', np.nan):.3f}" for p in ("forward", "backward")]
            lines.append(f"| {r['layer']} | {dtype} | {cells[0]} | {cells[1]} | {both['torch'] / both['nncore']:.2f} |")
    lines += ["", f"| layer (float64, batch {LOOP_BATCH}) | pass | loops ms | fast ms | loops / fast |",
              "|---|---|---:|---:|---:|"]
    lines += [f"| {r['layer']} | {r['pass']} | {r['ms']['loops']:.1f} | {r['ms']['fast']:.3f} "
              f"| {r['ms']['loops'] / r['ms']['fast']:.0f}× |" for r in loops]
    return "\n".join(lines)


def main():
    """Parse the flags, pin one thread, run, and print (and optionally save) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds in all, for a smoke test")
    parser.add_argument("--cpu-time", action="store_true", help="time calls by this thread's CPU time, not wall time")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        if torch:
            torch.set_num_threads(1)
        print(f"versions: python {platform.python_version()}, numpy {np.__version__}, "
              f"torch {torch.__version__ if torch else 'not installed (skipped)'}; one thread; "
              f"{'CPU' if args.cpu_time else 'wall'} time; load average {os.getloadavg()[0]:.2f}")
        clock = time.thread_time if args.cpu_time else time.perf_counter
        rows, loops = run(0.3 if args.quick else 4.0, (np.float64, np.float32), clock)
    print("\n" + tables(rows, loops))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "loops": loops}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
