use std::process::ExitCode;

#[macro_use]
mod cli;

/// The tagger allocates many small, short-lived strings per document on every
/// worker thread; mimalloc's thread-local free lists serve those far faster
/// than the system allocator (measured in bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run(cli::parse())
}
