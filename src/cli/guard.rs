//! The rules every command's outputs follow: an output is never one of the inputs,
//! and a run that read nothing replaces nothing.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{EXIT_PARTIAL, TaggingArgs};
use gaztag::io::output::{Input, clash};

/// The inputs of a command, gathered to compare with its outputs.
#[derive(Default)]
pub struct Inputs<'a>(Vec<Input<'a>>);

impl<'a> Inputs<'a> {
    /// Document inputs as given on the command line; none is standard input.
    pub fn documents<S: AsRef<Path>>(args: &'a [S]) -> Inputs<'a> {
        let mut inputs = Inputs::default();
        if args.is_empty() {
            inputs.0.push(Input::Stdin);
        }
        inputs.files(args)
    }

    /// Adds files (or folders); `-` is standard input.
    pub fn files<S: AsRef<Path>>(mut self, args: &'a [S]) -> Inputs<'a> {
        self.0
            .extend(args.iter().map(|a| Input::from_arg(a.as_ref())));
        self
    }

    /// Adds one file.
    pub fn file(mut self, path: &'a Path) -> Inputs<'a> {
        self.0.push(Input::from_arg(path));
        self
    }

    /// Adds the gazetteers and stop lists the tagger reads.
    pub fn tagging(self, tagging: &'a TaggingArgs) -> Inputs<'a> {
        self.files(&tagging.gazetteer.gazetteers)
            .files(&tagging.stop)
    }

    /// Refuses, before anything is read, an output file (or stdout redirected to a
    /// file) that is one of these inputs.
    pub fn check_output(&self, output: Option<&PathBuf>) -> anyhow::Result<()> {
        match output.filter(|p| p.as_path() != Path::new("-")) {
            Some(path) => clash::check_file(path, &self.0)?,
            None => clash::check_stdout(&self.0)?,
        }
        Ok(())
    }

    /// Refuses an output folder that holds an input or lies in an input folder.
    pub fn check_folder(&self, output: &Path) -> anyhow::Result<()> {
        clash::check_folder(output, &self.0).context("cannot write the output folder")
    }
}

/// How much of the input a run could read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadCount {
    pub documents: u64,
    pub failures: u64,
}

impl ReadCount {
    /// Inputs failed and none gave a document: the run has nothing to write, and an
    /// earlier output is worth more than an empty one. (Empty inputs read fine are
    /// not failures: they still give an empty output.)
    pub fn nothing_read(&self) -> bool {
        self.documents == 0 && self.failures > 0
    }

    pub fn exit_code(&self) -> u8 {
        if self.failures > 0 {
            EXIT_PARTIAL
        } else {
            super::EXIT_OK
        }
    }
}

/// Says that no input could be read and what became of the output; the exit code.
pub fn nothing_written(output: Option<&Path>) -> u8 {
    let what = match output.filter(|p| *p != Path::new("-")) {
        Some(path) if std::fs::symlink_metadata(path).is_ok() => {
            format!("the old output {} was kept", path.display())
        }
        Some(path) => format!("{} was not created", path.display()),
        None => "nothing was written".to_string(),
    };
    say!("gaztag: no input could be read: {what}");
    EXIT_PARTIAL
}
