//! brat standoff: a `.txt` and an `.ann` file per document, in a folder that replaces
//! the previous one only when the run ends.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::io::batch::{RecordSink, Tagged};
use crate::io::export::Format;
use crate::io::input::Document;
use crate::io::output::OutputFolder;
use crate::tag::matcher::{Mention, Tagger};

/// The folder of `--format brat`: a `.txt` and an `.ann` file per document, named after
/// the document (made unique with `-2`, `-3`… when two names clean to one). It replaces
/// the previous folder only when the run ends (see `io::output::OutputFolder`).
pub struct BratFolder {
    folder: OutputFolder,
    dir: PathBuf,
    used: HashSet<String>,
}

/// A file of the folder that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub(crate) struct BratFileError {
    pub path: String,
    #[source]
    pub source: io::Error,
}

impl BratFolder {
    /// Starts writing the folder `dir` (see [`OutputFolder::create`]).
    pub fn create(dir: &Path) -> io::Result<BratFolder> {
        Ok(BratFolder {
            folder: OutputFolder::create(dir)?,
            dir: dir.to_path_buf(),
            used: HashSet::new(),
        })
    }

    /// Puts the finished folder in place of the previous one.
    pub fn finish(self) -> io::Result<()> {
        self.folder.finish()
    }

    /// A file name stem for `name` no earlier document took.
    fn unique_stem(&mut self, name: &str) -> String {
        let base = stem(name);
        let mut stem = base.clone();
        let mut n = 1;
        while !self.used.insert(stem.clone()) {
            n += 1;
            stem = format!("{base}-{n}");
        }
        stem
    }
}

impl RecordSink for BratFolder {
    /// The record of a document is its `.ann` file.
    type Format = Format;

    fn format(&self) -> Format {
        Format::Brat
    }

    /// Writes the document's `.txt` and `.ann` files. The error of a file names it
    /// ([`BratFileError`]).
    fn write(&mut self, tagged: &Tagged, tagger: &Tagger) -> io::Result<()> {
        let stem = self.unique_stem(&tagged.document.name);
        let mut ann = Vec::new();
        tagged.write_record(&mut ann, tagger, &Format::Brat)?;
        for (ext, contents) in [("txt", tagged.document.text.as_bytes()), ("ann", &ann)] {
            let name = format!("{stem}.{ext}");
            self.folder.write_file(&name, contents).map_err(|source| {
                let path = self.dir.join(&name).display().to_string();
                io::Error::new(source.kind(), BratFileError { path, source })
            })?;
        }
        Ok(())
    }
}

/// A document's brat standoff annotations (`.ann`): a text-bound `T` line per mention
/// with character offsets (a span across a line break as fragments, as brat requires),
/// and an `AnnotatorNotes` line holding the entity's id.
pub(crate) fn annotations(doc: &Document, mentions: &[Mention], tagger: &Tagger) -> String {
    let mut ann = String::new();
    for (n, m) in mentions.iter().enumerate() {
        let e = tagger.entity(&m.entity);
        let mut fragments = Vec::new();
        let mut texts = Vec::new();
        let mut char_at = m.char_start;
        for line in doc.text[m.start..m.end].split(is_brat_line_break) {
            let chars = line.chars().count();
            if chars > 0 {
                fragments.push(format!("{} {}", char_at, char_at + chars));
                texts.push(line);
            }
            char_at += chars + 1;
        }
        ann.push_str(&format!(
            "T{}\t{} {}\t{}\n#{}\tAnnotatorNotes T{}\t{}\n",
            n + 1,
            e.kind,
            fragments.join(";"),
            texts.join(" "),
            n + 1,
            n + 1,
            e.id
        ));
    }
    ann
}

/// The characters that end a line for brat, which reads `.ann` files with Python's
/// `str.splitlines`: a fragment must not contain one, or brat drops the annotation.
fn is_brat_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A file name for a document's brat files: its name without a `.txt` ending, every
/// character that is not a letter, digit, `-`, `_` or `.` replaced by `_` (so
/// "news/a.txt" → "news_a").
pub(crate) fn stem(name: &str) -> String {
    let stem: String = name
        .strip_suffix(".txt")
        .unwrap_or(name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "doc".to_string()
    } else {
        stem.to_string()
    }
}
