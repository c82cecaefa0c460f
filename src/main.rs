use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    gaztag::cli::run(gaztag::cli::Cli::parse())
}
