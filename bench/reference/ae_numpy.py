#!/usr/bin/env python3
"""Reference for `entropybook bench autoencoder`: the same autoencoder in plain numpy.

Net D-512-256-d-256-512-D, ReLU hidden layers, linear code and output, He/Xavier normal
initialisation, mean squared error, Adam (lr 1e-3, 0.9, 0.999, 1e-8), shuffled mini-batches
of 128, float32 throughout, no gradient for the input layer's input — the algorithm of
Sources/Experiments/Autoencoder/Training.swift. Data: n×D synthetic float32 in [0, 1).
Prints one JSON line per code dimension in the BenchRecord shape (median seconds/epoch).
"""
import argparse
import json
import time

import numpy as np


def build(sizes, rng):
    params = []
    layers = len(sizes) - 1
    for l in range(layers):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        relu = l != layers - 1 and l != layers // 2 - 1
        std = np.sqrt(2.0 / fan_in) if relu else np.sqrt(2.0 / (fan_in + fan_out))
        params.append((rng.standard_normal((fan_in, fan_out)) * std).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return params


def epoch(x, params, state, batch, rng, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    n, width = x.shape
    layers = len(params) // 2
    code = layers // 2 - 1
    m, v = state["m"], state["v"]
    order = rng.permutation(n)
    total = 0.0
    for start in range(0, n, batch):
        xb = x[order[start:start + batch]]
        rows = xb.shape[0]
        acts = [xb]
        for l in range(layers):
            z = acts[-1] @ params[2 * l] + params[2 * l + 1]
            acts.append(z if (l == code or l == layers - 1) else np.maximum(z, 0))
        diff = acts[-1] - xb
        total += float(np.dot(diff.ravel(), diff.ravel()))
        delta = diff * np.float32(2.0 / (rows * width))
        grads = [None] * len(params)
        for l in range(layers - 1, -1, -1):
            grads[2 * l] = acts[l].T @ delta
            grads[2 * l + 1] = delta.sum(axis=0)
            if l > 0:
                delta = delta @ params[2 * l].T
                if l - 1 != code:
                    delta *= acts[l] > 0
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
    return total / (n * width)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--dim", type=int, default=784)
    parser.add_argument("--codes", default="2,8,32")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", default="")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    x = rng.random((args.n, args.dim), dtype=np.float32)
    for d in [int(c) for c in args.codes.split(",")]:
        sizes = [args.dim, 512, 256, d, 256, 512, args.dim]
        params = build(sizes, rng)
        state = {"m": [np.zeros_like(p) for p in params], "v": [np.zeros_like(p) for p in params], "t": 0}
        times, loss = [], float("nan")
        for _ in range(args.epochs):
            t0 = time.perf_counter()
            loss = epoch(x, params, state, args.batch, rng)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(json.dumps({
            "suite": "autoencoder", "name": "epoch", "implementation": "numpy",
            "parameters": {"n": str(args.n), "D": str(args.dim), "d": str(d), "batch": str(args.batch),
                           "net": "-".join(map(str, sizes)), "threads": args.threads,
                           "numpy": np.__version__},
            "seconds": times[len(times) // 2],
            "metrics": {"loss": loss, "epochs": float(args.epochs), "fastest": times[0], "slowest": times[-1]},
        }), flush=True)


if __name__ == "__main__":
    main()
