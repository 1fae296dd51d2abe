//! A progress bar on stderr for scans that take more than a second; never shown when stderr
//! is not a terminal, so logs and pipes stay clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan may run before a progress bar appears.
pub const PROGRESS_DELAY: Duration = Duration::from_secs(1);

/// The progress of one scan.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A progress bar, enabled only when asked for and stderr is a terminal.
    pub fn new(enabled: bool, started: Instant) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {msg} [{elapsed}] {wide_bar} {pos}/{len} files ({per_sec})",
            ) {
                bar.set_style(style);
            }
            bar.set_message("scanning");
            bar
        });
        Progress {
            bar,
            started,
            shown: AtomicBool::new(false),
        }
    }

    fn maybe_show(&self, bar: &ProgressBar) {
        if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= PROGRESS_DELAY {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// The walker found `n` files so far.
    pub fn walked(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("walking ({n} files)"));
            self.maybe_show(bar);
        }
    }

    /// Scanning starts over `total` files.
    pub fn start_files(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_message("scanning");
        }
    }

    /// One more file is done.
    pub fn file_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            self.maybe_show(bar);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
