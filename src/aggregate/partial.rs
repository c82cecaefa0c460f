//! Partial counts on disk: the exact counts of one run, to merge with others.
//!
//! A partial is one JSON document, versioned, that names what it counts (`stats` with
//! its grouping, or `cooc` with its scope) and refers to entities by id, so partials
//! from runs anywhere merge into exactly the counts of one run over the whole corpus.
//! Everything is written in sorted order, so a partial file is itself deterministic.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::EntityTable;
use super::cooc::{CoocCounts, EntityUnits, Scope};
use super::stats::{EntityCounts, GroupCounts, Grouping, StatsCounts};

/// The `format` field every partial carries.
pub const FORMAT: &str = "gaztag-partial";
/// Bumped whenever the layout changes; merging different versions is refused.
pub const VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a gaztag partial file: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: partial version {found} cannot be merged with version {expected}")]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("{path}: holds {found} counts, but the first partial holds {expected} counts")]
    Mismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },
}

/// What a partial counted; two partials merge only when these are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Stats(Grouping),
    Cooc(Scope),
}

impl Kind {
    pub fn describe(&self) -> String {
        match self {
            Kind::Stats(g) => format!("stats (by {})", g.label()),
            Kind::Cooc(s) => format!("cooc (scope {})", s.label()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Body {
    Stats {
        by: String,
        documents: u64,
        entities: Vec<EntityEntry>,
        groups: Vec<GroupEntry>,
    },
    Cooc {
        scope: String,
        units: u64,
        entities: Vec<EntityEntry>,
        /// `[id, id, count]` with the ids in ascending order.
        pairs: Vec<(String, String, u64)>,
    },
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    #[serde(flatten)]
    body: Body,
}

#[derive(Serialize, Deserialize)]
struct EntityEntry {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attrs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mentions: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    units: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct GroupEntry {
    group: String,
    documents: u64,
    type_documents: BTreeMap<String, u64>,
    counts: Vec<CountEntry>,
}

#[derive(Serialize, Deserialize)]
struct CountEntry {
    id: String,
    mentions: u64,
    documents: u64,
    surfaces: BTreeMap<String, u64>,
}

/// Counts loaded from a partial, with their own entity table.
pub enum Loaded {
    Stats(StatsCounts, EntityTable),
    Cooc(CoocCounts, EntityTable),
}

impl Loaded {
    pub fn kind(&self) -> Kind {
        match self {
            Loaded::Stats(c, _) => Kind::Stats(c.grouping.clone()),
            Loaded::Cooc(c, _) => Kind::Cooc(c.scope),
        }
    }
}

fn entry(table: &EntityTable, index: usize) -> EntityEntry {
    let e = table.get(index);
    EntityEntry {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind.clone(),
        attrs: e.attrs.clone(),
        mentions: None,
        units: None,
    }
}

/// The partial JSON of stats counts.
pub fn stats_to_json(counts: &StatsCounts, table: &EntityTable) -> String {
    let mut used: Vec<usize> = counts
        .groups
        .values()
        .flat_map(|g| g.entities.keys().copied())
        .collect();
    used.sort_by(|&a, &b| table.get(a).id.cmp(&table.get(b).id));
    used.dedup();
    let groups = counts
        .groups
        .iter()
        .map(|(group, g)| {
            let mut rows: Vec<CountEntry> = g
                .entities
                .iter()
                .map(|(&i, c)| CountEntry {
                    id: table.get(i).id.clone(),
                    mentions: c.mentions,
                    documents: c.documents,
                    surfaces: c.surfaces.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                })
                .collect();
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            GroupEntry {
                group: group.clone(),
                documents: g.documents,
                type_documents: g.type_documents.clone(),
                counts: rows,
            }
        })
        .collect();
    to_json(Body::Stats {
        by: counts.grouping.label(),
        documents: counts.documents,
        entities: used.iter().map(|&i| entry(table, i)).collect(),
        groups,
    })
}

/// The partial JSON of co-occurrence counts.
pub fn cooc_to_json(counts: &CoocCounts, table: &EntityTable) -> String {
    let mut entities: Vec<EntityEntry> = counts
        .entities
        .iter()
        .map(|(&i, u)| EntityEntry {
            mentions: Some(u.mentions),
            units: Some(u.units),
            ..entry(table, i)
        })
        .collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    let mut pairs: Vec<(String, String, u64)> = counts
        .pairs
        .iter()
        .map(|(&(a, b), &n)| {
            let (x, y) = (table.get(a).id.clone(), table.get(b).id.clone());
            if x <= y { (x, y, n) } else { (y, x, n) }
        })
        .collect();
    pairs.sort();
    to_json(Body::Cooc {
        scope: counts.scope.label(),
        units: counts.units,
        entities,
        pairs,
    })
}

fn to_json(body: Body) -> String {
    let file = File {
        format: FORMAT.to_string(),
        version: VERSION,
        body,
    };
    let mut text = serde_json::to_string(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a partial file, checking its format and version.
pub fn load(path: &Path) -> Result<Loaded, PartialError> {
    let text = std::fs::read_to_string(path).map_err(|source| PartialError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |message: String| PartialError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let header: Header = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if header.format != FORMAT {
        return Err(invalid(format!("format is {:?}", header.format)));
    }
    if header.version != VERSION {
        return Err(PartialError::Version {
            path: path.to_path_buf(),
            found: header.version,
            expected: VERSION,
        });
    }
    let file: File = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let mut table = EntityTable::default();
    let mut intern = |e: &EntityEntry| table.intern(&e.id, &e.name, &e.kind, &e.attrs);
    match file.body {
        Body::Stats {
            by,
            documents,
            entities,
            groups,
        } => {
            let grouping = Grouping::parse(&by).map_err(invalid)?;
            let index: HashMap<String, usize> =
                entities.iter().map(|e| (e.id.clone(), intern(e))).collect();
            let mut counts = StatsCounts::new(grouping);
            counts.documents = documents;
            for g in groups {
                let mut group = GroupCounts {
                    documents: g.documents,
                    type_documents: g.type_documents,
                    entities: HashMap::new(),
                };
                for c in g.counts {
                    let &i = index
                        .get(&c.id)
                        .ok_or_else(|| invalid(format!("unknown entity {:?}", c.id)))?;
                    let surfaces = c.surfaces.into_iter().collect();
                    let counts = EntityCounts {
                        mentions: c.mentions,
                        documents: c.documents,
                        surfaces,
                    };
                    group.entities.insert(i, counts);
                }
                counts.groups.insert(g.group, group);
            }
            Ok(Loaded::Stats(counts, table))
        }
        Body::Cooc {
            scope,
            units,
            entities,
            pairs,
        } => {
            let scope = Scope::parse(&scope).map_err(invalid)?;
            let mut counts = CoocCounts::new(scope);
            counts.units = units;
            let mut index = HashMap::new();
            for e in &entities {
                let i = intern(e);
                index.insert(e.id.clone(), i);
                let u = EntityUnits {
                    mentions: e.mentions.unwrap_or(0),
                    units: e.units.unwrap_or(0),
                };
                counts.entities.insert(i, u);
            }
            for (a, b, n) in pairs {
                let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b)) else {
                    return Err(invalid(format!("pair of unknown entities {a:?}, {b:?}")));
                };
                counts.pairs.insert((x.min(y), x.max(y)), n);
            }
            Ok(Loaded::Cooc(counts, table))
        }
    }
}

/// Merges partial files into one set of counts; all must count the same thing.
pub fn merge_files(paths: &[PathBuf]) -> Result<Option<Loaded>, PartialError> {
    let mut merged: Option<Loaded> = None;
    for path in paths {
        let loaded = load(path)?;
        let Some(total) = merged.as_mut() else {
            merged = Some(loaded);
            continue;
        };
        if loaded.kind() != total.kind() {
            return Err(PartialError::Mismatch {
                path: path.clone(),
                found: loaded.kind().describe(),
                expected: total.kind().describe(),
            });
        }
        match (total, loaded) {
            (Loaded::Stats(into, table), Loaded::Stats(from, theirs)) => {
                let remap = remapping(table, &theirs);
                into.merge(&from, |i| remap[i]);
            }
            (Loaded::Cooc(into, table), Loaded::Cooc(from, theirs)) => {
                let remap = remapping(table, &theirs);
                into.merge(&from, |i| remap[i]);
            }
            _ => unreachable!("kinds were compared above"),
        }
    }
    Ok(merged)
}

/// For each entity of `theirs`, its index in `ours` (added when new).
fn remapping(ours: &mut EntityTable, theirs: &EntityTable) -> Vec<usize> {
    (0..theirs.len())
        .map(|i| {
            let e = theirs.get(i);
            ours.intern(&e.id, &e.name, &e.kind, &e.attrs)
        })
        .collect()
}
