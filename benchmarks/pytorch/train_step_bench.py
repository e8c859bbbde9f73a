#!/usr/bin/python3
"""PyTorch's side of the side-by-side benchmark (benchmarks/side_by_side.py).

Trains one of the benchmark models in PyTorch exactly as `nnc bench` does for the same `.nn` file:
the same layers, loss, optimiser and hyper-parameters, the same batch size, a fixed number of
threads; warm-up first, then timed training steps (forward, loss, backward, update). The batches are
one synthetic batch (Gaussian inputs, random targets), or with `--data K` the first K batches of
Fashion-MNIST's training set in file order (pixels scaled by 1/255), cycled, as `nnc bench --data K`
reads them from the train block's `idx(...)` source. Prints one line of JSON: {"steps_per_s",
"samples_per_s", "threads", "batch", "model", "params", "data_batches", "backend", ...}; "params" is
the number of trained values (`requires_grad` parameters), which must equal nnc's.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/train_step_bench.py \
        --model mlp128 --threads 1 --seconds 5 --data 8

Both of PyTorch's pools must be pinned for a fair 1-thread figure: torch.set_num_threads() bounds
its OpenMP pool, OPENBLAS_NUM_THREADS bounds OpenBLAS's own; the side-by-side script sets both.

The models mirror these nnc files (kept in step by hand: the table below is the contract):
    playground  samples/playground.nn                 2-3-1 sigmoid, bce_with_logits, sgd lr 0.5, batch 10
    mlp128      samples/fashion_mlp.nn --batch 32     784-128-10 relu, cross_entropy, adam lr 1e-3, batch 32
    mlp512      benchmarks/models/mlp512_sgd.nn       784-512-512-10 relu, cross_entropy, sgd lr 1e-3, batch 64
    lenet       benchmarks/models/lenet_momentum.nn   LeNet-5 (below), cross_entropy, sgd lr 0.01 momentum 0.9, batch 64
    lstm        benchmarks/models/lstm_t32.nn         embedding 64x32, LSTM 64, last step, dense 2, adam 1e-2, batch 32, 32 steps
    encoder     benchmarks/models/encoder.nn          TransformerEncoderLayer(64, 4, 256, gelu, post-norm, no mask) on
                                                      f32 [batch, 32, 64], mse to an f32 target, adam 1e-3, batch 16
    char_rnn    samples/char_rnn.nn                   embedding 50x32, tanh RNN 64 (no biases), 64x50 per step, adam 1e-2, batch 32, 16 steps

nn.LSTM has two bias vectors (b_ih and b_hh) where nnc's lstm has one: b_hh is zero and frozen
here, so the function and the trained values are the same (and the kernels do the same work).
"""

import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist/train-%s-idx%d-ubyte.gz"


class Mlp(torch.nn.Module):
    def __init__(self, widths, act):
        super().__init__()
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.act = act

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.act(x)
        return x


class LeNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = torch.nn.Conv2d(6, 16, 5)
        self.f1 = torch.nn.Linear(400, 120)
        self.f2 = torch.nn.Linear(120, 84)
        self.f3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.c1(x)), 2)
        x = F.max_pool2d(torch.relu(self.c2(x)), 2)
        x = torch.relu(self.f1(torch.flatten(x, 1)))
        return self.f3(torch.relu(self.f2(x)))


class CharRnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.e = torch.nn.Embedding(50, 32)
        self.rnn = torch.nn.RNN(32, 64, bias=False, batch_first=True)
        self.why = torch.nn.Linear(64, 50, bias=False)

    def forward(self, tokens):
        return self.why(self.rnn(self.e(tokens))[0])


class Sentiment(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.e = torch.nn.Embedding(64, 32)
        self.lstm = torch.nn.LSTM(32, 64, batch_first=True)
        with torch.no_grad():
            self.lstm.bias_hh_l0.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)
        self.out = torch.nn.Linear(64, 2)

    def forward(self, tokens):
        return self.out(self.lstm(self.e(tokens))[0][:, -1, :])


def cross_entropy(out, y):
    return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))


def adam(lr):
    return lambda params: torch.optim.Adam(params, lr=lr)


