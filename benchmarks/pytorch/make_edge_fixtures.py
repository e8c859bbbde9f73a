#!/usr/bin/python3
"""Reference gradients from PyTorch at edge points, for compiler/src/test/resources/models/edges.nn.

Run by hand from the repository root, with Debian's python3-torch (1.13):

    /usr/bin/python3 benchmarks/pytorch/make_edge_fixtures.py

Unlike make_grad_fixtures.py (seeded random parameters), every value here is chosen to sit on an
edge of a derivative rule: pow with a zero base and a learned exponent (e > 0, e = 0, e < 1), relu
and leaky_relu at 0 and below, abs at ±0, max/min ties (also where sqrt makes the incoming gradient
infinite), a constant bound of max/min, which PyTorch writes as clamp (the tensor gets all of a
tie's gradient), a where whose unselected side receives an infinite gradient, and max-pooling
windows with ties (PyTorch gives each window's gradient to its first maximum in row-major order). It writes
edges.{params,inputs,grads}.safetensors beside the other fixtures, in the same format; the Java
test nnc.grad.EdgeGradientTest compares every back end with them element by element.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import OUT, save_safetensors  # noqa: E402


def params():
    t = lambda *v: torch.tensor(v, dtype=torch.float32)  # noqa: E731
    return {
        "b": t(0.0, 0.0, 2.0, 0.0),        # zero bases
        "e": t(1.5, 0.0, 0.5, 2.0),        # e > 0, e = 0 (∂b selects 0), and a finite e at b = 2
        "z": t(0.0, -1.0, 4.0, -0.0),      # relu at 0, dead, alive, at −0: sqrt makes g infinite
        "a": t(0.0, -1.0, 2.0, -0.0),      # leaky_relu and abs at 0
        "p": t(1.0, 2.0, 3.0, -1.0),       # ties at 0 and 2
        "q": t(1.0, 1.0, 3.0, 0.5),
        "s": t(0.0, -1.0, 0.0, 4.0),       # max(s, t) = 0: an infinite gradient at the winner (or tie)
        "t": t(-1.0, 0.0, 0.0, 1.0),
        "u": t(0.0, -0.0, 1.0, -2.0),      # abs at ±0
        "v": t(4.0, 0.0, -1.0, 1.0),       # where(v > 0, v, r): at v = 0 the r side is picked with sqrt(0)
        "r": t(0.0, 0.0, 1.0, 9.0),
        "c": t(1.0, 0.5, 3.0, 1.0),        # at and beyond a constant bound of max/min (PyTorch's clamp)
        "k": torch.tensor([[[1.0, 1.0, 2.0, 0.0], [1.0, 1.0, 2.0, 2.0], [0.0, 0.0, 5.0, 5.0], [0.0, 0.0, 5.0, 5.0]]]),
    }


def loss(p, x):
    powers = torch.pow(p["b"], p["e"])
    dead = torch.sqrt(torch.relu(p["z"])) + torch.sqrt(F.leaky_relu(p["a"], 0.1).abs() + 1)
    ties = (torch.maximum(p["p"], p["q"]) + 3 * torch.minimum(p["p"], p["q"]) + torch.sqrt(torch.maximum(p["s"], p["t"]))
            + torch.sqrt(torch.minimum(p["s"], p["t"]) + 1))
    bounds = (torch.clamp(p["c"], min=1.0) + 3 * torch.clamp(p["c"], max=1.0)
              + torch.sqrt(torch.clamp(p["c"] - 2, min=0.0)))
    zeros = p["u"].abs() * (1 + 0.5 * p["u"])
    picked = torch.sqrt(torch.where(p["v"] > 0, p["v"], p["r"]))
    pooled = torch.sqrt(F.max_pool2d(x + p["k"], 2))
    return powers.sum() + dead.sum() + ties.sum() + bounds.sum() + zeros.sum() + picked.sum() + pooled.sum()


def main():
    torch.set_num_threads(1)
    meta = {"generator": "benchmarks/pytorch/make_edge_fixtures.py", "torch": torch.__version__.split("+")[0]}
    p = {n: v.requires_grad_(True) for n, v in params().items()}
    x = torch.zeros(2, 1, 4, 4)
    out = loss(p, x)
    grads = torch.autograd.grad(out, list(p.values()))
    base = os.path.join(OUT, "edges")
    save_safetensors(base + ".params.safetensors", {n: v.detach() for n, v in p.items()}, meta)
    save_safetensors(base + ".inputs.safetensors", {"x": x}, meta)
    result = {"loss": out.detach()}
    result.update(dict(zip(p, grads)))
    save_safetensors(base + ".grads.safetensors", result, meta)
    print("loss", out.item())
    for n, gr in zip(p, grads):
        print(n, gr.flatten().tolist())
    return 0


if __name__ == "__main__":
    sys.exit(main())
