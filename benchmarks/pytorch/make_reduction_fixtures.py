#!/usr/bin/python3
"""Reference values and gradients from PyTorch for compiler/src/test/resources/models/reductions.nn.

Run by hand from the repository root, with Debian's python3-torch (1.13):

    /usr/bin/python3 benchmarks/pytorch/make_reduction_fixtures.py

Each reduction or softmax term f(p) enters the loss as sum(w_f * f(p)): the gradient of w_f is
f's value (so the forward pass of every construct is compared element by element) and the gradient
of p is f's gradient under the weights. p has exact ties along axis 2 (max, min, argmax and argmin
at ties: nnc's max(x, axis) is torch.amax, which splits a tie's gradient evenly; argmax returns the
first maximal index). The mask m has zeros but no row that is masked entirely (PyTorch gives NaN
there; nnc gives zeros). It writes reductions.{params,inputs,grads}.safetensors beside the other
fixtures; the Java test nnc.grad.ReductionGradientTest compares every back end with them.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import OUT, save_safetensors  # noqa: E402

SHAPES = {
    "w_sum": (3,), "w_sumk": (2, 1, 4), "w_mean": (2,), "w_max": (2, 3), "w_maxk": (1, 1, 4), "w_min": (2, 3),
    "w_maxall": (1,), "w_argmax": (2, 3), "w_argmin": (2, 4), "w_lse": (2, 4), "w_lsek": (1, 3, 1), "w_var": (2, 3),
    "w_var0": (4,), "w_std": (2, 1, 4), "w_sm": (2, 3, 4), "w_lsm": (2, 3, 4), "w_smm": (2, 3, 4), "w_smm1": (2, 3, 4),
    "w_bmax": (3, 4), "w_bmean": (3,),
}


def params():
    g = torch.Generator().manual_seed(15)
    p = torch.randint(-3, 4, (2, 3, 4), generator=g).float() * 0.5  # small multiples of 0.5: ties
    p[0, 0] = torch.tensor([1.0, 2.0, 2.0, -1.0])  # a tie at the maximum
    p[1, 2] = torch.tensor([0.5, 0.5, 0.5, 0.5])   # a whole row tied
    p[0, 1] = torch.tensor([-2.0, 1.0, -2.0, 0.0])  # a tie at the minimum
    out = {"p": p,
           "q": torch.randn(3, 4, generator=g),
           "m": torch.tensor([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 1.0]])}
    for n, s in SHAPES.items():
        out[n] = torch.randn(*s, generator=g)
    return out


def softmax_masked(p, m, dim):
    return torch.softmax(p.masked_fill(m == 0, float("-inf")), dim)


def terms(p, x):
    a = p["p"]
    xq = x * p["q"]
    return {
        "w_sum": a.sum(dim=(0, 2)),
        "w_sumk": a.sum(dim=1, keepdim=True),
        "w_mean": a.mean(dim=(1, 2)),
        "w_max": torch.amax(a, dim=2),
        "w_maxk": torch.amax(a, dim=(0, 1), keepdim=True),
        "w_min": torch.amin(a, dim=-1),
        "w_maxall": torch.max(a).reshape(1),
        "w_argmax": torch.argmax(a, dim=2).float(),
        "w_argmin": torch.argmin(a, dim=1).float(),
        "w_lse": torch.logsumexp(a, dim=1),
        "w_lsek": torch.logsumexp(a, dim=(0, 2), keepdim=True),
        "w_var": torch.var(a, dim=2),
        "w_var0": torch.var(a, dim=(0, 1), correction=0),
        "w_std": torch.std(a, dim=1, keepdim=True),
        "w_sm": torch.softmax(a, dim=1),
        "w_lsm": torch.log_softmax(a, dim=0),
        "w_smm": softmax_masked(a, p["m"], -1),
        "w_smm1": softmax_masked(a, p["m"], 1),
        "w_bmax": torch.amax(xq, dim=0),
        "w_bmean": xq.mean(dim=(0, 2)),
    }


def main():
    torch.set_num_threads(1)
    meta = {"generator": "benchmarks/pytorch/make_reduction_fixtures.py", "torch": torch.__version__.split("+")[0]}
    p = {n: v.requires_grad_(True) for n, v in params().items()}
    x = torch.randn(5, 3, 4, generator=torch.Generator().manual_seed(16))
    x[1] = x[3]  # a tie over the batch axis
    out = sum((p[n] * t).sum() for n, t in terms(p, x).items())
    grads = torch.autograd.grad(out, list(p.values()), allow_unused=True)
    grads = [torch.zeros_like(v) if gr is None else gr for v, gr in zip(p.values(), grads)]  # the mask: no gradient
    base = os.path.join(OUT, "reductions")
    save_safetensors(base + ".params.safetensors", {n: v.detach() for n, v in p.items()}, meta)
    save_safetensors(base + ".inputs.safetensors", {"x": x}, meta)
    result = {"loss": out.detach()}
    result.update(dict(zip(p, grads)))
    save_safetensors(base + ".grads.safetensors", result, meta)
    print("loss", out.item())
    for n, gr in zip(p, grads):
        print(n, gr.flatten().tolist()[:8])
    return 0


if __name__ == "__main__":
    sys.exit(main())
