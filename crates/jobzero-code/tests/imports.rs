//! Calls followed into other files of the project: the finding is at the sink, in the file
//! it is in, with a trace that starts at the source in the caller's file; nothing outside
//! the scanned tree is read.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::Path;

use jobzero_code::CodeScanner;
use jobzero_core::{FileOutput, Finding, Scanner, SourceFile};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Scans `rel` under `root` as the walker would: display path relative to the root.
fn scan(root: &Path, rel: &str) -> Vec<Finding> {
    let disk = root.join(rel);
    let bytes = std::fs::read(&disk).unwrap();
    let mut out = FileOutput::default();
    CodeScanner::default().scan_file(
        &SourceFile {
            path: rel,
            bytes: &bytes,
            disk_path: Some(&disk),
        },
        &mut out,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.findings
}

#[test]
fn python_package_imports_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/helpers/__init__.py", "");
    write(
        root,
        "app/helpers/db.py",
        "import sqlite3\n\nSAFE = 'name'\n\ndef find(name):\n    conn = sqlite3.connect('x.db')\n    return conn.execute(\"SELECT * FROM u WHERE n = '\" + name + \"'\")\n\ndef order_by():\n    return SAFE\n",
    );
    write(
        root,
        "app/views.py",
        "from flask import Flask, request\nfrom helpers.db import find, order_by\nfrom .helpers import db as queries\n\napp = Flask(__name__)\n\n@app.route('/u')\ndef user():\n    find(request.args['name'])\n    queries.find(order_by())\n    return 'ok'\n",
    );
    let findings = scan(root, "app/views.py");
    let sql: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "code/sql-injection")
        .collect();
    assert_eq!(sql.len(), 1, "{findings:#?}");
    let f = sql[0];
    assert_eq!(f.location.path, "app/helpers/db.py");
    assert_eq!(f.location.start_line, 7);
    let steps: Vec<(&str, u32)> = f
        .trace
        .iter()
        .map(|s| (s.location.path.as_str(), s.location.start_line))
        .collect();
    assert_eq!(steps.first(), Some(&("app/views.py", 9)));
    assert!(steps.contains(&("app/helpers/db.py", 7)));
    assert!(f.message.contains("app/views.py:9"), "{}", f.message);
}

#[test]
fn javascript_relative_requires_and_constructor_functions_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "app/data/report-dao.js",
        "function ReportDAO(db) {\n  const reports = db.collection('reports');\n  this.byOwner = (owner, min, cb) => {\n    const criteria = () => ({ $where: `this.owner == '${owner}' && this.size > ${min}` });\n    reports.find(criteria()).toArray(cb);\n  };\n}\nmodule.exports.ReportDAO = ReportDAO;\n",
    );
    write(
        root,
        "app/routes/reports.js",
        "const ReportDAO = require('../data/report-dao').ReportDAO;\nfunction ReportHandler(db) {\n  const dao = new ReportDAO(db);\n  this.list = (req, res) => {\n    const { owner } = req.query;\n    dao.byOwner(owner, 10, (e, r) => res.json(r));\n  };\n}\nmodule.exports = ReportHandler;\n",
    );
    let findings = scan(root, "app/routes/reports.js");
    let nosql: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "code/nosql-injection")
        .collect();
    assert_eq!(nosql.len(), 1, "{findings:#?}");
    assert_eq!(nosql[0].location.path, "app/data/report-dao.js");
    assert_eq!(nosql[0].trace[0].location.path, "app/routes/reports.js");
    assert_eq!(nosql[0].trace[0].location.start_line, 5);
}

#[test]
fn imports_outside_the_tree_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path();
    // The file the import names exists, but above the scanned tree.
    write(
        outside,
        "evil.js",
        "module.exports.run = (x) => require('child_process').exec(x);\n",
    );
    let root = outside.join("tree");
    write(
        &root,
        "app.js",
        "const { run } = require('../evil');\nrequire('express')().get('/', (req, res) => run(req.query.c));\n",
    );
    let findings = scan(&root, "app.js");
    assert!(
        findings.iter().all(|f| !f.location.path.contains("evil")),
        "{findings:#?}"
    );
}
