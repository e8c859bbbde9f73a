#!/usr/bin/python3
"""Reference values from PyTorch for nnc's convolution and pooling kernels (runtime/.../kernels).

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/make_conv_fixtures.py

Writes runtime/src/test/resources/fixtures/conv_pool.safetensors: for each case, the input `x`,
weight `w` and upstream gradient `dy` (seeded), and PyTorch's forward output `y` and gradients
`dx`, `dw`, under names `<case>.<tensor>`; the geometry is in the file's metadata as
`<case>: n c h w oc kh kw stride pad` (pooling cases: oc = c). Tensors are float32, computed in
float64 and rounded once, so the Java test can ask for tight agreement. Deterministic.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_grad_fixtures import save_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "runtime", "src", "test", "resources", "fixtures", "conv_pool.safetensors")

# name: (kind, n, c, h, w, oc, kh, kw, stride, pad)
CASES = {
    "conv_lenet1": ("conv", 2, 1, 12, 12, 6, 5, 5, 1, 2),
    "conv_stride2": ("conv", 3, 3, 9, 7, 4, 3, 3, 2, 1),
    "conv_1x1": ("conv", 2, 5, 4, 4, 3, 1, 1, 1, 0),
    "max_2x2": ("max", 2, 3, 8, 6, 3, 2, 2, 2, 0),
    "max_3s2p1": ("max", 1, 2, 7, 7, 2, 3, 3, 2, 1),
    "avg_2x2": ("avg", 2, 3, 8, 6, 3, 2, 2, 2, 0),
    "avg_3s1": ("avg", 1, 2, 5, 6, 2, 3, 3, 1, 0),
}


def main():
    g = torch.Generator().manual_seed(5)
    tensors, meta = {}, {}
    for name, (kind, n, c, h, w, oc, kh, kw, stride, pad) in CASES.items():
        x = torch.randn(n, c, h, w, generator=g, dtype=torch.float64).float().double().requires_grad_()
        if kind == "conv":
            wt = torch.randn(oc, c, kh, kw, generator=g, dtype=torch.float64).float().double().requires_grad_()
            y = F.conv2d(x, wt, stride=stride, padding=pad)
        elif kind == "max":
            y = F.max_pool2d(x, (kh, kw), stride=stride, padding=pad)
        else:
            y = F.avg_pool2d(x, (kh, kw), stride=stride, padding=pad, count_include_pad=True)
        dy = torch.randn(y.shape, generator=g, dtype=torch.float64).float().double()
        y.backward(dy)
        out = {"x": x, "dy": dy, "y": y, "dx": x.grad}
        if kind == "conv":
            out["w"], out["dw"] = wt, wt.grad
        for k, v in out.items():
            tensors[name + "." + k] = v.detach().float()
        meta[name] = " ".join(str(v) for v in (kind, n, c, h, w, oc, kh, kw, stride, pad))
    save_safetensors(OUT, tensors, meta)
    print("wrote", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
