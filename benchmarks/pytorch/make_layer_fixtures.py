#!/usr/bin/python3
"""Reference gradients from PyTorch for the layer test models (normalisation, stacked recurrent
layers, attention options), in the format and with the conventions of make_grad_fixtures.py (which
this imports): seeded parameters with nnc's names and layouts, a batch of 8 rows, the loss and every
gradient in float32, written to compiler/src/test/resources/fixtures/<model>.{params,inputs,grads}.safetensors
for compiler/src/test/resources/models/<model>.nn. Run by hand from the repository root:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/make_layer_fixtures.py [MODEL ...]

nnc.grad.PyTorchGradientTest compares every back end with them. The output is deterministic.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import BATCH, OUT, dense, save_safetensors  # noqa: E402


def norms(g):
    """models/norms.nn: BatchNorm2d, GroupNorm and BatchNorm1d on [batch, C, L], training mode."""
    params = {
        "a.conv2d1.W": torch.randn(3, 2, 3, 3, generator=g) * 0.5,
        "a.conv2d1.b": 0.1 * torch.randn(3, generator=g),
        "a.batch_norm1.gamma": 1 + 0.1 * torch.randn(3, generator=g),
        "a.batch_norm1.beta": 0.1 * torch.randn(3, generator=g),
        "g.conv2d1.W": torch.randn(4, 3, 1, 1, generator=g) * 0.5,
        "g.conv2d1.b": 0.5 * torch.randn(4, generator=g),
        "g.group_norm1.gamma": 1 + 0.1 * torch.randn(4, generator=g),
        "g.group_norm1.beta": 0.1 * torch.randn(4, generator=g),
        "s.gamma": 1 + 0.1 * torch.randn(4, generator=g),
        "s.beta": 0.1 * torch.randn(4, generator=g),
        "logits.W": torch.randn(64, 3, generator=g) * 0.2,
        "logits.b": 0.1 * torch.randn(3, generator=g),
    }
    batch = {"x": torch.randn(BATCH, 2, 6, 6, generator=g), "y": torch.randint(0, 3, (BATCH,), generator=g)}

    def loss(p, b):
        a = F.conv2d(b["x"], p["a.conv2d1.W"], p["a.conv2d1.b"])
        a = torch.relu(F.batch_norm(a, None, None, p["a.batch_norm1.gamma"], p["a.batch_norm1.beta"], training=True, eps=1e-5))
        h = F.conv2d(a, p["g.conv2d1.W"], p["g.conv2d1.b"])
        h = torch.relu(F.group_norm(h, 2, p["g.group_norm1.gamma"], p["g.group_norm1.beta"], eps=1e-3))
        s = F.batch_norm(h.reshape(-1, 4, 16), None, None, p["s.gamma"], p["s.beta"], training=True, eps=1e-4)
        logits = dense(s.flatten(1), p, "logits")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


MODELS = {"norms": norms}
# Each model's generator seed, fixed per name so that adding a model never changes another's fixture.
SEEDS = {"norms": 1500}


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    meta = {"generator": "benchmarks/pytorch/make_layer_fixtures.py", "torch": torch.__version__.split("+")[0]}
    only = sys.argv[1:]
    for model, build in MODELS.items():
        if only and model not in only:
            continue
        g = torch.Generator().manual_seed(SEEDS[model])
        params, batch, loss_fn = build(g)
        params = {n: t.float().requires_grad_(True) for n, t in params.items()}
        loss, nnc_loss = loss_fn(params, batch)
        assert loss.dtype == torch.float32 and loss.dim() == 0
        assert torch.allclose(loss.double(), nnc_loss.double(), rtol=1e-6, atol=0), (model, loss.item(), nnc_loss.item())
        grads = torch.autograd.grad(loss, list(params.values()))
        out = {"loss": loss.detach()}
        out.update({n: gr for n, gr in zip(params, grads)})
        base = os.path.join(OUT, model)
        save_safetensors(base + ".params.safetensors", {n: t.detach() for n, t in params.items()}, meta)
        save_safetensors(base + ".inputs.safetensors", batch, meta)
        save_safetensors(base + ".grads.safetensors", out, meta)
        print("%-12s loss %.6f  %s" % (model, loss.item(),
              "  ".join("|d %s| %.3g" % (n, gr.abs().max().item()) for n, gr in zip(params, grads))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
