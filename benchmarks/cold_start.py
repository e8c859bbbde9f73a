#!/usr/bin/python3
"""Cold start of nnc: from a fresh JVM to a loaded and to a warmed trainer, per sample model.

    /usr/bin/python3 benchmarks/cold_start.py [--rounds 3] [--threads 1] [--backend bytecode] [--json] [FILE ...]

For each `.nn` file (default: samples/*.nn) and round, starts a fresh `./nnc bench FILE --json
--seconds 0.4` pinned with `taskset` to the first N CPUs and reads the times it measures inside its
JVM (milliseconds, medians over the rounds):

    startup   JVM start -> the bench command runs (JVM boot, picocli)
    compile   the command's start -> trainer loaded: read and parse the .nn, check, lower,
              differentiate, optimise, schedule, plan memory, generate and load the class,
              initialise the parameters
    loaded    JVM start -> trainer loaded (startup + compile)
    warm      the warm-up: training until the step rate stops rising (the JIT has compiled the
              generated and vector kernels), in rounds of 0.1 s
    warmed    JVM start -> warm-up's end

Issue 14's goal: compile under 250 ms for the playground. A file `nnc bench` cannot run is listed
with its error and skipped.
"""

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ["startup_ms", "compile_ms", "loaded_ms", "warm_ms", "warmed_ms"]


def pinned(cmd, threads):
    if shutil.which("taskset") and threads <= os.cpu_count():
        return ["taskset", "-c", ",".join(str(c) for c in range(threads))] + cmd
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", metavar="FILE", help=".nn files (default: samples/*.nn)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--backend", default="bytecode", help="nnc back end (interp, java, bytecode)")
    ap.add_argument("--json", action="store_true", help="one line of JSON with every measurement instead of the table")
    args = ap.parse_args()
    files = args.files or sorted(os.path.relpath(f, ROOT) for f in glob.glob(os.path.join(ROOT, "samples", "*.nn")))
    # The first run builds the jar if the sources changed; do it before anything is timed.
    subprocess.run(["./nnc", "--version"], cwd=ROOT, capture_output=True)

    results = {}
    if not args.json:
        print("%-34s %9s %9s %9s %9s %9s   (ms, median of %d)" % ("model", *[f[:-3] for f in FIELDS], args.rounds))
    for f in files:
        runs = []
        for _ in range(args.rounds):
            proc = subprocess.run(pinned(["./nnc", "bench", f, "--backend", args.backend, "--threads", str(args.threads),
                                          "--seconds", "0.4", "--json"], args.threads), cwd=ROOT, capture_output=True, text=True)
            lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
            if proc.returncode != 0 or not lines:
                runs = None
                error = (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[0]
                break
            runs.append(json.loads(lines[-1]))
        if runs is None:
            results[f] = {"error": error}
            if not args.json:
                print("%-34s skipped: %s" % (f, error))
            continue
        medians = {k: statistics.median(r[k] for r in runs) for k in FIELDS}
        results[f] = dict(medians, runs=runs)
        if not args.json:
            print("%-34s %9.0f %9.0f %9.0f %9.0f %9.0f" % (f, *[medians[k] for k in FIELDS]), flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
