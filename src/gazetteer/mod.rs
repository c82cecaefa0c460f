//! Gazetteer loading: YAML files of entities, each with a canonical id, a name and aliases
//! (and TSV/CSV tables, see [`table`]).
//!
//! Validation happens while deserializing, inside serde visitors, so that every error
//! carries the line and column where the YAML parser stood (serde_yaml attaches the
//! position of the value being visited to errors raised from its visitor).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

mod depth;
pub mod import;
pub mod source;
pub mod table;
pub mod write;

pub use source::{MAX_LIST_FILE_SIZE, read_list_file};

/// The default gazetteers: the repository's `gazetteers/` folder, converted by build.rs
/// to one line per file, `PATH<TAB>JSON`, because JSON parses far faster than YAML.
const DEFAULT_SET: &str = include_str!(concat!(env!("OUT_DIR"), "/default_gazetteers.tsv"));

/// One named thing that can be mentioned in a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entity {
    /// Canonical id, unique across every file loaded.
    pub id: String,
    /// Canonical name; also matched like an alias.
    pub name: String,
    /// Type label such as `PER`, `ORG` or `LOC`.
    pub kind: String,
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

/// A loaded, validated set of entities.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    /// What loading noticed that is no error (a file given twice, read once); the
    /// command line prints these on stderr.
    pub warnings: Vec<String>,
}

/// Why a gazetteer could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    InvalidNoLocation { path: PathBuf, message: String },
    /// A table row (TSV/CSV) that cannot be read; `line` counts from 1, the header.
    #[error("{path}:{line}: {message}")]
    InvalidRow {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A device, socket or folder where a file was expected: it could be endless.
    #[error("{path}: not a regular file ({kind}): gazetteers and stop lists are read from files")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{path}: larger than {cap} bytes, the most a gazetteer file or stop list may hold")]
    TooLarge { path: PathBuf, cap: u64 },
    #[error("{path}: binary file (a NUL byte at offset {offset})")]
    Binary { path: PathBuf, offset: usize },
    #[error("{path}: no gazetteer files (*.yaml, *.yml, *.tsv, *.csv, *.jsonl, *.def) found")]
    Empty { path: PathBuf },
}

