//! Secrets hidden one level down in base64: long base64 runs that decode to text are decoded
//! and scanned again, so `echo <base64> | base64 -d` in a script or a base64 config blob does
//! not hide a credential.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

/// Shortest run worth decoding: 40 characters decode to 30 bytes.
const MIN_RUN: usize = 40;
/// Longest run decoded; larger blobs are data, not configuration.
const MAX_RUN: usize = 64 * 1024;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// A base64 run that decodes to text: its byte range in the file and the decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Start of the run.
    pub start: usize,
    /// End of the run (exclusive, padding included).
    pub end: usize,
    /// The decoded text.
    pub text: Vec<u8>,
}

/// Every base64 run of [`MIN_RUN`] to [`MAX_RUN`] characters that decodes to printable text.
/// Runs of one character class only (all letters, all hex digits) are skipped: identifiers
/// and hashes, not encodings.
pub fn runs(bytes: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_b64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_b64(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end < bytes.len() && end - i < 2 && bytes[end] == b'=' {
            end += 1;
        }
        let len = i - start;
        if !(MIN_RUN..=MAX_RUN).contains(&len) {
            i = end;
            continue;
        }
        let run = &bytes[start..i];
        let has_upper = run.iter().any(u8::is_ascii_uppercase);
        let has_lower = run.iter().any(u8::is_ascii_lowercase);
        let has_digit = run.iter().any(u8::is_ascii_digit);
        let is_hex = run.iter().all(u8::is_ascii_hexdigit);
        if !(has_upper && has_lower && has_digit) || is_hex {
            i = end;
            continue;
        }
        if let Ok(text) = LENIENT.decode(run) {
            let printable = text
                .iter()
                .filter(|&&b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t')
                .count();
            if !text.is_empty() && printable * 100 >= text.len() * 95 {
                out.push(Decoded { start, end, text });
            }
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_encoded_text_only() {
        let encoded = LENIENT.encode(b"aws_access_key_id = AKIAQ4LM2ZT7XW3NB5KD");
        let text = format!(
            "echo {encoded} | base64 -d\nhash = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
        );
        let found = runs(text.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start, 5);
        assert!(String::from_utf8_lossy(&found[0].text).contains("AKIAQ4LM2ZT7XW3NB5KD"));
        assert!(runs(b"short QUJD").is_empty());
    }
}