def sgd(lr, momentum=0.0):
    return lambda params: torch.optim.SGD(params, lr=lr, momentum=momentum)


def gaussian(*shape):
    return lambda batch: torch.randn(batch, *shape)


def classes(n, *shape):
    return lambda batch: torch.randint(0, n, (batch,) + shape)


def bits(*shape):
    return lambda batch: torch.randint(0, 2, (batch,) + shape).float()


# name: (model factory, loss, optimiser factory, batch, synthetic input, synthetic target, image shape for --data or None)
MODELS = {
    "playground": (lambda: Mlp([2, 3, 1], torch.sigmoid), F.binary_cross_entropy_with_logits, sgd(0.5), 10,
                   gaussian(2), bits(1), None),
    "mlp128": (lambda: Mlp([784, 128, 10], torch.relu), F.cross_entropy, adam(1e-3), 32, gaussian(784), classes(10), (784,)),
    "mlp512": (lambda: Mlp([784, 512, 512, 10], torch.relu), F.cross_entropy, sgd(1e-3), 64, gaussian(784), classes(10), (784,)),
    "lenet": (LeNet, F.cross_entropy, sgd(0.01, 0.9), 64, gaussian(1, 28, 28), classes(10), (1, 28, 28)),
    "lstm": (Sentiment, cross_entropy, adam(1e-2), 32, classes(64, 32), classes(2), None),
    "encoder": (lambda: torch.nn.TransformerEncoderLayer(64, 4, 256, dropout=0.0, activation="gelu", batch_first=True),
                F.mse_loss, adam(1e-3), 16, gaussian(32, 64), bits(32, 64), None),
    "char_rnn": (CharRnn, cross_entropy, adam(1e-2), 32, classes(50, 16), classes(50, 16), None),
}


def idx_array(path):
    """The array of an IDX file (gzip), as numpy: magic 0x0000 0x08 rank, big-endian sizes, unsigned bytes."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = np.frombuffer(raw, dtype=">i4", count=rank, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(tuple(dims))


def fashion_batches(count, batch, shape):
    """The first `count` batches of Fashion-MNIST's training set in file order, pixels / 255."""
    images = idx_array(FASHION % ("images", 3))
    labels = idx_array(FASHION % ("labels", 1))
    rows = count * batch
    x = torch.from_numpy(images[:rows].astype(np.float32) * np.float32(1 / 255)).reshape((count, batch) + shape)
    y = torch.from_numpy(labels[:rows].astype(np.int64)).reshape(count, batch)
    return [(x[i].contiguous(), y[i].contiguous()) for i in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=None, help="default: the model's own batch size")
    ap.add_argument("--data", type=int, default=0, metavar="K",
                    help="train on the first K batches of Fashion-MNIST (image models only); default: one synthetic batch")
    ap.add_argument("--seconds", type=float, default=5.0, help="timed seconds after warm-up")
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    make_model, loss_fn, make_opt, default_batch, make_x, make_y, image = MODELS[args.model]
    batch = args.batch or default_batch
    model = make_model()
    opt = make_opt([p for p in model.parameters() if p.requires_grad])
    if args.data:
        if image is None:
            ap.error("--data: model %s has no Fashion-MNIST input" % args.model)
        batches = fashion_batches(args.data, batch, image)
    else:
        batches = [(make_x(batch), make_y(batch))]

    def step(i):
        x, y = batches[i % len(batches)]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    steps = 0
    end = time.perf_counter() + args.warmup
    while time.perf_counter() < end:
        step(steps)
        steps += 1
    steps = 0
    start = time.perf_counter()
    end = start + args.seconds
    while True:
        for _ in range(16):
            step(steps)
            steps += 1
        now = time.perf_counter()
        if now >= end:
            break
    elapsed = now - start
    print(json.dumps({
        "steps_per_s": steps / elapsed,
        "samples_per_s": steps * batch / elapsed,
        "threads": args.threads,
        "batch": batch,
        "model": args.model,
        "params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "data_batches": len(batches) if args.data else 0,
        "backend": "pytorch-" + torch.__version__,
        "omp_threads": os.environ.get("OMP_NUM_THREADS"),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }))


if __name__ == "__main__":
    main()
