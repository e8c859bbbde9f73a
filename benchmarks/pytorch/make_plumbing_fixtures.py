#!/usr/bin/python3
"""Reference loss and gradients from PyTorch for compiler/src/test/resources/models/plumbing.nn.

Run by hand from the repository root, with Debian's python3-torch (1.13):

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/make_plumbing_fixtures.py

The model exercises tensor plumbing as PyTorch writes it: basic indexing and slicing (steps,
negative indices, `...`), torch.stack, torch.cat, transpose of two axes, permute, F.pad with zeros,
squeeze/unsqueeze, expand, repeat, torch.chunk and torch.split (nnc's chunk(x, n, axis = k)[i] is
torch.chunk(x, n, dim=k)[i]). It writes plumbing.{params,inputs,grads}.safetensors beside the other
fixtures, in the same format (make_grad_fixtures.py); nnc.grad.PyTorchGradientTest compares every
back end with them.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import BATCH, OUT, save_safetensors  # noqa: E402

SEED = 1100


def loss(p, b):
    h = torch.tanh(b["x"] @ p["A"])
    a, bb, c, d = h[:, 0:4], h[:, 4:], h[:, ::2], h[..., -1]
    s = torch.stack([a, bb, c], dim=1)
    t = s.transpose(1, 2)
    q = torch.cat([t, s.permute(0, 2, 1) * 0.5], dim=2)
    r = F.pad(q, (1, 2))
    e = d.unsqueeze(1)
    f = e.unsqueeze(2).squeeze(2)
    g = p["u"].reshape(1, 3).expand(BATCH, 3)
    k = torch.chunk(h, 2, dim=1)[1]
    z = r.sum(1)
    rp = k.repeat(1, 2)
    sp = torch.split(h, 2, dim=1)[3][:, 0:1]
    logits = z[:, 0:3] + z[:, 6:9] * 0.5 + k @ p["B"] + f * g + rp[:, 2:5] + sp + h[:, -3:]
    return F.cross_entropy(logits, b["y"])


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(SEED)
    params = {"A": torch.randn(6, 8, generator=g) * 0.5, "B": torch.randn(4, 3, generator=g) * 0.5, "u": torch.randn(3, generator=g)}
    batch = {"x": torch.randn(BATCH, 6, generator=g), "y": torch.randint(0, 3, (BATCH,), generator=g)}
    params = {n: t.float().requires_grad_(True) for n, t in params.items()}
    value = loss(params, batch)
    grads = torch.autograd.grad(value, list(params.values()))
    meta = {"generator": "benchmarks/pytorch/make_plumbing_fixtures.py", "torch": torch.__version__.split("+")[0]}
    out = {"loss": value.detach()}
    out.update({n: gr for n, gr in zip(params, grads)})
    base = os.path.join(OUT, "plumbing")
    save_safetensors(base + ".params.safetensors", {n: t.detach() for n, t in params.items()}, meta)
    save_safetensors(base + ".inputs.safetensors", batch, meta)
    save_safetensors(base + ".grads.safetensors", out, meta)
    print("plumbing loss %.6f  %s" % (value.item(), "  ".join("|d %s| %.3g" % (n, gr.abs().max().item()) for n, gr in zip(params, grads))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
