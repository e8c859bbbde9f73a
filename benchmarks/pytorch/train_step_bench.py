#!/usr/bin/python3
"""PyTorch's side of the side-by-side benchmark (benchmarks/side-by-side).

Trains one of the benchmark models in PyTorch on synthetic batches, exactly as `nnc bench` does for
the same `.nn` file: the same layer sizes, loss, optimiser and hyper-parameters, the same batch size,
a fixed number of threads; warm-up first, then timed training steps (forward, loss, backward, update).
Prints one line of JSON: {"steps_per_s", "samples_per_s", "threads", "batch", "model", "backend"}.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/train_step_bench.py \
        --model mlp128 --threads 1 --seconds 5

Both of PyTorch's pools must be pinned for a fair 1-thread figure: torch.set_num_threads() bounds
its OpenMP pool, OPENBLAS_NUM_THREADS bounds OpenBLAS's own; the
side-by-side script sets both.

The models mirror these nnc files (kept in step by hand: the table below is the contract):
    playground  samples/playground.nn                 2-3-1 sigmoid, bce_with_logits, sgd lr 0.5, batch 10
    mlp128      samples/fashion_mlp.nn                784-128-10 relu, cross_entropy, adam lr 1e-3, batch 64
    mlp512      benchmarks/models/mlp512_sgd.nn       784-512-512-10 relu, cross_entropy, sgd lr 1e-3, batch 64
    char_rnn    samples/char_rnn.nn                   embedding 50x32, tanh RNN 64 (no biases), 64x50 per step, adam 1e-2, batch 32, 16 steps
    lstm        samples/sentiment.nn                  embedding 64x32, LSTM 64, last step, dense 2, adam 1e-2, batch 32, 16 steps
"""

import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

MODELS = {
    # name: (layer widths, hidden activation, loss, optimiser, options, batch)
    "playground": ([2, 3, 1], torch.sigmoid, "bce_with_logits", "sgd", {"lr": 0.5}, 10),
    "mlp128": ([784, 128, 10], torch.relu, "cross_entropy", "adam", {"lr": 1e-3}, 64),
    "mlp512": ([784, 512, 512, 10], torch.relu, "cross_entropy", "sgd", {"lr": 1e-3}, 64),
}


SEQUENCE_MODELS = {"char_rnn": 32, "lstm": 32}  # name: batch (time 16, as the samples' train blocks)


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
        self.out = torch.nn.Linear(64, 2)

    def forward(self, tokens):
        return self.out(self.lstm(self.e(tokens))[0][:, -1, :])


def sequence_model(name, batch):
    """The model, synthetic batches and loss of a sequence benchmark (adam lr 1e-2, 16 steps)."""
    model = CharRnn() if name == "char_rnn" else Sentiment()
    vocab, classes = (50, 50) if name == "char_rnn" else (64, 2)
    batches = []
    for _ in range(8):
        tokens = torch.randint(0, vocab, (batch, 16))
        y = torch.randint(0, classes, (batch, 16) if name == "char_rnn" else (batch,))
        batches.append((tokens, y))

    def loss(out, y):
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))

    return model, torch.optim.Adam(model.parameters(), lr=1e-2), batches, loss


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=sorted(list(MODELS) + list(SEQUENCE_MODELS)), required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=None, help="default: the model's own batch size")
    ap.add_argument("--seconds", type=float, default=5.0, help="timed seconds after warm-up")
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    if args.model in SEQUENCE_MODELS:
        batch = args.batch or SEQUENCE_MODELS[args.model]
        model, opt, batches, loss_fn = sequence_model(args.model, batch)
    else:
        widths, act, loss_name, opt_name, opts, default_batch = MODELS[args.model]
        batch = args.batch or default_batch
        model = Mlp(widths, act)
        opt = torch.optim.SGD(model.parameters(), **opts) if opt_name == "sgd" else torch.optim.Adam(model.parameters(), **opts)
        # A few distinct synthetic batches, cycled, as nnc bench does.
        batches = []
        for _ in range(8):
            x = torch.randn(batch, widths[0])
            if loss_name == "cross_entropy":
                y = torch.randint(0, widths[-1], (batch,))
            else:
                y = torch.randint(0, 2, (batch, 1)).float()
            batches.append((x, y))

        def loss_fn(out, y):
            return F.cross_entropy(out, y) if loss_name == "cross_entropy" else F.binary_cross_entropy_with_logits(out, y)

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
        "backend": "pytorch-" + torch.__version__,
        "omp_threads": os.environ.get("OMP_NUM_THREADS"),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }))


if __name__ == "__main__":
    main()