impl Gazetteer {
    /// Loads the gazetteers compiled into the binary from the repository's `gazetteers/`.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        // Files parse independently, on all cores; ids are then checked in file order.
        let lines: Vec<&str> = DEFAULT_SET.lines().collect();
        let parsed: Vec<(PathBuf, RawFile)> = lines
            .par_iter()
            .map(|line| {
                let (label, json) = line.split_once('\t').unwrap_or((line, ""));
                let path = Path::new("<embedded>").join(label);
                match serde_json::from_str::<RawFile>(json) {
                    Ok(raw) => Ok((path, raw)),
                    Err(err) => Err(GazetteerError::InvalidNoLocation {
                        path,
                        message: err.to_string(),
                    }),
                }
            })
            .collect::<Result<_, _>>()?;
        let mut loader = Loader::default();
        for (path, raw) in parsed {
            let shared: Arc<Path> = Arc::from(path.as_path());
            for CheckedEntity(e) in &raw.entities {
                if let Some(first) = loader.seen.insert(e.id.0.clone(), shared.clone()) {
                    return Err(GazetteerError::InvalidNoLocation {
                        path,
                        message: format!(
                            "duplicate id {:?}: already defined in {}",
                            e.id.0,
                            first.display()
                        ),
                    });
                }
            }
            loader.add_raw(raw);
        }
        Ok(loader.finish())
    }

    /// Loads every path given: a gazetteer file, or a folder whose gazetteer files are
    /// read recursively in sorted path order, each in the format its extension names.
    /// Ids must be unique across all of them.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("places.tsv");
    /// std::fs::write(&path, "name\ttype\tid\nAlmaty\tPLACE\talmaty\nAlma-Ata\tPLACE\talmaty\n")?;
    /// let gazetteer = gaztag::Gazetteer::load(&[&path])?;
    /// assert_eq!(gazetteer.entities[0].aliases, ["Alma-Ata"]);
    /// // Errors name the file and line.
    /// std::fs::write(&path, "name\ttype\nAlmaty\tPLACE\n")?;
    /// let error = gaztag::Gazetteer::load(&[&path]).unwrap_err().to_string();
    /// assert!(error.ends_with("places.tsv:1: missing column \"id\" in the header (found: name, type)"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Gazetteer, GazetteerError> {
        Gazetteer::load_as(paths, None)
    }

    /// [`Gazetteer::load`], with every file read as `format` when one is given.
    pub fn load_as<P: AsRef<Path>>(
        paths: &[P],
        format: Option<FileFormat>,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        // Each file once: `-g a.yaml -g a.yaml` or `-g dir -g dir/a.yaml` would
        // otherwise fail on every id as a duplicate of itself.
        let mut loaded: rustc_hash::FxHashMap<_, PathBuf> = Default::default();
        for path in paths {
            for file in gazetteer_files(path.as_ref())? {
                if let Some(key) = file_identity(&file) {
                    if let Some(first) = loaded.get(&key) {
                        loader.warnings.push(same_file_warning(&file, first));
                        continue;
                    }
                    loaded.insert(key, file.clone());
                }
                let text = read_list_file(&file)?;
                let seen = &mut loader.seen;
                let entities = match format.or_else(|| FileFormat::of(&file)) {
                    Some(FileFormat::Tsv) => table::read(&file, &text, table::Dialect::Tsv, seen)?,
                    Some(FileFormat::Csv) => table::read(&file, &text, table::Dialect::Csv, seen)?,
                    Some(FileFormat::Spacy) => import::read_spacy_patterns(&file, &text, seen)?,
                    Some(FileFormat::Gate) => import::read_gate(&file, &text, seen)?,
                    Some(FileFormat::Yaml) | None => {
                        loader.add_yaml(&file, &text)?;
                        continue;
                    }
                };
                loader.entities.extend(entities);
            }
        }
        Ok(loader.finish())
    }

    /// Parses one YAML gazetteer held in memory (handy for tests and embedding).
    pub fn from_yaml_str(label: &str, yaml: &str) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        loader.add_yaml(Path::new(label), yaml)?;
        Ok(loader.finish())
    }

    /// Parses one TSV or CSV gazetteer held in memory; `label` names it in errors.
    pub fn from_table_str(
        label: &str,
        text: &str,
        dialect: table::Dialect,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        let entities = table::read(Path::new(label), text, dialect, &mut loader.seen)?;
        loader.entities.extend(entities);
        Ok(loader.finish())
    }
}

fn same_file_warning(file: &Path, first: &Path) -> String {
    if file == first {
        format!("{}: given twice; read once", file.display())
    } else {
        format!(
            "{}: the same file as {}, given before; read once",
            file.display(),
            first.display()
        )
    }
}

