#!/usr/bin/python3
"""Side-by-side: the same models trained by nnc and by PyTorch, alternating, in one run.

    /usr/bin/python3 benchmarks/side_by_side.py [--threads 1,2] [--rounds 3] [--seconds 5] [--data 8] [--backend bytecode] [MODEL ...]

The models (default all): playground, mlp128, mlp512, lenet, lstm, encoder (the six of issue 14's
table) and char_rnn; benchmarks/pytorch/train_step_bench.py lists the nnc file and the PyTorch
network of each. For each model, round and thread count, runs `./nnc bench FILE --json` and then
train_step_bench.py with the same batch size, optimiser and thread count, both pinned with
`taskset` to the first N CPUs and PyTorch's OpenMP and OpenBLAS pools limited to N threads, so the
machine's noise spreads over both sides and over the thread counts. The image models (mlp128,
mlp512, lenet) train on the first K batches of Fashion-MNIST on both sides (`nnc bench --data K`;
--data 0: synthetic batches); the others on one synthetic batch. Both sides print their number of
trained values; a model whose two sides differ is an error (not the same network).

Prints, per thread count, a table of the median samples/s of each side and the ratio nnc / PyTorch;
with more than one thread count, each side's speed-up from the first count to the others; with
--json one line of JSON with every measurement instead.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# name: (nnc file, extra `nnc bench` options, trains on Fashion-MNIST with --data)
MODELS = {
    "playground": ("samples/playground.nn", [], False),
    "mlp128": ("samples/fashion_mlp.nn", ["--batch", "32"], True),
    "mlp512": ("benchmarks/models/mlp512_sgd.nn", [], True),
    "lenet": ("benchmarks/models/lenet_momentum.nn", [], True),
    "lstm": ("benchmarks/models/lstm_t32.nn", [], False),
    "encoder": ("benchmarks/models/encoder.nn", [], False),
    "char_rnn": ("samples/char_rnn.nn", [], False),
}


def pinned(cmd, threads):
    if shutil.which("taskset") and threads <= os.cpu_count():
        return ["taskset", "-c", ",".join(str(c) for c in range(threads))] + cmd
    return cmd


def run_json(cmd, env):
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write("side_by_side: command failed (exit %d): %s\n%s%s" % (proc.returncode, " ".join(cmd), proc.stdout, proc.stderr))
        sys.exit(1)
    return json.loads(lines[-1])


def thread_counts(text):
    try:
        counts = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("--threads takes counts separated by commas, e.g. 1,2; got %r" % text)
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("--threads counts must be at least 1; got %r" % text)
    return counts


def measure(model, threads, args):
    """One nnc run and one PyTorch run of `model` on `threads` threads: (nnc JSON, PyTorch JSON)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    file, extra, images = MODELS[model]
    data = ["--data", str(args.data)] if images and args.data > 0 else []
    nnc = run_json(pinned(["./nnc", "bench", file, "--backend", args.backend, "--threads", str(threads),
                           "--seconds", str(args.seconds), "--json"] + extra + data, threads), env)
    pt = run_json(pinned(["/usr/bin/python3", "benchmarks/pytorch/train_step_bench.py", "--model", model,
                          "--threads", str(threads), "--batch", str(nnc["batch"]), "--seconds", str(args.seconds)] + data, threads), env)
    if nnc["params"] != pt["params"]:
        sys.stderr.write("side_by_side: %s is not the same network on both sides: nnc trains %d values, PyTorch %d\n"
                         % (model, nnc["params"], pt["params"]))
        sys.exit(1)
    if nnc["data_batches"] != pt["data_batches"]:
        sys.stderr.write("side_by_side: %s: nnc cycles %d data batches, PyTorch %d\n" % (model, nnc["data_batches"], pt["data_batches"]))
        sys.exit(1)
    return nnc, pt


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", metavar="MODEL", help="any of %s (default: all)" % ", ".join(MODELS))
    ap.add_argument("--threads", type=thread_counts, default=[1], help="thread counts, e.g. 1 or 1,2 (default 1)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--data", type=int, default=8, metavar="K",
                    help="image models train on the first K batches of Fashion-MNIST (default 8; 0: synthetic)")
    ap.add_argument("--backend", default="bytecode", help="nnc back end (interp, java, bytecode)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    models = args.models or list(MODELS)
    for m in models:
        if m not in MODELS:
            ap.error("unknown model %r; choose from %s" % (m, ", ".join(MODELS)))

    runs = {(m, t): ([], []) for m in models for t in args.threads}
    for model in models:
        for _ in range(args.rounds):
            for threads in args.threads:
                nnc, pt = measure(model, threads, args)
                runs[model, threads][0].append(nnc)
                runs[model, threads][1].append(pt)

    results = {}
    for threads in args.threads:
        for model in models:
            nnc_runs, torch_runs = runs[model, threads]
            n = statistics.median(r["samples_per_s"] for r in nnc_runs)
            t = statistics.median(r["samples_per_s"] for r in torch_runs)
            results.setdefault(str(threads), {})[model] = {
                "nnc_samples_per_s": n, "torch_samples_per_s": t, "ratio": n / t, "batch": nnc_runs[0]["batch"],
                "params": nnc_runs[0]["params"], "data_batches": nnc_runs[0]["data_batches"], "threads": threads,
                "backend": args.backend, "nnc_runs": nnc_runs, "torch_runs": torch_runs}
    if args.json:
        print(json.dumps(results))
        return
    for threads in args.threads:
        print("%d thread%s" % (threads, "" if threads == 1 else "s"))
        for model in models:
            r = results[str(threads)][model]
            print("  %-11s batch %3d  %-9s nnc %12.0f samples/s   pytorch %12.0f samples/s   ratio %7.2fx"
                  % (model, r["batch"], "fashion" if r["data_batches"] else "synthetic",
                     r["nnc_samples_per_s"], r["torch_samples_per_s"], r["ratio"]))
    first = args.threads[0]
    for threads in args.threads[1:]:
        print("speed-up %d -> %d threads" % (first, threads))
        for model in models:
            a, b = results[str(first)][model], results[str(threads)][model]
            print("  %-11s nnc %5.2fx   pytorch %5.2fx" % (model, b["nnc_samples_per_s"] / a["nnc_samples_per_s"],
                                                          b["torch_samples_per_s"] / a["torch_samples_per_s"]))


if __name__ == "__main__":
    main()
