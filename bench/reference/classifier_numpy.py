#!/usr/bin/env python3
"""Reference for `entropybook bench classifier`: the same noisy classifier in plain numpy.

Net D-256-128-64-10, tanh hidden layers each followed by additive Gaussian noise (sigma 0.1),
linear output, softmax cross-entropy, Xavier normal initialisation, Adam (lr 1e-3, 0.9, 0.999,
1e-8), shuffled mini-batches of 128, float32 throughout, no gradient for the input layer's
input -- the algorithm of Sources/Experiments/Classifier/ClassifierTrainer.swift. Data: n x D
synthetic float32 in [0, 1) with random labels 0-9. Prints one JSON line in the BenchRecord
shape (median seconds/epoch).
"""
import argparse
import json
import time

import numpy as np


def build(sizes, rng):
    params = []
    for l in range(len(sizes) - 1):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        std = np.sqrt(2.0 / (fan_in + fan_out))
        params.append((rng.standard_normal((fan_in, fan_out)) * std).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return params


def epoch(x, y, params, state, batch, sigma, rng, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    n = x.shape[0]
    layers = len(params) // 2
    m, v = state["m"], state["v"]
    order = rng.permutation(n)
    total = 0.0
    for start in range(0, n, batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        rows = xb.shape[0]
        inputs, cleans = [xb], []
        for l in range(layers):
            z = inputs[-1] @ params[2 * l] + params[2 * l + 1]
            if l < layers - 1:
                c = np.tanh(z)
                cleans.append(c)
                inputs.append(c + sigma * rng.standard_normal(c.shape, dtype=np.float32))
            else:
                logits = z
        top = logits.max(axis=1, keepdims=True)
        e = np.exp(logits - top)
        s = e.sum(axis=1, keepdims=True)
        total += float(np.sum(np.log(s[:, 0]) + top[:, 0] - logits[np.arange(rows), yb]))
        delta = e / (s * np.float32(rows))
        delta[np.arange(rows), yb] -= np.float32(1.0 / rows)
        grads = [None] * len(params)
        for l in range(layers - 1, -1, -1):
            grads[2 * l] = inputs[l].T @ delta
            grads[2 * l + 1] = delta.sum(axis=0)
            if l > 0:
                delta = (delta @ params[2 * l].T) * (1 - cleans[l - 1] * cleans[l - 1])
        state["t"] += 1
        t = state["t"]
        step = np.float32(lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t))
        eps_t = np.float32(eps * np.sqrt(1 - b2 ** t))
        for p, g, mk, vk in zip(params, grads, m, v):
            mk *= np.float32(b1)
            mk += np.float32(1 - b1) * g
            vk *= np.float32(b2)
            vk += np.float32(1 - b2) * (g * g)
            p -= step * mk / (np.sqrt(vk) + eps_t)
    return total / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--dim", type=int, default=784)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--threads", default="")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    x = rng.random((args.n, args.dim), dtype=np.float32)
    y = rng.integers(0, 10, args.n)
    sizes = [args.dim, 256, 128, 64, 10]
    params = build(sizes, rng)
    state = {"m": [np.zeros_like(p) for p in params], "v": [np.zeros_like(p) for p in params], "t": 0}
    times, loss = [], float("nan")
    for _ in range(args.epochs):
        t0 = time.perf_counter()
        loss = epoch(x, y, params, state, args.batch, np.float32(args.noise), rng)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({
        "suite": "classifier", "name": "epoch", "implementation": "numpy",
        "parameters": {"n": str(args.n), "D": str(args.dim), "batch": str(args.batch),
                       "net": "-".join(map(str, sizes)), "threads": args.threads, "numpy": np.__version__},
        "seconds": times[len(times) // 2],
        "metrics": {"loss": loss, "epochs": float(args.epochs), "fastest": times[0], "slowest": times[-1]},
    }), flush=True)


if __name__ == "__main__":
    main()
