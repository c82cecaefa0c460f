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
pub(crate) const FORMAT: &str = "gaztag-partial";
/// Bumped whenever the layout changes; merging different versions is refused.
pub(crate) const VERSION: u32 = 1;

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
    /// Counts no run can produce: a hand-edited, truncated or hostile file.
    #[error("{path}: inconsistent counts: {message}")]
    Inconsistent { path: PathBuf, message: String },
    #[error(
        "{path}: counts overflow (more than 2^64 - 1) when added up{}",
        if *.alone { "" } else { " with the partials before it" }
    )]
    Overflow { path: PathBuf, alone: bool },
    #[error(
        "{path} is the same file as {first}, given before: its counts would be added twice \
         (--allow-duplicates adds them anyway)"
    )]
    SameFile { path: PathBuf, first: PathBuf },
    #[error(
        "{path} has the same content as {first}: one run's counts would be added twice \
         (--allow-duplicates if they are distinct shards with equal counts)"
    )]
    SameContent { path: PathBuf, first: PathBuf },
}

/// Whether `merge_files` accepts the same partial (file or content) twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// The same file, or the same bytes, given twice is an error: usually an
    /// overlapping glob or a copied shard, which would double its counts.
    Refuse,
    /// Every file given is added, however often.
    Allow,
}

/// What a partial counted; two partials merge only when these are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Stats(Grouping),
    Cooc(Scope),
}

impl Kind {
    pub(crate) fn describe(&self) -> String {
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
    pub(crate) fn kind(&self) -> Kind {
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
        kind: e.kind.to_string(),
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

fn read(path: &Path) -> Result<Vec<u8>, PartialError> {
    std::fs::read(path).map_err(|source| PartialError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Counts of a partial and the totals that bound every one of them.
fn parse(path: &Path, bytes: &[u8]) -> Result<(Loaded, Totals), PartialError> {
    let invalid = |message: String| PartialError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
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
    let file: File = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
    let fault = |fault: Fault| match fault {
        Fault::Inconsistent(message) => PartialError::Inconsistent {
            path: path.to_path_buf(),
            message,
        },
        Fault::Overflow => PartialError::Overflow {
            path: path.to_path_buf(),
            alone: true,
        },
    };
    match file.body {
        Body::Stats {
            by,
            documents,
            entities,
            groups,
        } => {
            let grouping = Grouping::parse(&by).map_err(invalid)?;
            let totals = check::stats(&grouping, documents, &entities, &groups).map_err(fault)?;
            let (counts, table) = build_stats(grouping, documents, &entities, groups);
            Ok((Loaded::Stats(counts, table), totals))
        }
        Body::Cooc {
            scope,
            units,
            entities,
            pairs,
        } => {
            let scope = Scope::parse(&scope).map_err(invalid)?;
            let totals = check::cooc(scope, units, &entities, &pairs).map_err(fault)?;
            let (counts, table) = build_cooc(scope, units, &entities, pairs);
            Ok((Loaded::Cooc(counts, table), totals))
        }
    }
}

/// Stats counts from a checked partial (every id it uses is among `entities`).
fn build_stats(
    grouping: Grouping,
    documents: u64,
    entities: &[EntityEntry],
    groups: Vec<GroupEntry>,
) -> (StatsCounts, EntityTable) {
    let mut table = EntityTable::default();
    let index: HashMap<&str, usize> = entities
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                table.intern(&e.id, &e.name, &e.kind, &e.attrs),
            )
        })
        .collect();
    let mut counts = StatsCounts::new(grouping);
    counts.documents = documents;
    for g in groups {
        let entities = g
            .counts
            .into_iter()
            .filter_map(|c| {
                let counts = EntityCounts {
                    mentions: c.mentions,
                    documents: c.documents,
                    surfaces: c.surfaces.into_iter().collect(),
                };
                Some((*index.get(c.id.as_str())?, counts))
            })
            .collect();
        let group = GroupCounts {
            documents: g.documents,
            type_documents: g.type_documents,
            entities,
        };
        counts.groups.insert(g.group, group);
    }
    (counts, table)
}

/// Co-occurrence counts from a checked partial (every pair is of two listed entities).
fn build_cooc(
    scope: Scope,
    units: u64,
    entities: &[EntityEntry],
    pairs: Vec<(String, String, u64)>,
) -> (CoocCounts, EntityTable) {
    let mut table = EntityTable::default();
    let mut counts = CoocCounts::new(scope);
    counts.units = units;
    let mut index = HashMap::new();
    for e in entities {
        let i = table.intern(&e.id, &e.name, &e.kind, &e.attrs);
        index.insert(e.id.as_str(), i);
        let u = EntityUnits {
            mentions: e.mentions.unwrap_or(0),
            units: e.units.unwrap_or(0),
        };
        counts.entities.insert(i, u);
    }
    for (a, b, n) in pairs {
        if let (Some(&x), Some(&y)) = (index.get(a.as_str()), index.get(b.as_str())) {
            counts.pairs.insert((x.min(y), x.max(y)), n);
        }
    }
    (counts, table)
}

/// What a partial's counts can break.
enum Fault {
    Inconsistent(String),
    Overflow,
}

/// The two sums that bound every count of a partial: documents (or units), and
/// mentions. Checked on load, every group, entity, pair, type and surface count is at
/// most one of them, so partials whose totals add up without overflow merge, bucket
/// and report without overflow too.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    documents: u64,
    mentions: u64,
}

impl Totals {
    fn checked_add(self, other: Totals) -> Option<Totals> {
        Some(Totals {
            documents: self.documents.checked_add(other.documents)?,
            mentions: self.mentions.checked_add(other.mentions)?,
        })
    }

