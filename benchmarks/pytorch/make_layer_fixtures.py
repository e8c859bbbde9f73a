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


def stacked_recurrent(cls, x, p, name, layers):
    """torch.nn.RNN/GRU/LSTM(num_layers = layers) with nnc's parameters NAME.layerK.{W,U,b,bh}:
    weight_ih_l(K-1) = W^T, weight_hh_l(K-1) = U^T, bias_ih = b, bias_hh = bh or 0."""
    units = p[name + ".layer1.U"].shape[0]
    module = cls(x.shape[2], units, num_layers=layers, batch_first=True)
    for k in range(layers):
        pre = "%s.layer%d." % (name, k + 1)
        b = p[pre + "b"]
        weights = {"weight_ih_l%d" % k: p[pre + "W"].t(), "weight_hh_l%d" % k: p[pre + "U"].t(), "bias_ih_l%d" % k: b,
                   "bias_hh_l%d" % k: p[pre + "bh"] if pre + "bh" in p else torch.zeros_like(b)}
        for attr, value in weights.items():  # plain tensors in place of the module's parameters, so gradients reach p
            delattr(module, attr)
            setattr(module, attr, value)
    module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
    return module(x)[0]


def packed_recurrent(cls, x, lengths, p, name, layers, bidirectional):
    """torch.nn.RNN/GRU/LSTM over rows of the given lengths (pack_padded_sequence, then
    pad_packed_sequence with zeros), nnc's parameters NAME[.layerK][.reverse].{W,U,b,bh}: nnc's
    recurrent layers with mask = m, m 1 at the first lengths[i] steps of row i."""
    top = name + (".layer1." if layers > 1 else ".")
    units = p[top + "U"].shape[0]
    module = cls(x.shape[2], units, num_layers=layers, batch_first=True, bidirectional=bidirectional)
    for k in range(layers):
        for suffix, direction in (("", ""), ("_reverse", "reverse."))[:2 if bidirectional else 1]:
            pre = name + (".layer%d." % (k + 1) if layers > 1 else ".") + direction
            b = p[pre + "b"]
            weights = {"weight_ih_l%d" % k: p[pre + "W"].t(), "weight_hh_l%d" % k: p[pre + "U"].t(), "bias_ih_l%d" % k: b,
                       "bias_hh_l%d" % k: p[pre + "bh"] if pre + "bh" in p else torch.zeros_like(b)}
            for attr, value in weights.items():
                delattr(module, attr + suffix)
                setattr(module, attr + suffix, value)
    module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    return torch.nn.utils.rnn.pad_packed_sequence(module(packed)[0], batch_first=True, total_length=x.shape[1])[0]


def bidirectional_recurrent(cls, x, p, name, layers):
    """torch.nn.RNN/GRU/LSTM(num_layers = layers, bidirectional=True) with nnc's parameters
    NAME[.layerK].{W,U,b,bh} (forward) and NAME[.layerK].reverse.{W,U,b,bh}: weight_ih_l(K-1) = W^T,
    weight_ih_l(K-1)_reverse = reverse.W^T, and so on."""
    top = name + (".layer1." if layers > 1 else ".")
    units = p[top + "U"].shape[0]
    module = cls(x.shape[2], units, num_layers=layers, batch_first=True, bidirectional=True)
    for k in range(layers):
        for suffix, direction in (("", ""), ("_reverse", "reverse.")):
            pre = name + (".layer%d." % (k + 1) if layers > 1 else ".") + direction
            b = p[pre + "b"]
            weights = {"weight_ih_l%d" % k: p[pre + "W"].t(), "weight_hh_l%d" % k: p[pre + "U"].t(), "bias_ih_l%d" % k: b,
                       "bias_hh_l%d" % k: p[pre + "bh"] if pre + "bh" in p else torch.zeros_like(b)}
            for attr, value in weights.items():
                delattr(module, attr + suffix)
                setattr(module, attr + suffix, value)
    module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
    return module(x)[0]


