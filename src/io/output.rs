//! JSONL output: one record per document, and the file that receives them.
//!
//! Output files are written under a temporary name in the same folder and renamed into
//! place only when the run finishes, so a run that fails part-way never leaves a
//! half-written file nor clobbers the previous one.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::io::input::Document;
use crate::io::record::{RecordMention, TaggedRecord};
use crate::tag::matcher::{Mention, Tagger};

pub mod clash;
mod folder;
pub mod umask;

pub use clash::{Clash, Input};
pub(crate) use folder::OutputFolder;

/// The mentions of a record, serialized one by one as they are converted: a huge
/// document's million mentions are never gathered into a second list.
struct Mentions<'a> {
    doc: &'a Document,
    mentions: &'a [Mention],
    tagger: &'a Tagger,
}

impl Serialize for Mentions<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.mentions.iter().map(|m| self.record(m)))
    }
}

impl<'a> Mentions<'a> {
    fn record(&self, m: &'a Mention) -> RecordMention<'a> {
        let e = self.tagger.entity(&m.entity);
        RecordMention {
            id: Some(Cow::Borrowed(&e.id)),
            name: Cow::Borrowed(&e.name),
            kind: Cow::Borrowed(e.kind.as_str()),
            text: Cow::Borrowed(&self.doc.text[m.start..m.end]),
            start: self.doc.replacements.original_offset(m.start),
            end: self.doc.replacements.original_offset(m.end),
            char_start: Some(m.char_start),
            char_end: Some(m.char_end),
            sentence: m.sentence,
            token: m.token,
            attrs: Cow::Borrowed(&e.attrs),
            candidates: m
                .candidates
                .iter()
                .map(|c| Cow::Borrowed(self.tagger.entity(c).id.as_str()))
                .collect(),
        }
    }
}

/// Writes the JSONL line (with its trailing newline) for one tagged document.
pub(crate) fn write_record(
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> serde_json::Result<()> {
    let record = TaggedRecord {
        doc: Cow::Borrowed(&doc.name),
        entities: Mentions {
            doc,
            mentions,
            tagger,
        },
        meta: doc.meta.as_ref().map(Cow::Borrowed),
        warnings: Cow::Borrowed(&doc.warnings),
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Where output goes: a stream (stdout, or a device or pipe given as `-o`), or a regular
/// file replaced atomically at the end.
pub enum Output {
    Stream {
        writer: BufWriter<Box<dyn Write + Send>>,
        /// Set once a write finds the reader gone (a closed pipe).
        closed: Arc<AtomicBool>,
    },
    File {
        temp: BufWriter<tempfile::NamedTempFile>,
        /// The file to replace (symlinks already resolved, so a link keeps pointing
        /// at the new file).
        path: PathBuf,
        /// Permissions of the file being replaced, kept; a new file gets those the
        /// umask gives.
        permissions: Option<std::fs::Permissions>,
        /// Keeps the temporary file listed for [`remove_pending_files`] while it exists.
        _pending: Pending,
    },
}

/// What an interrupted run must undo: temporary outputs not yet renamed into place,
/// and an old output folder moved aside while the new one takes its place. A run
/// stopped by Ctrl-C or `kill` never reaches the destructors that would undo these,
/// so the signal handler does instead and no half-written output is left behind.
static PENDING: std::sync::Mutex<Vec<Cleanup>> = std::sync::Mutex::new(Vec::new());

#[derive(Debug, Clone, PartialEq, Eq)]
enum Cleanup {
    File(PathBuf),
    Folder(PathBuf),
    /// An old folder moved aside: renamed back unless the new one is already in place.
    Restore {
        aside: PathBuf,
        target: PathBuf,
    },
}

impl Cleanup {
    fn run(&self) {
        match self {
            Cleanup::File(path) => {
                let _ = std::fs::remove_file(path);
            }
            Cleanup::Folder(path) => remove_folder_being_written(path),
            Cleanup::Restore { aside, target } => {
                if std::fs::symlink_metadata(target).is_err() {
                    let _ = std::fs::rename(aside, target);
                } else {
                    let _ = std::fs::remove_dir_all(aside);
                }
            }
        }
    }
}

/// Removes a folder that another thread may still be writing files into: moved away
/// first, so that no new file can be created under its name, then deleted (again if a
/// file created at that moment made it not empty).
fn remove_folder_being_written(path: &Path) {
    let mut moved = path.as_os_str().to_owned();
    moved.push(".removed");
    let moved = PathBuf::from(moved);
    let doomed = if std::fs::rename(path, &moved).is_ok() {
        moved.as_path()
    } else {
        path
    };
    for _ in 0..10 {
        if std::fs::remove_dir_all(doomed).is_ok() || !doomed.exists() {
            return;
        }
    }
}

/// Lists something an interrupted run must undo, until dropped.
#[derive(Debug)]
pub struct Pending(Cleanup);

impl Pending {
    fn new(cleanup: Cleanup) -> Pending {
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(cleanup.clone());
        }
        Pending(cleanup)
    }

    fn file(path: &Path) -> Pending {
        Pending::new(Cleanup::File(path.to_path_buf()))
    }

    fn folder(path: &Path) -> Pending {
        Pending::new(Cleanup::Folder(path.to_path_buf()))
    }

    fn restore(aside: &Path, target: &Path) -> Pending {
        Pending::new(Cleanup::Restore {
            aside: aside.to_path_buf(),
            target: target.to_path_buf(),
        })
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| *p != self.0);
        }
    }
}

/// Deletes every temporary output not yet renamed into place, and puts back an old
/// output folder caught moved aside: for a signal handler, just before the process
/// exits. Older outputs are left as they were.
pub fn remove_pending_files() {
    // A poisoned lock still holds the list: a panic elsewhere must not leave files.
    let pending = match PENDING.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    // Temporary outputs first: a folder is put back only once its replacement is gone.
    for cleanup in pending.iter() {
        if !matches!(cleanup, Cleanup::Restore { .. }) {
            cleanup.run();
        }
    }
    for cleanup in pending.iter() {
        if matches!(cleanup, Cleanup::Restore { .. }) {
            cleanup.run();
        }
    }
}

impl Output {
    /// Standard output when `path` is `None` or `-`; the path itself when it is a device,
    /// FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe); otherwise a temporary
    /// file beside the real target, renamed onto it by [`Output::finish`].
    pub fn create(path: Option<&Path>) -> io::Result<Output> {
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(stdout());
        };
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let existing = std::fs::metadata(&target).ok();
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory",
                ));
            }
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new().write(true).open(&target)?;
                return Ok(stream(Box::new(file)));
            }
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let pending = Pending::file(temp.path());
        Ok(Output::File {
            temp: BufWriter::with_capacity(1 << 16, temp),
            path: target,
            permissions: existing.map(|m| m.permissions()),
            _pending: pending,
        })
    }

    /// Whether standard output's reader went away (`| head`): every error after that
    /// is a consequence, and the run ends quietly, as with a closed pipe on any stream.
    pub fn reader_gone(&self) -> bool {
        match self {
            Output::Stream { closed, .. } => closed.load(Ordering::Relaxed),
            Output::File { .. } => false,
        }
    }

    /// Flushes everything and, for a file, moves it into place. Dropping an `Output`
    /// without calling this deletes the temporary file and leaves any old file intact.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Output::Stream { mut writer, .. } => writer.flush(),
            Output::File {
                temp,
                path,
                permissions,
                _pending,
            } => {
                let temp = temp.into_inner().map_err(io::IntoInnerError::into_error)?;
                temp.as_file().sync_all()?;
                match permissions {
                    Some(p) => temp.as_file().set_permissions(p)?,
                    None => set_new_file_mode(temp.as_file())?,
                }
                temp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

fn stream(inner: Box<dyn Write + Send>) -> Output {
    Output::Stream {
        writer: BufWriter::with_capacity(1 << 16, inner),
        closed: Arc::default(),
    }
}

fn stdout() -> Output {
    let closed = Arc::<AtomicBool>::default();
    let watch = PipeWatch {
        inner: io::stdout(),
        closed: Arc::clone(&closed),
    };
    Output::Stream {
        writer: BufWriter::with_capacity(1 << 16, Box::new(watch)),
        closed,
    }
}

/// Standard output, noting when its reader goes away. Writers above it (YAML, CSV)
/// may wrap the error in their own, hiding its kind; the flag still tells.
struct PipeWatch {
    inner: io::Stdout,
    closed: Arc<AtomicBool>,
}

impl PipeWatch {
    fn watch<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(err) = &result
            && err.kind() == io::ErrorKind::BrokenPipe
        {
            self.closed.store(true, Ordering::Relaxed);
        }
        result
    }
}

