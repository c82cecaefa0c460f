//! Tabular gazetteers: TSV and CSV files with a header row.
//!
//! Big name lists usually come as tables (a GeoNames export, a CRM dump, the benchmark's
//! `gazetteer.tsv`), often one row per alias. Columns are found by name, so a user's
//! file works as it is: `name`, `type`, `id` (or `canonical_id`), optional `aliases`
//! (separated by `|`) and `prior`; every other column becomes an attribute. Rows that
//! share an id form one entity whose canonical name is the first row's.

use std::collections::BTreeMap;
use std::path::Path;

use super::model::{Entity, GazetteerError, Kind};

/// Which table dialect a file is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Tab-separated, no quoting: a `"` in a name is just a character.
    Tsv,
    /// Comma-separated with RFC 4180 quoting.
    Csv,
}

impl Dialect {
    /// By extension: `.tsv`/`.tab` or `.csv`, in any case.
    pub fn of(path: &Path) -> Option<Dialect> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "tsv" | "tab" => Some(Dialect::Tsv),
            "csv" => Some(Dialect::Csv),
            _ => None,
        }
    }
}

/// Where each known column is, and which columns are attributes.
struct Columns {
    name: usize,
    kind: usize,
    id: usize,
    aliases: Option<usize>,
    prior: Option<usize>,
    /// `true`/`yes`/`1` lets the row's one-letter name or aliases stand (as YAML's
    /// `allow_one_letter`).
    allow_one_letter: Option<usize>,
    attrs: Vec<(usize, String)>,
}

impl Columns {
    fn find(header: &csv::StringRecord, path: &Path) -> Result<Columns, GazetteerError> {
        let lower: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let position = |names: &[&str]| lower.iter().position(|h| names.contains(&h.as_str()));
        let required = |names: &[&str]| {
            position(names).ok_or_else(|| GazetteerError::InvalidRow {
                path: path.to_path_buf(),
                line: 1,
                message: format!(
                    "missing column {:?} in the header (found: {})",
                    names[0],
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            })
        };
        let name = required(&["name"])?;
        let kind = required(&["type"])?;
        let id = required(&["id", "canonical_id"])?;
        let aliases = position(&["aliases"]);
        let prior = position(&["prior"]);
        let allow_one_letter = position(&["allow_one_letter"]);
        let known = [
            Some(name),
            Some(kind),
            Some(id),
            aliases,
            prior,
            allow_one_letter,
        ];
        let attrs: Vec<(usize, String)> = header
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, h)| (i, h.trim().to_string()))
            .collect();
        for (_, key) in &attrs {
            super::validation::check_attr_key(key).map_err(|message| {
                GazetteerError::InvalidRow {
                    path: path.to_path_buf(),
                    line: 1,
                    message,
                }
            })?;
        }
        Ok(Columns {
            name,
            kind,
            id,
            aliases,
            prior,
            allow_one_letter,
            attrs,
        })
    }
}

/// Maps the type labels of common tools to ours (PERSON → PER, PLACE/LOCATION/GPE →
/// LOC, ORGANIZATION → ORG); other UPPERCASE labels pass as they are.
pub(super) fn type_label(label: &str) -> Result<Kind, String> {
    let upper = label.trim().to_ascii_uppercase();
    let mapped = match upper.as_str() {
        "PER" | "PERSON" | "PEOPLE" => Kind::Per,
        "LOC" | "PLACE" | "LOCATION" | "GPE" => Kind::Loc,
        "ORG" | "ORGANIZATION" | "ORGANISATION" => Kind::Org,
        _ => Kind::from(upper),
    };
    if super::validation::is_type_label(mapped.as_str()) {
        Ok(mapped)
    } else {
        Err(format!(
            "bad type label {label:?}: expected a label such as PER, ORG, LOC (or PERSON, PLACE, ORGANIZATION)"
        ))
    }
}

