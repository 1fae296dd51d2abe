#!/usr/bin/env bash
# Builds bench/out/history: a git repository whose history is successive releases of real
# projects (Django and requests source distributions from PyPI), one commit per release, on
# two branches. Usage: bench/history-repo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
src=$out/history-src
repo=$out/history
pip=bench/.venv/bin/pip
mkdir -p "$src"
for v in 3.2 3.2.5 4.0 4.1 4.2 5.0; do "$pip" download -q --no-deps --no-binary :all: "django==$v" -d "$src" || true; done
for v in 2.20.0 2.22.0 2.24.0 2.25.1 2.26.0 2.27.1 2.28.0 2.28.2 2.29.0 2.31.0 2.32.3; do
  "$pip" download -q --no-deps --no-binary :all: "requests==$v" -d "$src" || true
done
rm -rf "$repo" && mkdir -p "$repo" && git -C "$repo" init -q -b main
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
commit() { # project tarball branch
  git -C "$repo" checkout -q "$3" 2>/dev/null || git -C "$repo" checkout -q -b "$3"
  rm -rf "${repo:?}/$1" && mkdir -p "$repo/$1"
  tar -xzf "$2" -C "$repo/$1" --strip-components=1
  git -C "$repo" add -A "$1" && git -C "$repo" commit -q -m "$1 $(basename "$2")"
}
for f in $(ls "$src"/[Dd]jango-*.tar.gz | sort -V); do commit django "$f" main; done
for f in $(ls "$src"/requests-*.tar.gz | sort -V); do commit requests "$f" requests-line; done
echo "$repo: $(git -C "$repo" rev-list --all --count) commits, $(du -sh "$repo/.git" | cut -f1) of objects"
