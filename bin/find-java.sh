# Sourced by ./tributary, ./run-tests and the example scripts.
# Finds a JDK >= 21 (JAVA_HOME first, then the machine's JVM folders, then PATH)
# and exports JAVA_HOME and TRIBUTARY_JAVA. Prints a plain message and returns 1 when none exists.
tributary_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

tributary_find_java() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v java >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$c")
  fi
  local best="" best_major=0
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(tributary_java_major "$c/bin/java")
    [ -n "$major" ] || continue
    # JAVA_HOME wins when it is new enough; otherwise take the newest JDK found.
    if [ "$c" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best="$c"; best_major=$major; break; fi
    [ "$c" = "${JAVA_HOME:-}" ] && [ -z "${TRIBUTARY_QUIET_JAVA:-}" ] && echo "tributary: JAVA_HOME=$c is Java $major, too old; looking for a JDK 21 or newer" >&2
    if [ "$major" -gt "$best_major" ]; then best="$c"; best_major=$major; fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt 21 ]; then
    echo "tributary: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm and PATH${best:+; newest was $best_major at $best})." >&2
    echo "tributary: install one (for example 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export TRIBUTARY_JAVA="$best/bin/java"
  export TRIBUTARY_JAVA_MAJOR="$best_major"
  # Maven's Guice warns about sun.misc.Unsafe on JDK 24+; the flag that allows it does not exist before 23.
  if [ "$best_major" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}";; esac
  fi
}
