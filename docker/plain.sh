#!/usr/bin/env bash
# The production topology of compose.yml started as plain processes on this machine (no Docker engine needed), then
# checked: two portal nodes (postgres profile, one database, one sealing key, one scrape password) behind HAProxy with
# the same backend settings as haproxy/haproxy.cfg, and Prometheus scraping both nodes with prometheus/prometheus.yml.
# Keycloak and Grafana are left out (not installed here): each node runs its embedded login on loopback instead.
#
#   docker/plain.sh            # start, check, stop; prints what it checked
#   KEEP=1 docker/plain.sh     # leave everything running (stop with: kill $(cat /tmp/portal-plain/*.pid))
#
# Needs: java 17.0.9 or later (-XX:TrimNativeHeapInterval), PostgreSQL on 127.0.0.1:5432 (user postgres, trust), haproxy, prometheus (Debian packages), curl,
# and the portal jar (mvn -Pproduction package -DskipTests; PORTAL_JAR overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=/tmp/portal-plain
rm -rf "$RUN" && mkdir -p "$RUN"
JAR=$(realpath "${PORTAL_JAR:-$(ls target/bedrock-access-portal-*.jar | head -n 1)}")
PROXY=${PROXY_PORT:-18380}
NODE1=18381
NODE2=18382
PROM=${PROMETHEUS_PORT:-18390}
SCRAPE_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
SEALING_KEY=$(head -c 32 /dev/urandom | base64)
AUDIT_CHAIN_KEY=$(head -c 32 /dev/urandom | base64)

stop_all() {
  for p in "$RUN"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
}
[ "${KEEP:-0}" = 1 ] || trap stop_all EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

psql -h 127.0.0.1 -U postgres -q -c "drop database if exists portal_plain with (force)" -c "create database portal_plain"
printf '%s' "$SEALING_KEY" > "$RUN/sealing.key"
chmod 400 "$RUN/sealing.key"
printf '%s' "$AUDIT_CHAIN_KEY" > "$RUN/audit-chain.key"
chmod 400 "$RUN/audit-chain.key"

start_node() { # $1 name, $2 port, $3 login port
  (cd "$RUN" && SPRING_PROFILES_ACTIVE=postgres PORTAL_DB_URL=jdbc:postgresql://127.0.0.1:5432/portal_plain \
    PORTAL_DB_USER=postgres PORTAL_DEMO_DATA=true PORTAL_SEALING_KEYFILE="$RUN/sealing.key" \
    PORTAL_AUDIT_CHAINKEYFILE="$RUN/audit-chain.key" PORTAL_AUDIT_WITNESSFILE="$RUN/$1.audit-witness" \
    PORTAL_METRICS_SCRAPE_PASSWORD="$SCRAPE_PASSWORD" \
    exec java -XX:MaxRAMPercentage=25 -XX:TrimNativeHeapInterval=5000 -Dvaadin.devmode.usageStatistics.enabled=false -jar "$JAR" --server.port="$2" \
      --portal.identity.embedded-idp.port="$3" --camunda.bpm.generic-properties.properties.hostname="$1" \
      --server.forward-headers-strategy=native > "$RUN/$1.log" 2>&1) &
  echo $! > "$RUN/$1.pid"
}
start_node portal-1 $NODE1 18391

# HAProxy: the compose file's configuration with the nodes on loopback ports instead of compose service names.
sed -e "s/bind :8080/bind 127.0.0.1:$PROXY/" -e "s/X-Forwarded-Port 8080/X-Forwarded-Port $PROXY/" \
    -e "s/server portal-1 portal-1:8080/server portal-1 127.0.0.1:$NODE1/" \
    -e "s/server portal-2 portal-2:8080/server portal-2 127.0.0.1:$NODE2/" \
    -e "s/ resolvers docker init-addr last,libc,none//" -e '/^resolvers docker/,/^$/d' \
    -e "s/inter 5s fall 3 rise 2/inter 1s fall 2 rise 1/" docker/haproxy/haproxy.cfg > "$RUN/haproxy.cfg"
grep -q "server portal-1 127.0.0.1:$NODE1" "$RUN/haproxy.cfg" || fail "haproxy.cfg no longer names portal-1 as expected"
haproxy -c -f "$RUN/haproxy.cfg" > /dev/null
haproxy -f "$RUN/haproxy.cfg" > "$RUN/haproxy.log" 2>&1 &
echo $! > "$RUN/haproxy.pid"

