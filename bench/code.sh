#!/usr/bin/env bash
# Code analysis throughput and findings against Bandit and Semgrep CE on real Python code.
#
#   bench/code.sh [TREE]
#
# Without TREE, builds bench/out/code-tree from the source distributions of popular PyPI
# packages (downloaded once with pip) and the deliberately vulnerable Python apps of
# ../shared/corpus/code. Peers run from bench/.venv when installed:
#   python3 -m venv bench/.venv && bench/.venv/bin/pip install bandit semgrep
# Semgrep needs rules: set SEMGREP_RULES to a directory of rules (a checkout of
# semgrep/semgrep-rules' python/ directory); without it Semgrep is skipped.
# Prints, per tool: wall time (best of 2), lines/s, peak RSS, findings and findings per 100k
# lines.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
tree=${1:-$out/code-tree}
if [ -z "${1:-}" ] && [ ! -d "$tree" ]; then
  mkdir -p "$tree" "$out/code-sdists"
  pip=bench/.venv/bin/pip
  [ -x "$pip" ] || pip="python3 -m pip"
  $pip download -q --no-deps --no-binary :all: -d "$out/code-sdists" \
    django==5.1.4 flask==3.1.0 requests==2.32.3 werkzeug==3.1.3 jinja2==3.1.4 \
    sqlalchemy==2.0.36 2>/dev/null || true
  for f in "$out"/code-sdists/*.tar.gz; do tar -xzf "$f" -C "$tree"; done
  for app in Contrast-Security-OSS__vulnpy adeyosemanputra__pygoat; do
    [ -d "../shared/corpus/code/$app" ] && cp -r "../shared/corpus/code/$app" "$tree/$app"
  done
fi
lines=$(find "$tree" -name '*.py' -print0 | xargs -0 cat | wc -l)
echo "tree: $tree ($lines lines of Python in $(find "$tree" -name '*.py' | wc -l) files)"
cargo build --release -q
venv=bench/.venv/bin

run() { # name, findings-counter, command...
  local name=$1 counter=$2; shift 2
  local best=999999 rss=0 t
  for _ in 1 2; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/$name.out" 2> "$out/$name.err" || true
    read -r t r < <(tail -n 1 "$out/time")
    if awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$r; fi
  done
  local n; n=$($counter "$out/$name.out" 2>/dev/null || echo 0)
  printf '%-10s %8.2f s %10.0f lines/s %7d MB RSS %7s findings %8.1f per 100k lines\n' "$name" "$best" \
    "$(awk "BEGIN{print $lines / ($best > 0 ? $best : 0.001)}")" "$((rss / 1024))" "$n" \
    "$(awk "BEGIN{print $n * 100000 / $lines}")"
}
count_jobzero() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$1"; }
count_bandit() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['results']))" "$1"; }
count_semgrep() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['results']))" "$1"; }

run jobzero count_jobzero ./target/release/jobzero scan "$tree" --only code --config /dev/null \
  --format json --fail-on never --allow-errors
if [ -x "$venv/bandit" ]; then
  run bandit count_bandit "$venv/bandit" -r "$tree" -f json -q
fi
if [ -x "$venv/semgrep" ] && [ -n "${SEMGREP_RULES:-}" ]; then
  run semgrep count_semgrep "$venv/semgrep" scan --config "$SEMGREP_RULES" --json --metrics off \
    --disable-version-check --quiet "$tree"
fi
# Findings per rule, for reading a sample by hand.
python3 - "$out/jobzero.out" <<'EOF'
import collections, json, sys
d = json.load(open(sys.argv[1]))
by = collections.Counter(f["rule"] for f in d["findings"])
for rule, n in by.most_common():
    print(f"  {n:6d} {rule}")
EOF
