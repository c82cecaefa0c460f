//! `gaztag completions SHELL` and `gaztag man`: what a shell and `man` need, generated
//! from the same argument definitions as `--help`, so they never drift from it.

use std::io::Write;

use anyhow::Context;
use clap::{Args, CommandFactory, ValueEnum};

use super::guard::is_broken_pipe;
use super::{Cli, EXIT_OK};

/// Print a shell completion script to stdout.
///
/// Install it where your shell looks for completions, for example:
///   gaztag completions bash > ~/.local/share/bash-completion/completions/gaztag
///   gaztag completions zsh > ~/.zfunc/_gaztag      (with fpath+=~/.zfunc in .zshrc)
///   gaztag completions fish > ~/.config/fish/completions/gaztag.fish
///   gaztag completions powershell >> $PROFILE
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<ShellArg> for clap_complete::Shell {
    fn from(shell: ShellArg) -> Self {
        match shell {
            ShellArg::Bash => clap_complete::Shell::Bash,
            ShellArg::Zsh => clap_complete::Shell::Zsh,
            ShellArg::Fish => clap_complete::Shell::Fish,
            ShellArg::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(
        clap_complete::Shell::from(args.shell),
        &mut command,
        "gaztag",
        &mut out,
    );
    write_stdout(&out)
}

/// Print the man page (roff) to stdout: `gaztag man | man -l -`, or install it with
/// `gaztag man > ~/.local/share/man/man1/gaztag.1`.
#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn man(_args: ManArgs) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .context("cannot render the man page")?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(EXIT_OK),
        Err(err) => {
            let err = anyhow::Error::from(err);
            if is_broken_pipe(&err) {
                return Ok(EXIT_OK);
            }
            Err(err).context("cannot write to stdout")
        }
    }
}
