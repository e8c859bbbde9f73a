#!/usr/bin/python3
"""Reference gradients from PyTorch for nnc's sample models.

Run by hand from the repository root, with Debian's python3-torch (1.13) and nothing else:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/make_grad_fixtures.py [SAMPLE ...]

For each model in samples/ (playground, housing, worked, fashion_mlp, logistic, softmax, resnet_s, lenet,
bigram, majority, last_step, tiny_transformer) and
the test models compiler/src/test/resources/models/vocabulary.nn (every elementwise and shape builtin)
and batchnorm.nn (batch norm in training mode), and convmix.nn (convolution and pooling options) it builds the same network in
PyTorch by hand, with nnc's parameter names and layouts (a dense layer bound to `h` owns `h.W` of
shape [in, out] and `h.b`, applied as `x @ W + b`; explicit params keep their names), draws seeded
parameters and a batch of 8 rows, computes the loss as nnc defines it (compiler/src/main/java/nnc/
lower/BuiltinLowering.java) in float32, backpropagates, and writes

    compiler/src/test/resources/fixtures/<sample>.params.safetensors   the parameters
    compiler/src/test/resources/fixtures/<sample>.inputs.safetensors   the batch: inputs and targets
    compiler/src/test/resources/fixtures/<sample>.grads.safetensors    `loss` (shape []) and one gradient
                                                                       per parameter, under its name

The Java tests in compiler/src/test/java/nnc/grad/ compare nnc's gradients with these; they need no
Python. The output is deterministic: rerunning the script rewrites the same bytes.

The files are written by the small writer below (the `safetensors` package is not a dependency):
an 8-byte little-endian header length, a compact JSON header padded with spaces to a multiple of 8,
then the raw little-endian data, tensors ordered as the safetensors library orders them.
"""

import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "compiler", "src", "test", "resources", "fixtures")
BATCH = 8

# safetensors names, and the rank by which the library orders tensors (widest dtypes first).
DTYPES = {torch.int64: ("I64", 3), torch.float64: ("F64", 2), torch.float32: ("F32", 1), torch.int32: ("I32", 0)}


def save_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} as a safetensors file, laid out as the safetensors library lays it out."""
    order = sorted(tensors, key=lambda n: (-DTYPES[tensors[n].dtype][1], n))
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name in order:
        t = tensors[name].detach().contiguous()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)
    os.replace(tmp, path)


def dense(x, params, name):
    """nnc's dense: x @ W + b with W of shape [in, out]."""
    return x @ params[name + ".W"] + params[name + ".b"]


def playground(g):
    params = {
        "h.W": torch.randn(2, 3, generator=g),
        "h.b": 0.5 * torch.randn(3, generator=g),
        "logits.W": torch.randn(3, 1, generator=g),
        "logits.b": 0.5 * torch.randn(1, generator=g),
    }
    batch = {
        "x": torch.randn(BATCH, 2, generator=g),
        "y": torch.bernoulli(torch.full((BATCH, 1), 0.5), generator=g),
    }

    def loss(p, b):
        logits = dense(torch.sigmoid(dense(b["x"], p, "h")), p, "logits")
        # nnc: mean over all elements of max(z, 0) - z*y + log(1 + exp(-|z|))
        nnc = (torch.relu(logits) - logits * b["y"] + torch.log1p(torch.exp(-logits.abs()))).mean()
        torch_loss = F.binary_cross_entropy_with_logits(logits, b["y"])
        return torch_loss, nnc

    return params, batch, loss


def housing(g):
    params = {"w": torch.tensor([[0.8]]), "b": torch.tensor([-0.3])}
    batch = {
        "size": torch.randn(BATCH, 1, generator=g),
        "price": torch.randn(BATCH, 1, generator=g).abs(),
    }
    pre = batch["size"] @ params["w"] + params["b"]
    assert (pre > 0.01).any() and (pre < -0.01).any(), "the batch should reach both sides of the kink"
    assert (pre.abs() > 1e-3).all(), "no row exactly at the kink, where the derivative is a convention"

    def loss(p, b):
        pred = torch.relu(b["size"] @ p["w"] + p["b"])
        return F.mse_loss(pred, b["price"]), ((pred - b["price"]) ** 2).mean()

    return params, batch, loss


