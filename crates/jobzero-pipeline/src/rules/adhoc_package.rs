use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A package installed by name in a script, outside any lockfile and without a
    /// version: `pip install black`, `npm install -g pnpm`, `npm install lodash`, `yarn add
    /// x`, `gem install rake`, `cargo
    /// install cargo-edit` (without `--locked --version`), `go install x@latest`.
    /// Installs from requirement files, lockfiles (`npm ci`, `pip install -r`, `uv sync`)
    /// and the project itself (`pip install .`) are not reported, nor `name==version`.
    ///
    /// ## Why it matters
    /// The job runs whatever the registry serves that minute, including a freshly
    /// published malicious release, and cannot be reproduced.
    ///
    /// ## Example
    /// ```yaml
    /// - run: pip install twine
    /// ```
    ///
    /// ## Remediation
    /// Pin the version (`pip install twine==6.1.0`, `npm install -g pnpm@10.4.1`, `cargo
    /// install --locked cargo-edit --version 0.13.1`), better with hashes or a lockfile.
    ///
    /// ## References
    /// - CWE-1357
    /// - [zizmor: adhoc-packages](https://docs.zizmor.sh/audits/#adhoc-packages)
    pub static RULE = {
        id: "pipeline/adhoc-package",
        code: "CI025",
        title: "package installed without a pinned version",
        family: Family::Pipeline,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

/// Unpinned package names a command line installs.
pub(crate) fn unpinned_installs(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A command word: first on the line or after a separator, not `npm install` quoted
        // inside another command's argument.
        let at_command = i == 0 || {
            let prev = words[i - 1];
            [
                "&&", "||", ";", "|", "(", "then", "do", "else", "sudo", "time", "exec", "!",
            ]
            .contains(&prev)
                || prev.ends_with(';')
                || prev.ends_with('(')
        };
        if !at_command {
            i += 1;
            continue;
        }
        let (args_from, pinned): (usize, fn(&str) -> bool) = match &words[i..] {
            ["pip" | "pip3" | "pipx", "install", ..] => (i + 2, |p| {
                p.contains("==")
                    || p.contains(".whl")
                    || p.contains('/')
                    || p.starts_with('.')
                    || p.contains("@")
            }),
            ["python" | "python3", "-m", "pip", "install", ..] => (i + 4, |p| {
                p.contains("==")
                    || p.contains(".whl")
                    || p.contains('/')
                    || p.starts_with('.')
                    || p.contains("@")
            }),
            ["uv", "pip", "install", ..] | ["uv", "tool", "install", ..] => (i + 3, |p| {
                p.contains("==") || p.contains('/') || p.starts_with('.') || p.contains("@")
            }),
            // `npm install` alone installs the lockfile; with names it adds them, at whatever
            // version the registry serves, globally or to the project.
            ["npm", "install" | "i" | "add", ..]
            | ["pnpm", "add", ..]
            | ["yarn", "add", ..]
            | ["yarn", "global", "add", ..] => {
                let from = if words.get(i + 1) == Some(&"global") { i + 3 } else { i + 2 };
                (from, |p| {
                    (p.len() > 1 && p[1..].contains('@') && !p.ends_with("@latest"))
                        || p.starts_with('.')
                        || p.starts_with('/')
                        || p.ends_with(".tgz")
                        || p.contains("://")
                })
            }
            ["gem", "install" | "i", ..] => (i + 2, |p| p.contains(':') || p.starts_with('.')),
            ["cargo", "install", ..] => (i + 2, |p| p.contains('@') || p.starts_with('.')),
            // Without `@version`, `go install` uses the version the main module's go.mod
            // requires: pinned.
            ["go", "install", ..] => (i + 2, |p| {
                !(p.ends_with("@latest") || p.ends_with("@master") || p.ends_with("@main"))
            }),
            _ => {
                i += 1;
                continue;
            }
        };
        let mut skip_next = false;
        let mut in_expression = false;
        for w in words.iter().skip(args_from) {
            if ["&&", "||", ";", "|", ")"].contains(w) || w.ends_with(';') || w.ends_with(')') {
                break;
            }
            // A `${{ … }}` expression split at its spaces: a value, not package names.
            if in_expression {
                in_expression = !w.contains("}}");
                continue;
            }
            if w.contains("${{") {
                in_expression = !w.contains("}}");
                continue;
            }
            if skip_next {
                skip_next = false;
                continue;
            }
            if w.starts_with('-') {
                // Requirement files and constraints: not ad hoc.
                if [
                    "-r",
                    "--requirement",
                    "-c",
                    "--constraint",
                    "-e",
                    "--editable",
                ]
                .contains(w)
                {
                    return found;
                }
                if [
                    "-i",
                    "--index-url",
                    "--extra-index-url",
                    "--target",
                    "-t",
                    "--prefix",
                    "--version",
                    "-v",
                    "-f",
                    "--find-links",
                    "--root",
                    "--registry",
                ]
                .contains(w)
                {
                    skip_next = true;
                }
                continue;
            }
            let w = w.trim_matches(|c| c == '"' || c == '\'');
            if w.is_empty() || w.contains('$') || pinned(w) {
                continue;
            }
            found.push(w.to_owned());
        }
        i = words.len();
    }
    // `gem install x -v 1.2` pins after the name.
    if (line.contains("gem install") || line.contains("gem i "))
        && (line.contains(" -v ") || line.contains("--version"))
    {
        found.clear();
    }
    if line.contains("cargo install")
        && (line.contains("--version")
            || line.contains("--path")
            || line.contains("--git") && line.contains("--rev"))
    {
        found.clear();
    }
    found
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (_, _, script, node, route) in cx.run_scripts() {
        let mut from = 0;
        for line in script.lines() {
            let packages = unpinned_installs(line);
            if packages.is_empty() {
                continue;
            }
            let trimmed = line.trim();
            let b = cx.at_text(&RULE, node, trimmed, &mut from, &route);
            out.push(
                b.message(format!(
                    "`{trimmed}` installs {} at whatever version is current",
                    packages.join(", ")
                ))
                .evidence(evidence(&route, trimmed)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned_installs;

    #[test]
    fn only_unpinned_names_are_ad_hoc() {
        assert_eq!(
            unpinned_installs("pip install black ruff==0.1"),
            vec!["black"]
        );
        assert!(unpinned_installs("pip install -r requirements.txt").is_empty());
        assert!(unpinned_installs("pip install .").is_empty());
        assert_eq!(unpinned_installs("npm install -g pnpm"), vec!["pnpm"]);
        assert!(unpinned_installs("npm install -g pnpm@9.1.0").is_empty());
        assert!(unpinned_installs("npm install").is_empty());
        assert_eq!(unpinned_installs("npm install lodash"), vec!["lodash"]);
        assert_eq!(unpinned_installs("npm i --save-dev @types/node"), vec!["@types/node"]);
        assert!(unpinned_installs("npm install @types/node@20.11.5 ./local").is_empty());
        assert_eq!(unpinned_installs("yarn global add serve"), vec!["serve"]);
        assert_eq!(unpinned_installs("gem i bundler"), vec!["bundler"]);
        assert!(unpinned_installs("( cd \"$W\" && npm install node-gyp@12 --no-save )").is_empty());
        assert!(unpinned_installs("npm install deno@${{ steps.v.outputs.version }}").is_empty());
        assert!(unpinned_installs("deno eval \"console.log('global npm install works')\"").is_empty());
        assert!(unpinned_installs("gem i bundler -v 2.5.0").is_empty());
        assert_eq!(
            unpinned_installs("go install golang.org/x/tools/cmd/goimports@latest"),
            vec!["golang.org/x/tools/cmd/goimports@latest"]
        );
        assert!(unpinned_installs("gem install rake -v 13.0").is_empty());
    }
}
