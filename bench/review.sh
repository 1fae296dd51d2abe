#!/usr/bin/env bash
# Weekly review at organisation scale: seeds a hub (SQLite) with TEAMS teams, SERVICES services,
# FINDINGS findings and WEEKS weeks of history on a simulated clock, then measures review
# generation, inventory lookups and dashboard pages (p50/p99, sequential requests on 127.0.0.1,
# then under load with wrk when it is installed).
# Usage: bench/review.sh [TEAMS] [SERVICES] [FINDINGS] [WEEKS]   (default 50 500 1000000 52)
set -euo pipefail
cd "$(dirname "$0")/.."
teams=${1:-50}; services=${2:-500}; findings=${3:-1000000}; weeks=${4:-52}
out=bench/out/review
rm -rf "$out" && mkdir -p "$out"
cargo build --release -q -p jobzero
cargo build --release -q -p jobzero-hub --example seed_org
db="sqlite:$PWD/$out/hub.db"
/usr/bin/time -f "seeding: %e s, %M KB max RSS" ./target/release/examples/seed_org "$db" "$teams" "$services" "$findings" "$weeks" 2> "$out/seed.log" || { tail "$out/seed.log"; exit 1; }
tail -1 "$out/seed.log"
token=$(./target/release/jobzero hub token create --security --name bench --database "$db" 2> /dev/null)
./target/release/jobzero hub serve --database "$db" --listen 127.0.0.1:0 --escalation-interval 0 2> "$out/serve.log" &
pid=$!
trap "kill $pid 2> /dev/null || true" EXIT
for _ in $(seq 100); do grep -q listening "$out/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$out/serve.log")
python3 - "$url" "$token" <<'PY'
import sys, time, urllib.request, urllib.parse, http.cookiejar
url, token = sys.argv[1], sys.argv[2]
def get(path, headers=None, opener=None):
    req = urllib.request.Request(url + path, headers=headers or {"Authorization": f"Bearer {token}"})
    with (opener or urllib.request.build_opener()).open(req, timeout=600) as r:
        return r.read()
def lat(fn, k):
    xs = []
    for _ in range(k):
        t = time.perf_counter(); fn(); xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return xs[len(xs) // 2], xs[max(0, int(len(xs) * 0.99) - 1)]
for fmt in ["json", "html"]:
    p50, p99 = lat(lambda: get(f"/api/v1/review?format={fmt}"), 3)
    print(f"review ({fmt}): p50 {p50:.0f} ms, max {p99:.0f} ms")
p50, p99 = lat(lambda: get("/api/v1/inventory?name=log4j-core&version=2.14.1"), 200)
print(f"inventory lookup (log4j-core@2.14.1): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
p50, p99 = lat(lambda: get("/api/v1/inventory?purl=" + urllib.parse.quote("pkg:maven/com.example/lib7")), 200)
print(f"inventory lookup by purl: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.open(urllib.request.Request(url + "/login", data=urllib.parse.urlencode({"token": token}).encode()), timeout=60)
for path, k in [("/services/svc3", 100), ("/inventory?q=log4j-core", 100), ("/", 5)]:
    p50, p99 = lat(lambda: get(path, headers={}, opener=opener), k)
    print(f"dashboard {path}: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
PY
# Under load (`apt-get install wrk`): 2 threads, 16 connections, 10 s per URL.
if command -v wrk > /dev/null; then
  python3 - "$url" "$token" "$out/cookie" <<'PY' > /dev/null
import sys, urllib.request, urllib.parse, http.cookiejar
url, token, path = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.open(urllib.request.Request(url + "/login", data=urllib.parse.urlencode({"token": token}).encode()), timeout=60)
open(path, "w").write("; ".join(f"{c.name}={c.value}" for c in jar))
PY
  cookie=$(cat "$out/cookie")
  load() {
    local label=$1; shift
    wrk -t2 -c16 -d10s --latency "$@" 2> /dev/null \
      | awk -v l="$label" '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "wrk %s: %s req/s, p50 %s, p99 %s\n", l, rps, p50, p99}'
  }
  load "inventory by name" -H "Authorization: Bearer $token" "$url/api/v1/inventory?name=log4j-core&version=2.14.1"
  load "dashboard service page" -H "Cookie: $cookie" "$url/services/svc3"
  load "dashboard inventory search" -H "Cookie: $cookie" "$url/inventory?q=log4j-core"
else
  echo "wrk not installed (apt-get install wrk): sequential latencies only"
fi
