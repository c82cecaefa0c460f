//! The gazetteer's data: an entity as every later stage sees it, and the errors of
//! loading one. Loaders (YAML, tables, imports) produce these; nothing here parses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One named thing that can be mentioned in a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entity {
    /// Canonical id, unique across every file loaded.
    pub id: String,
    /// Canonical name; also matched like an alias.
    pub name: String,
    /// Type: `PER`, `ORG`, `LOC` or a label of the gazetteer's own.
    pub kind: Kind,
    /// Other surface forms (never repeats `name`).
    pub aliases: Vec<String>,
    /// Free string attributes copied to every mention.
    pub attrs: BTreeMap<String, String>,
    /// How likely this entity is, against others sharing a name (YAML `prior`; higher
    /// wins). Places without one use log10 of their `population` attribute.
    pub prior: Option<f64>,
}

impl Entity {
    /// The prior used when several entities share a surface form: the `prior` field, or
    /// log10(population + 1), or 0.
    pub fn prior_score(&self) -> f64 {
        self.prior.unwrap_or_else(|| {
            self.attrs
                .get("population")
                .and_then(|p| p.parse::<f64>().ok())
                // "NaN", "inf" or a negative count would make a NaN or infinite prior.
                .filter(|p| p.is_finite() && *p >= 0.0)
                .map_or(0.0, |p| (p + 1.0).log10())
        })
    }

    /// The canonical name followed by the aliases: every form the matcher looks for.
    pub fn surface_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// An entity's type. The three types the heuristics reason about (a person's surname, a
/// place after "in") are variants, so that asking "is this a person?" is checked by the
/// compiler rather than by spelling; any other label a gazetteer uses (`EVENT`, `MISC`)
/// is kept as written. An enum rather than a string newtype with constants: a `match`
/// must then say what it does with custom labels, and comparing two kinds costs nothing.
///
/// ```
/// use gaztag::Kind;
/// assert_eq!(Kind::from("PER"), Kind::Per);
/// assert_eq!(Kind::from("EVENT").as_str(), "EVENT");
/// assert_eq!(Kind::Loc.to_string(), "LOC");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `PER`: a person.
    Per,
    /// `ORG`: an organization.
    Org,
    /// `LOC`: a place.
    Loc,
    /// Any other label, as written (never `PER`, `ORG` or `LOC`: those are the variants,
    /// so that equal labels are equal kinds).
    Other(Box<str>),
}

impl Kind {
    /// The label as written in output records and gazetteer files.
    pub fn as_str(&self) -> &str {
        match self {
            Kind::Per => "PER",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
            Kind::Other(label) => label,
        }
    }
}

/// An entity not yet typed has an empty label, as before types had a type.
impl Default for Kind {
    fn default() -> Kind {
        Kind::Other("".into())
    }
}

impl From<&str> for Kind {
    fn from(label: &str) -> Kind {
        match label {
            "PER" => Kind::Per,
            "ORG" => Kind::Org,
            "LOC" => Kind::Loc,
            other => Kind::Other(other.into()),
        }
    }
}

impl From<String> for Kind {
    fn from(label: String) -> Kind {
        match label.as_str() {
            "PER" | "ORG" | "LOC" => Kind::from(label.as_str()),
            _ => Kind::Other(label.into_boxed_str()),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares the label as written: a custom label is only known by its spelling.
impl PartialEq<str> for Kind {
    fn eq(&self, label: &str) -> bool {
        self.as_str() == label
    }
}

impl PartialEq<&str> for Kind {
    fn eq(&self, label: &&str) -> bool {
        self.as_str() == *label
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a gazetteer (or a stop list, read the same bounded way) could not be loaded.
/// Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The content breaks a rule (bad YAML, a duplicate id, an empty alias…), at a
    /// position an editor can jump to.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, for a person.
        message: String,
    },
    /// The content breaks a rule that no single position shows.
    #[error("{path}: {message}")]
    InvalidNoLocation {
        /// The file.
        path: PathBuf,
        /// What is wrong, for a person.
        message: String,
    },
    /// A table row (TSV/CSV) that cannot be read; `line` counts from 1, the header.
    #[error("{path}:{line}: {message}")]
    InvalidRow {
        /// The file.
        path: PathBuf,
        /// 1-based line, the header being line 1.
        line: usize,
        /// What is wrong, for a person.
        message: String,
    },
    /// A device, socket or folder where a file was expected: it could be endless.
    #[error("{path}: not a regular file ({kind}): gazetteers and stop lists are read from files")]
    NotAFile {
        /// The path given.
        path: PathBuf,
        /// What it is instead ("a folder", "a device"…).
        kind: &'static str,
    },
    /// Larger than a gazetteer file may be: reading stopped at the cap, so a huge or
    /// endless file costs bounded memory.
    #[error("{path}: larger than {cap} bytes, the most a gazetteer file or stop list may hold")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap, in bytes.
        cap: u64,
    },
    /// A NUL byte: not text, most likely a file given by mistake.
    #[error("{path}: binary file (a NUL byte at offset {offset})")]
    Binary {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// A folder holding no file with a gazetteer extension.
    #[error("{path}: no gazetteer files (*.yaml, *.yml, *.tsv, *.csv, *.jsonl, *.def) found")]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// Every id loaded so far and the file that defined it (shared, not copied per id).
pub(crate) type IdMap = rustc_hash::FxHashMap<String, Arc<Path>>;
