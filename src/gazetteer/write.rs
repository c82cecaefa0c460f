//! Writing a gazetteer in another format (`gaztag convert`): gaztag's YAML, a TSV
//! table, or spaCy EntityRuler patterns. What a format cannot hold is said in its
//! writer's doc: nothing is dropped silently.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use super::model::{Entity, Kind};
use super::validation::is_one_letter;

#[derive(Serialize)]
struct YamlFile<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    entities: Vec<YamlEntity<'a>>,
}

#[derive(Serialize)]
struct YamlEntity<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attrs: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prior: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    allow_one_letter: bool,
}

fn has_one_letter_form(e: &Entity) -> bool {
    e.surface_forms().any(is_one_letter)
}

/// gaztag's YAML: the file's type is the most common one, others are given per entity.
/// Everything an entity holds is kept.
pub fn write_yaml(out: &mut (impl Write + ?Sized), entities: &[Entity]) -> io::Result<()> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entities {
        *counts.entry(e.kind.as_str()).or_default() += 1;
    }
    let file_kind = counts
        .iter()
        .max_by_key(|&(kind, n)| (*n, std::cmp::Reverse(*kind)))
        .map_or(Kind::Loc.as_str(), |(kind, _)| kind);
    let file = YamlFile {
        kind: file_kind,
        entities: entities
            .iter()
            .map(|e| YamlEntity {
                id: &e.id,
                name: &e.name,
                aliases: &e.aliases,
                kind: (e.kind != file_kind).then_some(e.kind.as_str()),
                attrs: &e.attrs,
                prior: e.prior,
                allow_one_letter: has_one_letter_form(e),
            })
            .collect(),
    };
    serde_yaml::to_writer(&mut *out, &file).map_err(io::Error::other)
}

/// A TSV table, one row per name or alias (the name's row first, holding the
/// attributes and prior). Tabs and line breaks inside attribute values, which TSV
/// cannot hold, become spaces.
pub fn write_tsv(out: &mut (impl Write + ?Sized), entities: &[Entity]) -> io::Result<()> {
    let keys: BTreeSet<&str> = entities
        .iter()
        .flat_map(|e| e.attrs.keys().map(String::as_str))
        .collect();
    let priors = entities.iter().any(|e| e.prior.is_some());
    let one_letter = entities.iter().any(has_one_letter_form);
    let mut header = vec!["name", "type", "id"];
    if priors {
        header.push("prior");
    }
    if one_letter {
        header.push("allow_one_letter");
    }
    header.extend(keys.iter().copied());
    writeln!(out, "{}", header.join("\t"))?;
    let cell = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in entities {
        for (i, form) in e.surface_forms().enumerate() {
            let mut row = vec![form.to_string(), e.kind.to_string(), e.id.clone()];
            let first = i == 0;
            if priors {
                row.push(
                    e.prior
                        .filter(|_| first)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                );
            }
            if one_letter {
                row.push(if has_one_letter_form(e) { "true" } else { "" }.to_string());
            }
            for key in &keys {
                let value = e.attrs.get(*key).filter(|_| first);
                row.push(value.map(|v| cell(v)).unwrap_or_default());
            }
            writeln!(out, "{}", row.join("\t"))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Pattern<'a> {
    label: &'a str,
    pattern: &'a str,
    id: &'a str,
}

/// spaCy EntityRuler patterns, one a line for every name and alias, with the entity's
/// id (spaCy's `ent_id_`) and its type as the label (PER written as spaCy's PERSON).
/// Attributes and priors have no place in a pattern and are not written.
pub fn write_spacy(out: &mut (impl Write + ?Sized), entities: &[Entity]) -> io::Result<()> {
    for e in entities {
        let label = if e.kind == Kind::Per {
            "PERSON"
        } else {
            e.kind.as_str()
        };
        for form in e.surface_forms() {
            let line = Pattern {
                label,
                pattern: form,
                id: &e.id,
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
