"""Compares jobzero's IaC findings with Checkov's on the checks mapped in iac_checkov_map.tsv.

A Checkov failure counts as "also ours" when jobzero reports the mapped rule (or one of the
`|`-separated rules, when jobzero splits Checkov's check in two) in the same file on a line
inside the resource's line range that Checkov gives. Misses are listed in
bench/out/iac/misses.txt for review.
Usage: iac_compare.py MAP JOBZERO_JSON [CHECKOV_JSON]
"""
import collections
import json
import os
import sys


def load_map(path):
    pairs = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ckv, rule = line.split("\t")[:2]
        pairs.append((ckv, rule))
    return pairs


def norm(path):
    return path.lstrip("/").removeprefix("./")


def main():
    pairs = load_map(sys.argv[1])
    ours = json.load(open(sys.argv[2]))["findings"]
    by_rule = collections.defaultdict(list)
    for f in ours:
        by_rule[f["rule"]].append(f)
    if len(sys.argv) < 4:
        for rule, fs in sorted(by_rule.items()):
            print(f"{len(fs):6} {rule}")
        return
    raw = json.load(open(sys.argv[3]))
    reports = raw if isinstance(raw, list) else [raw]
    failed = collections.defaultdict(list)
    for rep in reports:
        for c in rep.get("results", {}).get("failed_checks", []):
            failed[c["check_id"]].append(c)
    total_theirs = total_matched = 0
    misses = []
    print(f"{'checkov':14} {'jobzero rule':45} {'checkov':>7} {'jobzero':>7} {'also ours':>9}")
    rules_seen = set()
    for ckv, rule in pairs:
        theirs = failed.get(ckv, [])
        matched = 0
        for c in theirs:
            path = norm(c["file_path"])
            lo, hi = c.get("file_line_range") or [0, 0]
            hit = any(
                norm(f["location"]["path"]) == path
                and lo <= f["location"]["start_line"] <= max(hi, lo)
                for r in rule.split("|")
                for f in by_rule.get(r, [])
            )
            if hit:
                matched += 1
            else:
                misses.append(f"{ckv}\t{rule}\t{path}:{lo}-{hi}\t{c.get('resource')}")
        total_theirs += len(theirs)
        total_matched += matched
        n_ours = sum(len(by_rule.get(r, [])) for r in rule.split("|")) if rule not in rules_seen else 0
        rules_seen.add(rule)
        print(f"{ckv:14} {rule[:45]:45} {len(theirs):7} {n_ours:7} {matched:9}")
    pct = 100.0 * total_matched / total_theirs if total_theirs else 100.0
    print(f"\nmapped checks: {len(pairs)}; Checkov failures on them: {total_theirs}; "
          f"also reported by jobzero: {total_matched} ({pct:.1f}%)")
    out = os.path.join(os.path.dirname(sys.argv[2]), "misses.txt")
    with open(out, "w") as fh:
        fh.write("\n".join(misses) + "\n")
    print(f"misses: {out}")


if __name__ == "__main__":
    main()