def worked(g):
    # DSL.md section 2: w1=5, b1=0, w2=-1, b2=1, x=3, y=-12 -> loss 4, dw1 12, db1 4, dw2 -60, db2 -4.
    params = {
        "w1": torch.tensor([[5.0]]),
        "b1": torch.tensor([0.0]),
        "w2": torch.tensor([[-1.0]]),
        "b2": torch.tensor([1.0]),
    }
    batch = {"x": torch.tensor([[3.0]]), "y": torch.tensor([[-12.0]])}

    def loss(p, b):
        z = torch.relu(b["x"] @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
        total = ((z - b["y"]) ** 2).sum()
        return total, total

    return params, batch, loss


def fashion_mlp(g):
    params = {
        "h.W": torch.randn(784, 128, generator=g) * (2.0 / 784) ** 0.5,
        "h.b": 0.1 * torch.randn(128, generator=g),
        "logits.W": torch.randn(128, 10, generator=g) * (2.0 / 128) ** 0.5,
        "logits.b": 0.1 * torch.randn(10, generator=g),
    }
    batch = {
        "x": torch.rand(BATCH, 784, generator=g),  # pixels scaled to [0, 1)
        "y": torch.randint(0, 10, (BATCH,), generator=g),  # int64, PyTorch's default integer type
    }

    def loss(p, b):
        logits = dense(torch.relu(dense(b["x"], p, "h")), p, "logits")
        # nnc: mean over rows of logsumexp(z) - z[y]
        nnc = (torch.logsumexp(logits, dim=1) - logits.gather(1, b["y"].unsqueeze(1)).squeeze(1)).mean()
        return F.cross_entropy(logits, b["y"]), nnc

    return params, batch, loss


def logistic(g):
    params = {"w": 0.5 * torch.randn(4, 1, generator=g), "b": 0.1 * torch.randn(1, generator=g)}
    batch = {
        "x": torch.randn(BATCH, 4, generator=g),
        "y": torch.bernoulli(torch.full((BATCH, 1), 0.5), generator=g),
    }

    def loss(p, b):
        prob = torch.sigmoid(b["x"] @ p["w"] + p["b"])
        # nnc: -mean(y*max(log p, -100) + (1-y)*max(log(1-p), -100))
        nnc = -(b["y"] * prob.log().clamp(min=-100) + (1 - b["y"]) * (1 - prob).log().clamp(min=-100)).mean()
        return F.binary_cross_entropy(prob, b["y"]), nnc

    return params, batch, loss


def softmax(g):
    params = {"probs.W": torch.randn(64, 10, generator=g) * (1.0 / 64) ** 0.5, "probs.b": 0.1 * torch.randn(10, generator=g)}
    batch = {"x": torch.randn(BATCH, 64, generator=g), "y": torch.randint(0, 10, (BATCH,), generator=g)}

    def loss(p, b):
        probs = torch.softmax(dense(b["x"], p, "probs"), dim=1)
        logp = torch.log(probs)
        return F.nll_loss(logp, b["y"]), -logp.gather(1, b["y"].unsqueeze(1)).mean()

    return params, batch, loss


def resnet_s(g):
    """DSL.md section 7; names follow nnc's rule: h.dense1 feeds h.residual1 (innermost) .. h.residual3."""
    def layer(n_in, n_out):
        return torch.randn(n_in, n_out, generator=g) * (1.0 / n_in) ** 0.5, 0.1 * torch.randn(n_out, generator=g)

    params = {}
    params["h.dense1.W"], params["h.dense1.b"] = layer(64, 128)
    for k in (1, 2, 3):
        pre = "h.residual%d." % k
        params[pre + "dense1.W"], params[pre + "dense1.b"] = layer(128, 128)
        params[pre + "dense2.W"], params[pre + "dense2.b"] = layer(128, 128)
        params[pre + "layer_norm1.gamma"] = 1 + 0.1 * torch.randn(128, generator=g)
        params[pre + "layer_norm1.beta"] = 0.1 * torch.randn(128, generator=g)
    params["logits.W"], params["logits.b"] = layer(128, 10)
    batch = {"x": torch.randn(BATCH, 64, generator=g), "y": torch.randint(0, 10, (BATCH,), generator=g)}

    def loss(p, b):
        h = dense(b["x"], p, "h.dense1")
        for k in (1, 2, 3):
            pre = "h.residual%d." % k
            inner = torch.relu(dense(torch.relu(dense(h, p, pre + "dense1")), p, pre + "dense2"))
            h = F.layer_norm(h + inner, (128,), p[pre + "layer_norm1.gamma"], p[pre + "layer_norm1.beta"], eps=1e-5)
        logits = dense(h, p, "logits")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def vocabulary(g):
    """compiler/src/test/resources/models/vocabulary.nn: every elementwise and shape builtin."""
    params = {
        "A": torch.randn(4, 6, generator=g) * 0.5,
        "s": torch.tensor([1.3]),
        "g.W": torch.randn(4, 8, generator=g) * 0.5,
        "g.b": 0.1 * torch.randn(8, generator=g),
        "logits.layer_norm1.gamma": 1 + 0.1 * torch.randn(8, generator=g),
        "logits.layer_norm1.beta": 0.1 * torch.randn(8, generator=g),
        "logits.dense1.W": torch.randn(8, 3, generator=g) * 0.5,
        "logits.dense1.b": 0.1 * torch.randn(3, generator=g),
    }
    batch = {"x": torch.randn(BATCH, 6, generator=g), "y": torch.randint(0, 3, (BATCH,), generator=g)}

    def loss(p, b):
        a = F.leaky_relu(b["x"] @ p["A"].t(), 0.1)
        bb = a * (a >= 0.2).float() + a
        gg = F.gelu(dense(bb, p, "g"))
        t = gg.reshape(-1, 2, 4).transpose(1, 2).flatten(1)
        m = torch.maximum(t, F.softplus(gg)) + 0.5 * torch.minimum(gg, t - 0.05)
        w = torch.where(m > 0.6, torch.pow(m.abs() + 1, p["s"]), -m)
        ln = F.layer_norm(w, (8,), p["logits.layer_norm1.gamma"], p["logits.layer_norm1.beta"], eps=1e-5)
        logits = dense(ln, p, "logits.dense1")
        l2 = sum((q ** 2).sum() for q in p.values())
        total = (F.cross_entropy(logits, b["y"]) + 0.01 * l2 + 0.001 * p["A"].abs().sum()
                 + ((gg == t).float() * gg).mean() + (p["s"] * (gg <= t).float()).mean() + (gg < 0.1).float().mean())
        return total, total

    return params, batch, loss


def batchnorm(g):
    """compiler/src/test/resources/models/batchnorm.nn: BatchNorm1d in training mode (batch statistics)."""
    params = {
        "w": torch.randn(5, 6, generator=g) * 0.5,
        "h.gamma": 1 + 0.1 * torch.randn(6, generator=g),
        "h.beta": 0.1 * torch.randn(6, generator=g),
        "logits.W": torch.randn(6, 3, generator=g) * 0.5,
        "logits.b": 0.1 * torch.randn(3, generator=g),
    }
    batch = {"x": torch.randn(BATCH, 5, generator=g), "y": torch.randint(0, 3, (BATCH,), generator=g)}

    def loss(p, b):
        z = b["x"] @ p["w"]
        n = F.batch_norm(z, None, None, p["h.gamma"], p["h.beta"], training=True, eps=1e-5)
        logits = dense(torch.relu(n), p, "logits")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def lenet(g):
    """samples/lenet.nn (DSL.md section 8): conv2d owns NAME.W [out, in, k, k] and NAME.b [out], NCHW images."""
    params = {
        "c1.W": torch.randn(6, 1, 5, 5, generator=g) * (2.0 / 25) ** 0.5,
        "c1.b": 0.1 * torch.randn(6, generator=g),
        "c2.W": torch.randn(16, 6, 5, 5, generator=g) * (2.0 / 150) ** 0.5,
        "c2.b": 0.1 * torch.randn(16, generator=g),
        "f.dense1.W": torch.randn(400, 120, generator=g) * (2.0 / 400) ** 0.5,
        "f.dense1.b": 0.1 * torch.randn(120, generator=g),
        "f.dense2.W": torch.randn(120, 84, generator=g) * (2.0 / 120) ** 0.5,
        "f.dense2.b": 0.1 * torch.randn(84, generator=g),
        "logits.W": torch.randn(84, 10, generator=g) * (2.0 / 84) ** 0.5,
        "logits.b": 0.1 * torch.randn(10, generator=g),
    }
    batch = {"x": torch.rand(BATCH, 1, 28, 28, generator=g), "y": torch.randint(0, 10, (BATCH,), generator=g)}

    def loss(p, b):
        c1 = F.max_pool2d(torch.relu(F.conv2d(b["x"], p["c1.W"], p["c1.b"], padding=2)), 2)
        c2 = F.max_pool2d(torch.relu(F.conv2d(c1, p["c2.W"], p["c2.b"])), 2)
        f = torch.relu(dense(torch.relu(dense(c2.flatten(1), p, "f.dense1")), p, "f.dense2"))
        logits = dense(f, p, "logits")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def convmix(g):
    """compiler/src/test/resources/models/convmix.nn: stride 2 with padding, padding = same, avg and overlapping max pooling."""
    params = {
        "a.W": torch.randn(4, 3, 3, 3, generator=g) * (2.0 / 27) ** 0.5,
        "a.b": 0.1 * torch.randn(4, generator=g),
        "s.W": torch.randn(2, 3, 5, 5, generator=g) * (1.0 / 75) ** 0.5,
        "s.b": 0.1 * torch.randn(2, generator=g),
        "logits.dense1.W": torch.randn(80, 3, generator=g) * (2.0 / 80) ** 0.5,
        "logits.dense1.b": 0.1 * torch.randn(3, generator=g),
        "logits.dense2.W": torch.randn(40, 3, generator=g) * (2.0 / 40) ** 0.5,
        "logits.dense2.b": 0.1 * torch.randn(3, generator=g),
    }
    batch = {"x": torch.randn(BATCH, 3, 12, 10, generator=g), "y": torch.randint(0, 3, (BATCH,), generator=g)}

    def loss(p, b):
        a = torch.relu(F.conv2d(b["x"], p["a.W"], p["a.b"], stride=2, padding=1))
        s = torch.tanh(F.conv2d(b["x"], p["s.W"], p["s.b"], padding=2))
        pa = F.avg_pool2d(s, 3, stride=2)
        q = F.max_pool2d(a, 2, stride=1)
        logits = dense(q.flatten(1), p, "logits.dense1") + dense(pa.flatten(1), p, "logits.dense2")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def convopts(g):
    """compiler/src/test/resources/models/convopts.nn: window pairs, bias = false, dilation, groups, padded pooling, global pooling, conv1d."""
    params = {
        "a.W": torch.randn(4, 2, 3, 2, generator=g) * (1.0 / 12) ** 0.5,
        "a.b": 0.1 * torch.randn(4, generator=g),
        "n.W": torch.randn(3, 2, 3, 3, generator=g) * (1.0 / 18) ** 0.5,
        "t.W": torch.randn(2, 3, 3, generator=g) * (1.0 / 9) ** 0.5,
        "t.b": 0.1 * torch.randn(2, generator=g),
        "d.W": torch.randn(4, 1, 3, 3, generator=g) * (1.0 / 9) ** 0.5,
        "d.b": 0.1 * torch.randn(4, generator=g),
        "e.W": torch.randn(2, 2, 2, 3, generator=g) * (1.0 / 12) ** 0.5,
    }
    for i, n in enumerate((48, 120, 3, 4, 10, 24), start=1):
        params["logits.dense%d.W" % i] = torch.randn(n, 3, generator=g) * (2.0 / n) ** 0.5
        params["logits.dense%d.b" % i] = 0.1 * torch.randn(3, generator=g)
    batch = {"x": torch.randn(BATCH, 2, 9, 8, generator=g), "s": torch.randn(BATCH, 3, 11, generator=g),
             "y": torch.randint(0, 3, (BATCH,), generator=g)}

    def loss(p, b):
        a = F.conv2d(b["x"], p["a.W"], p["a.b"], stride=(2, 1), padding=(1, 0))
        n = torch.tanh(F.conv2d(b["x"], p["n.W"], None, padding=1))
        m = F.max_pool2d(torch.tanh(a), 3, stride=2, padding=1)
        v = F.avg_pool2d(n, (2, 3), stride=(2, 1), padding=(1, 1), count_include_pad=True)
        gp = F.adaptive_avg_pool2d(n, 1)
        q = F.adaptive_max_pool2d(a, 1)
        t = torch.tanh(F.conv1d(b["s"], p["t.W"], p["t.b"], stride=2, padding=1, dilation=2))
        d = torch.tanh(F.conv2d(b["x"], p["d.W"], p["d.b"], dilation=(2, 1), padding=(2, 1), groups=2))
        e = F.conv2d(d, p["e.W"], None, stride=2, groups=2)
        logits = sum(dense(z.flatten(1), p, "logits.dense%d" % i) for i, z in enumerate((m, v, gp, q, t, e), start=1))
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


# ---- sequences
def seq_cross_entropy(logits, y):
    """nnc: mean over batch and time of logsumexp(z) - z[y]; PyTorch: cross_entropy on flattened rows."""
    c = logits.shape[-1]
    flat, yf = logits.reshape(-1, c), y.reshape(-1)
    nnc = (torch.logsumexp(flat, dim=1) - flat.gather(1, yf.unsqueeze(1)).squeeze(1)).mean()
    return F.cross_entropy(flat, yf), nnc


def bigram(g):
    """samples/bigram.nn: embedding, dense over the last axis of [batch, time, d], many-to-many loss."""
    params = {
        "e.W": torch.randn(50, 32, generator=g),
        "logits.dense1.W": torch.randn(32, 64, generator=g) * (2.0 / 96) ** 0.5,
        "logits.dense1.b": 0.1 * torch.randn(64, generator=g),
        "logits.dense2.W": torch.randn(64, 50, generator=g) * (2.0 / 114) ** 0.5,
        "logits.dense2.b": 0.1 * torch.randn(50, generator=g),
    }
    batch = {"tokens": torch.randint(0, 50, (BATCH, 16), generator=g), "next": torch.randint(0, 50, (BATCH, 16), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        logits = dense(torch.relu(dense(e, p, "logits.dense1")), p, "logits.dense2")
        return seq_cross_entropy(logits, b["next"])

    return params, batch, loss


def majority(g):
    """samples/majority.nn: embedding averaged over time (many-to-one)."""
    params = {
        "e.W": torch.randn(50, 16, generator=g),
        "logits.dense1.W": torch.randn(16, 32, generator=g) * (2.0 / 48) ** 0.5,
        "logits.dense1.b": 0.1 * torch.randn(32, generator=g),
        "logits.dense2.W": torch.randn(32, 2, generator=g) * (2.0 / 34) ** 0.5,
        "logits.dense2.b": 0.1 * torch.randn(2, generator=g),
    }
    batch = {"tokens": torch.randint(0, 50, (BATCH, 16), generator=g), "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        h = F.embedding(b["tokens"], p["e.W"]).mean(dim=1)
        logits = dense(torch.relu(dense(h, p, "logits.dense1")), p, "logits.dense2")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def seqvocab(g):
    """compiler/src/test/resources/models/seqvocab.nn: a [time, d] parameter, `@` on rank 3, repeated tokens."""
    params = {
        "pos": 0.5 * torch.randn(6, 8, generator=g),
        "Wx": torch.randn(8, 6, generator=g) * 0.5,
        "e.W": torch.randn(7, 8, generator=g),
        "logits.W": torch.randn(6, 5, generator=g) * 0.5,
        "logits.b": 0.1 * torch.randn(5, generator=g),
    }
    # few distinct tokens, so the embedding's gradient sums several rows (the scatter-add)
    batch = {"tokens": torch.randint(0, 3, (BATCH, 6), generator=g), "next": torch.randint(0, 5, (BATCH, 6), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"]) + p["pos"]
        logits = dense(torch.tanh(e @ p["Wx"]), p, "logits")
        return seq_cross_entropy(logits, b["next"])

    return params, batch, loss


def last_step(g):
    """samples/last_step.nn: last(h) of a per-token representation, plus its mean over time (many-to-one)."""
    params = {
        "e.W": torch.randn(50, 16, generator=g),
        "h.W": torch.randn(16, 32, generator=g) * (2.0 / 48) ** 0.5,
        "h.b": 0.1 * torch.randn(32, generator=g),
        "logits.dense1.W": torch.randn(32, 2, generator=g) * (2.0 / 34) ** 0.5,
        "logits.dense1.b": 0.1 * torch.randn(2, generator=g),
        "logits.dense2.W": torch.randn(32, 2, generator=g) * (2.0 / 34) ** 0.5,
        "logits.dense2.b": 0.1 * torch.randn(2, generator=g),
    }
    batch = {"tokens": torch.randint(0, 50, (BATCH, 16), generator=g), "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        h = torch.tanh(dense(F.embedding(b["tokens"], p["e.W"]), p, "h"))
        logits = dense(h[:, -1, :], p, "logits.dense1") + dense(h.mean(dim=1), p, "logits.dense2")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def char_rnn(g):
    """samples/char_rnn.nn (DSL.md §9): h_t = tanh(x_t Wxh + h_{t-1} Whh) written as a Python loop over time."""
    params = {
        "Wxh": torch.randn(32, 64, generator=g) * (2.0 / 96) ** 0.5,
        "Whh": torch.randn(64, 64, generator=g) * 0.125,
        "Why": torch.randn(64, 50, generator=g) * (2.0 / 114) ** 0.5,
        "e.W": torch.randn(50, 32, generator=g),
    }
    batch = {"tokens": torch.randint(0, 50, (BATCH, 16), generator=g), "next": torch.randint(0, 50, (BATCH, 16), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        h = torch.zeros(e.shape[0], 64)
        hs = []
        for t in range(e.shape[1]):
            h = torch.tanh(e[:, t, :] @ p["Wxh"] + h @ p["Whh"])
            hs.append(h)
        logits = torch.stack(hs, dim=1) @ p["Why"]
        return seq_cross_entropy(logits, b["next"])

    return params, batch, loss


def torch_recurrent(cls, x, p, name):
    """torch.nn.RNN/GRU/LSTM with nnc's parameters: weight_ih = W^T, weight_hh = U^T, bias_ih = b, bias_hh = bh or 0."""
    w, u, b = p[name + ".W"], p[name + ".U"], p[name + ".b"]
    module = cls(w.shape[0], u.shape[0], batch_first=True)
    weights = {"weight_ih_l0": w.t(), "weight_hh_l0": u.t(), "bias_ih_l0": b,
               "bias_hh_l0": p[name + ".bh"] if name + ".bh" in p else torch.zeros_like(b)}
    for attr, value in weights.items():  # plain tensors in place of the module's parameters, so gradients reach p
        delattr(module, attr)
        setattr(module, attr, value)
    module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
    return module(x)[0]


def recurrent(g):
    """compiler/src/test/resources/models/recurrent.nn: rnn, gru and lstm against torch.nn.RNN, GRU and LSTM."""
    params = {"e.W": torch.randn(7, 5, generator=g)}
    for name, units, gates in (("a", 4, 1), ("g", 3, 3), ("l", 6, 4)):
        params[name + ".W"] = torch.randn(5, gates * units, generator=g) * 0.5
        params[name + ".U"] = torch.randn(units, gates * units, generator=g) * 0.5
        params[name + ".b"] = 0.1 * torch.randn(gates * units, generator=g)
        if gates == 3:
            params[name + ".bh"] = 0.1 * torch.randn(gates * units, generator=g)
    for k, units in ((1, 4), (2, 3), (3, 6)):
        params["logits.dense%d.W" % k] = torch.randn(units, 2, generator=g) * 0.5
        params["logits.dense%d.b" % k] = 0.1 * torch.randn(2, generator=g)
    batch = {"tokens": torch.randint(0, 7, (BATCH, 5), generator=g), "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        a = torch_recurrent(torch.nn.RNN, e, p, "a")
        gr = torch_recurrent(torch.nn.GRU, e, p, "g")
        l = torch_recurrent(torch.nn.LSTM, e, p, "l")
        logits = (dense(a[:, -1, :], p, "logits.dense1") + dense(gr[:, -1, :], p, "logits.dense2")
                  + dense(l[:, -1, :], p, "logits.dense3"))
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss
# ---- end sequences


# ---- attention
def tiny_transformer(g):
    """samples/tiny_transformer.nn (DSL.md §11): causal multi-head attention written by hand, post-norm
    block, h rebound (its second binding's layers are h_2.*)."""
    d, heads, t, v = 64, 4, 16, 64
    params = {"pos": 0.02 * torch.randn(t, d, generator=g), "e.W": torch.randn(v, d, generator=g)}
    for p in ("q", "k", "v"):
        params["h.attention1.%s.W" % p] = torch.randn(d, d, generator=g) * (2.0 / (2 * d)) ** 0.5
        params["h.attention1.%s.b" % p] = 0.1 * torch.randn(d, generator=g)
    params["h.attention1.W"] = torch.randn(d, d, generator=g) * (2.0 / (2 * d)) ** 0.5
    params["h.attention1.b"] = 0.1 * torch.randn(d, generator=g)
    params["h.layer_norm1.gamma"] = 1 + 0.1 * torch.randn(d, generator=g)
    params["h.layer_norm1.beta"] = 0.1 * torch.randn(d, generator=g)
    params["h_2.dense1.W"] = torch.randn(d, 256, generator=g) * (2.0 / (d + 256)) ** 0.5
    params["h_2.dense1.b"] = 0.1 * torch.randn(256, generator=g)
    params["h_2.dense2.W"] = torch.randn(256, d, generator=g) * (2.0 / (d + 256)) ** 0.5
    params["h_2.dense2.b"] = 0.1 * torch.randn(d, generator=g)
    params["h_2.layer_norm1.gamma"] = 1 + 0.1 * torch.randn(d, generator=g)
    params["h_2.layer_norm1.beta"] = 0.1 * torch.randn(d, generator=g)
    params["logits.W"] = torch.randn(d, v, generator=g) * (2.0 / (2 * d)) ** 0.5
    params["logits.b"] = 0.1 * torch.randn(v, generator=g)
    batch = {"tokens": torch.randint(0, v, (BATCH, t), generator=g), "next": torch.randint(0, v, (BATCH, t), generator=g)}

    def split_heads(x):  # [batch, time, d] -> [batch, heads, time, d/heads]
        return x.reshape(x.shape[0], x.shape[1], heads, d // heads).transpose(1, 2)

    def merge_heads(x):  # the inverse
        return x.transpose(1, 2).reshape(x.shape[0], x.shape[2], d)

    def attention(x, p, pre):
        q, k, vv = (split_heads(dense(x, p, pre + n)) for n in (".q", ".k", ".v"))
        scores = q @ k.transpose(-1, -2) / (d / heads) ** 0.5
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        a = torch.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1)
        return dense(merge_heads(a @ vv), p, pre)

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"]) + p["pos"]
        h = F.layer_norm(e + attention(e, p, "h.attention1"), (d,), p["h.layer_norm1.gamma"], p["h.layer_norm1.beta"], eps=1e-5)
        ff = dense(F.gelu(dense(h, p, "h_2.dense1")), p, "h_2.dense2")
        h = F.layer_norm(h + ff, (d,), p["h_2.layer_norm1.gamma"], p["h_2.layer_norm1.beta"], eps=1e-5)
        return seq_cross_entropy(dense(h, p, "logits"), b["next"])

    return params, batch, loss
# ---- end attention


SAMPLES = {"playground": playground, "housing": housing, "worked": worked, "fashion_mlp": fashion_mlp,
           "logistic": logistic, "softmax": softmax, "resnet_s": resnet_s, "vocabulary": vocabulary, "batchnorm": batchnorm,
           "lenet": lenet, "convmix": convmix, "convopts": convopts, "bigram": bigram, "majority": majority, "seqvocab": seqvocab,
           "last_step": last_step, "char_rnn": char_rnn, "recurrent": recurrent,
           "tiny_transformer": tiny_transformer}
# Each sample's generator seed, fixed per name so that adding a sample never changes another's fixture
# (the committed fixtures were made with these).
SEEDS = {"playground": 1000, "housing": 1001, "worked": 1002, "fashion_mlp": 1003, "logistic": 1004, "softmax": 1005,
         "resnet_s": 1006, "vocabulary": 1007, "batchnorm": 1008, "lenet": 1009, "convmix": 1010,
         "bigram": 1009, "majority": 1010, "seqvocab": 1011, "last_step": 1012, "char_rnn": 1013, "recurrent": 1014,
         "tiny_transformer": 1013, "convopts": 1015}


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    meta = {"generator": "benchmarks/pytorch/make_grad_fixtures.py", "torch": torch.__version__.split("+")[0]}
    only = sys.argv[1:]
    for sample, build in SAMPLES.items():
        if only and sample not in only:
            continue
        g = torch.Generator().manual_seed(SEEDS[sample])
        params, batch, loss_fn = build(g)
        params = {n: t.float().requires_grad_(True) for n, t in params.items()}
        loss, nnc_loss = loss_fn(params, batch)
        assert loss.dtype == torch.float32 and loss.dim() == 0
        assert torch.allclose(loss.double(), nnc_loss.double(), rtol=1e-6, atol=0), (sample, loss.item(), nnc_loss.item())
        grads = torch.autograd.grad(loss, list(params.values()))
        out = {"loss": loss.detach()}
        out.update({n: gr for n, gr in zip(params, grads)})
        base = os.path.join(OUT, sample)
        save_safetensors(base + ".params.safetensors", {n: t.detach() for n, t in params.items()}, meta)
        save_safetensors(base + ".inputs.safetensors", batch, meta)
        save_safetensors(base + ".grads.safetensors", out, meta)
        print("%-12s loss %.6f  %s" % (sample, loss.item(),
              "  ".join("|d %s| %.3g" % (n, gr.abs().max().item()) for n, gr in zip(params, grads))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
