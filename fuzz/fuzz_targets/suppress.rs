//! Inline suppression comments are parsed from arbitrary lines without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            let _ = jobzero_core::suppress::inline_ignores(line);
        }
    }
});
