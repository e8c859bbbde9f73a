#!/usr/bin/python3
"""Reference optimiser steps from PyTorch for nnc's optimisers, gradient clipping and schedules.

Run by hand from the repository root, with Debian's python3-torch (1.13) and nothing else:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/make_optim_fixtures.py

For each case below it builds the playground sample (samples/playground.nn: 2-3-1, sigmoid hidden
layer, bce_with_logits) by hand with nnc's names and layouts, draws seeded parameters and one batch
of 8 rows, and runs `steps` training steps on that same batch with the torch.optim optimiser the
case names (torch.nn.utils.clip_grad_* before each step when the case clips; an LR scheduler
stepped after each optimiser step when it schedules). It writes

    compiler/src/test/resources/fixtures/optim/<case>.safetensors

holding `init.<param>` (the parameters before the first step), `x` and `y` (the batch) and
`final.<param>` (the parameters after the last step). The header's metadata holds the nnc train
settings that mean the same thing (`optimizer`, and `clipping` / `schedule` when used) and `steps`.
The Java test compiler/src/test/java/nnc/optim/PyTorchOptimizerTest.java runs nnc with those
settings and compares. The output is deterministic.
"""

import math
import os
import sys

import torch

from make_grad_fixtures import dense, save_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "compiler", "src", "test", "resources", "fixtures", "optim")
BATCH = 8
SGD, ADAM, ADAMW, RMSPROP = torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop


def cosine_with_warmup(warmup, steps, base_lr, min_lr):
    """nnc's cosine(warmup, steps, min_lr) as a factor of the base rate for 0-based step t:
    linear warm-up (t+1)/warmup for t < warmup, then half a cosine from base_lr down to min_lr."""
    def factor(t):
        if t < warmup:
            return (t + 1) / warmup
        progress = (t - warmup) / max(1, steps - warmup)
        return (min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))) / base_lr
    return factor


# name: (nnc optimizer setting, torch optimiser factory, nnc clipping or None, nnc schedule or None, torch scheduler factory, steps)
CASES = {
    "gd": ("gd(lr = 0.5, weight_decay = 0.01)", lambda p: SGD(p, lr=0.5, weight_decay=0.01), None, None, None, 3),
    "sgd": ("sgd(lr = 0.5, weight_decay = 0.01)", lambda p: SGD(p, lr=0.5, weight_decay=0.01), None, None, None, 3),
    "momentum": ("momentum(lr = 0.1, momentum = 0.8, dampening = 0.1, weight_decay = 0.01)",
                 lambda p: SGD(p, lr=0.1, momentum=0.8, dampening=0.1, weight_decay=0.01), None, None, None, 3),
    "momentum_defaults": ("momentum(lr = 0.1)", lambda p: SGD(p, lr=0.1, momentum=0.9), None, None, None, 3),
    "nesterov": ("nesterov(lr = 0.1, momentum = 0.9, weight_decay = 0.01)",
                 lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), None, None, None, 3),
    "adam": ("adam(lr = 0.01, beta1 = 0.8, beta2 = 0.99, eps = 1e-6, weight_decay = 0.01)",
             lambda p: ADAM(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01), None, None, None, 3),
    "adam_defaults": ("adam", lambda p: ADAM(p), None, None, None, 3),
    "adamw": ("adamw(lr = 0.01)", lambda p: ADAMW(p, lr=0.01), None, None, None, 3),
    "rmsprop": ("rmsprop(lr = 0.01, alpha = 0.9, eps = 1e-6, weight_decay = 0.01)",
                lambda p: RMSPROP(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01), None, None, None, 3),
    "rmsprop_momentum": ("rmsprop(lr = 0.01, momentum = 0.5)", lambda p: RMSPROP(p, lr=0.01, momentum=0.5), None, None, None, 3),
    # clipping: thresholds below the gradients' size, so they clip
    "sgd_clip_norm": ("sgd(lr = 0.5)", lambda p: SGD(p, lr=0.5), ("norm", 0.05), None, None, 3),
    "adam_clip_value": ("adam(lr = 0.01)", lambda p: ADAM(p, lr=0.01), ("value", 0.01), None, None, 3),
    # schedules, stepped once per optimiser step
    "sgd_step": ("sgd(lr = 0.5)", lambda p: SGD(p, lr=0.5), None, "step(every = 2, gamma = 0.5)",
                 lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5), 6),
    "momentum_exponential": ("momentum(lr = 0.1)", lambda p: SGD(p, lr=0.1, momentum=0.9), None, "exponential(gamma = 0.8)",
                             lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.8), 6),
    "adamw_cosine": ("adamw(lr = 0.01)", lambda p: ADAMW(p, lr=0.01), ("norm", 0.05), "cosine(warmup = 2, steps = 6, min_lr = 0.001)",
                     lambda o: torch.optim.lr_scheduler.LambdaLR(o, cosine_with_warmup(2, 6, 0.01, 0.001)), 6),
}


def loss_of(p, x, y):
    """The playground's loss as nnc defines it: mean of max(z, 0) - z*y + log(1 + exp(-|z|))."""
    z = dense(torch.sigmoid(dense(x, p, "h")), p, "logits")
    return (torch.relu(z) - z * y + torch.log1p(torch.exp(-z.abs()))).mean()


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    for seed, (name, (setting, make_opt, clip, schedule, make_sched, steps)) in enumerate(CASES.items()):
        g = torch.Generator().manual_seed(2000 + seed)
        init = {
            "h.W": torch.randn(2, 3, generator=g),
            "h.b": 0.5 * torch.randn(3, generator=g),
            "logits.W": torch.randn(3, 1, generator=g),
            "logits.b": 0.5 * torch.randn(1, generator=g),
        }
        x = torch.randn(BATCH, 2, generator=g)
        y = torch.bernoulli(torch.full((BATCH, 1), 0.5), generator=g)
        params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
        opt = make_opt(list(params.values()))
        sched = make_sched(opt) if make_sched else None
        for _ in range(steps):
            opt.zero_grad()
            loss_of(params, x, y).backward()
            if clip and clip[0] == "norm":
                torch.nn.utils.clip_grad_norm_(list(params.values()), clip[1])
            elif clip:
                torch.nn.utils.clip_grad_value_(list(params.values()), clip[1])
            opt.step()
            if sched:
                sched.step()
        tensors = {"init." + n: t for n, t in init.items()}
        tensors.update({"final." + n: t.detach() for n, t in params.items()})
        tensors.update({"x": x, "y": y})
        meta = {"generator": "benchmarks/pytorch/make_optim_fixtures.py", "torch": torch.__version__.split("+")[0],
                "optimizer": setting, "steps": str(steps)}
        if clip:
            meta["clipping"] = "clipping(%s = %s)" % clip
        if schedule:
            meta["schedule"] = schedule
        save_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, meta)
        moved = max((params[n].detach() - init[n]).abs().max().item() for n in init)
        print("%-22s max |change| %.4g" % (name, moved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