/// What makes two paths the same file: device and inode (through symlinks and hard
/// links alike), or the canonical path where there are no inodes.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// The YAML files a `-g` path stands for, in the order they are loaded.
fn gazetteer_files(path: &Path) -> Result<Vec<PathBuf>, GazetteerError> {
    let meta = std::fs::metadata(path).map_err(|source| GazetteerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        // A FIFO is read as a file; a device is refused by the reader, naming it.
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !(is_hidden(e.path()) || is_build_dir(e.path())));
    for entry in walker {
        let entry = entry.map_err(|err| GazetteerError::Io {
            path: err.path().unwrap_or(path).to_path_buf(),
            source: err.into(),
        })?;
        if entry.file_type().is_file() && is_gazetteer_file(entry.path()) {
            files.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(GazetteerError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(files)
}

fn is_gazetteer_file(path: &Path) -> bool {
    !is_hidden(path) && FileFormat::of(path).is_some()
}

/// The formats a gazetteer file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    Yaml,
    Tsv,
    Csv,
    /// spaCy EntityRuler / PhraseMatcher patterns, JSONL.
    Spacy,
    /// A GATE `lists.def` naming `.lst` files.
    Gate,
}

impl FileFormat {
    /// By extension: `.yaml`/`.yml`, `.tsv`/`.tab`, `.csv`, `.jsonl` (spaCy patterns),
    /// `.def` (GATE).
    pub fn of(path: &Path) -> Option<FileFormat> {
        if let Some(dialect) = table::Dialect::of(path) {
            return Some(match dialect {
                table::Dialect::Tsv => FileFormat::Tsv,
                table::Dialect::Csv => FileFormat::Csv,
            });
        }
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(FileFormat::Yaml),
            "jsonl" => Some(FileFormat::Spacy),
            "def" => Some(FileFormat::Gate),
            _ => None,
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// `build/` folders hold the scripts and inputs that generate gazetteers, not gazetteers.
fn is_build_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "build")
}

/// Accumulates files while enforcing that ids are unique across all of them.
#[derive(Default)]
struct Loader {
    entities: Vec<Entity>,
    warnings: Vec<String>,
    /// id → file it was first defined in.
    seen: IdMap,
}

impl Loader {
    fn add_yaml(&mut self, path: &Path, yaml: &str) -> Result<(), GazetteerError> {
        if let Some((line, column)) = depth::too_deep(yaml) {
            return Err(GazetteerError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "nested more than {} levels deep (a gazetteer needs 3)",
                    depth::MAX_FLOW_DEPTH
                ),
            });
        }
        let raw = with_id_registry(&mut self.seen, path, || {
            serde_yaml::from_str::<RawFile>(yaml)
        })
        .map_err(|err| yaml_error(path, err))?;
        self.add_raw(raw);
        Ok(())
    }

    fn add_raw(&mut self, raw: RawFile) {
        for CheckedEntity(e) in raw.entities {
            let name = e.name.0;
            let mut aliases: Vec<String> = Vec::with_capacity(e.aliases.len());
            for alias in e.aliases {
                if alias.0 != name && !aliases.contains(&alias.0) {
                    aliases.push(alias.0);
                }
            }
            self.entities.push(Entity {
                id: e.id.0,
                name,
                kind: e.kind.unwrap_or_else(|| raw.kind.clone()).0,
                aliases,
                attrs: e.attrs.into_iter().map(|(k, v)| (k.0, v.0)).collect(),
                prior: e.prior.map(|p| p.0),
            });
        }
    }

    fn finish(self) -> Gazetteer {
        Gazetteer {
            entities: self.entities,
            warnings: self.warnings,
        }
    }
}

fn yaml_error(path: &Path, err: serde_yaml::Error) -> GazetteerError {
    let message = strip_location_suffix(&err.to_string());
    match err.location() {
        Some(loc) => GazetteerError::Invalid {
            path: path.to_path_buf(),
            line: loc.line(),
            column: loc.column(),
            message,
        },
        None => GazetteerError::InvalidNoLocation {
            path: path.to_path_buf(),
            message,
        },
    }
}

/// serde_yaml puts " at line L column C" into its messages (at the end, or before a
/// clause such as ", while scanning a quoted scalar"); we print the location as
/// `file:line:column:` in front instead, as compilers do.
fn strip_location_suffix(message: &str) -> String {
    let Some(pos) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[pos + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(" column ").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{rest}", &message[..pos])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(rename = "type")]
    kind: TypeLabel,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    entities: Vec<CheckedEntity>,
}

/// An entity whose fields have been checked together: a one-letter name or alias
/// ("A", "X") would fire on initials and list markers all over news text, so it needs
/// the entity's explicit `allow_one_letter: true`. The check runs inside the visit of
/// the entity's mapping, so serde_yaml gives its error the entity's line and column.
struct CheckedEntity(RawEntity);

impl<'de> Deserialize<'de> for CheckedEntity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CheckedEntity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an entity (a mapping with id and name)")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<CheckedEntity, A::Error> {
                let e = RawEntity::deserialize(de::value::MapAccessDeserializer::new(map))?;
                check_one_letter(&e).map_err(de::Error::custom)?;
                Ok(CheckedEntity(e))
            }
        }
        d.deserialize_map(V)
    }
}

fn check_one_letter(e: &RawEntity) -> Result<(), String> {
    if e.allow_one_letter {
        return Ok(());
    }
    let mut surfaces = std::iter::once(&e.name).chain(&e.aliases).map(|s| &s.0);
    match surfaces.find(|s| is_one_letter(s)) {
        Some(short) => Err(format!(
            "entity {:?}: {short:?} is one letter, which matches initials and list markers \
             everywhere; set `allow_one_letter: true` on the entity to keep it",
            e.id.0
        )),
        None => Ok(()),
    }
}

