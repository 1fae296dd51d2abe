//! `jobzero lsp` driven over stdio with JSON-RPC, as an editor does: initialize, open, change,
//! diagnostics, hover, code actions, shutdown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const AWS_KEY_ID: &str = "AKIA3K7GSRXELR5LY2FN";
const AWS_SECRET: &str = "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";

/// An editor's side of the connection.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Every message the server sent, for the redaction check at the end.
    seen: Vec<Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("jobzero"))
            .arg("lsp")
            .current_dir(dir)
            .env("JOBZERO_ADVISORY_DB", dir.join(".no-advisories"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (notifications meanwhile are kept).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|m| m["id"] == json!(id) && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) => {
                    self.seen.push(m.clone());
                    if want(&m) {
                        return m;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("no such message within 60 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut c: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    c.sort();
    c
}

const WORKFLOW: &str = "name: ci\non:\n  issues:\n    types: [opened]\npermissions:\n  contents: read\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n      - run: echo \"${{ github.event.issue.title }}\"\n";

const BUCKET_PRIVATE: &str =
    "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n  acl    = \"private\"\n}\n";

#[test]
fn an_editor_gets_diagnostics_hover_and_fixes() {
    let dir = tempfile::tempdir().unwrap();
    common::write_files(
        dir.path(),
        &[
            (
                "jobzero.toml",
                "[rules]\ndisable = [\"pipeline/missing-concurrency\", \"pipeline/unnamed-definition\"]\n",
            ),
            ("infra/main.tf", BUCKET_PRIVATE),
            (".github/workflows/triage.yml", WORKFLOW),
        ],
    );
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let uri = |rel: &str| format!("file://{}/{rel}", root.display());
    let mut c = Client::start(&root);

    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(""), "capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], json!(true));
    assert_eq!(init["serverInfo"]["name"], "jobzero");
    c.notify("initialized", json!({}));

    // A file not yet saved: the buffer is analysed, with its secrets redacted.
    let env = uri("deploy/prod.env");
    c.open(
        &env,
        "dotenv",
        &format!("# prod\nAWS_ACCESS_KEY_ID={AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"),
    );
    let d = c.diagnostics(&env, 1);
    assert!(
        codes(&d).contains(&"secret/aws-access-key-id".to_owned()),
        "{d:?}"
    );
    let key = d
        .iter()
        .find(|d| d["code"] == "secret/aws-access-key-id")
        .unwrap();
    assert_eq!(key["range"]["start"], json!({"line": 1, "character": 18}));
    assert_eq!(key["severity"], json!(1));
    assert_eq!(key["source"], "jobzero");
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("JZ-CRED-LONGTERM")
    );
    assert!(
        key["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/secret/aws-access-key-id.md")
    );

    // Hover explains the rule.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": env}, "position": {"line": 1, "character": 22}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("secret/aws-access-key-id"), "{text}");
    assert!(text.contains("## Remediation"), "{text}");

    // Suppress with a reason: a marker comment above the line.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": env}, "range": key["range"], "context": {"diagnostics": [key]}}),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Suppress secret/aws-access-key-id")
        })
        .unwrap_or_else(|| panic!("{actions}"));
    let edit = &suppress["edit"]["changes"][&env][0];
    assert_eq!(edit["range"]["start"], json!({"line": 1, "character": 0}));
    assert!(
        edit["newText"]
            .as_str()
            .unwrap()
            .starts_with("# jobzero: ignore[secret/aws-access-key-id] reason: ")
    );

    // Typing the marker in suppresses the finding; removing the keys clears the file.
    c.change(
        &env,
        2,
        &format!(
            "# prod\n# jobzero: ignore[secret/aws-access-key-id] rotated, kept for the demo\nAWS_ACCESS_KEY_ID={AWS_KEY_ID}\n"
        ),
    );
    assert!(codes(&c.diagnostics(&env, 2)).is_empty());
    c.change(&env, 3, "# prod\nAWS_REGION=eu-west-1\n");
    assert!(c.diagnostics(&env, 3).is_empty());

    // A workflow: the configuration's disabled rules stay off, the safe fix is offered.
    let wf = uri(".github/workflows/triage.yml");
    c.open(&wf, "yaml", WORKFLOW);
    let d = c.diagnostics(&wf, 1);
    let found = codes(&d);
    assert!(
        found.contains(&"pipeline/template-injection".to_owned()),
        "{found:?}"
    );
    assert!(found.contains(&"pipeline/persisted-credentials".to_owned()));
    assert!(!found.contains(&"pipeline/missing-concurrency".to_owned()));
    let checkout = d
        .iter()
        .find(|d| d["code"] == "pipeline/persisted-credentials")
        .unwrap();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": wf}, "range": checkout["range"], "context": {"diagnostics": [checkout]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == json!(true))
        .unwrap_or_else(|| panic!("no safe fix in {actions}"));
    let edits = fix["edit"]["changes"][&wf].as_array().unwrap();
    assert!(
        edits.iter().any(|e| e["newText"]
            .as_str()
            .unwrap()
            .contains("persist-credentials: false")),
        "{fix}"
    );

    // A Terraform file is read with its module from the editor's text, not the saved file.
    let tf = uri("infra/main.tf");
    c.open(&tf, "terraform", BUCKET_PRIVATE);
    let d = c.diagnostics(&tf, 1);
    assert!(!codes(&d).contains(&"iac/s3-bucket-public-acl".to_owned()));
    c.change(
        &tf,
        2,
        &BUCKET_PRIVATE.replace("\"private\"", "\"public-read\""),
    );
    let d = c.diagnostics(&tf, 2);
    assert!(
        codes(&d).contains(&"iac/s3-bucket-public-acl".to_owned()),
        "{d:?}"
    );

    // A syntax error is a diagnostic at its line, not a crash.
    c.change(
        &tf,
        3,
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \n",
    );
    let d = c.diagnostics(&tf, 3);
    assert!(codes(&d).contains(&"parse-error".to_owned()), "{d:?}");

    // Closing clears the file's diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": tf}}),
    );
    let m = c.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == tf.as_str()
    });
    assert_eq!(m["params"]["diagnostics"], json!([]));

    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success(), "{status}");

    let everything = serde_json::to_string(&c.seen).unwrap();
    assert!(
        !everything.contains(AWS_SECRET),
        "a secret reached the editor"
    );
    assert!(
        !everything.contains(AWS_KEY_ID),
        "a key id reached the editor"
    );
}

