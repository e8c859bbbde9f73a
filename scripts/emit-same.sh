#!/usr/bin/env bash
# Checks that two nnc checkouts compile every model alike: the generated Java source and class files of
# each sample and benchmark model (--emit java and --emit class, SIMD on and off) must be byte for byte
# the same. For changes to the compiler that must not change what it generates (the cold-start work).
#
#   scripts/emit-same.sh OTHER_NNC [FILE ...]    (OTHER_NNC: another checkout's nnc launcher, e.g. main's)
#
# Prints one line per model (and diff's summary of each difference); exits 1 when any differs, 0 when all agree.
# A model that does not compile must fail alike (the messages are compared).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
other=$(readlink -f "$1")
shift
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(cd "$root" && find samples benchmarks/models -name '*.nn' | sort)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in "${files[@]}"; do
  same=same
  for kind in java class; do
    for simd in on off; do
      for side in this other; do
        launcher=$root/nnc
        [ $side = other ] && launcher=$other
        mkdir -p "$tmp/$side"
        # a model that does not compile must fail alike: its messages are compared too
        (cd "$root" && "$launcher" compile "$f" --emit "$kind" --simd "$simd" -o "$tmp/$side" 2>&1 || true) \
          | sed "s|$tmp/$side|OUT|g" >"$tmp/$side.log"
      done
      if ! diff -r -q "$tmp/this" "$tmp/other" >"$tmp/diff" || ! diff -q "$tmp/this.log" "$tmp/other.log" >>"$tmp/diff"; then
        echo "$f: --emit $kind --simd $simd differs:"
        cat "$tmp/diff"
        same="differs"
        status=1
      fi
      rm -rf "$tmp/this" "$tmp/other"
    done
  done
  echo "$f: $same"
done
exit $status
