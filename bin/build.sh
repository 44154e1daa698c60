# Sourced by ./tributary, bin/build-jar and the scripts under bench/ (after bin/find-java.sh).
#
# tributary_build_jar: builds the runnable jar, cli/target/tributary.jar, when it is missing or older than the sources;
# otherwise does nothing. Returns 0 (up to date or built), 3 (no JDK 21+, or the build failed); on Ctrl-C or TERM the
# build is stopped and the calling script ends with it.
tributary_build_jar() {
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local jar="$root/cli/target/tributary.jar"
  tributary_jar_stale "$root" "$jar" || return 0
  # One build at a time (two commands started together): the second waits for the first, then finds the jar fresh.
  if command -v flock >/dev/null 2>&1; then
    mkdir -p "$root/cli/target"
    exec 9>"$root/cli/target/.build-lock"
    if ! flock -n 9; then
      echo "tributary: another command is building the jar; waiting for it..." >&2
      flock 9
    fi
    if ! tributary_jar_stale "$root" "$jar"; then exec 9>&-; return 0; fi
  fi
  # Maven needs JAVA_HOME (./tributary has found it already).
  if [ -z "${TRIBUTARY_JAVA:-}" ] || [ -z "${JAVA_HOME:-}" ]; then tributary_find_java || return 3; fi
  local why="the sources changed" repo how_long
  [ -f "$jar" ] || why="first run"
  repo=${TRIBUTARY_MAVEN_REPO:-$HOME/.m2/repository}
  if [ -d "$repo/org/duckdb" ]; then
    how_long="1 to 5 minutes on 2 cores"
  else
    how_long="3 to 9 minutes on 2 cores: Maven first downloads about 670 MB of dependencies (1,823 files, much of it Spark, which stays out of the jar) into $repo"
  fi
  echo "tributary: building the runnable jar cli/target/tributary.jar ($why) with Maven, $how_long." >&2
  echo "tributary: Maven's full output goes to cli/target-build.log; Ctrl-C stops the build." >&2
  local log="$root/cli/target-build.log"
  local rc=0
  tributary_maven_build "cli/target/tributary.jar" "$log" -Dmaven.test.skip=true -pl cli -am package || rc=3
  exec 9>&-
  return $rc
}

# True when JAR is missing or older than a source of a module it is built from (every folder holding a pom.xml
# except examples and bench, so a new module is watched too).
tributary_jar_stale() {
  local root=$1 jar=$2 dirs
  [ ! -f "$jar" ] && return 0
  # The build log stays only when a build failed or was stopped (the jar may then be half written).
  [ -f "$root/cli/target-build.log" ] && return 0
  dirs=$(cd "$root" && find . -mindepth 2 -maxdepth 3 -name pom.xml -not -path './examples/*' -not -path './bench/*' -not -path '*/target/*' \
      -exec dirname {} \; | sort -u)
  # shellcheck disable=SC2086
  [ -n "$(cd "$root" && find pom.xml $dirs \
      -path '*/target' -prune -o -path '*/src/test' -prune -o -path '*/node_modules' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$jar" -print -quit 2>/dev/null)" ]
}

