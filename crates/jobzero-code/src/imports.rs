//! Following imports into other files of the project: Python modules and packages (absolute
//! from an ancestor directory, and relative), JavaScript/TypeScript relative `require` and
//! `import` specifiers. Files are read from disk next to the analysed file, parsed once per
//! scan (a bounded cache shared by the scan's threads), and never outside the scanned tree:
//! a resolved file's display path must stay below the tree's root.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::ir::Module;
use crate::lang::{self, Language};
use crate::taint::Resolver;

/// Files larger than this are not followed.
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Parsed files kept per scan; past it the cache starts over (memory stays bounded by a
/// fixed number of files, not by the tree).
const CACHE_FILES: usize = 512;
/// How many directories up an absolute Python import is looked for.
const PYTHON_ROOT_LEVELS: usize = 5;

/// A parsed project file.
#[derive(Clone)]
pub struct Loaded {
    /// The program.
    pub module: Arc<Module>,
    /// Its text, for code frames in traces.
    pub text: Arc<str>,
}

/// Parsed files by disk path, and the candidate paths that are not (parseable) files.
#[derive(Default)]
pub struct Cache {
    files: Mutex<HashMap<PathBuf, Loaded>>,
    missing: Mutex<std::collections::HashSet<PathBuf>>,
    /// Where an import from a directory leads: the file and the access path's rest inside
    /// it, or nowhere (a library). Every file of a package imports the same names.
    resolved: Mutex<HashMap<(String, String), Option<Target>>>,
}

/// A resolved import: the file, and the access path's rest inside it.
type Target = (PathBuf, Vec<String>);

/// Candidate paths remembered as missing; past it that memory starts over.
const CACHE_MISSING: usize = 1 << 16;

impl Cache {
    fn load(&self, path: &Path) -> Option<Loaded> {
        if let Ok(files) = self.files.lock()
            && let Some(hit) = files.get(path)
        {
            return Some(hit.clone());
        }
        if let Ok(missing) = self.missing.lock()
            && missing.contains(path)
        {
            return None;
        }
        match read(path) {
            Some(loaded) => {
                if let Ok(mut files) = self.files.lock() {
                    if files.len() >= CACHE_FILES {
                        files.clear();
                    }
                    files.insert(path.to_owned(), loaded.clone());
                }
                Some(loaded)
            }
            None => {
                if let Ok(mut missing) = self.missing.lock() {
                    if missing.len() >= CACHE_MISSING {
                        missing.clear();
                    }
                    missing.insert(path.to_owned());
                }
                None
            }
        }
    }
}

fn read(path: &Path) -> Option<Loaded> {
    // Regular files only: a symlink could lead out of the tree.
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let language = Language::of_path(&path.to_string_lossy())?;
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if lang::skip_reason(&text).is_some() {
        return None;
    }
    let parsed = lang::parse(language, &text)?;
    Some(Loaded {
        module: Arc::new(parsed.module),
        text: Arc::from(text),
    })
}

/// The resolver of one analysed file.
pub struct FileResolver<'a> {
    cache: &'a Cache,
    /// The analysed file's display path and its place on disk.
    main: (String, PathBuf),
    /// Files resolved so far: display path → disk path and contents.
    known: Mutex<HashMap<String, (PathBuf, Loaded)>>,
}

impl<'a> FileResolver<'a> {
    /// A resolver for the file shown as `display`, at `disk`.
    pub fn new(cache: &'a Cache, display: &str, disk: &Path) -> FileResolver<'a> {
        let disk = std::fs::canonicalize(disk).unwrap_or_else(|_| disk.to_owned());
        FileResolver {
            cache,
            main: (display.to_owned(), disk),
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The text of a resolved file, by display path.
    pub fn text(&self, display: &str) -> Option<Arc<str>> {
        let known = self.known.lock().ok()?;
        known.get(display).map(|(_, l)| l.text.clone())
    }

    fn disk_of(&self, display: &str) -> Option<PathBuf> {
        if display == self.main.0 {
            return Some(self.main.1.clone());
        }
        let known = self.known.lock().ok()?;
        known.get(display).map(|(p, _)| p.clone())
    }

    /// The display path of `file`: its path from the analysed file's directory, joined to
    /// that file's display directory. `None` when it leaves the tree.
    fn display_of(&self, file: &Path) -> Option<String> {
        let main_dir = self.main.1.parent()?;
        let rel = relative(main_dir, file)?;
        let display_dir = Path::new(&self.main.0).parent().unwrap_or(Path::new(""));
        let joined = normalise(&display_dir.join(rel))?;
        let text = joined.to_string_lossy().replace('\\', "/");
        (!text.is_empty()).then_some(text)
    }
}

/// `to` relative to `from` (both absolute or both relative to the same place), with `..`.
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from = normalise(from)?;
    let to = normalise(to)?;
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// Removes `.` and `a/..`; `None` when `..` climbs above the start of a relative path.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => return None,
            },
            other => out.push(other),
        }
    }
    Some(out.iter().map(|c| c.as_os_str()).collect())
}

