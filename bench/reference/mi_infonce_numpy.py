#!/usr/bin/env python3
"""Reference for `entropybook bench mi-neural`: the InfoNCE critic in plain numpy.

The algorithm of Sources/Experiments/MutualInformation/NeuralCritic*.swift, which follows the
neural estimators of benchmark-mi (Czyz et al. 2023): columns standardised, a seeded half of
the rows held out, a concatenated critic f(x, y) = MLP([x; y]) with ReLU hidden layers and a
linear output (He normal before ReLU, Xavier normal before the output, zero biases), Adam
(0.9, 0.999, 1e-8) on batches of B training rows drawn without replacement scoring all B^2
pairs, the InfoNCE bound on all m^2 held-out pairs every `--eval-every` steps, the estimate
the best held-out value. float32 throughout; the first layer is computed per row
(x W_x + y W_y + b) as in the Swift code. Reads X and Y from .npy files; prints one JSON line
in the BenchRecord shape.
"""
import argparse
import json
import time

import numpy as np


def standardize(a):
    a = a.astype(np.float64)
    sd = a.std(axis=0)
    sd[sd == 0] = 1
    return ((a - a.mean(axis=0)) / sd).astype(np.float32)


def init(sizes, rng):
    params = []
    for l in range(len(sizes) - 1):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        var = 2.0 / fan_in if l < len(sizes) - 2 else 2.0 / (fan_in + fan_out)
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(var)).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return params


def scores(params, x, y, dx, keep=False):
    """S[i, j] = f(x_i, y_j) and, with keep, the activations for the backward pass."""
    w0, b0 = params[0], params[1]
    p = x @ w0[:dx]
    q = y @ w0[dx:] + b0
    z = np.maximum(p[:, None, :] + q[None, :, :], 0).reshape(-1, w0.shape[1])
    acts = [z]
    layers = len(params) // 2
    for l in range(1, layers):
        z = acts[-1] @ params[2 * l] + params[2 * l + 1]
        if l < layers - 1:
            z = np.maximum(z, 0)
        acts.append(z)
    s = acts[-1].reshape(x.shape[0], y.shape[0])
    return (s, acts) if keep else s


def infonce_step(params, x, y, dx):
    b = x.shape[0]
    s, acts = scores(params, x, y, dx, keep=True)
    top = s.max(axis=1, keepdims=True)
    e = np.exp(s - top)
    total = e.sum(axis=1, keepdims=True)
    bound = float(np.mean(np.diag(s) - top[:, 0] - np.log(total[:, 0]))) + np.log(b)
    delta = (e / total - np.eye(b, dtype=np.float32)) / b  # d(-bound)/dS
    grads = [None] * len(params)
    layers = len(params) // 2
    d = delta.reshape(-1, 1).astype(np.float32)
    for l in range(layers - 1, 0, -1):
        grads[2 * l] = acts[l - 1].T @ d
        grads[2 * l + 1] = d.sum(axis=0)
        d = (d @ params[2 * l].T) * (acts[l - 1] > 0)
    h = params[0].shape[1]
    d = d.reshape(b, b, h)
    dp, dq = d.sum(axis=1), d.sum(axis=0)
    grads[0] = np.concatenate([x.T @ dp, y.T @ dq], axis=0)
    grads[1] = dq.sum(axis=0)
    return bound, grads


def held_out(params, x, y, dx, block_pairs=1 << 17):
    m = x.shape[0]
    block = max(1, min(m, block_pairs // m))
    terms = []
    for start in range(0, m, block):
        s = scores(params, x[start:start + block], y, dx).astype(np.float64)
        top = s.max(axis=1)
        lse = top + np.log(np.exp(s - top[:, None]).sum(axis=1))
        own = s[np.arange(s.shape[0]), np.arange(start, start + s.shape[0])]
        terms.append(own - lse + np.log(m))
    t = np.concatenate(terms)
    return float(t.mean()), float(t.std(ddof=1) / np.sqrt(m))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--hidden", default="16,8")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", default="1")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    x, y = standardize(np.load(args.x)), standardize(np.load(args.y))
    n, dx = x.shape
    order = rng.permutation(n)
    test, train = np.sort(order[: n // 2]), np.sort(order[n // 2:])
    xt, yt, xs, ys = x[test], y[test], x[train], y[train]
    hidden = [int(h) for h in args.hidden.split(",")]
    params = init([dx + y.shape[1]] + hidden + [1], rng)
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    best, best_se = -np.inf, np.nan
    start = time.perf_counter()
    for step in range(1, args.steps + 1):
        idx = rng.choice(len(train), size=min(args.batch, len(train)), replace=False)
        _, grads = infonce_step(params, xs[idx], ys[idx], dx)
        for k, g in enumerate(grads):
            m1[k] = b1 * m1[k] + (1 - b1) * g
            m2[k] = b2 * m2[k] + (1 - b2) * g * g
            mh = m1[k] / (1 - b1 ** step)
            vh = m2[k] / (1 - b2 ** step)
            params[k] = (params[k] - args.lr * mh / (np.sqrt(vh) + eps)).astype(np.float32)
        if step % args.eval_every == 0 or step == args.steps:
            value, se = held_out(params, xt, yt, dx)
            if value > best:
                best, best_se = value, se
    seconds = time.perf_counter() - start
    print(json.dumps({
        "suite": "mi-neural", "name": "infonce" + args.label, "implementation": "numpy",
        "parameters": {"n": str(n), "dx": str(dx), "dy": str(y.shape[1]), "batch": str(args.batch),
                       "steps": str(args.steps), "critic": args.hidden, "threads": args.threads},
        "seconds": seconds,
        "metrics": {"estimate": best, "standardError": best_se, "secondsPerStep": seconds / args.steps},
    }))


if __name__ == "__main__":
    main()