/// Whitespace runs become one space; empty stays empty.
pub(super) fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads one table into entities, merging rows that share an id. `seen` holds the ids
/// of the files loaded before (an id may not continue another file's entity).
pub fn read(
    path: &Path,
    text: &str,
    dialect: Dialect,
    seen: &mut super::model::IdMap,
) -> Result<Vec<Entity>, GazetteerError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if dialect == Dialect::Tsv { b'\t' } else { b',' })
        .quoting(dialect == Dialect::Csv)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let bad = |line: u64, message: String| GazetteerError::InvalidRow {
        path: path.to_path_buf(),
        line: line as usize,
        message,
    };
    let header = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let columns = Columns::find(&header, path)?;
    let mut entities: Vec<Entity> = Vec::new();
    // Ids of this file → entity; moved into `seen` at the end (one copy of each id).
    let mut by_id: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                return Err(bad(line, csv_message(&err)));
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let name = clean(field(columns.name));
        if name.is_empty() {
            return Err(bad(line, "empty name".to_string()));
        }
        let id = field(columns.id).trim().to_string();
        if id.is_empty() {
            return Err(bad(line, format!("empty id for {name:?}")));
        }
        super::validation::check_id(&id).map_err(|m| bad(line, m))?;
        let kind = type_label(field(columns.kind)).map_err(|m| bad(line, m))?;
        let aliases = columns.aliases.map_or(Vec::new(), |i| {
            field(i)
                .split('|')
                .map(clean)
                .filter(|a| !a.is_empty())
                .collect()
        });
        for form in std::iter::once(&name).chain(&aliases) {
            super::validation::check_surface(form).map_err(|m| bad(line, m))?;
        }
        let allowed = columns.allow_one_letter.is_some_and(|i| {
            matches!(
                field(i).trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "1"
            )
        });
        if !allowed
            && let Some(short) = std::iter::once(&name)
                .chain(&aliases)
                .find(|s| super::validation::is_one_letter(s))
        {
            let message = format!(
                "{short:?} is one letter, which matches initials and list markers everywhere; \
                 add a column allow_one_letter set to true for this row to keep it"
            );
            return Err(bad(line, message));
        }
        let prior = match columns.prior.map(|i| field(i).trim()) {
            None | Some("") => None,
            Some(p) => Some(
                p.parse::<f64>()
                    .map_err(|_| format!("prior {p:?} is not a number"))
                    .and_then(super::validation::check_prior)
                    .map_err(|m| bad(line, m))?,
            ),
        };
        let index = match by_id.get(&id) {
            Some(&i) => i,
            None => {
                if let Some(first) = seen.get(&id) {
                    let message = format!(
                        "duplicate id {id:?}: already defined in {}",
                        first.display()
                    );
                    return Err(bad(line, message));
                }
                by_id.insert(id.clone(), entities.len());
                entities.push(Entity {
                    id: id.clone(),
                    name: name.clone(),
                    kind: kind.clone(),
                    aliases: Vec::new(),
                    attrs: BTreeMap::new(),
                    prior,
                });
                entities.len() - 1
            }
        };
        let entity = &mut entities[index];
        if entity.kind != kind {
            let message = format!(
                "id {id:?} has type {kind} here but {} on an earlier row",
                entity.kind
            );
            return Err(bad(line, message));
        }
        for form in std::iter::once(name).chain(aliases) {
            if form != entity.name && !entity.aliases.contains(&form) {
                entity.aliases.push(form);
            }
        }
        for (i, key) in &columns.attrs {
            let value = field(*i).trim();
            super::validation::check_attr(key, value).map_err(|m| bad(line, m))?;
            if !value.is_empty() {
                entity
                    .attrs
                    .entry(key.clone())
                    .or_insert_with(|| value.to_string());
            }
        }
        entity.prior = entity.prior.or(prior);
    }
    let file: std::sync::Arc<Path> = std::sync::Arc::from(path);
    seen.extend(by_id.into_keys().map(|id| (id, file.clone())));
    Ok(entities)
}

