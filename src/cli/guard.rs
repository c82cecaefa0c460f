//! The rules every command's outputs follow: an output is never one of the inputs, a
//! run that read nothing replaces nothing, a file is replaced only whole, and a closed
//! pipe is no error.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{EXIT_PARTIAL, TaggingArgs};
use gaztag::io::output::{Input, Output, clash};

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

/// Writes to a file (atomically) or stdout; a closed stdout pipe is not an error,
/// whatever writer above it reported it (YAML and CSV writers hide the error's kind).
pub fn write_to(
    path: Option<&PathBuf>,
    render: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let target = path.map_or_else(|| "-".to_string(), |p| p.display().to_string());
    let mut output = Output::create(path.map(PathBuf::as_path))
        .with_context(|| format!("cannot create output {target}"))?;
    let rendered = render(&mut output);
    let reader_gone = output.reader_gone();
    let result = rendered.and_then(|()| output.finish().map_err(anyhow::Error::from));
    match result {
        Err(err) if pipe_closed(reader_gone, &err) => Ok(()),
        other => other.with_context(|| format!("cannot write {target}")),
    }
}

/// Whether a failed write only met a closed pipe: stdout's reader was seen leaving
/// (`reader_gone`, from [`Output::reader_gone`]), or the error says so.
pub fn pipe_closed(reader_gone: bool, err: &anyhow::Error) -> bool {
    reader_gone || is_broken_pipe(err)
}

/// The one rule for a closed pipe (`gaztag … | head`): the reader went away, which is
/// how a pipeline ends, not a failure; the run stops quietly with the code it had.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
