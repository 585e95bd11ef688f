#!/usr/bin/env bash
# Benchmarks 1 and 2 of issue 16: cold start of the production jar to "Started" and to the first served page, and
# the resident memory (RSS) and heap after start, against spring-petclinic measured the same way on the same machine.
# Median of RUNS starts each (after one start that creates the database and is not counted). Prints numbers only.
#
#   tools/perf/startup.sh                       # portal on H2 (embedded default) and on PostgreSQL, and petclinic
#   PORTAL_JAR=... PETCLINIC_JAR=... RUNS=5 JAVA_OPTS="..." tools/perf/startup.sh
#
# SETTLE (seconds, default 10): RSS is read again that long after the first page, once the start's freed C heap has
# been given back (-XX:TrimNativeHeapInterval, in the shipped flags); with 0 both readings are taken at once.
# SKIP_PG=1 leaves out the PostgreSQL run. PORTAL_JAR defaults to target/bedrock-access-portal-*.jar (build it with: mvn -Pproduction package -DskipTests).
# PETCLINIC_JAR: spring-petclinic's jar (built from its repository at the Spring Boot 3.5 commit b26f23525 with
# mvn package -DskipTests); without it petclinic is skipped. JAVA_OPTS is passed to every JVM (both apps).
# NMT=1 starts every JVM with -XX:NativeMemoryTracking=summary and prints, for each app, where its committed memory
# went SETTLE s after the first page of its last start (NMT's own categories: Java heap, class metadata, threads,
# compiled code, GC, compiler, symbols, ...). The tracking itself costs a few MB: read RSS from a run without it.
# CDS=1 also measures the portal with a class-data-sharing archive (the jar extracted with -Djarmode=tools, the
# Dockerfile's training start docker/cds-training.sh, then -XX:SharedArchiveFile).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
SETTLE=${SETTLE:-10}
JAVA_OPTS=${JAVA_OPTS:-}
PORTAL_JAR=$(realpath "${PORTAL_JAR:-$(ls target/bedrock-access-portal-*.jar 2>/dev/null | head -n 1)}")
PETCLINIC_JAR=${PETCLINIC_JAR:-}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/portal_perf_startup}
PORT=${PORT:-18290}
WORK=$(mktemp -d /tmp/portal-startup.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f "$PORTAL_JAR" ] || { echo "no portal jar: mvn -Pproduction package -DskipTests" >&2; exit 2; }

now_ms() { date +%s%3N; }

