#!/usr/bin/env bash
# Checks the production compose files with what runs without a Docker engine: the compose file and the Grafana
# dashboard parse, HAProxy accepts its configuration, Prometheus accepts its configuration, and every PromQL
# expression of the dashboard parses. Needs python3 with PyYAML, haproxy and promtool (Debian: haproxy, prometheus).
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import json, yaml
for f in ("compose.yml", "compose.demo.yml"):
    services = yaml.safe_load(open(f))["services"]
    print(f, "parses:", ", ".join(sorted(services)))
json.load(open("keycloak/portal-realm.json"))
dashboard = json.load(open("grafana/dashboards/bedrock-access-portal.json"))
rules = [{"record": "dashboard_expr_%d" % i, "expr": t["expr"]}
         for i, t in enumerate((t for p in dashboard["panels"] for t in p["targets"]), 1)]
yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, open("/tmp/portal-dashboard-rules.yml", "w"))
print("realm and dashboard parse;", len(rules), "dashboard expressions")
PY
haproxy -c -f haproxy/haproxy.cfg
tmp=$(mktemp -d)
echo check > "$tmp/scrape_password"
sed "s#/run/secrets/scrape_password#$tmp/scrape_password#" prometheus/prometheus.yml > "$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml"
promtool check rules /tmp/portal-dashboard-rules.yml
rm -rf "$tmp"
echo "docker/ files check out (not started: no Docker engine here)"
