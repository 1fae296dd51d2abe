//! What a `uses:` refers to.

/// A parsed `uses:` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uses<'a> {
    /// `./path/to/action` or `./.github/workflows/x.yml`: code of the same repository, at
    /// the same commit.
    Local(&'a str),
    /// `docker://image[:tag][@digest]`.
    Docker(&'a str),
    /// `owner/repo[/path]@ref`.
    Repository(RepositoryUses<'a>),
}

/// `owner/repo[/path]@ref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryUses<'a> {
    /// The owner (user or organisation).
    pub owner: &'a str,
    /// The repository.
    pub repo: &'a str,
    /// A path inside the repository (an action in a subdirectory, a reusable workflow).
    pub subpath: Option<&'a str>,
    /// The git ref after `@`; `None` when missing (which GitHub rejects).
    pub git_ref: Option<&'a str>,
}

impl<'a> Uses<'a> {
    /// Parses a `uses:` value; `None` when it is none of the three shapes.
    pub fn parse(text: &'a str) -> Option<Uses<'a>> {
        let text = text.trim();
        if text.starts_with("./") || text.starts_with(".\\") {
            return Some(Uses::Local(text));
        }
        if let Some(image) = text.strip_prefix("docker://") {
            return Some(Uses::Docker(image));
        }
        let (path, git_ref) = match text.split_once('@') {
            Some((p, r)) => (p, Some(r)),
            None => (text, None),
        };
        let mut parts = path.splitn(3, '/');
        let owner = parts.next().filter(|s| !s.is_empty())?;
        let repo = parts.next().filter(|s| !s.is_empty())?;
        let subpath = parts.next().filter(|s| !s.is_empty());
        Some(Uses::Repository(RepositoryUses {
            owner,
            repo,
            subpath,
            git_ref,
        }))
    }
}

impl RepositoryUses<'_> {
    /// Whether the ref is a full 40-hex-digit commit SHA (or a 64-digit SHA-256 one), the
    /// only ref that cannot move.
    pub fn is_hash_pinned(&self) -> bool {
        self.git_ref.is_some_and(is_commit_sha)
    }

    /// `owner/repo`, lowercased, as policies and lists match it.
    pub fn slug(&self) -> String {
        format!("{}/{}", self.owner, self.repo).to_ascii_lowercase()
    }

    /// `owner/repo[/path]` as written.
    pub fn name(&self) -> String {
        match self.subpath {
            Some(p) => format!("{}/{}/{p}", self.owner, self.repo),
            None => format!("{}/{}", self.owner, self.repo),
        }
    }

    /// Whether it is a reusable workflow (`.github/workflows/x.yml` in the repository).
    pub fn is_workflow(&self) -> bool {
        self.subpath.is_some_and(|p| {
            p.starts_with(".github/workflows/") && (p.ends_with(".yml") || p.ends_with(".yaml"))
        })
    }
}

/// Whether `s` is a full commit SHA (40 or 64 hex digits).
pub fn is_commit_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An OCI image reference split into what pinning cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image<'a> {
    /// Everything before the tag or digest.
    pub name: &'a str,
    /// The tag, when one is given.
    pub tag: Option<&'a str>,
    /// The digest (`sha256:…`), when one is given.
    pub digest: Option<&'a str>,
}

impl<'a> Image<'a> {
    /// Splits `registry/name[:tag][@digest]`.
    pub fn parse(text: &'a str) -> Image<'a> {
        let text = text.trim();
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (text, None),
        };
        // A colon after the last slash is a tag; one before it is a registry's port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        Image { name, tag, digest }
    }

    /// Whether a digest pins the image's content.
    pub fn is_digest_pinned(&self) -> bool {
        self.digest.is_some_and(|d| d.contains(':'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_uses_split_into_owner_repo_path_and_ref() {
        let Some(Uses::Repository(u)) = Uses::parse("github/codeql-action/init@v3") else {
            unreachable!()
        };
        assert_eq!(
            (u.owner, u.repo, u.subpath, u.git_ref),
            ("github", "codeql-action", Some("init"), Some("v3"))
        );
        assert!(!u.is_hash_pinned());
        let Some(Uses::Repository(u)) =
            Uses::parse("actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab")
        else {
            unreachable!()
        };
        assert!(u.is_hash_pinned());
        assert_eq!(
            Uses::parse("./.github/actions/x"),
            Some(Uses::Local("./.github/actions/x"))
        );
        assert_eq!(
            Uses::parse("docker://alpine:3"),
            Some(Uses::Docker("alpine:3"))
        );
        assert_eq!(Uses::parse("nothing"), None);
    }

    #[test]
    fn images_tell_ports_from_tags() {
        let i = Image::parse("localhost:5000/app:1.2@sha256:abc");
        assert_eq!((i.name, i.tag), ("localhost:5000/app", Some("1.2")));
        assert!(i.is_digest_pinned());
        let i = Image::parse("localhost:5000/app");
        assert_eq!((i.name, i.tag), ("localhost:5000/app", None));
        assert!(!i.is_digest_pinned());
    }
}
