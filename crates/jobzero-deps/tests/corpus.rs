//! The lockfile parsers against the corpus: real projects' lockfiles give their packages, with
//! lines and valid purls; the osv-scalibr and osv-scanner fixtures parse, or fail with a line
//! when they are invalid on purpose; truncated and mangled inputs never panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use jobzero_deps::ParseError;
use jobzero_deps::model::{Ecosystem, Package, Scope};
use jobzero_deps::parsers;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/deps/lockfiles"
);

type Parser = fn(&str) -> Result<Vec<Package>, ParseError>;

/// The formats these tests cover (the older ones have tests of their own).
const FORMATS: [&str; 19] = [
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "go.mod",
    "Gemfile.lock",
    "composer.lock",
    "yarn.lock",
    "packages.lock.json",
    "Package.resolved",
    "gradle.lockfile",
    "mix.lock",
    "conan.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "pubspec.lock",
    "pom.xml",
    "bom.json",
    "bom.xml",
];

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(CORPUS)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn check_packages(what: &str, packages: &[Package]) {
    for p in packages {
        assert!(p.line > 0, "{what}: {} has no line", p.purl);
        assert!(!p.name.is_empty(), "{what}: {p:?}");
        // Only a Maven dependency managed outside the repository may have no version, and its
        // purl then has none either.
        assert!(
            !p.version.is_empty() || (p.ecosystem == Ecosystem::Maven && !p.purl.contains('@')),
            "{what}: {p:?}"
        );
        let prefix = format!("pkg:{}/", p.ecosystem.purl_type());
        assert!(p.purl.starts_with(&prefix), "{what}: {}", p.purl);
        assert!(
            packageurl::PackageUrl::from_str(&p.purl).is_ok(),
            "{what}: invalid purl {}",
            p.purl
        );
        for d in &p.dependencies {
            assert!(d.starts_with("pkg:"), "{what}: dependency {d}");
        }
        for h in &p.hashes {
            let (alg, hex) = h.split_once(':').unwrap();
            assert!(
                ["SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5"].contains(&alg)
                    && !hex.is_empty()
                    && hex.chars().all(|c| c.is_ascii_hexdigit()),
                "{what}: hash {h}"
            );
        }
    }
}

