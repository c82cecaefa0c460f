//! Gazetteers in other tools' formats: spaCy EntityRuler / PhraseMatcher patterns
//! (JSONL) and GATE gazetteer lists (a `lists.def` naming `.lst` files).
//!
//! Users arrive with lists they already keep for those tools; reading them as they are
//! saves a conversion step that would lose the ids or the types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::model::{Entity, GazetteerError, IdMap, Kind};
use super::table::{clean, type_label};

/// Entities gathered by key in file order: the first surface form is the name, later
/// ones are aliases.
#[derive(Default)]
struct Entities {
    list: Vec<Entity>,
    by_id: rustc_hash::FxHashMap<String, usize>,
}

impl Entities {
    /// Adds `form` to the entity `id`, creating it (of type `kind`) if new. Returns an
    /// error message when the id was already given another type.
    fn add(&mut self, id: &str, kind: &Kind, form: String) -> Result<&mut Entity, String> {
        let index = match self.by_id.get(id) {
            Some(&i) => i,
            None => {
                self.by_id.insert(id.to_string(), self.list.len());
                self.list.push(Entity {
                    id: id.to_string(),
                    name: form.clone(),
                    kind: kind.clone(),
                    ..Entity::default()
                });
                self.list.len() - 1
            }
        };
        let entity = &mut self.list[index];
        if entity.kind != *kind {
            return Err(format!(
                "id {id:?} has type {kind} here but {} before",
                entity.kind
            ));
        }
        if form != entity.name && !entity.aliases.contains(&form) {
            entity.aliases.push(form);
        }
        Ok(entity)
    }

    /// Checks the ids against those of earlier files and records them there.
    fn finish(self, path: &Path, seen: &mut IdMap) -> Result<Vec<Entity>, GazetteerError> {
        if let Some(e) = self.list.iter().find(|e| seen.contains_key(&e.id)) {
            let first = seen.get(&e.id).map(|p| p.display().to_string());
            return Err(GazetteerError::InvalidNoLocation {
                path: path.to_path_buf(),
                message: format!(
                    "duplicate id {:?}: already defined in {}",
                    e.id,
                    first.unwrap_or_default()
                ),
            });
        }
        let file: std::sync::Arc<Path> = std::sync::Arc::from(path);
        seen.extend(self.by_id.into_keys().map(|id| (id, file.clone())));
        Ok(self.list)
    }
}

/// An id made of a prefix and the folded words of a name: "gpe:new-york". A name
/// without a letter or digit has no slug, and "org:" would merge all such names into
/// one entity, so it is an error (the form check refuses such names first).
fn slug_id(prefix: &str, name: &str) -> Result<String, String> {
    let slug = crate::text::normalize::slug(name);
    if slug.is_empty() {
        return Err(format!(
            "no id can be made from {name:?} (it has no letter or digit); give it an \"id\""
        ));
    }
    Ok(format!("{prefix}:{slug}"))
}

/// Reads spaCy patterns, one JSON object a line: `{"label", "pattern", "id"}`, the
/// pattern a phrase or a list of token dicts with one of `LOWER`, `ORTH` or `TEXT`
/// (other token attributes cannot be expressed as a phrase and are reported). Patterns
/// sharing an id are one entity; a pattern without an id is its own entity
/// (`label:slug`). Labels map as in tables (PERSON → PER, GPE → LOC…).
pub fn read_spacy_patterns(
    path: &Path,
    text: &str,
    seen: &mut IdMap,
) -> Result<Vec<Entity>, GazetteerError> {
    let mut entities = Entities::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| GazetteerError::InvalidRow {
            path: path.to_path_buf(),
            line: line_no,
            message,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let label = value
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no \"label\" string".into()))?;
        let kind = type_label(label).map_err(&bad)?;
        let phrase = match value.get("pattern") {
            Some(Value::String(s)) => clean(s),
            Some(Value::Array(tokens)) => token_phrase(tokens).map_err(&bad)?,
            _ => {
                return Err(bad(
                    "\"pattern\" is neither a string nor a list of tokens".into()
                ));
            }
        };
        if phrase.is_empty() {
            return Err(bad("empty pattern".into()));
        }
        check_form(&phrase).map_err(&bad)?;
        let id = match value.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            None | Some(Value::Null) => slug_id(&label.to_lowercase(), &phrase).map_err(&bad)?,
            Some(_) => return Err(bad("\"id\" is neither a string nor a number".into())),
        };
        super::validation::check_id(&id).map_err(&bad)?;
        entities.add(&id, &kind, phrase).map_err(&bad)?;
    }
    entities.finish(path, seen)
}