impl Write for PipeWatch {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// Temporary files are created private (0600); a new output gets what a plain
/// `open(O_CREAT, 0666)` would give it under the umask.
fn set_new_file_mode(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(umask::file_mode()))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stream { writer, .. } => writer.write(buf),
            Output::File { temp, .. } => temp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stream { writer, .. } => writer.write_all(buf),
            Output::File { temp, .. } => temp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stream { writer, .. } => writer.flush(),
            Output::File { temp, .. } => temp.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_has_contract_fields_in_order() {
        let gazetteer = crate::Gazetteer::from_yaml_str(
            "t.yaml",
            "type: LOC\nentities:\n  - {id: almaty, name: Almaty, attrs: {country: KZ}}\n",
        )
        .unwrap();
        let tagger = Tagger::new(gazetteer).unwrap();
        let doc = Document {
            name: "a.txt".into(),
            text: "In Almaty.".into(),
            ..Document::default()
        };
        let m = Mention {
            entity: crate::EntityRef::Gazetteer(0),
            start: 3,
            end: 9,
            char_start: 3,
            char_end: 9,
            sentence: 0,
            token: 1,
            candidates: vec![],
        };
        let mut out = Vec::new();
        write_record(&mut out, &doc, std::slice::from_ref(&m), &tagger).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"doc":"a.txt","entities":[{"id":"almaty","name":"Almaty","type":"LOC","#,
                r#""text":"Almaty","start":3,"end":9,"char_start":3,"char_end":9,"#,
                r#""sentence":0,"token":1,"attrs":{"country":"KZ"}}]}"#,
                "\n"
            )
        );
    }

    #[test]
    fn failed_file_output_leaves_old_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        let mut out = Output::create(Some(&path)).unwrap();
        out.write_all(b"new partial").unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut out = Output::create(Some(&path)).unwrap();
        out.write_all(b"new\n").unwrap();
        out.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through_and_symlinks_kept() {
        let out = Output::create(Some(Path::new("/dev/null"))).unwrap();
        assert!(matches!(out, Output::Stream { .. }));
        out.finish().unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());

        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.jsonl");
        let link = dir.path().join("link.jsonl");
        std::fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut out = Output::create(Some(&link)).unwrap();
        out.write_all(b"new\n").unwrap();
        out.finish().unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
    }

    #[test]
    fn a_directory_is_not_an_output() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Output::create(Some(dir.path())).is_err());
    }
}
