#!/usr/bin/env python3
"""Reference for `entropybook bench autoencoder`: the same autoencoder in PyTorch (CPU).

Net D-512-256-d-256-512-D, ReLU hidden layers, linear code and output, nn.MSELoss (mean
per element), torch.optim.Adam (lr 1e-3, 0.9, 0.999, 1e-8), shuffled mini-batches of 128,
float32, torch.set_num_threads(--threads). Data: n×D synthetic float32 in [0, 1).
Prints one JSON line per code dimension in the BenchRecord shape (median seconds/epoch).
"""
import argparse
import json
import time

import torch
from torch import nn


def build(sizes):
    layers = []
    count = len(sizes) - 1
    for l in range(count):
        layers.append(nn.Linear(sizes[l], sizes[l + 1]))
        if l != count - 1 and l != count // 2 - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def epoch(x, model, optimizer, batch):
    loss_fn = nn.MSELoss()
    order = torch.randperm(x.shape[0])
    total, rows = 0.0, 0
    for start in range(0, x.shape[0], batch):
        xb = x[order[start:start + batch]]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), xb)
        loss.backward()
        optimizer.step()
        total += loss.item() * xb.shape[0]
        rows += xb.shape[0]
    return total / rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--dim", type=int, default=784)
    parser.add_argument("--codes", default="2,8,32")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x = torch.rand(args.n, args.dim, dtype=torch.float32)
    for d in [int(c) for c in args.codes.split(",")]:
        sizes = [args.dim, 512, 256, d, 256, 512, args.dim]
        model = build(sizes)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        times, loss = [], float("nan")
        for _ in range(args.epochs):
            t0 = time.perf_counter()
            loss = epoch(x, model, optimizer, args.batch)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(json.dumps({
            "suite": "autoencoder", "name": "epoch", "implementation": "torch",
            "parameters": {"n": str(args.n), "D": str(args.dim), "d": str(d), "batch": str(args.batch),
                           "net": "-".join(map(str, sizes)), "threads": str(args.threads),
                           "torch": torch.__version__},
            "seconds": times[len(times) // 2],
            "metrics": {"loss": loss, "epochs": float(args.epochs), "fastest": times[0], "slowest": times[-1]},
        }), flush=True)


if __name__ == "__main__":
    main()