fn python_candidates(from_dir: &Path, import: &str) -> Vec<(PathBuf, Vec<String>)> {
    let dots = import.chars().take_while(|c| *c == '.').count();
    let parts: Vec<&str> = import[dots..]
        .split('.')
        .filter(|p| !p.is_empty())
        .collect();
    let bases: Vec<PathBuf> = if dots > 0 {
        let mut base = from_dir.to_path_buf();
        for _ in 1..dots {
            base = base.parent().map(Path::to_path_buf).unwrap_or(base);
        }
        vec![base]
    } else {
        from_dir
            .ancestors()
            .take(PYTHON_ROOT_LEVELS)
            .map(Path::to_path_buf)
            .collect()
    };
    let mut out = Vec::new();
    for base in &bases {
        for k in (1..=parts.len()).rev() {
            let rest: Vec<String> = parts[k..].iter().map(|s| (*s).to_owned()).collect();
            let mut module = base.clone();
            for p in &parts[..k] {
                module.push(p);
            }
            out.push((module.with_extension("py"), rest.clone()));
            out.push((module.join("__init__.py"), rest));
        }
        if dots > 0 && !parts.is_empty() {
            // `from . import views`: `views` may be a module of the package or a name in
            // its `__init__.py`.
            out.push((
                base.join("__init__.py"),
                parts.iter().map(|s| (*s).to_owned()).collect(),
            ));
        }
    }
    out
}

/// `com.acme.web.Helper` from a file under `src/main/java/com/acme/...`: the source root is
/// an ancestor of the importing file.
fn java_candidates(from_dir: &Path, import: &str) -> Vec<(PathBuf, Vec<String>)> {
    let parts: Vec<&str> = import.split('.').collect();
    let mut out = Vec::new();
    for base in from_dir.ancestors().take(12) {
        for k in (1..=parts.len()).rev() {
            let mut file = base.to_path_buf();
            for p in &parts[..k] {
                file.push(p);
            }
            let rest: Vec<String> = parts[k - 1..].iter().map(|s| (*s).to_owned()).collect();
            out.push((file.with_extension("java"), rest));
        }
    }
    out
}

fn js_candidates(from_dir: &Path, import: &str) -> Vec<(PathBuf, Vec<String>)> {
    if !(import.starts_with("./") || import.starts_with("../")) {
        return Vec::new();
    }
    let (prefix, tail) = match import.rfind('/') {
        Some(i) => (&import[..=i], &import[i + 1..]),
        None => ("", import),
    };
    let segments: Vec<&str> = tail.split('.').collect();
    let mut out = Vec::new();
    for k in (1..=segments.len()).rev() {
        let spec = format!("{prefix}{}", segments[..k].join("."));
        let rest: Vec<String> = segments[k..].iter().map(|s| (*s).to_owned()).collect();
        let base = from_dir.join(&spec);
        for ext in ["", ".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx"] {
            let mut p = base.clone().into_os_string();
            p.push(ext);
            out.push((PathBuf::from(p), rest.clone()));
        }
        for index in ["index.js", "index.ts", "index.mjs", "index.tsx"] {
            out.push((base.join(index), rest.clone()));
        }
    }
    out
}

impl Resolver for FileResolver<'_> {
    fn resolve(
        &self,
        from: &str,
        language: Language,
        import: &str,
    ) -> Option<(Arc<Module>, String, Vec<String>)> {
        let from_disk = self.disk_of(from)?;
        let from_dir = from_disk.parent()?;
        let key = (from_dir.to_string_lossy().into_owned(), import.to_owned());
        let known_answer = self
            .cache
            .resolved
            .lock()
            .ok()
            .and_then(|r| r.get(&key).cloned());
        let found = match known_answer {
            Some(answer) => answer,
            None => {
                let candidates = match language.rules_language() {
                    Language::Python => python_candidates(from_dir, import),
                    Language::Java => java_candidates(from_dir, import),
                    _ => js_candidates(from_dir, import),
                };
                let answer = candidates
                    .into_iter()
                    .find(|(file, _)| *file != from_disk && self.cache.load(file).is_some());
                if let Ok(mut r) = self.cache.resolved.lock() {
                    if r.len() >= CACHE_MISSING {
                        r.clear();
                    }
                    r.insert(key, answer.clone());
                }
                answer
            }
        };
        let (file, rest) = found?;
        if file == from_disk {
            return None;
        }
        let loaded = self.cache.load(&file)?;
        let display = self.display_of(&file)?;
        let module = loaded.module.clone();
        if let Ok(mut known) = self.known.lock() {
            known.insert(display.clone(), (file, loaded));
        }
        Some((module, display, rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_tree() {
        assert_eq!(
            normalise(Path::new("a/b/../c")).unwrap(),
            PathBuf::from("a/c")
        );
        assert!(normalise(Path::new("../x")).is_none());
        assert_eq!(
            relative(Path::new("/t/app/routes"), Path::new("/t/app/data/dao.js")).unwrap(),
            PathBuf::from("../data/dao.js")
        );
    }

    #[test]
    fn candidates() {
        let py = python_candidates(Path::new("/t/app"), "helpers.utils.escape");
        assert!(py.contains(&(
            PathBuf::from("/t/app/helpers/utils.py"),
            vec!["escape".into()]
        )));
        let rel = python_candidates(Path::new("/t/app/pkg"), "..helpers.run");
        assert!(rel.contains(&(PathBuf::from("/t/app/helpers.py"), vec!["run".into()])));
        let js = js_candidates(Path::new("/t/app/routes"), "../data/user-dao.UserDAO");
        assert!(js.contains(&(
            PathBuf::from("/t/app/routes/../data/user-dao.js"),
            vec!["UserDAO".into()]
        )));
        assert!(js_candidates(Path::new("/t"), "express").is_empty());
    }
}