# tributary_maven_build WHAT LOG MAVEN-ARGS...: runs the Maven Wrapper in the foreground of the calling script and shows
# its progress, one line per module ("[3/16] Tributary engine, 0:41") plus a note every 15 s while dependencies
# download, instead of minutes of silence. Maven's full output goes to LOG, whose last lines are shown when it fails.
# Ctrl-C, or a TERM/HUP to the calling script, stops Maven with it: no build is left running once the script is gone.
# TRIBUTARY_MAVEN_REPO=DIR makes Maven use DIR as its local repository (CI proves a fresh machine with an empty one).
# Returns Maven's exit code.
tributary_maven_build() {
  local what=$1 log=$2; shift 2
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local repo_args=()
  [ -n "${TRIBUTARY_MAVEN_REPO:-}" ] && repo_args=("-Dmaven.repo.local=$TRIBUTARY_MAVEN_REPO")
  mkdir -p "$(dirname "$log")"
  : >"$log"
  local started=$SECONDS
  # Job control puts Maven in a process group of its own, so the whole group (the wrapper, its download, the JVM)
  # can be stopped at once; SIGINT reaches it through the trap below.
  local had_m=""; case $- in *m*) had_m=1 ;; esac
  set -m
  (cd "$root" && exec ./mvnw -B "${repo_args[@]}" "$@") >"$log" 2>&1 </dev/null &
  local pid=$!
  [ -n "$had_m" ] || set +m
  # shellcheck disable=SC2064
  trap "tributary_maven_stop $pid INT" INT
  # shellcheck disable=SC2064
  trap "tributary_maven_stop $pid TERM" TERM
  # shellcheck disable=SC2064
  trap "tributary_maven_stop $pid HUP" HUP
  local seen=0 total line module="" doing="" noted=$SECONDS downloads=""
  while :; do
    local running=1
    kill -0 "$pid" 2>/dev/null || running=""
    total=$(wc -l <"$log")
    if [ "$total" -gt "$seen" ]; then
      while IFS= read -r line; do
        case $line in
          "[INFO] Building "*" ["*/*"]")
            module=${line#"[INFO] Building "}
            local step=${module##*[}; step=${step%]}
            module=${module% \[*}; module=${module%"${module##*[! ]}"}; module=${module% *}; module=${module%% (*}
            echo "tributary:   [$step] $module ($(tributary_elapsed $((SECONDS - started))))" >&2
            doing=""; noted=$SECONDS ;;
          "[INFO] --- compiler:"*":compile "*) doing="compiling" ;;
          "[INFO] --- shade:"*) doing="packing every module and dependency into one jar (about 160 MB)" ;;
        esac
      done < <(sed -n "$((seen + 1)),${total}p" "$log")
      seen=$total
    fi
    [ -n "$running" ] || break
    if [ $((SECONDS - noted)) -ge 15 ]; then
      downloads=$(tributary_downloads "$log")
      if [ -n "$downloads" ]; then
        echo "tributary:   ... ${module:-starting Maven}${doing:+: $doing}; downloaded $downloads so far ($(tributary_elapsed $((SECONDS - started))))" >&2
      else
        echo "tributary:   ... ${module:-starting Maven}${doing:+: $doing} ($(tributary_elapsed $((SECONDS - started))))" >&2
      fi
      noted=$SECONDS
    fi
    sleep 1
  done
  local rc=0
  wait "$pid" || rc=$?
  trap - INT TERM HUP
  if [ "$rc" -ne 0 ]; then
    echo "tributary: building $what failed (Maven exit code $rc); the last lines of $log:" >&2
    grep -E '^\[(ERROR|WARNING)\]|BUILD|Could not|error:' "$log" | grep -v '^\[ERROR\] *$' | tail -n 25 | sed 's/^/  /' >&2
    return "$rc"
  fi
  downloads=$(tributary_downloads "$log")
  rm -f "$log"
  echo "tributary: built $what in $(tributary_elapsed $((SECONDS - started)))${downloads:+ (downloaded $downloads from Maven Central)}" >&2
}

# "812 files, 231 MB" from the "Downloaded from ...: URL (1.2 MB at ...)" lines of a Maven log; nothing when none.
tributary_downloads() {
  awk '/Downloaded from / && match($0, /\([0-9.]+ [kMG]?B at /) {
         split(substr($0, RSTART + 1, RLENGTH - 1), a, " "); n++
         bytes += a[1] * (a[2] == "kB" ? 1e3 : a[2] == "MB" ? 1e6 : a[2] == "GB" ? 1e9 : 1)
       } END { if (n) printf "%d files, %.0f MB", n, bytes / 1e6 }' "$1"
}

tributary_maven_stop() {
  local pid=$1 signal=$2
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "tributary: build stopped ($signal); nothing is left running. Run the command again to build from where it stopped." >&2
  trap - INT TERM HUP
  kill -s "$signal" $$
  exit 130
}

tributary_elapsed() {
  printf '%d:%02d' $(($1 / 60)) $(($1 % 60))
}
