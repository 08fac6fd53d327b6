"""Time one training step of nncore against PyTorch (CPU) and scikit-learn's MLPClassifier.

A step is forward + backward + a plain gradient-descent update (full batch), except the moons row,
where one step is a whole mini-batch epoch. Frameworks run interleaved, in rounds, on the same thread
count; each gets the median of its per-step times. Ratios > 1 mean nncore is faster.

    python benchmarks/train_step.py [--threads N] [--quick] [--json PATH]
"""

import os

# Interleaved frameworks: an idle OpenMP pool (torch's, sklearn's) must not spin on the cores while another
# framework runs (with --threads 2, spinning made torch's mini-batch epoch tens of times slower). The price is a
# wake-up per parallel op for torch when --threads > 1 (see README). Set before the imports.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import platform
import statistics
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from nncore import data, init, models, network, optim

try:
    import torch
except ImportError:
    torch = None
try:
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
except ImportError:
    sklearn = None

BATCH = 64


def deep_data():
    """The lecture's cat-image size: random seeded pixels X (12288, 209) and 0/1 labels Y (1, 209)."""
    rng = np.random.default_rng(0)
    return rng.random((12288, 209)), rng.integers(0, 2, (1, 209))


# name, layer_dims, hidden activation, learning rate, data maker, mini-batch size (None = full batch)
ROWS = [
    ("deep [12288,20,7,5,1] m=209", [12288, 20, 7, 5, 1], "relu", 0.0075, deep_data, None),
    ("planar 2-4-1 tanh m=400", [2, 4, 1], "tanh", 1.2, data.make_flower, None),
    ("moons [2,5,2,1] m=300, epoch of 64-batches", [2, 5, 2, 1], "relu", 0.1,
     lambda: data.make_moons(m=300), BATCH),
]


def nncore_step(X, Y, params, lr, hidden, batch):
    """A closure doing one nncore step (or, with ``batch``, one shuffled mini-batch epoch)."""
    state = {"params": params, "rng": np.random.default_rng(0)}
    m = X.shape[1]

    def full():
        state["params"], _ = models.train_step(X, Y, state["params"], lr, hidden)

    def epoch():
        order = state["rng"].permutation(m)
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            Xb, Yb = X[:, idx], Y[:, idx]
            AL, caches = models.L_model_forward(Xb, state["params"], hidden)
            grads = models.L_model_backward(AL, Yb, caches, hidden)
            state["params"] = optim.update_parameters(state["params"], grads, lr)

    return epoch if batch else full


def torch_step(X, Y, params, lr, hidden, batch):
    """The same network as an nn.Sequential (same initial weights), BCEWithLogitsLoss, torch.optim.SGD."""
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    L = network.n_layers(params)
    modules = []
    for l in range(1, L + 1):
        linear = torch.nn.Linear(*params[f"W{l}"].shape[::-1], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(params[f"W{l}"]))
            linear.bias.copy_(torch.from_numpy(params[f"b{l}"].ravel()))
        modules.append(linear)
        if l < L:
            modules.append(torch.nn.ReLU() if hidden == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*modules)
    loss_fn = torch.nn.BCEWithLogitsLoss()  # sigmoid output fused into the loss
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    Xt, Yt = torch.from_numpy(np.ascontiguousarray(X.T)), torch.from_numpy(np.ascontiguousarray(Y.T))
    gen = torch.Generator().manual_seed(0)

    def update(Xb, Yb):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(Xb), Yb).backward()
        opt.step()

    def epoch():
        order = torch.randperm(Xt.shape[0], generator=gen)
        for start in range(0, Xt.shape[0], batch):
            idx = order[start:start + batch]
            update(Xt[idx], Yt[idx])

    return epoch if batch else (lambda: update(Xt, Yt))


def sklearn_step(X, Y, params, lr, hidden, batch):
    """MLPClassifier with plain SGD (no momentum, no L2); each step is one ``partial_fit`` epoch."""
    dims = [W.shape[0] for k, W in params.items() if k.startswith("W")][:-1]
    m = X.shape[1]
    clf = MLPClassifier(hidden_layer_sizes=dims, activation=hidden, solver="sgd", batch_size=batch or m,
                        learning_rate_init=lr, max_iter=1, momentum=0, nesterovs_momentum=False, alpha=0,
                        shuffle=bool(batch), random_state=0)
    Xs, ys = np.ascontiguousarray(X.T), Y.ravel().astype(int)
    clf.partial_fit(Xs, ys, classes=np.array([0, 1]))
    if clf.coefs_[0].dtype != X.dtype:
        print(f"  ! sklearn weights are {clf.coefs_[0].dtype}, not {X.dtype}")
    return lambda: clf.partial_fit(Xs, ys)


FRAMEWORKS = {"nncore": nncore_step, "torch": torch_step if torch else None,
              "sklearn": sklearn_step if sklearn else None}


def nncore_dtype_leaks(X, Y, params, lr, hidden):
    """Names of the arrays of one nncore step (Z, A, grads, new parameters) whose dtype differs from X's."""
    AL, caches = models.L_model_forward(X, params, hidden)
    grads = models.L_model_backward(AL, Y, caches, hidden)
    new = optim.update_parameters(params, grads, lr)
    arrays = {"AL": AL, **grads, **new}
    arrays.update({f"Z{l}": Z for l, (_, Z) in enumerate(caches, 1)})
    return sorted(k for k, v in arrays.items() if v.dtype != X.dtype)


