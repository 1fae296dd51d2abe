//! Replays every input kept in `fuzz/regressions/config/` and `fuzz/regressions/suppress/`:
//! none may panic, and configuration errors name a line inside the file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::{Path, PathBuf};

use jobzero_core::config::{Config, ConfigError};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn config_regressions_do_not_panic() {
    let files = inputs("config");
    assert!(files.len() >= 5, "regression inputs missing");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        match Config::parse(&text, &path) {
            Ok(_) => {}
            Err(ConfigError::Invalid { line, message, .. }) => {
                assert!(
                    line >= 1 && line <= text.lines().count().max(1) + 1,
                    "{}",
                    path.display()
                );
                assert!(!message.is_empty());
            }
            Err(e) => panic!("{}: unexpected {e}", path.display()),
        }
    }
}

#[test]
fn suppress_regressions_do_not_panic() {
    for path in inputs("suppress").into_iter().chain(inputs("config")) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for line in text.lines() {
            let _ = jobzero_core::suppress::inline_ignores(line);
        }
    }
}
