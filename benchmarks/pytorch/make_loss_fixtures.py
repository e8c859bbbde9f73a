#!/usr/bin/python3
"""Reference values and gradients from PyTorch for every loss and its options, for
compiler/src/test/resources/models/losses.nn.

Run by hand from the repository root, with Debian's python3-torch (1.13):

    /usr/bin/python3 benchmarks/pytorch/make_loss_fixtures.py

Each term of the loss is weighted by its own parameter w_k, so the gradient of w_k is the term's
value (the forward, per column or row for reduction='none'), and the gradients of s, t and u carry
every loss's derivative. The targets hold the edges: zero probabilities under kl_div, rows of the
ignored class (2 for cross_entropy, 0 for nll), the sequence losses over [batch, time, C] logits,
class weights (an input, cw) with the weighted mean over Σ w[y_i] of the rows not ignored.
It writes losses.{params,inputs,grads}.safetensors beside the other fixtures; the Java test
nnc.grad.LossFixtureTest compares every back end with them element by element.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import OUT, save_safetensors  # noqa: E402

WEIGHTS = {
    "w_mse": 1, "w_mse_sum": 1, "w_mse_none": 5, "w_mae_sum": 1, "w_bce_none": 5, "w_bcel_pos": 1, "w_bcel_none": 5,
    "w_smooth": 1, "w_smooth_beta": 1, "w_huber_sum": 1, "w_kl": 1, "w_kl_log_sum": 1, "w_kl_mean": 1,
    "w_ce_smooth": 1, "w_ce_ignore": 1, "w_ce_both_sum": 1, "w_ce_none": 1, "w_ce_probs": 1, "w_nll_ignore": 1,
    "w_ce_seq": 1, "w_nll_seq_none": 3, "w_ce_weight": 1, "w_ce_weight_all": 1, "w_ce_weight_probs": 1, "w_nll_weight_none": 1,
    "w_bcel_pos_columns": 1,
}


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(7)
    batch = 4
    x = torch.randn(batch, 5, generator=g)
    xs = torch.randn(batch, 3, 5, generator=g)
    y = torch.randn(batch, 5, generator=g)
    yb = torch.rand(batch, 5, generator=g)
    q = torch.softmax(torch.randn(batch, 5, generator=g), 1)
    q[0, 1] = 0.0
    q[2, 4] = 0.0
    lq = torch.log_softmax(torch.randn(batch, 5, generator=g), 1)
    probs = torch.softmax(torch.randn(batch, 5, generator=g), 1)
    cw = torch.tensor([0.5, 2.0, 1.5, 0.25, 1.0])
    pw = torch.tensor([1.0, 3.0, 0.5, 0.0, 2.0])
    cls = torch.tensor([2, 0, 4, 2], dtype=torch.int32)
    cls_t = torch.tensor([[1, 0, 3], [4, 4, 2], [0, 1, 1], [2, 3, 0]], dtype=torch.int32)
    p = {
        "s": (1 + 0.3 * torch.randn(5, generator=g)),
        "t": 0.2 * torch.randn(5, generator=g),
        "u": (1 + 0.3 * torch.randn(5, generator=g)),
    }
    for n, k in WEIGHTS.items():
        p[n] = 0.5 + torch.rand(k, generator=g)
    p = {n: v.float().requires_grad_(True) for n, v in p.items()}
    w = p
    pr = x * p["s"] + p["t"]
    ps = xs * p["u"] + p["t"]
    c, ct = cls.long(), cls_t.long()
    regress = ((w["w_mse"] * F.mse_loss(pr, y)).sum() + (w["w_mse_sum"] * F.mse_loss(pr, y, reduction="sum")).sum()
               + (w["w_mse_none"] * F.mse_loss(pr, y, reduction="none")).sum()
               + (w["w_mae_sum"] * F.l1_loss(pr, y, reduction="sum")).sum() + (w["w_smooth"] * F.smooth_l1_loss(pr, y)).sum()
               + (w["w_smooth_beta"] * F.smooth_l1_loss(pr, y, beta=0.5)).sum()
               + (w["w_huber_sum"] * F.huber_loss(pr, y, delta=0.7, reduction="sum")).sum())
    binary = ((w["w_bce_none"] * F.binary_cross_entropy(torch.sigmoid(pr), yb, reduction="none")).sum()
              + (w["w_bcel_pos"] * F.binary_cross_entropy_with_logits(pr, yb, pos_weight=torch.tensor(3.0))).sum()
              + (w["w_bcel_none"] * F.binary_cross_entropy_with_logits(pr, yb, reduction="none")).sum())
    ls = F.log_softmax(pr, 1)
    kl = ((w["w_kl"] * F.kl_div(ls, q, reduction="batchmean")).sum()
          + (w["w_kl_log_sum"] * F.kl_div(ls, lq, reduction="sum", log_target=True)).sum()
          + (w["w_kl_mean"] * F.kl_div(ls, q, reduction="mean")).sum())
    classes = ((w["w_ce_smooth"] * F.cross_entropy(pr, c, label_smoothing=0.1)).sum()
               + (w["w_ce_ignore"] * F.cross_entropy(pr, c, ignore_index=2)).sum()
               + (w["w_ce_both_sum"] * F.cross_entropy(pr, c, label_smoothing=0.2, ignore_index=2, reduction="sum")).sum()
               + (w["w_ce_none"] * F.cross_entropy(pr, c, reduction="none")).sum()
               + (w["w_ce_probs"] * F.cross_entropy(pr, probs, label_smoothing=0.2)).sum()
               + (w["w_nll_ignore"] * F.nll_loss(ls, c, ignore_index=0)).sum())
    seq = ((w["w_ce_seq"] * F.cross_entropy(ps.reshape(-1, 5), ct.reshape(-1))).sum()
           + (F.nll_loss(F.log_softmax(ps, 2).transpose(1, 2), ct, reduction="none") * w["w_nll_seq_none"]).sum())
    weighted = ((w["w_ce_weight"] * F.cross_entropy(pr, c, weight=cw)).sum()
                + (w["w_ce_weight_all"] * F.cross_entropy(pr, c, weight=cw, label_smoothing=0.2, ignore_index=2)).sum()
                + (w["w_ce_weight_probs"] * F.cross_entropy(pr, probs, weight=cw, label_smoothing=0.1, reduction="sum")).sum()
                + (w["w_nll_weight_none"] * F.nll_loss(ls, c, weight=cw, reduction="none")).sum()
                + (w["w_bcel_pos_columns"] * F.binary_cross_entropy_with_logits(pr, yb, pos_weight=pw, reduction="sum")).sum())
    out = regress + binary + kl + classes + seq + weighted
    grads = torch.autograd.grad(out, list(p.values()))
    meta = {"generator": "benchmarks/pytorch/make_loss_fixtures.py", "torch": torch.__version__.split("+")[0]}
    base = os.path.join(OUT, "losses")
    save_safetensors(base + ".params.safetensors", {n: v.detach() for n, v in p.items()}, meta)
    save_safetensors(base + ".inputs.safetensors", {"x": x, "xs": xs, "cw": cw, "pw": pw, "y": y, "yb": yb, "q": q, "lq": lq, "probs": probs,
                                                    "cls": cls, "cls_t": cls_t}, meta)
    result = {"loss": out.detach()}
    result.update(dict(zip(p, grads)))
    save_safetensors(base + ".grads.safetensors", result, meta)
    print("loss", out.item())
    for n, gr in zip(p, grads):
        print(n, gr.flatten().tolist())
    return 0


if __name__ == "__main__":
    sys.exit(main())
