#!/usr/bin/env bash
# Walker throughput on the largest trees of ../shared/corpus (files/s, best of 20 runs).
# Usage: bench/walker.sh [DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$corpus" "$corpus/iam" "$corpus/pipeline")
cargo build --release -q -p jobzero-core --example walk
for d in "${dirs[@]}"; do
  printf '%-40s ' "$d"
  ./target/release/examples/walk "$d" 20
done
