#!/usr/bin/env bash
# End-to-end scan throughput with hyperfine when installed (apt-get install hyperfine),
# else a plain timing loop. Usage: bench/scan.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
cargo build --release -q
bin=./target/release/jobzero
cmd="$bin scan $dir --format json -o /dev/null --fail-on never --allow-errors"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs 10 "$cmd"
else
  for i in 1 2 3 4 5; do /usr/bin/time -f "%e s  %M KiB max RSS" $cmd; done
fi
