#!/usr/bin/env bash
# Fuzzes nnc's fuzz targets (module fuzz/, Jazzer) one after another, each for DURATION, and says
# what each found. Run through `./run-tests --fuzz DURATION [TARGET...]`, which finds the JDK first.
#   DURATION  per target, as Jazzer reads it: 30s, 10m, 1h
#   TARGET    Class#method (e.g. FrontEndFuzzTest#frontEnd); default: every target below
# A finding (an input that fails the target's property, hangs for more than FUZZ_TIMEOUT seconds,
# default 30, or runs the 1 GB heap out) is saved by Jazzer (which keeps going, up to 10 distinct
# findings a target) as crash-*/timeout-* under
# fuzz/src/test/resources/nnc/fuzz/<Class>Inputs/<method>/, where `mvn verify` replays it from then
# on; the inputs that reached new code are kept in fuzz/.cifuzz-corpus/ (not committed) for the next
# run. Logs: fuzz/target/fuzz-logs/. Exit code 1 when anything was found.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
duration="${1:-}"
if ! [[ "$duration" =~ ^[0-9]+(s|m|h)$ ]]; then
  echo "usage: ./run-tests --fuzz DURATION [TARGET...]   (DURATION per target, e.g. 30s, 10m, 1h)" >&2
  exit 2
fi
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(FrontEndFuzzTest#frontEnd ModelFuzzTest#layers SafeTensorsFuzzTest#read CheckpointFuzzTest#resume
           IdxFuzzTest#images IdxFuzzTest#labels IdxFuzzTest#gzipImages IdxFuzzTest#predictRows
           CsvFuzzTest#trainingSet CsvFuzzTest#predictRows)
fi
timeout="${FUZZ_TIMEOUT:-30}"
inputs="$root/fuzz/src/test/resources/nnc/fuzz"
logs="$root/fuzz/target/fuzz-logs"
cd "$root"
mkdir -p "$logs"
found=0
summary=()
for t in "${targets[@]}"; do
  cls="${t%%#*}" method="${t#*#}"
  if [ "$cls" = "$t" ] || [ ! -f "fuzz/src/test/java/nnc/fuzz/$cls.java" ]; then
    echo "fuzz: unknown target '$t' (expected Class#method of a class in fuzz/src/test/java/nnc/fuzz)" >&2
    exit 2
  fi
  dir="$inputs/${cls}Inputs/$method"
  mkdir -p "$dir"
  before="$(ls "$dir")"
  log="$logs/$cls-$method.log"
  echo "fuzz: $t for $duration (log: ${log#$root/}) ..."
  JAZZER_FUZZ=1 mvn -B -ntp -pl fuzz -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfuzz.hooks=true -Djazzer.max_duration="$duration" -Djazzer.keep_going=10 \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="$timeout" -Djazzer.internal.arg.2=-max_len=8192 \
    >"$log" 2>&1
  rc=$?
  new="$(comm -13 <(echo "$before") <(ls "$dir"))"
  runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 inputs in \2 s/p' "$log" | tail -n 1)"
  if [ -z "$new" ] && [ $rc -eq 0 ] && [ -z "$runs" ]; then
    found=1
    summary+=("$t: did not fuzz (no such method? see the log)")
    echo "fuzz: $t: did not fuzz (no such method? see the log)"
  elif [ -n "$new" ] || [ $rc -ne 0 ]; then
    found=1
    summary+=("$t: FOUND ${runs:+after $runs}")
    echo "fuzz: $t: FOUND something (mvn exit $rc)"
    for f in $new; do echo "  new input: ${dir#$root/}/$f"; done
    # the innermost cause of each finding and the top of its stack (nnc frames)
    awk '/^Caused by: / { cause = $0; n = 0; next }
         cause != "" && /^\tat / { if (n == 0) print "  " cause; if (n < 3) print "  " $0; n++; if (n == 3) cause = ""; next }
         /^== Java Exception: / { print "  " $0 }' "$log" | head -n 24
  else
    summary+=("$t: nothing found in ${runs:-?}")
    echo "fuzz: $t: nothing found in ${runs:-?}"
  fi
done
echo "fuzz: summary ($duration per target)"
for s in "${summary[@]}"; do echo "  $s"; done
exit $found