#[test]
fn real_project_lockfiles() {
    let cases: [(&str, &str, usize); 14] = [
        ("go/aquasecurity__trivy/go.mod", "go.mod", 473),
        ("go/helm__helm/go.mod", "go.mod", 173),
        ("go/sigstore__cosign/go.mod", "go.mod", 287),
        (
            "vulnerable-projects/madhuakula__kubernetes-goat/infrastructure/health-check/go.mod",
            "go.mod",
            15,
        ),
        ("hex/phoenixframework__phoenix/mix.lock", "mix.lock", 40),
        (
            "npm/madhuakula__kubernetes-goat/guide/yarn.lock",
            "yarn.lock",
            1146,
        ),
        ("npm/prettier__prettier/yarn.lock", "yarn.lock", 1049),
        (
            "packagist/BookStackApp__BookStack/composer.lock",
            "composer.lock",
            147,
        ),
        ("pypi/astral-sh__ruff/uv.lock", "uv.lock", 88),
        ("pypi/pallets__flask/uv.lock", "uv.lock", 82),
        ("pypi/python-poetry__poetry/poetry.lock", "poetry.lock", 78),
        (
            "pypi/ossf__osv-schema/tools/ghsa/Pipfile.lock",
            "Pipfile.lock",
            59,
        ),
        ("pypi/semgrep__semgrep/cli/Pipfile.lock", "Pipfile.lock", 82),
        ("rubygems/huginn__huginn/Gemfile.lock", "Gemfile.lock", 280),
    ];
    for (path, format, count) in cases {
        let file = Path::new(CORPUS).join(path);
        let lock = jobzero_deps::parse_file(&file, path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lock.format, format, "{path}");
        assert_eq!(lock.packages.len(), count, "{path}");
        check_packages(path, &lock.packages);
        let mut lines: Vec<u32> = lock.packages.iter().map(|p| p.line).collect();
        lines.sort_unstable();
        lines.dedup();
        assert!(
            lines.len() * 10 >= count * 9,
            "{path}: packages share lines"
        );
    }

    let parse = |path: &str| {
        jobzero_deps::parse_file(&Path::new(CORPUS).join(path), path)
            .unwrap()
            .packages
    };
    let find = |packages: &[Package], purl: &str| {
        packages
            .iter()
            .find(|p| p.purl == purl)
            .unwrap_or_else(|| panic!("{purl} missing"))
            .clone()
    };

    // uv: what the project declares is direct; dev groups are dev.
    let flask = parse("pypi/pallets__flask/uv.lock");
    let werkzeug = flask.iter().find(|p| p.name == "werkzeug").unwrap();
    assert_eq!(werkzeug.direct, Some(true));
    assert_eq!(werkzeug.scope, Some(Scope::Runtime));
    assert!(werkzeug.hashes.iter().all(|h| h.starts_with("SHA-256:")));
    let tox = flask.iter().find(|p| p.name == "tox").unwrap();
    assert_eq!((tox.direct, tox.scope), (Some(true), Some(Scope::Dev)));
    assert!(flask.iter().all(|p| p.name != "flask"), "the project");

    // go.mod: `// indirect`.
    let trivy = parse("go/aquasecurity__trivy/go.mod");
    assert!(trivy.iter().any(|p| p.direct == Some(false)));
    let toml = find(&trivy, "pkg:golang/github.com/burntsushi/toml@v1.6.0");
    assert_eq!(
        (toml.name.as_str(), toml.direct),
        ("github.com/BurntSushi/toml", Some(true))
    );

    // Gemfile.lock: DEPENDENCIES are direct, CHECKSUMS-less gems have no hash.
    let huginn = parse("rubygems/huginn__huginn/Gemfile.lock");
    assert!(huginn.iter().any(|p| p.direct == Some(true)));
    assert!(huginn.iter().any(|p| p.direct == Some(false)));
    assert!(huginn.iter().any(|p| !p.dependencies.is_empty()));

    // yarn berry: workspace dependencies are direct; the workspace is no package.
    let prettier = parse("npm/prettier__prettier/yarn.lock");
    assert!(prettier.iter().any(|p| p.direct == Some(true)));
    assert!(
        prettier
            .iter()
            .all(|p| p.name != "prettier" || p.version != "0.0.0-use.local")
    );
    // yarn classic: integrity hashes.
    let goat = parse("npm/madhuakula__kubernetes-goat/guide/yarn.lock");
    assert!(goat.iter().all(|p| p.direct.is_none()));
    assert!(goat.iter().filter(|p| !p.hashes.is_empty()).count() > 1000);

    // composer: runtime and dev, `v` prefixes dropped.
    let bookstack = parse("packagist/BookStackApp__BookStack/composer.lock");
    assert!(bookstack.iter().any(|p| p.scope == Some(Scope::Dev)));
    assert!(bookstack.iter().any(|p| p.scope == Some(Scope::Runtime)));
    assert!(bookstack.iter().all(|p| !p.version.starts_with('v')));

    // Pipfile.lock and poetry.lock: dev scopes and hashes.
    let semgrep = parse("pypi/semgrep__semgrep/cli/Pipfile.lock");
    assert!(semgrep.iter().any(|p| p.scope == Some(Scope::Dev)));
    assert!(semgrep.iter().all(|p| !p.hashes.is_empty()));
    let poetry = parse("pypi/python-poetry__poetry/poetry.lock");
    assert!(poetry.iter().any(|p| p.scope == Some(Scope::Dev)));
    assert!(poetry.iter().any(|p| p.scope == Some(Scope::Runtime)));

    // mix.lock: outer checksums, dependencies.
    let phoenix = parse("hex/phoenixframework__phoenix/mix.lock");
    assert!(phoenix.iter().all(|p| p.hashes.len() == 1));
    assert!(phoenix.iter().any(|p| !p.dependencies.is_empty()));
}

/// Canonically named fixtures that are invalid on purpose.
const INVALID_CANONICAL: [&str; 1] = [
    "_mixed/google__osv-scanner/cmd/osv-scanner/scan/source/testdata/locks-many-with-invalid/composer.lock",
];