/// An id goes into TSV cells, brat annotation lines and terminal messages, where a tab,
/// a line break or an escape sequence would break the output or the screen.
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    match id.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "id {id:?} holds the control character U+{:04X}, which would break TSV and brat output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// An attribute key or value goes into TSV headers and cells and into terminal
/// messages just as an id does, so the same characters break it.
pub(crate) fn check_attr(key: &str, value: &str) -> Result<(), String> {
    check_attr_key(key)?;
    check_attr_value(value).map_err(|m| format!("attribute {key:?}: {m}"))
}

pub(crate) fn check_attr_key(key: &str) -> Result<(), String> {
    match key.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "attribute name {key:?} holds the control character U+{:04X}, which would break TSV output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

fn check_attr_value(value: &str) -> Result<(), String> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "value {value:?} holds the control character U+{:04X}, which would break TSV output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// A name or alias (whitespace already squeezed) must be something a reader can see: a
/// control character would break the output, and a form without a letter or digit once
/// folded (punctuation, zero-width or bidi characters, combining marks) would be tagged
/// where the text shows nothing, or nothing but a comma.
pub(crate) fn check_surface(form: &str) -> Result<(), String> {
    if let Some(c) = form.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{form:?} holds the control character U+{:04X}, which would break TSV and brat output",
            u32::from(c)
        ));
    }
    let folded = crate::normalize::normalize(form).text;
    if !folded.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "{form:?} has no letter or digit (only punctuation, marks or invisible \
             characters): it would be tagged where the text shows no name"
        ));
    }
    Ok(())
}

/// A prior is compared with others: NaN would win or lose every comparison at random,
/// and an infinite one would beat every context clue.
pub(crate) fn check_prior(prior: f64) -> Result<f64, String> {
    if prior.is_finite() {
        Ok(prior)
    } else {
        Err(format!("prior {prior} is not a finite number"))
    }
}

/// One character, not counting trailing dots: "A", "X", "É", "Q.".
pub(crate) fn is_one_letter(surface: &str) -> bool {
    surface.trim_end_matches('.').chars().count() == 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: EntityId,
    name: Surface,
    #[serde(default)]
    aliases: Vec<Surface>,
    #[serde(rename = "type", default)]
    kind: Option<TypeLabel>,
    #[serde(default)]
    attrs: BTreeMap<AttrKey, AttrValue>,
    #[serde(default)]
    prior: Option<Prior>,
    #[serde(default)]
    allow_one_letter: bool,
}

/// A finite `prior` (`.nan`, `.inf` and `1e999` are errors at their position).
struct Prior(f64);

impl<'de> Deserialize<'de> for Prior {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Prior;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a finite number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Prior, E> {
                check_prior(v).map(Prior).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Prior, E> {
                Ok(Prior(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Prior, E> {
                Ok(Prior(v as f64))
            }
        }
        d.deserialize_f64(V)
    }
}

/// An attribute name, checked at its own position in the file.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct AttrKey(String);

impl<'de> Deserialize<'de> for AttrKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an attribute name",
            check: |s| check_attr_key(s).map(|()| AttrKey(s.to_string())),
        })
    }
}

/// An attribute value: a string, or a number or boolean taken as its text, so that
/// `population: 2000000` means what it says whichever parser read it.
struct AttrValue(String);

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean attribute value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttrValue, E> {
                check_attr_value(v)
                    .map(|()| AttrValue(v.to_string()))
                    .map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A type label: an uppercase ASCII word such as `PER`, `ORG`, `LOC` or `EVENT`.
#[derive(Clone)]
struct TypeLabel(String);

impl<'de> Deserialize<'de> for TypeLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an UPPERCASE type label such as PER, ORG or LOC",
            check: |s| {
                if is_type_label(s) {
                    Ok(TypeLabel(s.to_string()))
                } else {
                    Err(format!(
                        "bad type label {s:?}: expected an UPPERCASE label such as PER, ORG or LOC"
                    ))
                }
            },
        })
    }
}

