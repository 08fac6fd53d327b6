"""Time nncore's RNN forward + backward over a sequence against torch.nn.RNN (tanh) on the CPU.

One step is a forward pass over T_x steps and a backward pass from a given gradient for every hidden state
(``da``) to the gradients of the weights, the bias, the inputs and the initial state. nncore runs
``rnn.rnn_sequence_forward`` / ``rnn_sequence_backward``; PyTorch runs ``torch.nn.RNN(nonlinearity="tanh")``
and ``out.backward(da)`` with the same weights, on inputs and an initial state that require gradients. The
two are checked to agree before they are timed. Same dtype, one thread each (threadpoolctl for numpy's BLAS,
``torch.set_num_threads``), interleaved rounds, medians; ratio = torch ms / nncore ms (above 1: nncore faster).

    python benchmarks/rnn.py [--quick] [--json PATH]
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train_step.py: an idle pool must not spin

import argparse
import functools
import json
import platform

import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits
from train_step import measure

from nncore import rnn

# name, n_x, n_a, m, T_x
ROWS = [
    ("the notebook's language model", 27, 64, 64, 12),
    ("longer sequences", 27, 128, 32, 50),
    ("wide and long", 64, 256, 64, 100),
]


def problem(n_x, n_a, m, T_x, dtype, seed=0):
    """Inputs x (n_x, m, T_x), a0 (n_a, m), the upstream gradient da (n_a, m, T_x) and parameters, in ``dtype``."""
    rng = np.random.default_rng(seed)
    p = rnn.initialize_rnn(n_x, n_a, 1, seed=rng)
    p["ba"] = 0.1 * rng.standard_normal((n_a, 1))
    arrays = rng.standard_normal((n_x, m, T_x)), 0.5 * rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    return (*(a.astype(dtype) for a in arrays), {k: v.astype(dtype) for k, v in p.items()})


def nncore_step(x, a0, da, p):
    """One forward + backward pass of nncore's fast path; returns (a, gradients)."""
    a, cache = rnn.rnn_sequence_forward(x, a0, p)
    return a, rnn.rnn_sequence_backward(da, cache)


def torch_model(x, a0, da, p):
    """``step() -> (a, gradients)`` for torch.nn.RNN holding the same weights (time-major tensors, b_hh = 0)."""
    n_x, m, T_x = x.shape
    n_a = p["Waa"].shape[0]
    dtype = torch.float32 if x.dtype == np.float32 else torch.float64
    model = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=dtype)
    with torch.no_grad():
        model.weight_ih_l0.copy_(torch.from_numpy(p["Wax"]))
        model.weight_hh_l0.copy_(torch.from_numpy(p["Waa"]))
        model.bias_ih_l0.copy_(torch.from_numpy(p["ba"].ravel()))
        model.bias_hh_l0.zero_()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()    # (T_x, m, n_x)
    h0 = torch.from_numpy(np.ascontiguousarray(a0.T)[None]).requires_grad_()             # (1, m, n_a)
    dat = torch.from_numpy(np.ascontiguousarray(da.transpose(2, 1, 0)))

    def step():
        for tensor in (xt, h0, *model.parameters()):
            tensor.grad = None
        out, _ = model(xt, h0)
        out.backward(dat)
        return out, {"dx": xt.grad, "da0": h0.grad, "dWax": model.weight_ih_l0.grad,
                     "dWaa": model.weight_hh_l0.grad, "dba": model.bias_ih_l0.grad}

    return step


def agree(x, a0, da, p, torch_step):
    """Largest relative difference between nncore's and torch's hidden states and gradients."""
    a, grads = nncore_step(x, a0, da, p)
    out, tgrads = torch_step()
    as_course = {"a": out.detach().numpy().transpose(2, 1, 0), "dx": tgrads["dx"].numpy().transpose(2, 1, 0),
                 "da0": tgrads["da0"].numpy()[0].T, "dWax": tgrads["dWax"].numpy(), "dWaa": tgrads["dWaa"].numpy(),
                 "dba": tgrads["dba"].numpy()[:, None]}
    ours = {"a": a, **grads}
    return max(float(np.abs(ours[k] - v).max() / (np.abs(v).max() + 1e-30)) for k, v in as_course.items())


def run(seconds):
    """Every row in float64 and float32: checked for agreement, then timed; returns result dicts."""
    results = []
    for name, n_x, n_a, m, T_x in ROWS:
        for dtype in (np.float64, np.float32):
            x, a0, da, p = problem(n_x, n_a, m, T_x, dtype)
            torch_step = torch_model(x, a0, da, p)
            difference = agree(x, a0, da, p, torch_step)
            if difference > (1e-9 if dtype == np.float64 else 1e-3):
                raise SystemExit(f"{name} {np.dtype(dtype).name}: nncore and torch disagree ({difference:.2g})")
            steps = {"nncore": functools.partial(nncore_step, x, a0, da, p), "torch": torch_step}
            ms = {fw: t * 1e3 for fw, t in measure(steps, seconds).items()}
            results.append({"row": name, "n_x": n_x, "n_a": n_a, "m": m, "T_x": T_x, "dtype": np.dtype(dtype).name,
                            "ms": ms, "ratio": ms["torch"] / ms["nncore"], "difference": difference})
            print(f"  done: {name} {np.dtype(dtype).name}", flush=True)
    return results


def table(results):
    """The results as a markdown table (ratio > 1: nncore is faster)."""
    lines = ["| row | n_x, n_a, m, T_x | dtype | nncore ms | torch ms | torch/nncore |", "|---|---|---|---:|---:|---:|"]
    lines += [f"| {r['row']} | {r['n_x']}, {r['n_a']}, {r['m']}, {r['T_x']} | {r['dtype']} | {r['ms']['nncore']:.3g} "
              f"| {r['ms']['torch']:.3g} | {r['ratio']:.2f} |" for r in results]
    return "\n".join(lines)


def main():
    """Pin one thread for both, run, print the table (and optionally save JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds in all, for a smoke test")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        torch.set_num_threads(1)
        blas = [f"{i['internal_api']} {i.get('version')}" for i in threadpool_info()
                if i["user_api"] == "blas" and "numpy" in i["filepath"]]
        print(f"versions: python {platform.python_version()}, numpy {np.__version__} ({'; '.join(blas)}), "
              f"torch {torch.__version__}; 1 thread each; load average {os.getloadavg()[0]:.2f}")
        results = run(0.3 if args.quick else 5.0)
    print("\n" + table(results))
    worst = min(r["ratio"] for r in results)
    print(f"\nslowest row: nncore takes {1 / worst:.2f}× PyTorch's time (target: at most 1.5×)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"blas": blas, "torch": torch.__version__, "results": results}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
