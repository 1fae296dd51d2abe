#!/usr/bin/env python3
"""Compares jobzero's pipeline findings with zizmor's on the same tree.

Usage: pipeline_compare.py JOBZERO.json ZIZMOR.json [--diff AUDIT]

Prints, per overlapping audit, both tools' finding counts and how many of zizmor's
(file, line) locations jobzero also reports; with --diff, the locations only one tool has.
"""
import collections
import json
import sys

# zizmor audit -> jobzero rule
MAP = {
    "unpinned-uses": "pipeline/unpinned-action",
    "template-injection": "pipeline/template-injection",
    "dangerous-triggers": "pipeline/dangerous-trigger",
    "excessive-permissions": "pipeline/excessive-permissions",
    "artipacked": "pipeline/persisted-credentials",
    "cache-poisoning": "pipeline/cache-poisoning",
    "self-hosted-runner": "pipeline/self-hosted-runner",
    "secrets-inherit": "pipeline/secrets-inherit",
    "overprovisioned-secrets": "pipeline/overprovisioned-secrets",
    "hardcoded-container-credentials": "pipeline/hardcoded-container-credentials",
    "insecure-commands": "pipeline/insecure-commands",
    "github-env": "pipeline/github-env",
    "bot-conditions": "pipeline/bot-condition",
    "unpinned-images": "pipeline/unpinned-image",
    "unsound-contains": "pipeline/unsound-contains",
    "unsound-condition": "pipeline/unsound-condition",
    "obfuscation": "pipeline/obfuscation",
    "known-vulnerable-actions": "pipeline/known-vulnerable-action",
    "use-trusted-publishing": "pipeline/untrusted-publishing",
    "github-app": "pipeline/broad-app-token",
    "archived-uses": "pipeline/archived-action",
    "typosquat-uses": "pipeline/typosquatted-action",
    "unpinned-tools": "pipeline/unpinned-tool",
    "adhoc-packages": "pipeline/adhoc-package",
    "insecure-url-scheme": "pipeline/insecure-url",
    "secrets-outside-env": "pipeline/secrets-outside-environment",
    "superfluous-actions": "pipeline/superfluous-action",
    "concurrency-limits": "pipeline/missing-concurrency",
    "dependabot-execution": "pipeline/dependabot-external-code",
    "dependabot-cooldown": "pipeline/dependabot-cooldown",
    "unredacted-secrets": "pipeline/unredacted-secret",
    "misfeature": "pipeline/unsafe-shell",
    "anonymous-definition": "pipeline/unnamed-definition",
    "forbidden-uses": "pipeline/forbidden-action",
    "undocumented-permissions": "pipeline/undocumented-permissions",
}

# Audits where the two tools point at neighbouring lines of the same construct: zizmor at a
# reusable workflow's `uses:`, jobzero at its `secrets: inherit`.
TOLERANCE = {"secrets-inherit": 2}


def norm(path):
    return path[2:] if path.startswith("./") else path


def zizmor_locations(findings):
    out = collections.defaultdict(set)
    for f in findings:
        for loc in f["locations"]:
            if loc["symbolic"]["kind"] != "Primary":
                continue
            key = loc["symbolic"]["key"]
            local = key.get("Local") if isinstance(key, dict) else None
            if not local:
                continue
            path = norm(local.get("verbatim_path") or local.get("given_path", ""))
            row = loc["concrete"]["location"]["start_point"]["row"] + 1
            end = loc["concrete"]["location"]["end_point"]["row"] + 1
            out[f["ident"]].add((path, row, end))
    return out


def jobzero_locations(report):
    out = collections.defaultdict(set)
    for f in report["findings"]:
        loc = f["location"]
        out[f["rule"]].add((loc["path"], loc["start_line"]))
    return out


def main():
    jz = json.load(open(sys.argv[1]))
    zz = json.load(open(sys.argv[2]))
    diff = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--diff" else None
    z = zizmor_locations(zz)
    j = jobzero_locations(jz)
    print(f"{'audit (zizmor / jobzero)':58} {'zizmor':>7} {'jobzero':>8} {'z found by jz':>14}")
    for ident in sorted(set(z) | {k for k, v in MAP.items() if v in j}):
        rule = MAP.get(ident)
        if rule is None:
            print(f"{ident + ' / (none)':58} {len(z[ident]):7} {'-':>8} {'-':>14}")
            continue
        ours = j.get(rule, set())
        ours_by_file = collections.defaultdict(set)
        for path, line in ours:
            ours_by_file[path].add(line)
        # A zizmor location counts as found when jobzero reports the rule on a line
        # inside zizmor's span (zizmor often points at a whole step or block).
        slack = TOLERANCE.get(ident, 0)
        found = {
            loc
            for loc in z[ident]
            if any(loc[1] - slack <= l <= loc[2] + slack for l in ours_by_file.get(loc[0], ()))
        }
        print(f"{ident + ' / ' + rule:58} {len(z[ident]):7} {len(ours):8} {len(found):14}")
        if diff == ident:
            for loc in sorted(z[ident] - found):
                print("  zizmor only:", *loc)
            zspans = collections.defaultdict(list)
            for path, a, b in z[ident]:
                zspans[path].append((a, b))
            for path, line in sorted(ours):
                if not any(a <= line <= b for a, b in zspans.get(path, [])):
                    print("  jobzero only:", path, line)


main()