def measure(steps, seconds, round_seconds=0.03, clock=time.perf_counter):
    """Median seconds per call of each callable in ``steps``, run in interleaved rounds for ~``seconds``.

    Each callable is warmed up first; a round runs each one for about ``round_seconds``, timing every call with
    ``clock`` (``time.thread_time`` counts only the CPU time of this thread: single-threaded work on a busy machine).
    """
    reps = {}
    for name, step in steps.items():
        start, n = time.perf_counter(), 0
        while n < 3 or time.perf_counter() - start < min(0.2, seconds / 10):
            step()
            n += 1
        reps[name] = max(1, int(round_seconds * n / (time.perf_counter() - start)))
    times = {name: [] for name in steps}
    deadline, rounds = time.perf_counter() + seconds, 0
    while rounds < 5 or time.perf_counter() < deadline:
        for name, step in steps.items():
            for _ in range(reps[name]):
                t0 = clock()
                step()
                times[name].append(clock() - t0)
        rounds += 1
    return {name: statistics.median(t) for name, t in times.items()}


def blas_share(seconds):
    """Fraction of nncore's float64 deep-net step spent in its matrix products (the same shapes, alone)."""
    _, dims, hidden, lr, make, _ = ROWS[0]
    X, Y = make()
    params = init.initialize_parameters_deep(dims, seed=1)
    _, caches = models.L_model_forward(X, params, hidden)
    dZs = [np.ones_like(Z) for _, Z in caches]

    def products():  # forward W·A_prev, backward dW = dZ·A_prevᵀ, and dA_prev = Wᵀ·dZ above layer 1
        for l, (((A_prev, W, _), _), dZ) in enumerate(zip(caches, dZs), 1):
            W @ A_prev, dZ @ A_prev.T
            if l > 1:
                W.T @ dZ

    t = measure({"step": lambda: models.train_step(X, Y, params, lr, hidden), "matmul": products}, seconds)
    return t["matmul"] / t["step"], t


def run(seconds):
    """Benchmark every row in float64 and float32; returns a list of result dicts."""
    results = []
    for name, dims, hidden, lr, make, batch in ROWS:
        X64, Y = make()
        for dtype in (np.float64, np.float32):
            X, Yd = X64.astype(dtype), Y.astype(dtype)
            params = init.initialize_parameters_deep(dims, seed=1, dtype=dtype)
            leaks = nncore_dtype_leaks(X, Yd, params, lr, hidden)
            if leaks:
                print(f"  ! nncore {np.dtype(dtype).name} step produced other dtypes in: {', '.join(leaks)}")
            steps = {fw: make_step(X, Yd, {k: v.copy() for k, v in params.items()}, lr, hidden, batch)
                     for fw, make_step in FRAMEWORKS.items() if make_step}
            ms = {fw: t * 1e3 for fw, t in measure(steps, seconds).items()}
            results.append({"row": name, "dtype": np.dtype(dtype).name, "ms": ms, "nncore_dtype_leaks": leaks})
            print(f"  done: {name} {np.dtype(dtype).name}", flush=True)
    return results


def table(results):
    """The results as a markdown table (ratios > 1: nncore is faster)."""
    def cell(r, fw, ratio=False):
        if fw not in r["ms"]:
            return "—"
        return f"{r['ms'][fw] / r['ms']['nncore']:.2f}" if ratio else f"{r['ms'][fw]:.4g}"

    lines = ["| row | dtype | nncore ms | torch ms | sklearn ms | torch/nncore | sklearn/nncore |",
             "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['row']} | {r['dtype']} | {cell(r, 'nncore')} | {cell(r, 'torch')} | {cell(r, 'sklearn')} "
              f"| {cell(r, 'torch', True)} | {cell(r, 'sklearn', True)} |" for r in results]
    return "\n".join(lines)


def main():
    """Parse the flags, pin the thread counts, run, and print (and optionally save) the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP/torch threads for all (default 1)")
    parser.add_argument("--quick", action="store_true", help="a few seconds in all, for a smoke test")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    seconds = 0.3 if args.quick else 10.0
    if sklearn:
        warnings.filterwarnings("ignore", category=ConvergenceWarning)

    with threadpool_limits(limits=args.threads):
        if torch:
            torch.set_num_threads(args.threads)
        blas = [f"{i['internal_api']} {i.get('version')}: {i['num_threads']}" for i in threadpool_info()
                if i["user_api"] == "blas" and "numpy" in i["filepath"]]
        versions = {"python": platform.python_version(), "numpy": np.__version__,
                    "torch": torch.__version__ if torch else None, "sklearn": sklearn.__version__ if sklearn else None}
        print("versions: " + ", ".join(f"{k} {v or 'not installed'}" for k, v in versions.items()))
        print(f"threads: numpy BLAS ({'; '.join(blas)}), torch {torch.get_num_threads() if torch else '—'}; "
              f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; load average {os.getloadavg()[0]:.2f}")
        for fw in ("torch", "sklearn"):
            if not FRAMEWORKS[fw]:
                print(f"{fw}: not installed, skipped")
        results = run(seconds)
        share, share_t = blas_share(seconds)

    print("\n" + table(results) + "\n")
    print(f"BLAS share (deep row, float64): {share:.0%} of nncore's step is matrix products "
          f"({share_t['matmul'] * 1e3:.3g} of {share_t['step'] * 1e3:.3g} ms)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"versions": versions, "threads": args.threads, "blas": blas, "results": results,
                       "blas_share": share}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
