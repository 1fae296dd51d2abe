#!/usr/bin/env bash
# Deps family: advisory import rate, the largest lockfile, and a synthetic monorepo of 1,000
# lockfiles copied from the corpus. Usage: bench/deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/deps
rm -rf "$out" && mkdir -p "$out"
cargo build --release -q
bin=./target/release/jobzero
corpus=../shared/corpus/deps

/usr/bin/time -f "import: %e s, %M KB max RSS" "$bin" db import "$corpus/advisories" --advisory-db "$out/db" 2>&1 | grep -v '^warning'
largest=$(find "$corpus/lockfiles" -name package-lock.json -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
mkdir -p "$out/one" && cp "$largest" "$out/one/package-lock.json"
for i in 1 2 3; do
  /usr/bin/time -f "largest lockfile ($(du -h "$largest" | cut -f1)): %e s, %M KB" \
    "$bin" scan "$out/one" --only deps --config /dev/null --advisory-db "$out/db" --format json -o /dev/null --fail-on never
done
mono="$out/monorepo"
mkdir -p "$mono"
mapfile -t locks < <(find "$corpus/lockfiles" \( -name Cargo.lock -o -name package-lock.json -o -name yarn.lock -o -name go.mod -o -name Gemfile.lock -o -name poetry.lock -o -name composer.lock \) -size +1k | sort)
for i in $(seq 0 999); do
  src=${locks[$((i % ${#locks[@]}))]}
  mkdir -p "$mono/svc$i" && cp "$src" "$mono/svc$i/"
done
/usr/bin/time -f "monorepo (1000 lockfiles, $(du -sh "$mono" | cut -f1)): %e s, %M KB max RSS" \
  "$bin" scan "$mono" --only deps --config /dev/null --advisory-db "$out/db" --format json -o "$out/mono.json" --fail-on never --allow-errors
python3 -c "import json; d=json.load(open('$out/mono.json')); print('findings', len(d['findings']))"