#[test]
fn every_canonically_named_lockfile() {
    let mut parsed = 0;
    for file in files_under(Path::new(CORPUS)) {
        let path = rel(&file);
        let Some(format) = jobzero_deps::format_of(&path) else {
            continue;
        };
        if !FORMATS.contains(&format) {
            continue;
        }
        match jobzero_deps::parse_file(&file, &path) {
            Ok(lock) => {
                assert!(!INVALID_CANONICAL.contains(&path.as_str()), "{path} parsed");
                check_packages(&path, &lock.packages);
                parsed += 1;
            }
            Err(e) => {
                assert!(INVALID_CANONICAL.contains(&path.as_str()), "{e}");
                assert!(e.line.is_some_and(|l| l > 0), "{e}");
            }
        }
    }
    assert!(parsed >= 45, "{parsed}");
}

/// The parser of each fixture directory.
fn fixture_dirs() -> Vec<(&'static str, Parser)> {
    let scalibr = "google__osv-scalibr/extractor/filesystem/language";
    vec![
        (
            "pypi",
            "python/poetrylock/testdata",
            parsers::poetry_lock::parse as Parser,
        ),
        (
            "pypi",
            "python/pipfilelock/testdata",
            parsers::pipfile_lock::parse,
        ),
        ("pypi", "python/uvlock/testdata", parsers::uv_lock::parse),
        ("pypi", "python/pdmlock/testdata", parsers::pdm_lock::parse),
        ("go", "golang/gomod/testdata", parsers::go_mod::parse),
        (
            "rubygems",
            "ruby/gemfilelock/testdata",
            parsers::gemfile_lock::parse,
        ),
        (
            "packagist",
            "php/composerlock/testdata",
            parsers::composer_lock::parse,
        ),
        (
            "npm",
            "javascript/yarnlock/testdata",
            parsers::yarn_lock::parse,
        ),
        (
            "nuget",
            "dotnet/packageslockjson/testdata",
            parsers::nuget_lock::parse,
        ),
        (
            "swift",
            "swift/packageresolved/testdata",
            parsers::package_resolved::parse,
        ),
        (
            "maven",
            "java/gradlelockfile/testdata",
            parsers::gradle_lockfile::parse,
        ),
        ("hex", "elixir/mixlock/testdata", parsers::mix_lock::parse),
        ("hex", "erlang/mixlock/testdata", parsers::mix_lock::parse),
        (
            "conan",
            "cpp/conanlock/testdata",
            parsers::conan_lock::parse,
        ),
        (
            "npm",
            "javascript/pnpmlock/testdata",
            parsers::pnpm_lock::parse,
        ),
        (
            "npm",
            "javascript/bunlock/testdata",
            parsers::bun_lock::parse,
        ),
        ("pub", "dart/pubspec/testdata", parsers::pubspec_lock::parse),
        ("maven", "java/pomxml/testdata", parsers::pom_xml::parse),
    ]
    .into_iter()
    .map(|(eco, dir, p)| -> (&'static str, Parser) {
        (
            Box::leak(format!("{eco}/{scalibr}/{dir}").into_boxed_str()),
            p,
        )
    })
    .collect()
}

/// Fixture files that are not lockfiles of the directory's format.
fn is_other_file(name: &str) -> bool {
    name.ends_with(".sum") || name.starts_with("Dockerfile")
}

fn expected_invalid(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // pnpm's "invalid path" fixtures hold valid packages beside keys naming no version: the
    // file parses and those keys are skipped.
    (name.starts_with("invalid") && !path.contains("/pnpmlock/"))
        || name.starts_with("not-")
        || name.contains("malformed")
        || path.contains("/invalid/")
        || name.starts_with("null.")
        || name == "with-bad-pkg"
}