#[test]
fn many_quick_changes_publish_only_the_last_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut c = Client::start(&root);
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    let env = format!("file://{}/app.env", root.display());
    c.open(&env, "dotenv", "A=1\n");
    assert!(c.diagnostics(&env, 1).is_empty());
    for v in 2..=30 {
        let text = if v == 30 {
            format!("AWS_ACCESS_KEY_ID={AWS_KEY_ID}\n")
        } else {
            format!("A={v}\n")
        };
        c.change(&env, v, &text);
    }
    let d = c.diagnostics(&env, 30);
    assert_eq!(codes(&d), vec!["secret/aws-access-key-id".to_owned()]);
    // Stale versions may have been skipped, never published after the newest.
    c.request("shutdown", Value::Null);
    let late = c
        .seen
        .iter()
        .rev()
        .take_while(|m| m.get("id").is_none())
        .any(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].as_i64().unwrap_or(0) < 30
        });
    assert!(!late, "an older text's diagnostics came after the newest");
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}

/// Neovim's built-in LSP client (Debian's `neovim`; `.ci/run` installs it) drives the server
/// through `tests/editor/nvim-lsp.lua`: diagnostics, hover, the safe fix applied, cleared.
#[test]
fn neovim_gets_diagnostics_and_applies_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    common::write_files(dir.path(), &[(".github/workflows/ci.yml", WORKFLOW)]);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let script = common::workspace().join("tests/editor/nvim-lsp.lua");
    let nvim = std::env::var("NVIM").unwrap_or_else(|_| "nvim".to_owned());
    let mut child = Command::new(&nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("JZ_WORKSPACE", &root)
        .env("JZ_BIN", assert_cmd::cargo::cargo_bin("jobzero"))
        .env("JOBZERO_ADVISORY_DB", root.join(".no-advisories"))
        .env("HOME", &root)
        .env("XDG_STATE_HOME", root.join(".state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("`{nvim}` is needed (apt-get install neovim, what .ci/run does): {e}")
        });
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status}: {err}");
    let fixed = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap();
    assert_eq!(
        fixed, WORKFLOW,
        "the script edits the buffer, never the file"
    );
}
