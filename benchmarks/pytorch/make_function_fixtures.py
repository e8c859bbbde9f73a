#!/usr/bin/python3
"""Reference values and gradients from PyTorch for the elementwise functions and activations,
for compiler/src/test/resources/models/functions.nn.

Run by hand from the repository root, with Debian's python3-torch (1.13):

    /usr/bin/python3 benchmarks/pytorch/make_function_fixtures.py

Each function f gets its points a_f and weights w_f; the loss is the sum over f of sum(w_f * f(a_f)),
so the gradient of w_f is f(a_f) (the forward values, element by element) and the gradient of a_f
is w_f * f'(a_f). The points hold the edges of each definition: 0, the bounds of clamp (PyTorch
passes the gradient at a bound) and of hardtanh (PyTorch does not), softplus's threshold (beta * x
equal to it is still the smooth side), large arguments of sin and cos, log1p and expm1 near 0.
Points where PyTorch 1.13 loses digits that nnc keeps are left out and checked against exact values
in Java instead: its elu computes exp(x) - 1 (nnc: expm1), and its expm1 backward g * (y + 1)
(nnc: g * exp(x)).
It writes functions.{params,inputs,grads}.safetensors beside the other fixtures; the Java test
nnc.grad.FunctionGradientTest compares every back end with them element by element.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import OUT, save_safetensors  # noqa: E402

POINTS = {
    "clamp": [-0.5, 1.5, 0.0, -2.0, 3.0, 0.7],
    "clamp_min": [0.0, -1.0, 2.0, -0.0, 0.5, -3.0],
    "clamp_max": [0.25, 1.0, -2.0, 0.0, 0.3, 0.2],
    "erf": [0.0, 0.5, -0.5, 2.0, -1.25, 5.0],
    "sin": [0.0, 1.0, -2.0, 10.0, 1000.5, 12345.6],
    "cos": [0.0, 1.0, -2.0, 10.0, 1000.5, 12345.6],
    "log1p": [0.0, 1e-6, -0.5, 3.0, -0.999, 1e-30],
    "expm1": [0.0, 1e-6, -1.0, 2.0, -2.0, 1e-30],
    "rsqrt": [0.25, 1.0, 4.0, 1e-4, 2.0, 100.0],
    "sign": [-2.0, 0.0, 3.0, -0.1, 1e-30, -1e-30],
    "swish": [0.0, -1.0, 2.0, -30.0, 30.0, 0.5],
    "elu": [0.0, -1.0, 2.0, -30.0, 100.0, -0.25],
    "selu": [0.0, -1.0, 2.0, -30.0, 100.0, 0.5],
    "mish": [0.0, -3.0, 2.0, 30.0, -30.0, 0.5],
    "hardtanh": [-0.5, 2.0, 0.0, -1.0, 3.0, 1.0],
    "gelu_tanh": [0.0, -1.0, 2.0, -0.5, 5.0, 0.5],
    "softplus": [0.0, 25.0, -30.0, 1.0, -1.0, 20.0],
    "softplus_beta": [2.5, 2.6, -1.0, 0.0, 10.0, 1.0],
    "softplus_threshold": [3.0, 3.5, -1.0, 0.0, 2.9, 10.0],
}
WEIGHTS = [0.5, -1.25, 2.0, 0.75, -0.3, 1.5]

FUNCTIONS = {
    "clamp": lambda a: torch.clamp(a, min=-0.5, max=1.5),
    "clamp_min": lambda a: torch.clamp(a, min=0.0),
    "clamp_max": lambda a: torch.clamp(a, max=0.25),
    "hardtanh": lambda a: F.hardtanh(a, min_val=-0.5, max_val=2.0),
    "erf": torch.erf,
    "sin": torch.sin,
    "cos": torch.cos,
    "log1p": torch.log1p,
    "expm1": torch.expm1,
    "rsqrt": torch.rsqrt,
    "sign": torch.sign,
    "swish": F.silu,
    "elu": lambda a: F.elu(a, alpha=0.7),
    "selu": F.selu,
    "mish": F.mish,
    "gelu_tanh": lambda a: F.gelu(a, approximate="tanh"),
    "softplus": F.softplus,
    "softplus_beta": lambda a: F.softplus(a, beta=2, threshold=5),
    "softplus_threshold": lambda a: F.softplus(a, threshold=3),
}


def main():
    torch.set_num_threads(1)
    meta = {"generator": "benchmarks/pytorch/make_function_fixtures.py", "torch": torch.__version__.split("+")[0]}
    p = {}
    for f, points in POINTS.items():
        p["a_" + f] = torch.tensor(points, dtype=torch.float32).requires_grad_(True)
        p["w_" + f] = torch.tensor(WEIGHTS, dtype=torch.float32).requires_grad_(True)
    x = torch.zeros(1, 6)
    out = 0
    for f, fn in FUNCTIONS.items():
        a = p["a_" + f] + x if f == "sin" else p["a_" + f]
        out = out + (p["w_" + f] * fn(a)).sum()
    grads = torch.autograd.grad(out, list(p.values()))
    base = os.path.join(OUT, "functions")
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