/// `[A-Z][A-Z0-9_]*`: the form of every type label, in YAML and in tables.
pub(crate) fn is_type_label(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A name or alias: non-empty after trimming; inner whitespace runs become one space.
struct Surface(String);

impl<'de> Deserialize<'de> for Surface {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "a non-empty name",
            check: |s| {
                let cleaned = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if cleaned.is_empty() {
                    return Err("empty name or alias".to_string());
                }
                check_surface(&cleaned)?;
                Ok(Surface(cleaned))
            },
        })
    }
}

/// An entity id; checked for uniqueness against every file loaded so far.
struct EntityId(String);

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an entity id",
            check: |s| {
                if s.trim().is_empty() || s.trim() != s {
                    return Err(format!(
                        "bad id {s:?}: ids are non-empty, without surrounding spaces"
                    ));
                }
                check_id(s)?;
                register_id(s).map(|()| EntityId(s.to_string()))
            },
        })
    }
}

/// Visits a string scalar and validates it. Errors raised here get the scalar's position.
struct StrVisitor<T, F: Fn(&str) -> Result<T, String>> {
    expecting: &'static str,
    check: F,
}

impl<'de, T, F: Fn(&str) -> Result<T, String>> Visitor<'de> for StrVisitor<T, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }
}

/// Every id loaded so far and the file that defined it (shared, not copied per id).
pub(crate) type IdMap = rustc_hash::FxHashMap<String, Arc<Path>>;

/// Ids seen so far during one load, reachable from inside serde visitors, which cannot
/// take extra arguments. Set only for the duration of [`with_id_registry`].
struct IdRegistry {
    seen: IdMap,
    current: Arc<Path>,
}

thread_local! {
    static ID_REGISTRY: RefCell<Option<IdRegistry>> = const { RefCell::new(None) };
}

fn with_id_registry<T>(seen: &mut IdMap, current: &Path, f: impl FnOnce() -> T) -> T {
    let registry = IdRegistry {
        seen: std::mem::take(seen),
        current: Arc::from(current),
    };
    ID_REGISTRY.with(|r| *r.borrow_mut() = Some(registry));
    let result = f();
    if let Some(registry) = ID_REGISTRY.with(|r| r.borrow_mut().take()) {
        *seen = registry.seen;
    }
    result
}