#[test]
fn test_case_fixtures() {
    let counts: [(&str, usize); 26] = [
        ("pnpmlock/testdata/mixed-groups.v9.yaml", 3),
        ("pnpmlock/testdata/commits.v9.yaml", 2),
        ("pnpmlock/testdata/multiple-packages.yaml", 14),
        ("pnpmlock/testdata/peer-dependencies-advanced.v9.yaml", 13),
        ("pnpmlock/testdata/invalid-paths.yaml", 1),
        ("bunlock/testdata/nested-dependencies.json5", 9),
        ("bunlock/testdata/alias.json5", 4),
        ("pubspec/testdata/mixed-packages.lock", 4),
        ("pomxml/testdata/with-parent.xml", 4),
        ("pomxml/testdata/profiles.xml", 1),
        ("poetrylock/testdata/multiple-packages.v2.lock", 11),
        ("poetrylock/testdata/names-outside-package-block.lock", 2),
        ("pipfilelock/testdata/multiple-packages.json", 4),
        ("uvlock/testdata/grouped-packages.lock", 14),
        ("pdmlock/testdata/dev-dependency.toml", 3),
        ("gomod/testdata/indirect-packages.mod", 5),
        ("gomod/testdata/replace-local.mod", 1),
        ("gemfilelock/testdata/rails.lock", 46),
        ("composerlock/testdata/two-packages.json", 2),
        ("yarnlock/testdata/with-aliases.v2.lock", 3),
        ("packageslockjson/testdata/valid/packages.lock.json", 8),
        ("packageresolved/testdata/valid", 3),
        ("gradlelockfile/testdata/5-pkg", 5),
        ("erlang/mixlock/testdata/many.lock", 21),
        ("conanlock/testdata/nested-dependencies.v1.json", 5),
        ("conanlock/testdata/no-name.v2.json", 1),
    ];
    let mut seen = 0;
    for (dir, parse) in fixture_dirs() {
        let files = files_under(&Path::new(CORPUS).join(dir));
        assert!(!files.is_empty(), "{dir}");
        for file in files {
            let path = rel(&file);
            let name = path.rsplit('/').next().unwrap_or(&path);
            if is_other_file(name) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            seen += 1;
            match parse(&text) {
                Ok(packages) => {
                    assert!(!expected_invalid(&path), "{path} parsed: {packages:?}");
                    check_packages(&path, &packages);
                    if let Some((_, n)) = counts.iter().find(|(c, _)| path.ends_with(c)) {
                        assert_eq!(packages.len(), *n, "{path}");
                    }
                }
                Err(e) => {
                    assert!(expected_invalid(&path), "{path}: {e}");
                    assert!(e.line > 0, "{path}: {e}");
                }
            }
        }
    }
    assert!(seen >= 220, "{seen}");
}

#[test]
fn truncated_and_mangled_inputs_never_panic() {
    let mut inputs: Vec<(String, Parser)> = Vec::new();
    for (dir, parse) in fixture_dirs() {
        for file in files_under(&Path::new(CORPUS).join(dir)) {
            if let Ok(text) = std::fs::read_to_string(&file) {
                inputs.push((text, parse));
            }
        }
    }
    for (path, parse) in [
        ("go/helm__helm/go.mod", parsers::go_mod::parse as Parser),
        (
            "hex/phoenixframework__phoenix/mix.lock",
            parsers::mix_lock::parse,
        ),
        ("pypi/pallets__flask/uv.lock", parsers::uv_lock::parse),
        (
            "pypi/ossf__osv-schema/tools/ghsa/Pipfile.lock",
            parsers::pipfile_lock::parse,
        ),
        (
            "rubygems/huginn__huginn/Gemfile.lock",
            parsers::gemfile_lock::parse,
        ),
    ] {
        inputs.push((
            std::fs::read_to_string(Path::new(CORPUS).join(path)).unwrap(),
            parse,
        ));
    }
    for (text, parse) in &inputs {
        let lines: Vec<&str> = text.lines().collect();
        let step = (lines.len() / 12).max(1);
        for cut in (0..lines.len()).step_by(step) {
            let head = lines.get(..cut).unwrap().join("\n");
            let _ = parse(&head);
            // Mangled: the line at the cut unindented, quotes and brackets dropped.
            let mut mangled: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            if let Some(l) = mangled.get_mut(cut) {
                *l = l.trim_start().replace(['"', '{', '[', '('], "");
            }
            if let Ok(packages) = parse(&mangled.join("\n")) {
                check_packages("mangled", &packages);
            }
        }
        // Byte-level truncation in the middle of a token.
        for cut in [1, 7, text.len() / 3, text.len() / 2] {
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = parse(text.get(..end).unwrap());
        }
    }
}

