//! Every lockfile parser never panics: the same bytes are parsed as each format.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 22] = [
    "Cargo.lock",
    "Gemfile.lock",
    "Package.resolved",
    "Pipfile.lock",
    "composer.lock",
    "conan.lock",
    "go.mod",
    "gradle.lockfile",
    "mix.lock",
    "package-lock.json",
    "packages.lock.json",
    "pdm.lock",
    "poetry.lock",
    "requirements.txt",
    "uv.lock",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "pubspec.lock",
    "pom.xml",
    "bom.json",
    "bom.xml",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in NAMES {
        if let Ok(lockfile) = jobzero_deps::parse_text(name, text) {
            for p in &lockfile.packages {
                assert!(p.purl.starts_with("pkg:"));
            }
        }
    }
});