    /// A partial of a shard with no documents: adding it changes nothing.
    fn is_empty(self) -> bool {
        self.documents == 0 && self.mentions == 0
    }
}

/// The invariants of counts that one run produces, checked before anything is merged:
/// a wrong count would otherwise become a share above 100 %, an infinite PMI or a
/// wrapped sum in the merged report.
mod check {
    use std::collections::{HashMap, HashSet};

    use super::{EntityEntry, Fault, GroupEntry, Totals};
    use crate::analyze::aggregate::cooc::Scope;
    use crate::analyze::aggregate::stats::Grouping;

    fn fail<T>(message: String) -> Result<T, Fault> {
        Err(Fault::Inconsistent(message))
    }

    fn sum(a: u64, b: u64) -> Result<u64, Fault> {
        a.checked_add(b).ok_or(Fault::Overflow)
    }

    pub(super) fn stats(
        grouping: &Grouping,
        documents: u64,
        entities: &[EntityEntry],
        groups: &[GroupEntry],
    ) -> Result<Totals, Fault> {
        let kinds = entity_kinds(entities)?;
        let mut names = HashSet::new();
        let (mut held, mut mentions) = (0u64, 0u64);
        for g in groups {
            if !names.insert(g.group.as_str()) {
                return fail(format!("group {:?} is listed twice", g.group));
            }
            if g.documents > documents {
                return fail(format!(
                    "group {:?} has {} documents, but the partial counts {documents}",
                    g.group, g.documents
                ));
            }
            // Other groupings put each document in one group; attributes do not.
            if !matches!(grouping, Grouping::Attr(_)) {
                held = sum(held, g.documents)?;
            }
            mentions = sum(mentions, group(g, &kinds)?)?;
        }
        if !matches!(grouping, Grouping::Attr(_)) && held != documents {
            return fail(format!(
                "the groups hold {held} documents, but the partial counts {documents}"
            ));
        }
        Ok(Totals {
            documents,
            mentions,
        })
    }

    /// Each id's type; an id listed twice is refused.
    fn entity_kinds(entities: &[EntityEntry]) -> Result<HashMap<&str, &str>, Fault> {
        let mut kinds = HashMap::new();
        for e in entities {
            if kinds.insert(e.id.as_str(), e.kind.as_str()).is_some() {
                return fail(format!("entity {:?} is listed twice", e.id));
            }
        }
        Ok(kinds)
    }

    /// Checks one group; its mentions.
    fn group(g: &GroupEntry, kinds: &HashMap<&str, &str>) -> Result<u64, Fault> {
        let label = &g.group;
        for (kind, &n) in &g.type_documents {
            if n > g.documents {
                return fail(format!(
                    "group {label:?}: {n} documents with a {kind} mention, but the group has {}",
                    g.documents
                ));
            }
        }
        let mut seen = HashSet::new();
        let mut mentions = 0u64;
        for c in &g.counts {
            let id = &c.id;
            let Some(kind) = kinds.get(id.as_str()) else {
                return fail(format!("group {label:?}: unknown entity {id:?}"));
            };
            if !seen.insert(id.as_str()) {
                return fail(format!("group {label:?}: entity {id:?} is listed twice"));
            }
            if c.documents == 0 || c.mentions < c.documents {
                return fail(format!(
                    "group {label:?}: entity {id:?} has {} mentions in {} documents",
                    c.mentions, c.documents
                ));
            }
            if c.documents > g.documents {
                return fail(format!(
                    "group {label:?}: entity {id:?} is in {} documents, but its group has {}",
                    c.documents, g.documents
                ));
            }
            let typed = g.type_documents.get(*kind).copied().unwrap_or(0);
            if c.documents > typed {
                return fail(format!(
                    "group {label:?}: entity {id:?} is in {} documents, but {typed} have a {kind} mention",
                    c.documents
                ));
            }
            let forms = c.surfaces.values().try_fold(0u64, |a, &b| sum(a, b))?;
            if forms != c.mentions {
                return fail(format!(
                    "group {label:?}: entity {id:?}: its surface forms count {forms} mentions, not {}",
                    c.mentions
                ));
            }
            mentions = sum(mentions, c.mentions)?;
        }
        Ok(mentions)
    }

