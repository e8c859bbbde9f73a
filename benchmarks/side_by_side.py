#!/usr/bin/python3
"""Side-by-side: the same models trained by nnc and by PyTorch, alternating, in one run.

    /usr/bin/python3 benchmarks/side_by_side.py [--threads 1] [--rounds 3] [--seconds 5] [--backend bytecode] [MODEL ...]

For each model (playground, mlp128, mlp512, char_rnn, lstm; default all) and each round, runs `./nnc bench FILE
--json` and then benchmarks/pytorch/train_step_bench.py with the same batch size, optimiser and
thread count, both pinned with `taskset` to the first N CPUs and PyTorch's OpenMP and OpenBLAS pools
limited to N threads. Alternating the two sides round by round spreads the machine's noise over
both. Prints, per model, the median samples/s of each side and the ratio nnc / PyTorch, and with
--json one line of JSON with every measurement.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {
    "playground": "samples/playground.nn",
    "mlp128": "samples/fashion_mlp.nn",
    "mlp512": "benchmarks/models/mlp512_sgd.nn",
    "char_rnn": "samples/char_rnn.nn",
    "lstm": "samples/sentiment.nn",
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", metavar="MODEL", help="any of %s (default: all)" % ", ".join(MODELS))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--backend", default="bytecode", help="nnc back end (interp, java, bytecode)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    models = args.models or list(MODELS)
    for m in models:
        if m not in MODELS:
            ap.error("unknown model %r; choose from %s" % (m, ", ".join(MODELS)))

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    results = {}
    for model in models:
        nnc_runs, torch_runs = [], []
        for _ in range(args.rounds):
            nnc = run_json(pinned(["./nnc", "bench", MODELS[model], "--backend", args.backend, "--threads", str(args.threads),
                                   "--seconds", str(args.seconds), "--json"], args.threads), env)
            nnc_runs.append(nnc)
            pt = run_json(pinned(["/usr/bin/python3", "benchmarks/pytorch/train_step_bench.py", "--model", model,
                                  "--threads", str(args.threads), "--batch", str(nnc["batch"]),
                                  "--seconds", str(args.seconds)], args.threads), env)
            torch_runs.append(pt)
        n = statistics.median(r["samples_per_s"] for r in nnc_runs)
        t = statistics.median(r["samples_per_s"] for r in torch_runs)
        results[model] = {"nnc_samples_per_s": n, "torch_samples_per_s": t, "ratio": n / t, "batch": nnc_runs[0]["batch"],
                          "threads": args.threads, "backend": args.backend, "nnc_runs": nnc_runs, "torch_runs": torch_runs}
        if not args.json:
            print("%-11s batch %3d  threads %d   nnc %12.0f samples/s   pytorch %12.0f samples/s   ratio %7.2fx"
                  % (model, nnc_runs[0]["batch"], args.threads, n, t, n / t), flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
