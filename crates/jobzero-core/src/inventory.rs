//! The inventory a scan takes: every package of every lockfile, SBOM or image it read. It
//! travels in the report (`inventory`), so that the hub can answer "which services ship this
//! package?" whichever way the report reaches it (`scan --upload`, or `scan -o` then
//! `upload`).

use serde::{Deserialize, Serialize};

/// One package of one lockfile.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InventoryItem {
    /// OSV ecosystem (`npm`, `Maven`, `PyPI`…).
    pub ecosystem: String,
    /// Name as the ecosystem spells it (`org.apache.logging.log4j:log4j-core`).
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Package URL.
    pub purl: String,
    /// Declared by the project itself, when the lockfile says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// `runtime` or `dev`, when the lockfile says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The lockfile, as findings name it.
    pub lockfile: String,
    /// Line of the package in the lockfile (0 when unknown).
    #[serde(default)]
    pub line: u32,
}

impl InventoryItem {
    /// The order of the report's inventory: lockfile, then ecosystem, name, version, line.
    pub fn sort_key(&self) -> (&str, &str, &str, &str, u32, &str) {
        (
            &self.lockfile,
            &self.ecosystem,
            &self.name,
            &self.version,
            self.line,
            &self.purl,
        )
    }
}
