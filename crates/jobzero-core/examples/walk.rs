//! Measures the walker alone: `cargo run --release -p jobzero-core --example walk -- DIR [RUNS]`.
//! Prints files found, best wall time over RUNS (default 10) and files per second.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jobzero_core::walk::{WalkOptions, walk};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let runs: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let options = WalkOptions::default();
    let mut best = Duration::MAX;
    let mut files = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let w = walk(&root, None, &options);
        best = best.min(started.elapsed());
        files = w.files.len();
    }
    let secs = best.as_secs_f64();
    println!(
        "{} files in {:.2} ms (best of {runs}) = {:.0} files/s",
        files,
        secs * 1000.0,
        files as f64 / secs
    );
}
