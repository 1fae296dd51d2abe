//! Helpers shared by the black-box tests: the real binary, run in a fresh temp dir.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers; each test binary uses part of them"
)]

use std::io::BufRead;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus` beside the project, read at test time (never copied).
pub fn corpus() -> PathBuf {
    workspace().join("../shared/corpus")
}

/// The binary, with colour and the terminal out of the picture.
pub fn jobzero(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("jobzero").expect("binary built");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// Writes `files` (path, contents) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, contents).expect("write");
    }
}

/// A SARIF log with one result of `rule` at `path:line` (level error, so severity high).
pub fn sarif_log(rule: &str, path: &str, line: u32) -> String {
    format!(
        r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "Semgrep",
  "rules": [{{"id": "{rule}", "shortDescription": {{"text": "eval on input"}}, "help": {{"text": "Do not eval."}}}}]}}}},
  "results": [{{"ruleId": "{rule}", "level": "error", "message": {{"text": "eval() of the request"}},
    "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "{path}"}},
      "region": {{"startLine": {line}, "startColumn": 5, "endColumn": 20, "snippet": {{"text": "eval(request)"}}}}}}}}]}}]}}]}}"#
    )
}

/// Insta settings that mask what changes between machines and runs.
pub fn settings(dir: &Path) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let dir = dir.display().to_string();
    s.add_filter(&regex_escape(&dir), "[TMP]");
    s.add_filter(r"\d+\.\d\ds\b", "[ELAPSED]");
    s.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    s
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A `jobzero hub serve` process, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    /// Its base URL.
    pub url: String,
}

impl Server {
    /// Starts a hub on a free port of 127.0.0.1.
    pub fn start(database: &str) -> Server {
        Server::start_with(database, &[], &[])
    }

    /// Starts a hub with more arguments of `hub serve` and environment variables.
    pub fn start_with(database: &str, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jobzero"))
            .args([
                "hub",
                "serve",
                "--database",
                database,
                "--listen",
                "127.0.0.1:0",
            ])
            .args(args)
            .envs(envs.iter().copied())
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut reader = std::io::BufReader::new(stderr);
        let mut line = String::new();
        // Warnings (an unset webhook secret) may come before the address.
        while !line.contains("listening on") {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "the hub exited");
        }
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        // The rest of the server's log, for failures.
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                eprintln!("[hub] {line}");
            }
        });
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `jobzero hub ARGS --database DATABASE`, which must succeed; its stdout.
pub fn admin(dir: &Path, database: &str, args: &[&str]) -> String {
    let out = jobzero(dir)
        .arg("hub")
        .args(args)
        .args(["--database", database])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A fresh PostgreSQL database, dropped at the end.
pub struct PgDb {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl PgDb {
    pub fn create() -> PgDb {
        use sqlx::Connection;
        let admin = std::env::var("JOBZERO_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        // Tests of this file run in parallel: one database each.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("jobzero_cli_{}_{n}", std::process::id());
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .await
                .unwrap();
        });
        let base = admin
            .rsplit_once('/')
            .map_or(admin.as_str(), |(b, _)| b)
            .to_owned();
        PgDb {
            url: format!("{base}/{name}"),
            admin,
            name,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        use sqlx::Connection;
        let Ok(rt) = tokio::runtime::Runtime::new() else {
            return;
        };
        rt.block_on(async {
            if let Ok(mut c) = sqlx::PgConnection::connect(&self.admin).await {
                let _ = sqlx::query(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .execute(&mut c)
                .await;
            }
        });
    }
}

/// Runs git in `dir` with a fixed identity, the commit dates set to `date` and no user
/// configuration; must succeed. Its trimmed stdout.
pub fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "dev")
        .env("GIT_AUTHOR_EMAIL", "dev@corp.test")
        .env("GIT_COMMITTER_NAME", "dev")
        .env("GIT_COMMITTER_EMAIL", "dev@corp.test")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
