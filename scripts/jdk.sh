# Sourced by ./nnc and ./run-tests: finds a JDK >= 21 and exports JAVA_HOME, NNC_JAVA and NNC_JAVA_MAJOR.
# Order: $JAVA_HOME, the java on PATH, then every JDK under /usr/lib/jvm (newest first).

nnc_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nnc_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(nnc_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c" NNC_JAVA="$c/bin/java" NNC_JAVA_MAJOR="$major"
      return 0
    fi
  done
  cat >&2 <<MSG
nnc: no JDK 21 or newer found (looked at \$JAVA_HOME, the javac on PATH and /usr/lib/jvm/*).
nnc: install one, e.g. 'apt-get install openjdk-21-jdk' (or Temurin 21+), or set JAVA_HOME to it.
MSG
  return 1
}

nnc_require_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "nnc: Apache Maven (mvn) is needed to build nnc: install it, e.g. 'apt-get install maven'." >&2
  return 1
}
