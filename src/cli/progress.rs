//! The progress bar of long runs: on stderr, only when stderr is a terminal.
//!
//! A tagging run over a million articles should say how far it is and when it will end,
//! but nothing of that may reach a log file or a pipe that a script parses: the bar
//! exists only for a terminal, and `--quiet` turns it off there too.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use gaztag::io::input::Compression;

/// Inputs smaller than this finish too fast for a bar to help.
const LARGE_INPUT: u64 = 8 << 20;

/// A bar over the input bytes, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
    documents: u64,
}

impl Progress {
    /// A bar when `quiet` is off, stderr is a terminal and the inputs are large (or of
    /// unknown size, like stdin).
    pub fn new(inputs: &[PathBuf], quiet: bool) -> Progress {
        let show = !quiet && std::io::stderr().is_terminal();
        let total = if show { input_size(inputs) } else { Some(0) };
        let bar = match total {
            _ if !show => None,
            Some(total) if total < LARGE_INPUT => None,
            Some(total) => Some(bar(ProgressBar::new(total), true)),
            None => Some(bar(ProgressBar::no_length(), false)),
        };
        Progress { bar, documents: 0 }
    }

    /// One more document done, of `bytes` bytes of text.
    pub fn add(&mut self, bytes: usize) {
        self.documents += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes as u64);
            if self.documents.is_multiple_of(256) {
                bar.set_message(format!("{} docs", self.documents));
            }
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

fn bar(bar: ProgressBar, known_length: bool) -> ProgressBar {
    let template = if known_length {
        "{bar:20} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}"
    } else {
        "{spinner} {binary_bytes} {binary_bytes_per_sec} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    bar
}

/// Total size of the input files (folders walked); `None` when stdin or a compressed
/// file is among them.
fn input_size(inputs: &[PathBuf]) -> Option<u64> {
    if inputs.is_empty() || inputs.iter().any(|i| i.as_os_str() == "-") {
        return None;
    }
    let mut total = 0;
    for input in inputs {
        for entry in walkdir::WalkDir::new(input)
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                // Progress counts text bytes: a compressed file's size says nothing of them.
                if Compression::of_path(entry.path()) != Compression::None {
                    return None;
                }
                total += entry.metadata().map_or(0, |m| m.len());
            }
        }
    }
    Some(total)
}
