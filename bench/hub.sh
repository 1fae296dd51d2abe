#!/usr/bin/env bash
# Hub: ingest throughput of N-finding uploads (default 100,000) into SQLite and PostgreSQL,
# then gate and open-findings latency (p50/p99) with SERVICES×N findings stored (default
# 10 × 100,000 = 1M). Usage: bench/hub.sh [N] [SERVICES]
# PostgreSQL: $JOBZERO_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test); a
# database jobzero_bench is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
services=${2:-10}
out=bench/out/hub
rm -rf "$out" && mkdir -p "$out"
cargo build --release -q
bin=$PWD/target/release/jobzero
admin=${JOBZERO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}

{
  echo '[[teams]]'; echo 'name = "bench"'
  for i in $(seq 0 $((services - 1))); do
    printf '[[services]]\nname = "s%d"\nteam = "bench"\nexposure = "internet"\ndata_classification = "confidential"\n' "$i"
  done
  printf '[[services]]\nname = "small"\nteam = "bench"\nexposure = "internet"\ndata_classification = "confidential"\n'

} > "$out/org.toml"

python3 - "$n" "$out/report.json" <<'EOF'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
sev = ["low", "medium", "high", "critical"]
findings = [{
    "rule": "deps/known-vulnerability", "code": "DEP001", "family": "deps",
    "title": f"vulnerable package {i}", "message": f"pkg{i} 1.0.0 has a known vulnerability",
    "severity": sev[i % 4], "effective_severity": sev[i % 4], "confidence": "high",
    "expectation": "JZ-SUPPLY-VULN",
    "location": {"path": f"svc/{i % 500}/package-lock.json", "start_line": i % 9000 + 1},
    "fingerprint": f"{i:064x}", "references": [], "remediation": "upgrade",
    "package": {"ecosystem": "npm", "name": f"pkg{i}", "version": "1.0.0", "purl": f"pkg:npm/pkg{i}@1.0.0"},
    "advisory": {"id": f"GHSA-{i:04x}", "aliases": [], "fixed": ["1.0.1"]},
} for i in range(n)]
json.dump({"schema_version": "1.1.0", "findings": findings, "summary": {"families": ["deps"]}}, open(path, "w"))
EOF
echo "report: $(du -h "$out/report.json" | cut -f1), $n findings"

run() {
  local label=$1 db=$2
  "$bin" hub org apply "$out/org.toml" --database "$db" > /dev/null
  local token
  token=$("$bin" hub token create --security --name bench --database "$db" 2> /dev/null)
  "$bin" hub serve --database "$db" --listen 127.0.0.1:0 2> "$out/$label.log" &
  local pid=$!
  trap "kill $pid 2> /dev/null || true" EXIT
  for _ in $(seq 50); do grep -q listening "$out/$label.log" && break; sleep 0.1; done
  local url
  url=$(grep -o 'http://[0-9.:]*' "$out/$label.log")
  python3 - "$label" "$url" "$token" "$out/report.json" "$services" <<'EOF'
import json, statistics, sys, time, urllib.request
label, url, token, report, services = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
rep = json.load(open(report))
n = len(rep["findings"])
def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method, data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=3600) as r:
        return json.loads(r.read())
for s in range(services):
    body = json.dumps({"service": f"s{s}", "complete": True, "report": rep}).encode()
    t = time.perf_counter()
    out = call("POST", "/api/v1/uploads", body)
    dt = time.perf_counter() - t
    if s == 0:
        print(f"{label}: first upload of {n} findings: {dt:.2f} s = {n / dt:,.0f} findings/s (opened {out['opened']})")
t = time.perf_counter()
out = call("POST", "/api/v1/uploads", json.dumps({"service": "s0", "complete": True, "report": rep}).encode())
dt = time.perf_counter() - t
print(f"{label}: re-upload of {n} known findings: {dt:.2f} s = {n / dt:,.0f} findings/s (seen {out['seen']})")
def lat(path, k=200):
    xs = []
    for _ in range(k):
        t = time.perf_counter(); call("GET", path); xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return xs[len(xs) // 2], xs[int(len(xs) * 0.99) - 1]
small = dict(rep, findings=rep["findings"][:20])
call("POST", "/api/v1/uploads", json.dumps({"service": "small", "complete": True, "report": small}).encode())
stored = n * services + 20
p50, p99 = lat("/api/v1/services/small/gate?release=bench")
print(f"{label}: gate of a 20-finding service with {stored:,} findings stored: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
p50, p99 = lat(f"/api/v1/services/s{services - 1}/gate?release=bench", 20)
print(f"{label}: gate of a {n:,}-finding service (lists every blocking one): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
p50, p99 = lat(f"/api/v1/findings?service=s{services // 2}&state=open&severity=high&limit=100")
print(f"{label}: open high findings of a service (100) with {stored:,} stored: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
EOF
  kill "$pid"; wait "$pid" 2> /dev/null || true
}

run sqlite "sqlite:$PWD/$out/hub.db"
psql "$admin" -qc "DROP DATABASE IF EXISTS jobzero_bench WITH (FORCE)" -c "CREATE DATABASE jobzero_bench"
run postgres "${admin%/*}/jobzero_bench"
psql "$admin" -qc "DROP DATABASE IF EXISTS jobzero_bench WITH (FORCE)"