fn register_id(id: &str) -> Result<(), String> {
    ID_REGISTRY.with(|r| {
        let mut guard = r.borrow_mut();
        let Some(registry) = guard.as_mut() else {
            return Ok(());
        };
        if let Some(first) = registry.seen.get(id) {
            let where_ = if **first == *registry.current {
                "earlier in this file".to_string()
            } else {
                format!("in {}", first.display())
            };
            return Err(format!("duplicate id {id:?}: already defined {where_}"));
        }
        let current = registry.current.clone();
        registry.seen.insert(id.to_string(), current);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "type: PER
source: test
entities:
  - id: vladimir-putin
    name: Vladimir Putin
    aliases: [Putin, Vladimir  Vladimirovich Putin, Vladimir Putin]
    attrs: {country: RU}
  - id: almaty
    name: Almaty
    type: LOC
";

    fn err(yaml: &str) -> String {
        Gazetteer::from_yaml_str("g.yaml", yaml)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn loads_entities_with_defaults_and_overrides() {
        let g = Gazetteer::from_yaml_str("g.yaml", OK).unwrap();
        assert_eq!(g.entities.len(), 2);
        let putin = &g.entities[0];
        assert_eq!(putin.kind, "PER");
        assert_eq!(putin.aliases, vec!["Putin", "Vladimir Vladimirovich Putin"]);
        assert_eq!(putin.attrs["country"], "RU");
        assert_eq!(g.entities[1].kind, "LOC");
        assert!(g.entities[1].aliases.is_empty());
    }

    #[test]
    fn unknown_field_has_location() {
        let e = err("type: PER\nentities:\n  - id: a\n    name: A\n    nmae: B\n");
        assert!(e.starts_with("g.yaml:5:"), "{e}");
        assert!(e.contains("unknown field `nmae`"), "{e}");
    }

    #[test]
    fn missing_name_has_location() {
        let e = err("type: PER\nentities:\n  - id: a\n    aliases: [B]\n");
        assert!(e.starts_with("g.yaml:3:"), "{e}");
        assert!(e.contains("missing field `name`"), "{e}");
    }

    #[test]
    fn empty_alias_has_location() {
        let e = err("type: PER\nentities:\n  - id: a\n    name: A\n    aliases: [B, '  ']\n");
        assert!(e.starts_with("g.yaml:5:"), "{e}");
        assert!(e.contains("empty name or alias"), "{e}");
    }

    #[test]
    fn bad_type_label_has_location() {
        let e = err("type: person\nentities: []\n");
        assert!(e.starts_with("g.yaml:1:"), "{e}");
        assert!(e.contains("bad type label"), "{e}");
    }

    #[test]
    fn duplicate_id_in_one_file_has_location() {
        let e = err("type: PER\nentities:\n  - id: a\n    name: Al\n  - id: a\n    name: Bo\n");
        assert!(e.starts_with("g.yaml:5:"), "{e}");
        assert!(e.contains("duplicate id \"a\""), "{e}");
    }

    #[test]
    fn one_letter_forms_need_the_entity_to_allow_them() {
        let e = err(
            "type: PER\nentities:\n  - id: a\n    name: Al\n  - id: x\n    name: Xavier\n    aliases: [Xav, X.]\n",
        );
        assert!(e.starts_with("g.yaml:5:5:"), "{e}");
        assert!(e.contains("entity \"x\": \"X.\" is one letter"), "{e}");
        let yaml = "type: PER\nentities:\n  - id: x\n    name: Xavier\n    aliases: [X]\n    allow_one_letter: true\n";
        let g = Gazetteer::from_yaml_str("g.yaml", yaml).unwrap();
        assert_eq!(g.entities[0].aliases, ["X"]);
    }

    #[test]
    fn non_string_attr_is_an_error() {
        let e =
            err("type: LOC\nentities:\n  - id: no\n    name: Norway\n    attrs: {country: [RU]}\n");
        assert!(e.starts_with("g.yaml:5:"), "{e}");
    }

    /// W2 (issue 18): a population that is not a count would make a NaN or infinite
    /// prior, which won every disambiguation.
    #[test]
    fn a_population_that_is_no_count_gives_prior_zero() {
        for population in ["NaN", "inf", "-5", "many"] {
            let e = Entity {
                attrs: [("population".to_string(), population.to_string())].into(),
                ..Entity::default()
            };
            assert_eq!(e.prior_score(), 0.0, "{population}");
        }
    }

    #[test]
    fn a_prior_must_be_finite() {
        let e = err("type: PER\nentities:\n  - id: a\n    name: Al\n    prior: .nan\n");
        assert!(e.starts_with("g.yaml:5:12: "), "{e}");
        assert!(e.ends_with("prior NaN is not a finite number"), "{e}");
        let ok = "type: PER\nentities:\n  - id: a\n    name: Al\n    prior: 3\n";
        let g = Gazetteer::from_yaml_str("g.yaml", ok).unwrap();
        assert_eq!(g.entities[0].prior, Some(3.0));
    }

    #[test]
    fn forms_need_a_visible_letter_or_digit_and_no_control_character() {
        for good in ["Al", "7/11", "É", "E\u{301}cole", "東京", "Ǆ"] {
            assert_eq!(check_surface(good), Ok(()), "{good:?}");
        }
        for bad in [
            "...", "\u{200b}", "\u{202e}", "\u{301}", "'", "Al\u{7}", "Al\u{0}",
        ] {
            assert!(check_surface(bad).is_err(), "{bad:?}");
        }
        assert!(check_id("a\tb").is_err());
        assert!(check_id("geonames:1526384").is_ok());
        assert!(check_attr("wiki\nx", "y").is_err());
        assert!(check_attr("note", "a\u{1b}[31m").is_err());
        assert!(check_attr("note", "Paris, \u{e9}t\u{e9}").is_ok());
    }

    #[test]
    fn embedded_set_loads() {
        let g = Gazetteer::embedded().unwrap();
        assert!(!g.entities.is_empty());
    }
}
