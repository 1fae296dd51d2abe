//! pip `requirements*.txt`: exact pins (`==`, `===`), extras, environment markers, `--hash`
//! options, line continuations, and `-r`/`-c` includes (returned for the caller to follow).

use crate::ParseError;
use crate::model::{Ecosystem, Package, Scope, purl};

/// What a requirements file holds.
#[derive(Debug, Default)]
pub struct Requirements {
    /// Pinned packages.
    pub packages: Vec<Package>,
    /// Files named by `-r`/`--requirement` and `-c`/`--constraint`, as written.
    pub includes: Vec<String>,
}

/// Parses a requirements file. Requirements without an exact pin are not packages of the
/// inventory (their version is not known) and are skipped.
pub fn parse(text: &str, dev: bool) -> Result<Requirements, ParseError> {
    let mut out = Requirements::default();
    let mut logical = String::new();
    let mut start_line = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if logical.is_empty() {
            start_line = n;
        }
        let line = raw.split(" #").next().unwrap_or(raw);
        let line = if line.trim_start().starts_with('#') {
            ""
        } else {
            line
        };
        if let Some(cont) = line.trim_end().strip_suffix('\\') {
            logical.push_str(cont);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let entry = std::mem::take(&mut logical);
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        for prefix in [
            "-r ",
            "--requirement ",
            "-c ",
            "--constraint ",
            "--requirement=",
            "--constraint=",
        ] {
            if let Some(file) = entry.strip_prefix(prefix) {
                out.includes.push(file.trim().to_owned());
            }
        }
        if entry.starts_with('-') {
            continue;
        }
        let (spec, options) = match entry.find(" --") {
            Some(at) => (&entry[..at], &entry[at..]),
            None => (entry, ""),
        };
        let spec = spec.split(';').next().unwrap_or(spec).trim();
        let Some((name_part, version)) = spec.split_once("===").or_else(|| spec.split_once("=="))
        else {
            continue;
        };
        let name = name_part.split('[').next().unwrap_or(name_part).trim();
        let version = version.split(',').next().unwrap_or(version).trim();
        if name.is_empty()
            || version.is_empty()
            || version.contains('*')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            continue;
        }
        let hashes = options
            .split_whitespace()
            .filter_map(|o| o.strip_prefix("--hash="))
            .filter_map(|h| h.split_once(':'))
            .map(|(alg, hex)| format!("{}:{hex}", alg.to_ascii_uppercase().replace("SHA", "SHA-")))
            .collect();
        out.packages.push(Package {
            ecosystem: Ecosystem::PyPi,
            name: name.to_owned(),
            version: version.to_owned(),
            purl: purl(Ecosystem::PyPi, name, version),
            direct: Some(true),
            scope: Some(if dev { Scope::Dev } else { Scope::Runtime }),
            line: start_line,
            hashes,
            dependencies: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_extras_markers_hashes_includes() {
        let text = "# comment\nDjango==4.2.1 ; python_version >= \"3.8\"\nrequests[socks]==2.31.0 \\\n    --hash=sha256:abcd \\\n    --hash=sha256:ef01\nflask>=2.0\n-r base.txt\n-c constraints.txt\n-e git+https://x/y.git#egg=y\n";
        let r = parse(text, false).unwrap();
        assert_eq!(r.packages.len(), 2);
        assert_eq!(r.packages[0].name, "Django");
        assert_eq!(r.packages[0].purl, "pkg:pypi/django@4.2.1");
        assert_eq!(r.packages[0].line, 2);
        assert_eq!(r.packages[1].line, 3);
        assert_eq!(r.packages[1].hashes, ["SHA-256:abcd", "SHA-256:ef01"]);
        assert_eq!(r.includes, ["base.txt", "constraints.txt"]);
    }
}
