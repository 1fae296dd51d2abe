//! `jobzero.toml` parsing never panics, and an error always names a line inside the file.
#![no_main]

use std::path::Path;

use jobzero_core::config::{Config, ConfigError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(ConfigError::Invalid { line, .. }) = Config::parse(text, Path::new("jobzero.toml")) {
        assert!(line >= 1 && line <= text.lines().count().max(1) + 1);
    }
});