/// A token pattern as the phrase it matches: the tokens' `LOWER`, `ORTH` or `TEXT`
/// values joined by spaces.
fn token_phrase(tokens: &[Value]) -> Result<String, String> {
    let mut words = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let Value::Object(attrs) = token else {
            return Err(format!("token {} is not an object", i + 1));
        };
        let mut word = None;
        for (key, value) in attrs {
            match (key.as_str(), value) {
                ("LOWER" | "ORTH" | "TEXT", Value::String(s)) => word = Some(s.as_str()),
                ("LOWER" | "ORTH" | "TEXT", _) => {
                    return Err(format!(
                        "token {}: {key} with a {} value is not supported (only a string)",
                        i + 1,
                        kind_of(value)
                    ));
                }
                _ => {
                    return Err(format!(
                        "token {}: attribute {key} is not supported (only LOWER, ORTH, TEXT)",
                        i + 1
                    ));
                }
            }
        }
        words.push(word.ok_or_else(|| format!("token {} has no LOWER, ORTH or TEXT", i + 1))?);
    }
    Ok(clean(&words.join(" ")))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The rules every gazetteer's forms follow (see the YAML loader): something visible,
/// and no one-letter forms from formats that cannot opt in.
fn check_form(form: &str) -> Result<(), String> {
    super::validation::check_surface(form)?;
    if super::validation::is_one_letter(form) {
        return Err(format!(
            "{form:?} is one letter, which matches initials and list markers everywhere; \
             only YAML and tables can allow it (allow_one_letter)"
        ));
    }
    Ok(())
}

/// GATE's common `majorType` names and ours.
fn gate_type(major: &str) -> String {
    match major.trim().to_ascii_lowercase().as_str() {
        "person" | "person_full" | "people" => "PER".into(),
        "location" | "place" | "country" | "city" => "LOC".into(),
        "organization" | "organisation" | "company" | "org" => "ORG".into(),
        other => other
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect(),
    }
}

/// Reads a GATE gazetteer: `lists.def` lines `FILE.lst:majorType[:minorType[:…]]`, each
/// `.lst` (beside the `.def`) one entry a line, optionally with features after a tab or
/// `&` (`Paris&country=FR`). Every entry is an entity of the type its `majorType`
/// maps to (person → PER, location → LOC, organization → ORG, others upper-cased), with
/// id `minorType:slug` (or `majorType:slug`) and the minor type and features as
/// attributes; equal entries of one list are one entity.
pub fn read_gate(
    def_path: &Path,
    text: &str,
    seen: &mut IdMap,
) -> Result<Vec<Entity>, GazetteerError> {
    let dir = match def_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut entities = Entities::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        let bad_def = |message: String| GazetteerError::InvalidRow {
            path: def_path.to_path_buf(),
            line: i + 1,
            message,
        };
        let mut fields = line.split(':');
        let file = fields.next().unwrap_or_default();
        let major = fields
            .next()
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| {
                bad_def(format!(
                    "expected FILE.lst:majorType[:minorType], found {line:?}"
                ))
            })?;
        let minor = fields.next().map(str::trim).filter(|m| !m.is_empty());
        let kind = type_label(&gate_type(major)).map_err(&bad_def)?;
        let real_path = list_file_in(dir, file.trim()).map_err(&bad_def)?;
        let list = super::source::read_list_file(&real_path).map_err(|e| bad_def(e.to_string()))?;
        let list_path: PathBuf = dir.join(file.trim());
        let prefix = minor.unwrap_or(major.trim()).to_lowercase();
        super::validation::check_id(&prefix).map_err(&bad_def)?;
        for (j, entry) in list.lines().enumerate() {
            let bad = |message: String| GazetteerError::InvalidRow {
                path: list_path.clone(),
                line: j + 1,
                message,
            };
            let (form, features) = split_features(entry);
            let form = clean(form);
            if form.is_empty() {
                continue;
            }
            check_form(&form).map_err(&bad)?;
            let id = slug_id(&prefix, &form).map_err(&bad)?;
            let entity = entities.add(&id, &kind, form).map_err(&bad)?;
            if let Some(minor) = minor {
                entity
                    .attrs
                    .entry("minorType".into())
                    .or_insert_with(|| minor.to_string());
            }
            for (key, value) in features {
                super::validation::check_attr(&key, &value).map_err(&bad)?;
                entity.attrs.entry(key).or_insert(value);
            }
        }
    }
    entities.finish(def_path, seen)
}

