#!/bin/sh
# Writes the portal's class-data-sharing archive with one training start: the extracted jar is started on its
# embedded default in a scratch folder, asked for its health and for / (anonymous: the redirect to the login) once
# it answers, and stopped; as the JVM exits it writes every class it loaded to the archive, then the archive is
# checked with -Xshare:on (the JVM refuses an archive written with other compressed-pointer settings, for example
# by a training heap over 32 GB on a large build machine: run it with the production memory, see the Dockerfile).
# A start that ends when the context is refreshed (-Dspring.context.exit=onRefresh) leaves out the 2,300 classes
# loaded after it (the web server starting, the login provider's keys, the push endpoint, the security filters),
# which every real start then reads from the jars again (README "Performance").
# Usage: cds-training.sh <extracted jar> <archive to write> [port]; JVM options from JAVA_OPTS or JAVA_TOOL_OPTIONS.
# The Dockerfile runs it at image build; tools/perf/startup.sh runs it for its CDS measurement.
set -eu
case $1 in /*) JAR=$1 ;; *) JAR=$PWD/$1 ;; esac
case $2 in /*) ARCHIVE=$2 ;; *) ARCHIVE=$PWD/$2 ;; esac
PORT=${3:-18099}
rm -f "$ARCHIVE"
SCRATCH=$(mktemp -d)
cd "$SCRATCH"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
java ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" --server.port="$PORT" \
  --portal.identity.embedded-idp.port=0 > training.log 2>&1 &
PID=$!
tries=0
until curl -fs --max-time 10 -o /dev/null "http://127.0.0.1:$PORT/actuator/health"; do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "the training start ended before it answered:" >&2
    tail -n 30 training.log >&2
    exit 1
  fi
  tries=$((tries + 1))
  if [ "$tries" -ge 600 ]; then
    echo "the training start did not answer within 5 minutes" >&2
    kill "$PID"
    exit 1
  fi
  sleep 0.5
done
curl -s --max-time 10 -o /dev/null "http://127.0.0.1:$PORT/" || true
kill "$PID"
# A JVM that has not exited two minutes after SIGTERM is killed (and then writes no archive: the check below fails).
(sleep 120 && kill -9 "$PID" 2>/dev/null) &
WATCHDOG=$!
wait "$PID" || true # 143 after SIGTERM: the JVM writes the archive while it exits
kill "$WATCHDOG" 2>/dev/null || true
cd /
rm -rf "$SCRATCH"
if [ ! -s "$ARCHIVE" ]; then
  echo "no archive written to $ARCHIVE" >&2
  exit 1
fi
# shellcheck disable=SC2086
if ! java ${JAVA_OPTS:-} -Xshare:on -XX:SharedArchiveFile="$ARCHIVE" -cp "$JAR" -version > /dev/null 2>&1; then
  echo "the archive $ARCHIVE cannot be used with these JVM options (java -Xshare:on refuses it)" >&2
  exit 1
fi
