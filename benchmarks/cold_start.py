#!/usr/bin/python3
"""Cold start of nnc: from a fresh JVM to a loaded and to a warmed trainer, per sample model.

    /usr/bin/python3 benchmarks/cold_start.py [--rounds 3] [--threads 1] [--backend bytecode] [--json]
                                              [--nnc LAUNCHER ...] [FILE ...]

For each `.nn` file (default: samples/*.nn) and round, starts a fresh `./nnc bench FILE --json
--seconds 0.4` pinned with `taskset` to the first N CPUs and reads the times it measures inside its
JVM (milliseconds, medians over the rounds):

    startup   JVM start -> the bench command runs (JVM boot, picocli)
    compile   the command's start -> trainer loaded: read and parse the .nn, check, lower,
              differentiate, optimise, schedule, plan memory, generate and load the class,
              initialise the parameters
    cpu       the CPU time of all the JVM's threads during the compile (steadier than compile
              on a busy machine; about the same on an idle one, pinned to one CPU)
    loaded    JVM start -> trainer loaded (startup + compile)
    warm      the warm-up: training until the step rate stops rising (the JIT has compiled the
              generated and vector kernels), in rounds of 0.1 s
    warmed    JVM start -> warm-up's end

Issue 14's goal: compile under 250 ms for the playground. A file `nnc bench` cannot run is listed
with its error and skipped. To compare builds, give several launchers (`--nnc ./nnc --nnc
/tmp/old/nnc`, each an nnc checkout's `nnc` script): every round runs each of them in turn, so a
change in the machine's load hits them alike.
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
FIELDS = ["startup_ms", "compile_ms", "compile_cpu_ms", "loaded_ms", "warm_ms", "warmed_ms"]
NAMES = ["startup", "compile", "cpu", "loaded", "warm", "warmed"]


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
    ap.add_argument("--nnc", action="append", metavar="LAUNCHER",
                    help="the nnc launcher to time (default ./nnc); repeat to alternate several, round by round")
    args = ap.parse_args()
    launchers = [os.path.abspath(l) for l in (args.nnc or [os.path.join(ROOT, "nnc")])]
    files = [os.path.abspath(f) for f in args.files] or sorted(glob.glob(os.path.join(ROOT, "samples", "*.nn")))
    # The first run builds the jar if the sources changed; do it before anything is timed.
    for l in launchers:
        subprocess.run([l, "--version"], cwd=ROOT, capture_output=True)

    results = {}
    if not args.json:
        print("%-34s %9s %9s %9s %9s %9s %9s   (ms, median of %d)" % ("model", *NAMES, args.rounds))
    for f in files:
        runs = {l: [] for l in launchers}
        errors = {}
        for _ in range(args.rounds):
            for l in launchers:
                if l in errors:
                    continue
                proc = subprocess.run(pinned([l, "bench", f, "--backend", args.backend, "--threads", str(args.threads),
                                              "--seconds", "0.4", "--json"], args.threads), cwd=ROOT, capture_output=True, text=True)
                lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
                if proc.returncode != 0 or not lines:
                    errors[l] = (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[0]
                    continue
                runs[l].append(json.loads(lines[-1]))
        for l in launchers:
            name = os.path.relpath(f, ROOT) + ("" if len(launchers) == 1 else " [%s]" % os.path.relpath(l, ROOT))
            if l in errors:
                results[name] = {"error": errors[l]}
                if not args.json:
                    print("%-34s skipped: %s" % (name, errors[l]))
                continue
            medians = {k: statistics.median(r.get(k, -1) for r in runs[l]) for k in FIELDS}
            results[name] = dict(medians, runs=runs[l])
            if not args.json:
                print("%-34s %9.0f %9.0f %9.0f %9.0f %9.0f %9.0f" % (name, *[medians[k] for k in FIELDS]), flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