/// The list file a `lists.def` line names, which must be in the folder of the
/// `lists.def` or below it once symlinks are resolved: a gazetteer from elsewhere must
/// not make gaztag read (and print, as entities) `/etc/passwd` or `../../secrets`.
fn list_file_in(dir: &Path, file: &str) -> Result<PathBuf, String> {
    let root = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = std::fs::canonicalize(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
    if !path.starts_with(&root) {
        return Err(format!(
            "list file {file:?} is outside the folder of the lists.def ({}); \
             lists must be in that folder or below it",
            root.display()
        ));
    }
    Ok(path)
}

/// An entry and its `key=value` features, which follow a tab or `&`.
fn split_features(entry: &str) -> (&str, BTreeMap<String, String>) {
    // Features start at a tab, or at an `&` that opens `key=value`: an `&` inside a
    // name ("Johnson & Johnson", "AT&T") is part of the name.
    let opens_feature = |at: usize| {
        let rest = &entry[at + 1..];
        rest.find('=')
            .is_some_and(|eq| eq > 0 && !rest[..eq].contains([' ', '&', '\t']))
    };
    let at = entry.find('\t').or_else(|| {
        entry
            .match_indices('&')
            .map(|(i, _)| i)
            .find(|&i| opens_feature(i))
    });
    let Some(at) = at else {
        return (entry, BTreeMap::new());
    };
    let features = entry[at + 1..]
        .split(['\t', '&'])
        .filter_map(|f| f.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect();
    (&entry[..at], features)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spacy(text: &str) -> Result<Vec<Entity>, String> {
        read_spacy_patterns(Path::new("p.jsonl"), text, &mut IdMap::default())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn spacy_patterns_group_by_id_and_map_labels() {
        let es = spacy(concat!(
            r#"{"label": "GPE", "pattern": "New York", "id": "nyc"}"#,
            "\n",
            r#"{"label": "GPE", "pattern": [{"LOWER": "big"}, {"LOWER": "apple"}], "id": "nyc"}"#,
            "\n\n",
            r#"{"label": "PERSON", "pattern": [{"ORTH": "Vladimir"}, {"TEXT": "Putin"}]}"#,
            "\n",
        ))
        .unwrap();
        assert_eq!(es.len(), 2);
        assert_eq!((es[0].id.as_str(), es[0].kind.as_str()), ("nyc", "LOC"));
        assert_eq!(
            (es[0].name.as_str(), es[0].aliases.as_slice()),
            ("New York", &["big apple".to_string()][..])
        );
        assert_eq!(es[1].id, "person:vladimir-putin");
        assert_eq!(
            (es[1].name.as_str(), es[1].kind.as_str()),
            ("Vladimir Putin", "PER")
        );
    }

    #[test]
    fn spacy_patterns_report_what_they_cannot_express_with_the_line() {
        let e = spacy(
            "\n{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": \"un\"}, {\"POS\": \"NOUN\"}]}\n",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "p.jsonl:2: token 2: attribute POS is not supported (only LOWER, ORTH, TEXT)"
        );
        let e = spacy("{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": {\"IN\": [\"a\"]}}]}")
            .unwrap_err();
        assert!(
            e.contains("LOWER with a object value is not supported"),
            "{e}"
        );
        assert!(
            spacy("{\"pattern\": \"x\"}")
                .unwrap_err()
                .contains("no \"label\"")
        );
        assert!(
            spacy("{\"label\": \"ORG\", \"pattern\": \"X\"}")
                .unwrap_err()
                .contains("one letter")
        );
        let e = spacy("{\"label\":\"ORG\",\"pattern\":\"Acme\",\"id\":\"a\"}\n{\"label\":\"GPE\",\"pattern\":\"Acme City\",\"id\":\"a\"}").unwrap_err();
        assert_eq!(e, "p.jsonl:2: id \"a\" has type LOC here but ORG before");
    }

    /// Found by loading real lists in gatenlp (scripts/check-imports.sh): "Johnson &
    /// Johnson" was cut into "Johnson".
    #[test]
    fn an_ampersand_in_a_gate_entry_is_part_of_the_name() {
        for (entry, name, attrs) in [
            ("Johnson & Johnson", "Johnson & Johnson", vec![]),
            ("AT&T", "AT&T", vec![]),
            ("B&B Hotel&kind=chain", "B&B Hotel", vec![("kind", "chain")]),
            (
                "Procter & Gamble\tticker=PG",
                "Procter & Gamble",
                vec![("ticker", "PG")],
            ),
            (
                "Paris&country=FR&iso=FR",
                "Paris",
                vec![("country", "FR"), ("iso", "FR")],
            ),
        ] {
            let (form, features) = split_features(entry);
            assert_eq!(form, name, "{entry}");
            let features: Vec<(&str, &str)> = features
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(features, attrs, "{entry}");
        }
    }

    #[test]
    fn gate_lists_by_their_def() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("city.lst"),
            "Paris&country=FR\nLyon\n\nParis\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("org.lst"), "United Nations\tacronym=UN\n").unwrap();
        let def = dir.path().join("lists.def");
        let text = "city.lst:location:city\norg.lst:organization\n";
        let es = read_gate(&def, text, &mut IdMap::default()).unwrap();
        let ids: Vec<(&str, &str)> = es
            .iter()
            .map(|e| (e.id.as_str(), e.kind.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("city:paris", "LOC"),
                ("city:lyon", "LOC"),
                ("organization:united-nations", "ORG")
            ]
        );
        assert_eq!(es[0].attrs["country"], "FR");
        assert_eq!(es[0].attrs["minorType"], "city");
        assert_eq!(es[2].attrs["acronym"], "UN");
        let e = read_gate(&def, "city.lst\n", &mut IdMap::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("lists.def:1: expected FILE.lst:majorType[:minorType], found \"city.lst\""),
            "{e}"
        );
        let e = read_gate(&def, "none.lst:location\n", &mut IdMap::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("none.lst: No such file"), "{e}");
    }
}
