use std::process::ExitCode;

use clap::Parser;

/// Tagging makes many small, short-lived allocations per document (spans, candidate
/// lists, output records) from several threads; mimalloc serves those far faster than
/// the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    gaztag::cli::run(gaztag::cli::Cli::parse())
}
