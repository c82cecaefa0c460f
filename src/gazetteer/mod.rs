//! Gazetteers: entities, each with a canonical id, a name and aliases, loaded from YAML
//! (`yaml`), TSV/CSV tables (`table`), spaCy patterns and GATE lists (`import`),
//! or the default set embedded in the binary. This module finds the files and hands
//! each to its loader; `model` holds the data, `validation` the rules every loader
//! applies.

use std::path::{Path, PathBuf};

mod depth;
pub(crate) mod import;
pub(crate) mod model;
pub(crate) mod source;
pub(crate) mod table;
pub(crate) mod validation;
pub mod write;
mod yaml;

pub(crate) use model::IdMap;
pub use model::{Entity, GazetteerError, Kind};
pub use source::MAX_LIST_FILE_SIZE;
pub(crate) use source::read_list_file;
pub use table::Dialect;

/// The default gazetteers: the repository's `gazetteers/` folder, converted by build.rs
/// to one line per file, `PATH<TAB>JSON`, because JSON parses far faster than YAML.
const DEFAULT_SET: &str = include_str!(concat!(env!("OUT_DIR"), "/default_gazetteers.tsv"));

/// A loaded, validated set of entities.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Every entity of every file, in load order (ids are unique).
    pub entities: Vec<Entity>,
    /// What loading noticed that is no error (a file given twice, read once); the
    /// command line prints these on stderr.
    pub warnings: Vec<String>,
}

impl Gazetteer {
    /// Loads the gazetteers compiled into the binary from the repository's `gazetteers/`.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        let entities = yaml::read_embedded(DEFAULT_SET, &mut loader.seen)?;
        loader.entities = entities;
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
                    Some(FileFormat::Yaml) | None => yaml::read(&file, &text, seen)?,
                };
                loader.entities.extend(entities);
            }
        }
        Ok(loader.finish())
    }

    /// Parses one YAML gazetteer held in memory (handy for tests and embedding).
    pub fn from_yaml_str(label: &str, yaml: &str) -> Result<Gazetteer, GazetteerError> {
        let mut loader = Loader::default();
        loader.entities = yaml::read(Path::new(label), yaml, &mut loader.seen)?;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// gaztag's own format: a `type` and a list of entities with ids and aliases.
    Yaml,
    /// A table, one entity per row, tab-separated.
    Tsv,
    /// A table, one entity per row, comma-separated with quoting.
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
    fn finish(self) -> Gazetteer {
        Gazetteer {
            entities: self.entities,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::validation::{check_attr, check_id, check_surface};
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