#[test]
fn yaml_xml_and_sbom_formats_on_real_projects() {
    let parse = |path: &str| {
        jobzero_deps::parse_file(&Path::new(CORPUS).join(path), path)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let scoped = |l: &jobzero_deps::model::Lockfile, s: Scope| {
        l.packages.iter().filter(|p| p.scope == Some(s)).count()
    };
    // pnpm 9: dev scope from what the importers' devDependencies alone reach.
    let vite = parse("npm/vitejs__vite/pnpm-lock.yaml");
    assert_eq!((vite.format, vite.packages.len()), ("pnpm-lock.yaml", 1296));
    check_packages("vite", &vite.packages);
    assert_eq!(scoped(&vite, Scope::Dev), 872);
    assert_eq!(
        vite.packages
            .iter()
            .filter(|p| p.direct == Some(true))
            .count(),
        152
    );
    assert!(
        vite.packages
            .iter()
            .all(|p| p.hashes.len() == 1 || p.version.contains('-'))
    );
    let prometheus = parse("npm/prometheus__prometheus/web/ui/pnpm-lock.yaml");
    assert_eq!(prometheus.packages.len(), 746);
    check_packages("prometheus", &prometheus.packages);

    let localsend = parse("pub/localsend__localsend/pubspec.lock");
    assert_eq!(localsend.packages.len(), 259);
    check_packages("localsend", &localsend.packages);
    assert_eq!(
        localsend
            .packages
            .iter()
            .filter(|p| p.direct == Some(true))
            .count(),
        3
    );

    // A POM inheriting from its local parent, and one whose parent is remote: what cannot be
    // resolved offline is a note naming the line, never a guess.
    let sub = parse("vulnerable-projects/bridgecrewio__terragoat/packages/sub/pom.xml");
    check_packages("terragoat sub", &sub.packages);
    assert!(sub.packages.iter().all(|p| p.direct == Some(true)));
    let petclinic = parse("maven/spring-projects__spring-petclinic/pom.xml");
    // 3 with versions; the 21 the remote parent manages are listed without one.
    assert_eq!(petclinic.packages.len(), 24);
    assert_eq!(
        petclinic
            .packages
            .iter()
            .filter(|p| p.version.is_empty())
            .count(),
        21
    );
    // One note for the dependencies whose versions the remote parent manages, with their lines.
    assert_eq!(petclinic.notes.len(), 1, "{:?}", petclinic.notes);
    let note = &petclinic.notes[0];
    assert!(note.starts_with("lines 42, 46, 50"), "{note}");
    assert!(
        note.contains("21 dependencies listed without a version"),
        "{note}"
    );
    assert!(
        note.contains("org.springframework.boot:spring-boot-starter-parent"),
        "{note}"
    );
    let log4j = parse(
        "_mixed/google__osv-scanner/cmd/osv-scanner/scan/source/testdata/maven-transitive/pom.xml",
    );
    assert_eq!(
        log4j.packages[0].purl,
        "pkg:maven/org.apache.logging.log4j/log4j-web@2.14.1"
    );

    let bun = parse(
        "_mixed/google__osv-scanner/cmd/osv-scanner/scan/source/testdata/locks-insecure/bun.lock",
    );
    assert_eq!(bun.format, "bun.lock");
    check_packages("bun", &bun.packages);

    // CycloneDX inputs: operating-system packages are left out, language packages kept, Go
    // versions without their `v`.
    let postgres = parse(
        "_mixed/google__osv-scanner/cmd/osv-scanner/scan/source/testdata/sbom-insecure/postgres-stretch.cdx.xml",
    );
    assert_eq!(postgres.format, "bom.xml");
    assert_eq!(postgres.packages.len(), 3);
    assert!(
        postgres
            .packages
            .iter()
            .any(|p| p.purl == "pkg:golang/github.com/opencontainers/runc@v1.0.1")
    );
    let alpine = parse(
        "_mixed/google__osv-scanner/cmd/osv-scanner/scan/source/testdata/sbom-insecure/alpine-zlib-16.cdx.json",
    );
    assert_eq!((alpine.format, alpine.packages.len()), ("bom.json", 0));
}