    pub(super) fn cooc(
        scope: Scope,
        units: u64,
        entities: &[EntityEntry],
        pairs: &[(String, String, u64)],
    ) -> Result<Totals, Fault> {
        let mut held: HashMap<&str, u64> = HashMap::new();
        let mut mentions = 0u64;
        for e in entities {
            let (id, m, u) = (&e.id, e.mentions.unwrap_or(0), e.units.unwrap_or(0));
            if held.insert(id.as_str(), u).is_some() {
                return fail(format!("entity {id:?} is listed twice"));
            }
            if m == 0 || u == 0 {
                return fail(format!("entity {id:?} has {m} mentions in {u} units"));
            }
            if u > units {
                return fail(format!(
                    "entity {id:?} is in {u} units, but the partial counts {units}"
                ));
            }
            // A window holds several mentions, but one mention can be in several windows.
            if !matches!(scope, Scope::Window(_)) && u > m {
                return fail(format!("entity {id:?} is in {u} units with {m} mentions"));
            }
            mentions = sum(mentions, m)?;
        }
        let mut seen = HashSet::new();
        for (a, b, n) in pairs {
            pair(a, b, *n, units, &held, &mut seen)?;
        }
        Ok(Totals {
            documents: units,
            mentions,
        })
    }

    fn pair<'a>(
        a: &'a str,
        b: &'a str,
        n: u64,
        units: u64,
        held: &HashMap<&str, u64>,
        seen: &mut HashSet<(&'a str, &'a str)>,
    ) -> Result<(), Fault> {
        if a == b {
            return fail(format!("pair of {a:?} with itself"));
        }
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        let (Some(&ux), Some(&uy)) = (held.get(x), held.get(y)) else {
            return fail(format!("pair of unknown entities {x:?}, {y:?}"));
        };
        if !seen.insert((x, y)) {
            return fail(format!("pair {x:?}, {y:?} is listed twice"));
        }
        if n == 0 || n > ux.min(uy) {
            return fail(format!(
                "pair {x:?}, {y:?} is in {n} units, but {x:?} is in {ux} and {y:?} in {uy}"
            ));
        }
        // Units holding either: at most all of them.
        let either = u128::from(ux) + u128::from(uy) - u128::from(n);
        if either > u128::from(units) {
            return fail(format!(
                "pair {x:?}, {y:?}: {either} units hold one or the other, but the partial counts {units}"
            ));
        }
        Ok(())
    }
}

/// Merges partial files into one set of counts; all must count the same thing. Each
/// is checked on load; with `Duplicates::Refuse`, a file given twice (by any path) or
/// two files of the same bytes are refused, except partials that count nothing.
pub fn merge_files(
    paths: &[PathBuf],
    duplicates: Duplicates,
) -> Result<Option<Loaded>, PartialError> {
    let mut merged: Option<Loaded> = None;
    let mut totals = Totals::default();
    let mut seen = Seen::default();
    for path in paths {
        let bytes = read(path)?;
        let (loaded, theirs) = parse(path, &bytes)?;
        if duplicates == Duplicates::Refuse {
            seen.check(path, &bytes, theirs.is_empty())?;
        }
        totals = totals
            .checked_add(theirs)
            .ok_or_else(|| PartialError::Overflow {
                path: path.clone(),
                alone: false,
            })?;
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

/// The partials merged so far: by file identity, and by a hash of their bytes.
#[derive(Default)]
struct Seen {
    files: HashMap<FileId, PathBuf>,
    contents: HashMap<u64, PathBuf>,
}

/// What makes two paths one file: device and inode (any link or spelling of a path),
/// or the canonical path where those are not at hand. Kept as numbers, not open
/// handles, so that thousands of partials do not exhaust file descriptors.
#[derive(Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(path).ok()?;
            Some(FileId::Inode(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(FileId::Path)
        }
    }
}

impl Seen {
    fn check(&mut self, path: &Path, bytes: &[u8], empty: bool) -> Result<(), PartialError> {
        // The file was just read; if it vanished since, the content check still applies.
        if let Some(id) = FileId::of(path) {
            if let Some(first) = self.files.get(&id) {
                return Err(PartialError::SameFile {
                    path: path.to_path_buf(),
                    first: first.clone(),
                });
            }
            self.files.insert(id, path.to_path_buf());
        }
        // Shards with no documents all write the same partial, and adding one twice
        // changes nothing.
        if empty {
            return Ok(());
        }
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            hasher.finish()
        };
        match self.contents.get(&hash) {
            // A hash collision must not refuse two different partials: compare bytes.
            Some(first) if std::fs::read(first).is_ok_and(|b| b == bytes) => {
                Err(PartialError::SameContent {
                    path: path.to_path_buf(),
                    first: first.clone(),
                })
            }
            Some(_) => Ok(()),
            None => {
                self.contents.insert(hash, path.to_path_buf());
                Ok(())
            }
        }
    }
}

/// For each entity of `theirs`, its index in `ours` (added when new).
fn remapping(ours: &mut EntityTable, theirs: &EntityTable) -> Vec<usize> {
    (0..theirs.len())
        .map(|i| {
            let e = theirs.get(i);
            ours.intern(&e.id, &e.name, e.kind.as_str(), &e.attrs)
        })
        .collect()
}
