#!/usr/bin/env python3
"""Keystroke-to-diagnostics latency of `jobzero lsp`.

    python3 bench/lsp.py [path/to/jobzero]      (default: target/release/jobzero)

Opens a generated 2,000-line Terraform file and a 500-line GitHub workflow in a temporary
workspace, then sends 20 `didChange` notifications to each, one at a time, and measures the
time from each change to the `publishDiagnostics` of its version. Prints the median, p90 and
maximum per file, and the number of diagnostics. `debounceMs` is the server's default unless
JZ_DEBOUNCE_MS is set.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def terraform(lines):
    out = []
    i = 0
    while len(out) + 18 <= lines:
        out += [
            f'resource "aws_s3_bucket" "b{i}" {{',
            f'  bucket = "acme-bucket-{i}"',
            "  tags = {",
            f'    Name  = "bucket {i}"',
            '    Owner = "platform"',
            "  }",
            "}",
            "",
            f'resource "aws_security_group" "sg{i}" {{',
            f'  name = "sg-{i}"',
            "  ingress {",
            f"    from_port   = {1000 + i}",
            f"    to_port     = {1000 + i}",
            '    protocol    = "tcp"',
            '    cidr_blocks = ["10.0.0.0/8"]',
            "  }",
            "}",
            "",
        ]
        i += 1
    out += ["# filler"] * (lines - len(out))
    return "\n".join(out) + "\n"


def workflow(lines):
    out = ["name: ci", "on:", "  pull_request:", "permissions:", "  contents: read", "jobs:"]
    i = 0
    while len(out) + 10 <= lines:
        out += [
            f"  job{i}:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
            "        with:",
            "          persist-credentials: false",
            f"      - run: make test-{i}",
            "      - run: |",
            f"          echo step {i}",
            '          echo "${{ github.event.pull_request.title }}"',
        ]
        i += 1
    out += ["# filler"] * (lines - len(out))
    return "\n".join(out) + "\n"


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen(
            [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root,
            env={**os.environ, "JOBZERO_ADVISORY_DB": os.path.join(root, ".none")},
        )
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("server exited")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            m = self.read()
            p = m.get("params", {})
            if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                    and p.get("version") == version:
                return p["diagnostics"]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/jobzero"
    binary = os.path.abspath(binary)
    root = tempfile.mkdtemp(prefix="jobzero-lsp-bench-")
    os.makedirs(os.path.join(root, ".github/workflows"))
    files = {
        "main.tf (2,000 lines)": ("main.tf", "terraform", terraform(2000)),
        "ci.yml (500 lines)": (".github/workflows/ci.yml", "yaml", workflow(500)),
    }
    for rel, _, text in files.values():
        with open(os.path.join(root, rel), "w") as f:
            f.write(text)
    s = Server(binary, root)
    init = {}
    if os.environ.get("JZ_DEBOUNCE_MS"):
        init = {"debounceMs": int(os.environ["JZ_DEBOUNCE_MS"])}
    s.request("initialize", {"processId": None, "rootUri": "file://" + root,
                             "capabilities": {}, "initializationOptions": init})
    s.notify("initialized", {})
    for label, (rel, lang, text) in files.items():
        uri = "file://" + os.path.join(root, rel)
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": lang, "version": 1, "text": text}})
        s.diagnostics(uri, 1)
        times = []
        count = 0
        for v in range(2, 22):
            edited = text + f"# keystroke {v}\n"
            start = time.perf_counter()
            s.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": v},
                "contentChanges": [{"text": edited}]})
            count = len(s.diagnostics(uri, v))
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{label}: median {statistics.median(times):.1f} ms, "
              f"p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, max {times[-1]:.1f} ms "
              f"({count} diagnostics)")
    s.request("shutdown", None)
    s.notify("exit", None)
    s.p.wait(timeout=10)


if __name__ == "__main__":
    main()