# Prometheus: the compose file's configuration, targets on loopback, the scrape password from a file.
printf '%s' "$SCRAPE_PASSWORD" > "$RUN/scrape_password"
sed -e "s#/run/secrets/scrape_password#$RUN/scrape_password#" \
    -e "s/\"portal-1:8080\", \"portal-2:8080\"/\"127.0.0.1:$NODE1\", \"127.0.0.1:$NODE2\"/" \
    -e "s/scrape_interval: 30s/scrape_interval: 2s/" docker/prometheus/prometheus.yml > "$RUN/prometheus.yml"
grep -q "127.0.0.1:$NODE1" "$RUN/prometheus.yml" || fail "prometheus.yml no longer names the nodes as expected"
prometheus --config.file="$RUN/prometheus.yml" --storage.tsdb.path="$RUN/prometheus-data" \
  --web.listen-address=127.0.0.1:$PROM > "$RUN/prometheus.log" 2>&1 &
echo $! > "$RUN/prometheus.pid"

wait_for() { # $1 what, $2 command
  for _ in $(seq 1 240); do eval "$2" > /dev/null 2>&1 && return 0; sleep 0.5; done
  fail "$1"
}
wait_for "portal-1 healthy" "curl -fsS http://127.0.0.1:$NODE1/actuator/health"
# The second node once the first is up: on an empty database both would create Camunda's tables at once and one
# would fail (compose.yml starts portal-2 after portal-1 is healthy for the same reason).
start_node portal-2 $NODE2 18392
wait_for "portal-2 healthy" "curl -fsS http://127.0.0.1:$NODE2/actuator/health"
echo "ok: both nodes started on one database (portal-1 $(grep -o 'Started .* in [0-9.]* seconds' "$RUN/portal-1.log"))"

# Sticky sessions: new browsers are spread over both nodes; a browser with a node's cookie stays on that node.
wait_for "proxy sees both nodes up" "[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PROXY/actuator/health) = 200 ]"
cookies=""
for _ in 1 2 3 4; do
  cookies="$cookies $(curl -s -D - -o /dev/null http://127.0.0.1:$PROXY/ | grep -io 'PORTAL_NODE=p[12]' | head -n 1)"
done
echo "$cookies" | grep -q "PORTAL_NODE=p1" && echo "$cookies" | grep -q "PORTAL_NODE=p2" \
  || fail "new sessions not spread over both nodes:$cookies"
echo "ok: new sessions spread over both nodes:$cookies"
for _ in 1 2 3; do curl -s -o /dev/null -b "PORTAL_NODE=p2" http://127.0.0.1:$PROXY/; done
sleep 0.5
[ "$(grep -c 'portal_nodes/portal-2 .* "GET / HTTP' "$RUN/haproxy.log" || true)" -ge 3 ] \
  || fail "requests with PORTAL_NODE=p2 did not all reach portal-2"
echo "ok: a browser with PORTAL_NODE=p2 stays on portal-2 (haproxy log)"

# Prometheus scrapes both nodes as the scrape user.
wait_for "prometheus sees both nodes up" \
  "[ \$(curl -s http://127.0.0.1:$PROM/api/v1/query --data-urlencode 'query=sum(up{job=\"bedrock-access-portal\"})' | grep -o '\"[0-9]\"]' | tr -dc 0-9) = 2 ]"
echo "ok: prometheus scrapes both nodes (up = 2)"

# A node stops: the proxy takes it out, and its browsers land on the other node.
kill "$(cat "$RUN/portal-1.pid")"
wait_for "portal-1 stopped gracefully" "! kill -0 $(cat "$RUN/portal-1.pid")"
grep -q "Graceful shutdown complete\|Commencing graceful shutdown" "$RUN/portal-1.log" || echo "note: no graceful-shutdown line in portal-1's log"
wait_for "a p1 browser served by portal-2" \
  "curl -s -D - -o /dev/null -b PORTAL_NODE=p1 http://127.0.0.1:$PROXY/ | grep -q 'PORTAL_NODE=p2'"
echo "ok: portal-1 stopped; a browser with PORTAL_NODE=p1 is sent to portal-2 (and given its cookie)"
echo "plain-process topology checks out (not run: Keycloak, Grafana)"