def attention(x, kv, p, pre, heads):
    """nnc's multi_head_attention: queries from x, keys and values from kv, softmax(QK^T/sqrt(d/heads))V, output projection."""
    d = x.shape[2]

    def split(t):  # [batch, time, d] -> [batch, heads, time, d/heads]
        return t.reshape(t.shape[0], t.shape[1], heads, d // heads).transpose(1, 2)

    q, k, v = split(dense(x, p, pre + "q")), split(dense(kv, p, pre + "k")), split(dense(kv, p, pre + "v"))
    a = torch.softmax(q @ k.transpose(-1, -2) / (d / heads) ** 0.5, dim=-1) @ v
    return dense(a.transpose(1, 2).reshape(x.shape[0], x.shape[1], d), p, pre + "out")


def layeropts(g):
    """models/layeropts.nn: dense(bias = false), rnn/gru/lstm(layers = N) against torch's num_layers,
    multi_head_attention(x, kv, heads) (cross-attention), transformer_block(norm_first = true)."""
    params = {"e.W": torch.randn(7, 4, generator=g)}
    for name, units, gates, layers in (("a", 3, 1, 2), ("g", 3, 3, 2), ("l", 4, 4, 3)):
        for k in range(1, layers + 1):
            pre = "%s.layer%d." % (name, k)
            params[pre + "W"] = torch.randn(4 if k == 1 else units, gates * units, generator=g) * 0.5
            params[pre + "U"] = torch.randn(units, gates * units, generator=g) * 0.5
            params[pre + "b"] = 0.1 * torch.randn(gates * units, generator=g)
            if gates == 3:
                params[pre + "bh"] = 0.1 * torch.randn(gates * units, generator=g)
    for pre in ("c.", "t.attention."):
        for n in ("q", "k", "v", "out"):
            params[pre + n + ".W"] = torch.randn(4, 4, generator=g) * 0.5
            params[pre + n + ".b"] = 0.1 * torch.randn(4, generator=g)
    for n in ("norm1", "norm2"):
        params["t.%s.gamma" % n] = 1 + 0.1 * torch.randn(4, generator=g)
        params["t.%s.beta" % n] = 0.1 * torch.randn(4, generator=g)
    params["t.ff1.W"], params["t.ff1.b"] = torch.randn(4, 6, generator=g) * 0.5, 0.1 * torch.randn(6, generator=g)
    params["t.ff2.W"], params["t.ff2.b"] = torch.randn(6, 4, generator=g) * 0.5, 0.1 * torch.randn(4, generator=g)
    params["p.W"] = torch.randn(4, 2, generator=g) * 0.5
    params["logits.dense1.W"] = torch.randn(3, 2, generator=g) * 0.5
    params["logits.dense2.W"] = torch.randn(3, 2, generator=g) * 0.5
    params["logits.dense2.b"] = 0.1 * torch.randn(2, generator=g)
    batch = {"tokens": torch.randint(0, 7, (BATCH, 5), generator=g), "memory": torch.randn(BATCH, 3, 4, generator=g),
             "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        a = stacked_recurrent(torch.nn.RNN, e, p, "a", 2)
        gr = stacked_recurrent(torch.nn.GRU, e, p, "g", 2)
        l = stacked_recurrent(torch.nn.LSTM, e, p, "l", 3)
        c = attention(l, b["memory"], p, "c.", 2) + e
        n1 = F.layer_norm(c, (4,), p["t.norm1.gamma"], p["t.norm1.beta"], eps=1e-5)
        h = c + attention(n1, n1, p, "t.attention.", 2)
        n2 = F.layer_norm(h, (4,), p["t.norm2.gamma"], p["t.norm2.beta"], eps=1e-5)
        t = h + dense(F.gelu(dense(n2, p, "t.ff1")), p, "t.ff2")
        logits = t[:, -1, :] @ p["p.W"] + a[:, -1, :] @ p["logits.dense1.W"] + dense(gr[:, -1, :], p, "logits.dense2")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def bidir(g):
    """models/bidir.nn: rnn/gru/lstm(bidirectional = true), one layer and two, against torch's
    bidirectional=True (outputs [forward, reverse] on the last axis)."""
    params = {"e.W": torch.randn(7, 4, generator=g)}
    for name, units, gates, layers in (("a", 3, 1, 1), ("g", 3, 3, 2), ("l", 2, 4, 2)):
        for k in range(1, layers + 1):
            for direction in ("", "reverse."):
                pre = name + (".layer%d." % k if layers > 1 else ".") + direction
                params[pre + "W"] = torch.randn(4 if k == 1 else 2 * units, gates * units, generator=g) * 0.5
                params[pre + "U"] = torch.randn(units, gates * units, generator=g) * 0.5
                params[pre + "b"] = 0.1 * torch.randn(gates * units, generator=g)
                if gates == 3:
                    params[pre + "bh"] = 0.1 * torch.randn(gates * units, generator=g)
    params["logits.dense1.W"] = torch.randn(6, 2, generator=g) * 0.5
    params["logits.dense1.b"] = 0.1 * torch.randn(2, generator=g)
    params["logits.dense2.W"] = torch.randn(6, 2, generator=g) * 0.5
    params["logits.dense3.W"] = torch.randn(4, 2, generator=g) * 0.5
    batch = {"tokens": torch.randint(0, 7, (BATCH, 5), generator=g), "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        a = bidirectional_recurrent(torch.nn.RNN, e, p, "a", 1)
        gr = bidirectional_recurrent(torch.nn.GRU, e, p, "g", 2)
        l = bidirectional_recurrent(torch.nn.LSTM, e, p, "l", 2)
        logits = dense(a.mean(1), p, "logits.dense1") + gr[:, 1, :] @ p["logits.dense2.W"] + l[:, -2, :] @ p["logits.dense3.W"]
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def bidirmask(g):
    """models/bidirmask.nn: rnn/gru/lstm(mask = m) on padded rows against pack_padded_sequence; the
    padded steps hold large values that PyTorch never reads and nnc must not either."""
    lengths = [5, 3, 1, 4, 2, 5, 3, 2]
    assert len(lengths) == BATCH
    params = {}
    for name, units, gates, layers, directions in (("a", 3, 1, 1, 2), ("g", 3, 3, 1, 1), ("l", 2, 4, 2, 2)):
        for k in range(1, layers + 1):
            for direction in ("", "reverse.")[:directions]:
                pre = name + (".layer%d." % k if layers > 1 else ".") + direction
                params[pre + "W"] = torch.randn(3 if k == 1 else directions * units, gates * units, generator=g) * 0.5
                params[pre + "U"] = torch.randn(units, gates * units, generator=g) * 0.5
                params[pre + "b"] = 0.1 * torch.randn(gates * units, generator=g)
                if gates == 3:
                    params[pre + "bh"] = 0.1 * torch.randn(gates * units, generator=g)
    params["logits.dense1.W"] = torch.randn(6, 2, generator=g) * 0.5
    params["logits.dense1.b"] = 0.1 * torch.randn(2, generator=g)
    params["logits.dense2.W"] = torch.randn(3, 2, generator=g) * 0.5
    params["logits.dense3.W"] = torch.randn(4, 2, generator=g) * 0.5
    m = torch.tensor([[1.0 if t < n else 0.0 for t in range(5)] for n in lengths])
    x = torch.randn(BATCH, 5, 3, generator=g)
    x = torch.where(m.unsqueeze(-1) > 0, x, 1000 * torch.ones_like(x))
    batch = {"x": x, "m": m, "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        a = packed_recurrent(torch.nn.RNN, b["x"], lengths, p, "a", 1, True)
        gr = packed_recurrent(torch.nn.GRU, b["x"], lengths, p, "g", 1, False)
        l = packed_recurrent(torch.nn.LSTM, b["x"], lengths, p, "l", 2, True)
        logits = dense(a.sum(1), p, "logits.dense1") + gr.sum(1) @ p["logits.dense2.W"] + l.sum(1) @ p["logits.dense3.W"]
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def handlstm(g):
    """models/handlstm.nn: an LSTM written as a scan with the carries (h, c), against torch.nn.LSTM
    with weight_ih = [Wi Wf Wg Wo]^T, weight_hh = [Ui Uf Ug Uo]^T, bias_ih = [bi bf bg bo], bias_hh = 0."""
    params = {"e.W": torch.randn(7, 4, generator=g)}
    for gate in "ifgo":
        params["W" + gate] = torch.randn(4, 3, generator=g) * 0.6
    for gate in "ifgo":
        params["U" + gate] = torch.randn(3, 3, generator=g) * 0.6
    for gate in "ifgo":
        params["b" + gate] = 0.2 * torch.randn(3, generator=g)
    for k in (1, 2):
        params["logits.dense%d.W" % k] = torch.randn(3, 2, generator=g) * 0.5
        params["logits.dense%d.b" % k] = 0.1 * torch.randn(2, generator=g)
    batch = {"tokens": torch.randint(0, 7, (BATCH, 5), generator=g), "y": torch.randint(0, 2, (BATCH,), generator=g)}

    def loss(p, b):
        e = F.embedding(b["tokens"], p["e.W"])
        module = torch.nn.LSTM(4, 3, batch_first=True)
        weights = {"weight_ih_l0": torch.cat([p["W" + k] for k in "ifgo"], 1).t(), "weight_hh_l0": torch.cat([p["U" + k] for k in "ifgo"], 1).t(),
                   "bias_ih_l0": torch.cat([p["b" + k] for k in "ifgo"]), "bias_hh_l0": torch.zeros(12)}
        for attr, value in weights.items():
            delattr(module, attr)
            setattr(module, attr, value)
        module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
        hs = module(e)[0]
        logits = dense(hs[:, -1, :], p, "logits.dense1") + dense(hs.mean(1), p, "logits.dense2")
        return F.cross_entropy(logits, b["y"]), F.cross_entropy(logits, b["y"])

    return params, batch, loss


def check_pre_norm_block():
    """The pre-norm block above is torch.nn.TransformerEncoderLayer(norm_first=True) (gelu, no dropout)."""
    g = torch.Generator().manual_seed(1)
    layer = torch.nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
    x = torch.randn(2, 5, 4, generator=g)
    wq, wk, wv = layer.self_attn.in_proj_weight.chunk(3)
    bq, bk, bv = layer.self_attn.in_proj_bias.chunk(3)
    p = {"q.W": wq.t(), "q.b": bq, "k.W": wk.t(), "k.b": bk, "v.W": wv.t(), "v.b": bv,
         "out.W": layer.self_attn.out_proj.weight.t(), "out.b": layer.self_attn.out_proj.bias,
         "ff1.W": layer.linear1.weight.t(), "ff1.b": layer.linear1.bias, "ff2.W": layer.linear2.weight.t(), "ff2.b": layer.linear2.bias}
    n1 = F.layer_norm(x, (4,), layer.norm1.weight, layer.norm1.bias, eps=1e-5)
    h = x + attention(n1, n1, p, "", 2)
    n2 = F.layer_norm(h, (4,), layer.norm2.weight, layer.norm2.bias, eps=1e-5)
    ours = h + dense(F.gelu(dense(n2, p, "ff1")), p, "ff2")
    layer.eval()
    assert torch.allclose(ours, layer(x), atol=1e-6), "the pre-norm block differs from TransformerEncoderLayer(norm_first=True)"


MODELS = {"norms": norms, "layeropts": layeropts, "handlstm": handlstm, "bidir": bidir, "bidirmask": bidirmask}
# Each model's generator seed, fixed per name so that adding a model never changes another's fixture.
SEEDS = {"norms": 1500, "layeropts": 1501, "handlstm": 1502, "bidir": 1503, "bidirmask": 1504}


def main():
    torch.set_num_threads(1)
    check_pre_norm_block()
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
