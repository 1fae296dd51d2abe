//! The positioned YAML reader never panics, and every node it returns can be walked.
#![no_main]

use jobzero_core::yaml::{Node, Yaml};
use libfuzzer_sys::fuzz_target;

fn walk(node: Node<'_>, budget: &mut u32) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    assert!(node.line() >= 1);
    let _ = (node.as_str(), node.tag(), node.as_bool(), node.is_null());
    for (k, v) in node.entries() {
        walk(k, budget);
        walk(v, budget);
    }
    for item in node.items() {
        walk(item, budget);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(yaml) = Yaml::parse(text) {
        let mut budget = 100_000;
        for doc in yaml.documents() {
            walk(doc, &mut budget);
        }
    }
});