/// The csv crate's message without its own position (we print `file:line:` first).
fn csv_message(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields, but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cleaned_of_extra_whitespace() {
        for (raw, cleaned) in [
            ("Almaty", "Almaty"),
            ("New York", "New York"),
            (" New  York ", "New York"),
            ("New\tYork", "New York"),
            ("New\u{b}York", "New York"),
            ("São\u{a0}Paulo", "São Paulo"),
            ("", ""),
            ("   ", ""),
        ] {
            assert_eq!(clean(raw), cleaned, "{raw:?}");
        }
    }

    #[test]
    fn type_labels_map_to_ours_in_any_case() {
        assert_eq!(type_label(" person ").unwrap(), "PER");
        assert_eq!(type_label("Gpe").unwrap(), "LOC");
        assert_eq!(type_label("organisation").unwrap(), "ORG");
        assert_eq!(type_label("product").unwrap(), "PRODUCT");
        assert!(type_label("not a label").is_err());
    }

    fn load(text: &str, dialect: Dialect) -> Result<Vec<Entity>, GazetteerError> {
        read(Path::new("g.tsv"), text, dialect, &mut Default::default())
    }

    #[test]
    fn rows_sharing_an_id_form_one_entity() {
        let text = "name\ttype\tcanonical_id\tcountry\n\
                    Almaty\tPLACE\tgeonames:1526384\tKZ\n\
                    Alma-Ata\tPLACE\tgeonames:1526384\t\n\
                    Kassym-Jomart Tokayev\tPERSON\tq1\tKZ\n";
        let es = load(text, Dialect::Tsv).unwrap();
        assert_eq!(es.len(), 2);
        assert_eq!(
            (es[0].name.as_str(), es[0].kind.as_str()),
            ("Almaty", "LOC")
        );
        assert_eq!(es[0].aliases, ["Alma-Ata"]);
        assert_eq!(es[0].attrs["country"], "KZ");
        assert_eq!(es[1].kind, "PER");
    }

    #[test]
    fn csv_with_quotes_aliases_and_prior() {
        let text = "id,name,type,aliases,prior\n\
                    nato,\"North Atlantic Treaty Organization\",ORGANIZATION,NATO|OTAN,2.5\n";
        let es = load(text, Dialect::Csv).unwrap();
        assert_eq!(es[0].aliases, ["NATO", "OTAN"]);
        assert_eq!(es[0].prior, Some(2.5));
        assert_eq!(es[0].kind, "ORG");
    }

    #[test]
    fn errors_name_the_line() {
        let err = |text: &str| load(text, Dialect::Tsv).unwrap_err().to_string();
        assert_eq!(
            err("name\tid\nXi\t1\n"),
            "g.tsv:1: missing column \"type\" in the header (found: name, id)"
        );
        assert_eq!(
            err("name\ttype\tid\nXi\tLOC\t1\nYi\tLOC\n"),
            "g.tsv:3: 2 fields, but the header has 3"
        );
        assert_eq!(
            err("name\ttype\tid\nXi\tLOC\t1\n \tLOC\t2\n"),
            "g.tsv:3: empty name"
        );
        assert_eq!(
            err("name\ttype\tid\nXi\tLOC\t1\nXi\tPER\t1\n"),
            "g.tsv:3: id \"1\" has type PER here but LOC on an earlier row"
        );
        assert!(err("name\ttype\tid\nXi\tlow er\t1\n").starts_with("g.tsv:2: bad type label"));
    }

    #[test]
    fn one_letter_forms_need_the_allow_column() {
        let err = load("name\ttype\tid\nXavier\tPER\tx\nX\tPER\tx\n", Dialect::Tsv)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("g.tsv:3: \"X\" is one letter"), "{err}");
        let text = "name\ttype\tid\tallow_one_letter\nXavier\tPER\tx\t\nX\tPER\tx\ttrue\n";
        let es = load(text, Dialect::Tsv).unwrap();
        assert_eq!(es[0].aliases, ["X"]);
        assert!(es[0].attrs.is_empty(), "the switch is no attribute");
    }
}
