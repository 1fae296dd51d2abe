#!/usr/bin/env bash
# IAM family: validation of every AWS managed policy in the corpus (policies/s), and each
# proof on typical resource policies (ms per check, process start included). parliament is
# optional (`python3 -m venv bench/.venv && bench/.venv/bin/pip install parliament`): it then
# runs on the same managed policies, side by side.
# Usage: bench/iam.sh [DIR]   (default ../shared/corpus/iam/policies)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(realpath "${1:-../shared/corpus/iam/policies}")
out=$(realpath -m bench/out/iam)
rm -rf "$out" && mkdir -p "$out/managed"
cargo build --release -q
bin=$(realpath ./target/release/jobzero)

# The MAMIP files have no extension; the family reads *.json.
for f in "$corpus"/aws-managed/z0ph__MAMIP/policies/*; do
  cp "$f" "$out/managed/$(basename "$f").json"
done
n=$(ls "$out/managed" | wc -l)
echo "managed policies: $n"
for i in 1 2 3; do
  /usr/bin/time -f "jobzero: %e s, %M KB max RSS" \
    "$bin" scan "$out/managed" --only iam --config /dev/null --format json -o "$out/jobzero.json" --fail-on never 2>&1 \
    | grep -E '^jobzero:'
done
python3 - "$out/jobzero.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
for rule, n in sorted(collections.Counter(f["rule"] for f in d["findings"]).items()):
    print(f"{n:6} {rule}")
PY

# Policies inside infrastructure code: every Terraform, CloudFormation and JSON file of the
# IaC corpus, read through the iac family's model.
iac=$(realpath -m ../shared/corpus/iac)
if [ -d "$iac" ]; then
  for i in 1 2 3; do
    /usr/bin/time -f "jobzero on IaC policies: %e s, %M KB max RSS" \
      "$bin" scan "$iac" --only iam --config /dev/null --format json -o "$out/iac.json" --fail-on never 2>&1 \
      | grep -E '^jobzero on'
  done
  python3 - "$out/iac.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
print(f"  {len(d['findings'])} findings in IaC files:")
for rule, n in sorted(collections.Counter(f["rule"] for f in d["findings"]).items()):
    print(f"{n:6} {rule}")
PY
fi

echo "proofs (median of 20 runs, process start included):"
base="$corpus/labelled-examples/boogy__iam-policy-validator/examples/iam-test-policies/resource-policies"
python3 - "$bin" "$base" <<'PY'
import statistics, subprocess, sys, time
bin, base = sys.argv[1], sys.argv[2]
cases = [
    ("check-no-public-access", [f"{base}/s3-bucket-policy-public.json"]),
    ("check-no-public-access", [f"{base}/backup-vault-policy-org-access.json"]),
    ("check-no-public-access", [f"{base}/opensearch-domain-policy-ip-restricted.json"]),
    ("check-no-public-access", [f"{base}/secrets-manager-policy-cross-account.json"]),
    ("check-access-not-granted", [f"{base}/s3-bucket-policy-wildcard-actions.json", "--action", "s3:DeleteObject"]),
    ("check-no-new-access", ["--reference", f"{base}/backup-vault-policy-org-access.json", f"{base}/s3-bucket-policy-public.json"]),
]
for check, args in cases:
    times = []
    for _ in range(20):
        t = time.perf_counter()
        r = subprocess.run([bin, "iam", check, *args, "--format", "json"], capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    result = r.stdout.decode().split('"result": "')[1].split('"')[0] if b'"result"' in r.stdout else "error"
    print(f"  {check:26} {args[-1].split('/')[-1]:45} {result:8} {statistics.median(times):7.1f} ms")
PY

parliament=""
for candidate in "$OLDPWD/bench/.venv/bin/parliament" "$(command -v parliament || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then parliament=$candidate; break; fi
done
if [ -z "$parliament" ]; then
  echo "parliament not installed (python3 -m venv bench/.venv && bench/.venv/bin/pip install parliament): jobzero only"
  exit 0
fi
echo "parliament: $("$parliament" --version 2>&1 | tail -1)"
# parliament reads bare policy documents: the same policies, unwrapped.
mkdir -p "$out/plain"
python3 - "$out/managed" "$out/plain" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    try:
        doc = json.load(open(os.path.join(src, name)))["PolicyVersion"]["Document"]
    except (ValueError, KeyError, TypeError):
        continue
    json.dump(doc, open(os.path.join(dst, name), "w"))
PY
echo "unwrapped for parliament: $(ls "$out/plain" | wc -l)"
for i in 1 2; do
  /usr/bin/time -f "parliament: %e s, %M KB max RSS" \
    "$parliament" --directory "$out/plain" --include_policy_extension json --json >"$out/parliament.json" 2>"$out/parliament.err" || true
  grep -E '^parliament:' "$out/parliament.err" || tail -1 "$out/parliament.err"
done
python3 - "$out/parliament.json" <<'PY'
import collections, json, sys
c = collections.Counter()
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        try:
            c[json.loads(line).get("issue", "?")] += 1
        except ValueError:
            pass
for issue, n in c.most_common(15):
    print(f"{n:6} {issue}")
PY