# One start: prints "<ms to Started> <ms to first page> <RSS MB> <heap used MB> <live heap MB> <RSS MB SETTLE s
# later>" (live: what a full GC leaves, from a class histogram taken after RSS and heap were read).
# $1 log name, $2.. the java command line after "java".
one_start() {
  local name=$1; shift
  local log="$WORK/$name.log" t0 pid started page rss heap live
  t0=$(now_ms)
  # In the work folder: the embedded default's ./data (H2 file, sealing key) lands there.
  # shellcheck disable=SC2086
  (cd "$WORK" && exec java $JAVA_OPTS "$@" > "$log" 2>&1) &
  pid=$!
  started=""
  page=""
  for _ in $(seq 1 1800); do
    if [ -z "$started" ] && grep -q "Started .* in .* seconds" "$log"; then started=$(( $(now_ms) - t0 )); fi
    if [ -n "$started" ] && curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/" | grep -qE '^(200|302)$'; then
      page=$(( $(now_ms) - t0 )); break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$name died:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.05
  done
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  # Young and old generation together (serial, parallel) or the one G1 heap; not Metaspace.
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -E '(generation|heap) +total' | grep -oE 'used [0-9]+K' \
    | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
  sleep "$SETTLE"
  settled=$(( $(ps -o rss= -p "$pid") / 1024 ))
  if [ "${NMT:-0}" = 1 ]; then
    jcmd "$pid" VM.native_memory summary > "$WORK/$name.nmt" 2>/dev/null || true
  fi
  live=$(jcmd "$pid" GC.class_histogram 2>/dev/null | tail -n 1 | awk '{print int($3 / 1048576)}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$started $page $rss $(( heap / 1024 )) ${live:-0} $settled"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# $1 label, $2.. java command line. Runs 1 + RUNS starts and prints the medians.
measure() {
  local label=$1; shift
  one_start "$label-warm" "$@" > /dev/null
  : > "$WORK/$label.txt"
  for _ in $(seq 1 "$RUNS"); do one_start "$label" "$@" >> "$WORK/$label.txt"; done
  median_of() { cut -d' ' -f"$1" "$WORK/$label.txt" | median; }
  printf '%-34s started %5s ms  first page %5s ms  RSS %4s MB (%ss later %4s MB)  heap used %4s MB  live %4s MB  (median of %s; runs: %s)\n' \
    "$label" "$(median_of 1)" "$(median_of 2)" "$(median_of 3)" "$SETTLE" "$(median_of 6)" "$(median_of 4)" "$(median_of 5)" "$RUNS" \
    "$(cut -d' ' -f1 "$WORK/$label.txt" | tr '\n' ' ')"
  if [ -s "$WORK/$label.nmt" ]; then
    # "-   Java Heap (reserved=…KB, committed=…KB)" and "Total: reserved=…KB, committed=…KB": committed MB per category.
    sed -nE 's/^-? *([A-Za-z][A-Za-z ]*[A-Za-z]) \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\2 \1/p;
             s/^Total: reserved=[0-9]+KB, committed=([0-9]+)KB.*/\1 Total/p' "$WORK/$label.nmt" \
      | awk -v l="$label" '$1 >= 1024 || $2 == "Total" { n = $1; $1 = ""; printf "  %s NMT committed:%s %d MB\n", l, $0, n / 1024 }'
  fi
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)"
echo "JAVA_OPTS: ${JAVA_OPTS:-(none)}"

PORTAL_ARGS=(--server.port=$PORT --portal.identity.embedded-idp.port=0 -Dvaadin.devmode.usageStatistics.enabled=false)
NMT_OPT=""
[ "${NMT:-0}" = 1 ] && NMT_OPT="-XX:NativeMemoryTracking=summary"
JAVA_OPTS="$JAVA_OPTS $NMT_OPT"
measure "portal, H2" -jar "$PORTAL_JAR" "${PORTAL_ARGS[@]}"

if [ "${SKIP_PG:-0}" != 1 ] && psql -h 127.0.0.1 -U postgres -q -c "drop database if exists portal_perf_startup with (force)" \
    -c "create database portal_perf_startup" 2>/dev/null; then
  measure "portal, PostgreSQL" -jar "$PORTAL_JAR" "${PORTAL_ARGS[@]}" --spring.profiles.active=postgres \
    --spring.datasource.url="$PG_URL" --spring.datasource.username=postgres \
    --portal.sealing.master-key="$(head -c 32 /dev/urandom | base64)" \
    --portal.audit.chain-key="$(head -c 32 /dev/urandom | base64)"
fi

if [ "${CDS:-0}" = 1 ]; then
  java -Djarmode=tools -jar "$PORTAL_JAR" extract --destination "$WORK/cds" > /dev/null
  JAVA_OPTS="$JAVA_OPTS" sh docker/cds-training.sh "$WORK/cds/$(basename "$PORTAL_JAR")" "$WORK/cds/portal.jsa" "$PORT"
  measure "portal, H2, CDS archive" -XX:SharedArchiveFile="$WORK/cds/portal.jsa" \
    -jar "$WORK/cds/$(basename "$PORTAL_JAR")" "${PORTAL_ARGS[@]}"
fi

if [ -n "$PETCLINIC_JAR" ] && [ -f "$PETCLINIC_JAR" ]; then
  PETCLINIC_JAR=$(realpath "$PETCLINIC_JAR")
  measure "spring-petclinic (H2 in memory)" -jar "$PETCLINIC_JAR" --server.port=$PORT
fi
