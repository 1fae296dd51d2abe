#!/usr/bin/env bash
# Pipeline family against zizmor on ../shared/corpus/pipeline/: wall time, peak memory and,
# per overlapping audit, both tools' finding counts and how many of zizmor's locations
# jobzero also reports. zizmor is optional: `python3 -m venv bench/.venv &&
# bench/.venv/bin/pip install zizmor` (it runs with --offline).
# Usage: bench/pipeline.sh [DIR]   (default ../shared/corpus/pipeline)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/corpus/pipeline}")
out=$(realpath -m bench/out/pipeline)
rm -rf "$out" && mkdir -p "$out"
cargo build --release -q
bin=$(realpath ./target/release/jobzero)
files=$(find "$corpus" \( -path '*/.github/workflows/*.y*ml' -o -name 'action.y*ml' -o -name '.gitlab-ci.y*ml' -o -name 'dependabot.y*ml' \) | wc -l)
echo "corpus: $corpus ($files pipeline files)"

cd "$corpus"
for i in 1 2 3; do
  /usr/bin/time -f "jobzero: %e s, %M KB max RSS" \
    "$bin" scan . --only pipeline --config /dev/null --format json -o "$out/jobzero.json" --fail-on never --allow-errors 2>&1 \
    | grep -E '^jobzero:'
done

zizmor=""
for candidate in "$OLDPWD/bench/.venv/bin/zizmor" "$(command -v zizmor || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then zizmor=$candidate; break; fi
done
if [ -z "$zizmor" ]; then
  echo "zizmor not installed (python3 -m venv bench/.venv && bench/.venv/bin/pip install zizmor): jobzero only"
  python3 -c "
import json, collections
d = json.load(open('$out/jobzero.json'))
for rule, n in sorted(collections.Counter(f['rule'] for f in d['findings']).items()): print(f'{n:6} {rule}')"
  exit 0
fi
echo "zizmor: $("$zizmor" --version)"
for i in 1 2 3; do
  # zizmor exits non-zero when it finds something.
  /usr/bin/time -f "zizmor: %e s, %M KB max RSS" "$zizmor" --offline --format json . >"$out/zizmor.json" 2>"$out/zizmor.err" || true
  grep -E '^zizmor:' "$out/zizmor.err" || tail -1 "$out/zizmor.err"
done
python3 "$OLDPWD/bench/pipeline_compare.py" "$out/jobzero.json" "$out/zizmor.json"
