//! SwiftPM `Package.resolved`: version 1 (`object.pins`, `repositoryURL`) and versions 2
//! and 3 (`pins`, `location`, `kind`); the version in `state.version`.

use serde_json::Value;

use super::{JsonLines, json_object};
use crate::ParseError;
use crate::model::{Ecosystem, Package, purl};

/// A repository URL as a SwiftURL package name: `https://github.com/apple/swift-nio.git` and
/// `git@github.com:apple/swift-nio.git` → `github.com/apple/swift-nio`.
fn package_name(location: &str) -> Option<String> {
    let l = location.trim();
    let (rest, scp) = match l.split_once("://") {
        Some((_, rest)) => (rest, false),
        None => (l, true),
    };
    let rest = rest.split_once('@').map_or(
        rest,
        |(user, host)| {
            if user.contains('/') { rest } else { host }
        },
    );
    let rest = if scp {
        // `host:owner/repo`
        let (host, path) = rest.split_once(':')?;
        format!("{host}/{path}")
    } else {
        rest.to_owned()
    };
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (host, path) = rest.split_once('/')?;
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    (!host.is_empty() && !path.is_empty()).then(|| format!("{host}/{path}"))
}

/// Parses a `Package.resolved`. Pins without a version (branches, revisions) and local
/// packages are not packages of the inventory; the file does not say which are direct.
pub fn parse(text: &str) -> Result<Vec<Package>, ParseError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let root = json_object(text, "Package.resolved")?;
    let lines = JsonLines::new(text, 3);
    let (pins, path): (Option<&Value>, &[&str]) = match root.get("object") {
        Some(object) => (object.get("pins"), &["object", "pins"]),
        None => (root.get("pins"), &["pins"]),
    };
    let Some(pins) = pins else {
        return Err(ParseError::new(1, "not a Package.resolved: no `pins`"));
    };
    let Some(pins) = pins.as_array() else {
        return Err(ParseError::new(
            lines.line(path).max(1),
            "`pins` is not an array",
        ));
    };
    let mut out = Vec::new();
    for (i, pin) in pins.iter().enumerate() {
        let index = i.to_string();
        let mut at = path.to_vec();
        at.push(&index);
        let line = lines.line(&at);
        let Some(pin) = pin.as_object() else {
            return Err(ParseError::new(line.max(1), "a pin is not an object"));
        };
        if pin
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.starts_with("local") || k == "fileSystem")
        {
            continue;
        }
        let location = pin
            .get("location")
            .or_else(|| pin.get("repositoryURL"))
            .and_then(Value::as_str);
        let Some(location) = location else {
            return Err(ParseError::new(
                line.max(1),
                "a pin needs a `location` or `repositoryURL`",
            ));
        };
        let Some(version) = pin
            .get("state")
            .and_then(|s| s.get("version"))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let Some(name) = package_name(location) else {
            continue;
        };
        out.push(Package {
            ecosystem: Ecosystem::SwiftUrl,
            purl: purl(Ecosystem::SwiftUrl, &name, version),
            name,
            version: version.to_owned(),
            direct: None,
            scope: None,
            line,
            hashes: Vec::new(),
            dependencies: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn v1_and_v2() {
        let v1 = r#"{
  "object": {
    "pins": [
      {
        "package": "Alamofire",
        "repositoryURL": "https://github.com/Alamofire/Alamofire.git",
        "state": {"branch": null, "revision": "abc", "version": "5.4.3"}
      },
      {
        "package": "Dev",
        "repositoryURL": "https://github.com/x/dev",
        "state": {"branch": "main", "revision": "abc", "version": null}
      }
    ]
  },
  "version": 1
}
"#;
        let p = parse(v1).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "github.com/Alamofire/Alamofire");
        assert_eq!(p[0].purl, "pkg:swift/github.com/Alamofire/Alamofire@5.4.3");
        assert_eq!(p[0].line, 4);
        let v2 = r#"{
  "pins" : [
    {
      "identity" : "swift-nio",
      "kind" : "remoteSourceControl",
      "location" : "git@github.com:apple/swift-nio.git",
      "state" : {"revision" : "abc", "version" : "2.65.0"}
    }
  ],
  "version" : 2
}
"#;
        let p = parse(v2).unwrap();
        assert_eq!(p[0].name, "github.com/apple/swift-nio");
        assert_eq!(p[0].line, 3);
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("not\njson\n").unwrap_err().line, 1);
        let e =
            parse("{\n  \"pins\": [\n    {\"state\": {\"version\": \"1\"}}\n  ]\n}\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse("").unwrap().is_empty());
    }
}
