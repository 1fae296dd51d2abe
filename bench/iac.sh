#!/usr/bin/env bash
# IaC and IAM families (policies inside IaC are judged by iam) against Checkov on
# ../shared/corpus/iac/: wall time, peak memory and, for every Checkov check mapped to one
# of our rules in bench/iac_checkov_map.tsv, the findings each tool reports and how many of Checkov's jobzero reports too (same file, line inside
# Checkov's resource range). Checkov is optional: `python3 -m venv bench/.venv &&
# bench/.venv/bin/pip install checkov`.
# Usage: bench/iac.sh [DIR]   (default ../shared/corpus/iac)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/corpus/iac}")
out=$(realpath -m bench/out/iac)
rm -rf "$out" && mkdir -p "$out"
cargo build --release -q
bin=$(realpath ./target/release/jobzero)
map=$(realpath bench/iac_checkov_map.tsv)
files=$(find "$corpus" -type f \( -name '*.tf' -o -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' -o -name '*Dockerfile*' \) | wc -l)
echo "corpus: $corpus ($files candidate files)"

cd "$corpus"
for i in 1 2 3; do
  /usr/bin/time -f "jobzero: %e s, %M KB max RSS" \
    "$bin" scan . --only iac,iam --config /dev/null --format json -o "$out/jobzero.json" --fail-on never --allow-errors 2>&1 \
    | grep -E '^jobzero:'
done

checkov=""
for candidate in "$OLDPWD/bench/.venv/bin/checkov" "$(command -v checkov || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then checkov=$candidate; break; fi
done
if [ -z "$checkov" ]; then
  echo "checkov not installed (python3 -m venv bench/.venv && bench/.venv/bin/pip install checkov): jobzero only"
  python3 "$OLDPWD/bench/iac_compare.py" "$map" "$out/jobzero.json"
  exit 0
fi
echo "checkov: $("$checkov" --version)"
frameworks=terraform,cloudformation,kubernetes,dockerfile
for i in 1 2; do
  # Checkov exits 1 when a check fails; --skip-download keeps it offline.
  /usr/bin/time -f "checkov: %e s, %M KB max RSS" \
    "$checkov" -d . --framework "$frameworks" --skip-download --quiet --compact -o json \
    >"$out/checkov.json" 2>"$out/checkov.err" || true
  grep -E '^checkov:' "$out/checkov.err" || tail -1 "$out/checkov.err"
done
python3 "$OLDPWD/bench/iac_compare.py" "$map" "$out/jobzero.json" "$out/checkov.json" | tee "$out/compare.txt"
