# Sourced by ./nnc and by the distribution's bin/nnc (as lib/cds.sh), after jdk.sh: the JVM options
# that start nnc from a class-data archive.
#
# On JDK 25 and newer, nnc starts from a dynamic CDS archive (the classes of nnc and its libraries
# parsed and verified, and its lambdas' classes generated, ahead of time), made once per jar and JDK
# by a short training run of the playground sample, in that one launch (a few seconds). It beats the
# JDK's AOT cache (JEP 483): with the incubator module jdk.incubator.vector resolved the JVM archives
# no module graph, so that cache links no call site ahead of time and holds no lambdas either.
# An archive whose jar or JDK changed is made again (its .jdk file names both); one that cannot be made
# (a folder not writable, a failed run) is not tried again until the jar or the JDK changes. Quiet:
# nothing is printed, and nnc runs without the archive when there is none. NNC_AOT=0 turns it off.
#
# The JIT compiles the code that only compiles the model (the compiler's packages, its libraries, the
# JDK's method-handle and class-file code) 20 times later than the rest (JITFILE, cold-jit.txt): on
# one core, compiling that code cost more than running it interpreted. The generated trainers
# (nnc/generated/*) are compiled 10 times sooner instead: their vector loops run in C1's code, which
# boxes every vector, until C2 compiles them, and a small kernel called once a step (a layer norm's
# per-row scale: 512 values) took thousands of steps to get there (the encoder benchmark's four such
# kernels ran at 6.5-11.7 µs a step after a 3-second bench's warm-up instead of 0.3-0.4). The other
# train-step code (the runtime's kernels) keeps the default thresholds. The same file has C2 inline
# nnc/runtime/kernels/VectorMath (exp, log, erf… on vectors) wherever it is called, from the JVM's
# start: the CLI's inlining directive (InliningHint) is added in the background and could reach a
# trainer after C2 had compiled one of its kernels with those calls out of line and their vectors
# boxed, which then allocated on every step for the rest of the run.

# nnc_cds_options ARCHIVE JITFILE SAMPLE JVM_OPTION...: sets the array NNC_CDS_OPTS to the options to
# add to JVM_OPTION... (the launcher's own options, class path included, which the archive is made with).
nnc_cds_options() {
  local aot=$1 jit=$2 sample=$3 id tmp dir jar=""
  shift 3
  NNC_CDS_OPTS=()
  [ "${NNC_AOT:-1}" != 0 ] && [ "${NNC_JAVA_MAJOR:-0}" -ge 25 ] || return 0
  local prev="" o
  for o in "$@"; do [ "$prev" = -cp ] && jar=$o; prev=$o; done
  id="$NNC_JAVA $(stat -c '%s %Y' "$JAVA_HOME/lib/modules" 2>/dev/null || true) $jar $(stat -c '%s %Y' "${jar%%:*}" 2>/dev/null || true)"
  if [ "$(head -n 1 "$aot.jdk" 2>/dev/null)" != "$id" ]; then
    dir=$(dirname "$aot")
    if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
      tmp="$aot.$$"
      rm -f "$aot"
      if "$NNC_JAVA" "$@" -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds*=off -Xlog:aot*=off \
           nnc.cli.Main bench "$sample" --seconds 0.3 </dev/null >/dev/null 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$aot"
      fi
      rm -f "$tmp"
      printf '%s\n' "$id" >"$aot.jdk.$$" 2>/dev/null && mv -f "$aot.jdk.$$" "$aot.jdk"
    fi
  fi
  [ -f "$aot" ] && NNC_CDS_OPTS=(-XX:SharedArchiveFile="$aot" -Xlog:cds*=off -Xlog:aot*=off)
  [ -f "$jit" ] && NNC_CDS_OPTS+=(-XX:CompileCommandFile="$jit")
  return 0
}
