//! Co-occurrence counts: which entities appear together, once per unit of a scope.
//!
//! Units, and so the N of the association measures:
//! - `doc`: every document (those without mentions included);
//! - `sentence`: every sentence that holds at least one mention (tagged JSONL does not
//!   record the others; they cannot change any joint count);
//! - `window:N`: for every word where a mention starts, the window of that word and the
//!   N words after it. Two mentions within N words of each other are both in the window
//!   of the earlier one, so each close pair is counted at least once.

use std::collections::{BTreeSet, HashMap};

use super::{EntityTable, TaggedDoc};
use crate::analyze::measures::{Association, associate};
use crate::gazetteer::Entity;

/// The unit in which pairs are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Doc,
    Sentence,
    Window(u64),
}

impl Scope {
    /// Parses `doc`, `sentence` or `window:N`.
    pub fn parse(spec: &str) -> Result<Scope, String> {
        match spec {
            "doc" => Ok(Scope::Doc),
            "sentence" => Ok(Scope::Sentence),
            _ => match spec.strip_prefix("window:").map(str::parse::<u64>) {
                Some(Ok(n)) if n > 0 => Ok(Scope::Window(n)),
                _ => Err(format!(
                    "bad scope {spec:?}: expected doc, sentence or window:N with N ≥ 1"
                )),
            },
        }
    }

    pub(crate) fn label(&self) -> String {
        match self {
            Scope::Doc => "doc".into(),
            Scope::Sentence => "sentence".into(),
            Scope::Window(n) => format!("window:{n}"),
        }
    }
}

/// Exact counts, mergeable by addition.
#[derive(Debug, Clone, Default)]
pub struct CoocCounts {
    pub scope: Scope,
    /// Number of units.
    pub units: u64,
    /// Per entity: mentions, and units holding it.
    pub(crate) entities: HashMap<usize, EntityUnits>,
    /// Per pair of entity indices (smaller first): units holding both.
    pub pairs: HashMap<(usize, usize), u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EntityUnits {
    pub mentions: u64,
    pub units: u64,
}

impl CoocCounts {
    pub fn new(scope: Scope) -> CoocCounts {
        CoocCounts {
            scope,
            ..CoocCounts::default()
        }
    }

    pub fn add(&mut self, doc: &TaggedDoc) {
        for m in &doc.mentions {
            self.entities.entry(m.entity).or_default().mentions += 1;
        }
        match self.scope {
            Scope::Doc => self.add_unit(doc.mentions.iter().map(|m| m.entity)),
            Scope::Sentence => {
                let mut by_sentence: Vec<(u64, usize)> = doc
                    .mentions
                    .iter()
                    .map(|m| (m.sentence, m.entity))
                    .collect();
                by_sentence.sort_unstable();
                for unit in by_sentence.chunk_by(|a, b| a.0 == b.0) {
                    self.add_unit(unit.iter().map(|&(_, e)| e));
                }
            }
            Scope::Window(width) => {
                let mut by_token: Vec<(u64, usize)> =
                    doc.mentions.iter().map(|m| (m.token, m.entity)).collect();
                by_token.sort_unstable();
                let mut anchors: Vec<u64> = by_token.iter().map(|&(t, _)| t).collect();
                anchors.dedup();
                let mut first = 0;
                for anchor in anchors {
                    while by_token[first].0 < anchor {
                        first += 1;
                    }
                    let window = by_token[first..]
                        .iter()
                        .take_while(|&&(t, _)| t <= anchor + width)
                        .map(|&(_, e)| e);
                    self.add_unit(window.collect::<Vec<_>>());
                }
            }
        }
    }

    /// Counts one unit holding these entities (repeats are counted once).
    fn add_unit(&mut self, entities: impl IntoIterator<Item = usize>) {
        self.units += 1;
        let present: BTreeSet<usize> = entities.into_iter().collect();
        let present: Vec<usize> = present.into_iter().collect();
        for (i, &a) in present.iter().enumerate() {
            self.entities.entry(a).or_default().units += 1;
            for &b in &present[i + 1..] {
                *self.pairs.entry((a, b)).or_default() += 1;
            }
        }
    }

    /// Adds another run's counts; `remap` turns its entity indices into ours. Sums
    /// saturate rather than wrap; `partial::merge_files` refuses partials whose totals
    /// would overflow, which bound every sum here, so they never do.
    pub(crate) fn merge(&mut self, other: &CoocCounts, remap: impl Fn(usize) -> usize) {
        let add = |into: &mut u64, n: u64| *into = into.saturating_add(n);
        add(&mut self.units, other.units);
        for (&e, c) in &other.entities {
            let mine = self.entities.entry(remap(e)).or_default();
            add(&mut mine.mentions, c.mentions);
            add(&mut mine.units, c.units);
        }
        for (&(a, b), &n) in &other.pairs {
            let (a, b) = (remap(a), remap(b));
            add(self.pairs.entry((a.min(b), a.max(b))).or_default(), n);
        }
    }

    /// Pairs that pass the filters, sorted, with their measures.
    pub fn report<'a>(&self, table: &'a EntityTable, options: &CoocOptions) -> Vec<Pair<'a>> {
        let focus = options.entity.as_deref();
        let mut pairs: Vec<Pair<'a>> = self
            .pairs
            .iter()
            .filter(|&(_, &count)| count >= options.min_count)
            .map(|(&(a, b), &count)| {
                let (a, b) = if table.get(a).id <= table.get(b).id {
                    (a, b)
                } else {
                    (b, a)
                };
                let (ua, ub) = (self.entities[&a], self.entities[&b]);
                Pair {
                    first: table.get(a),
                    second: table.get(b),
                    count,
                    first_units: ua.units,
                    second_units: ub.units,
                    first_mentions: ua.mentions,
                    second_mentions: ub.mentions,
                    measures: associate(count, ua.units, ub.units, self.units),
                }
            })
            .filter(|p| focus.is_none_or(|id| p.first.id == id || p.second.id == id))
            .filter(|p| options.keeps_types(p.first.kind.as_str(), p.second.kind.as_str()))
            .collect();
        pairs.sort_by(|x, y| options.sort.compare(x, y));
        if let Some(top) = options.top {
            pairs.truncate(top);
        }
        pairs
    }
}

/// A pair of co-occurring entities (ids in ascending order) and its numbers.
#[derive(Debug, Clone)]
pub struct Pair<'a> {
    pub first: &'a Entity,
    pub second: &'a Entity,
    /// Units holding both.
    pub count: u64,
    pub first_units: u64,
    pub second_units: u64,
    pub first_mentions: u64,
    pub second_mentions: u64,
    pub measures: Association,
}

/// Which measure orders the pairs (largest first; ties by count, then ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Count,
    Npmi,
    Pmi,
    G2,
    Jaccard,
}

impl std::str::FromStr for SortKey {
    type Err = String;

    fn from_str(s: &str) -> Result<SortKey, String> {
        match s {
            "count" => Ok(SortKey::Count),
            "npmi" => Ok(SortKey::Npmi),
            "pmi" => Ok(SortKey::Pmi),
            "g2" => Ok(SortKey::G2),
            "jaccard" => Ok(SortKey::Jaccard),
            _ => Err(format!(
                "unknown sort key {s:?}: expected count, npmi, pmi, g2 or jaccard"
            )),
        }
    }
}

impl SortKey {
    fn value(&self, p: &Pair) -> f64 {
        match self {
            SortKey::Count => p.count as f64,
            SortKey::Npmi => p.measures.npmi,
            SortKey::Pmi => p.measures.pmi,
            SortKey::G2 => p.measures.g2,
            SortKey::Jaccard => p.measures.jaccard,
        }
    }

    fn compare(&self, x: &Pair, y: &Pair) -> std::cmp::Ordering {
        self.value(y)
            .total_cmp(&self.value(x))
            .then(y.count.cmp(&x.count))
            .then(x.first.id.cmp(&y.first.id))
            .then(x.second.id.cmp(&y.second.id))
    }
}

/// What to keep in a co-occurrence report.
#[derive(Debug, Clone)]
pub struct CoocOptions {
    pub min_count: u64,
    pub sort: SortKey,
    pub top: Option<usize>,
    /// Only pairs of these two types, in either order (`PER-ORG`).
    pub types: Option<(String, String)>,
    /// Only pairs with this entity id.
    pub entity: Option<String>,
}

impl Default for CoocOptions {
    fn default() -> Self {
        CoocOptions {
            min_count: 2,
            sort: SortKey::Count,
            top: None,
            types: None,
            entity: None,
        }
    }
}

impl CoocOptions {
    fn keeps_types(&self, a: &str, b: &str) -> bool {
        match &self.types {
            None => true,
            Some((x, y)) => (a == x && b == y) || (a == y && b == x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::aggregate::TaggedMention;
    use std::collections::BTreeMap;

    fn table() -> EntityTable {
        let mut t = EntityTable::default();
        for (id, kind) in [("a", "PER"), ("b", "ORG"), ("c", "LOC")] {
            t.intern(id, &id.to_uppercase(), kind, &BTreeMap::new());
        }
        t
    }

    /// Mentions as (entity, sentence, token).
    fn doc(mentions: &[(usize, u64, u64)]) -> TaggedDoc {
        TaggedDoc {
            name: String::new(),
            text: None,
            meta: None,
            mentions: mentions
                .iter()
                .map(|&(entity, sentence, token)| TaggedMention {
                    entity,
                    text: String::new(),
                    start: 0,
                    end: 0,
                    sentence,
                    token,
                })
                .collect(),
        }
    }

    fn counts(scope: Scope, docs: &[TaggedDoc]) -> CoocCounts {
        let mut c = CoocCounts::new(scope);
        for d in docs {
            c.add(d);
        }
        c
    }

    #[test]
    fn doc_scope_counts_once_per_document() {
        let c = counts(
            Scope::Doc,
            &[
                doc(&[(0, 0, 0), (1, 0, 1), (0, 1, 9)]),
                doc(&[(0, 0, 0)]),
                doc(&[]),
            ],
        );
        assert_eq!(c.units, 3);
        assert_eq!(c.pairs[&(0, 1)], 1);
        assert_eq!(
            c.entities[&0],
            EntityUnits {
                mentions: 3,
                units: 2
            }
        );
    }

    #[test]
    fn sentence_scope_units_are_sentences_with_mentions() {
        let c = counts(
            Scope::Sentence,
            &[doc(&[
                (0, 0, 0),
                (1, 0, 1),
                (0, 2, 9),
                (2, 2, 10),
                (1, 3, 12),
            ])],
        );
        assert_eq!(c.units, 3);
        assert_eq!(c.pairs[&(0, 1)], 1);
        assert_eq!(c.pairs[&(0, 2)], 1);
        assert!(!c.pairs.contains_key(&(1, 2)));
    }

    #[test]
    fn window_scope_counts_pairs_within_n_words() {
        // a@0, b@3, c@10: with N = 3, a–b are close, b–c are not.
        let c = counts(
            Scope::Window(3),
            &[doc(&[(0, 0, 0), (1, 0, 3), (2, 0, 10)])],
        );
        assert_eq!(c.units, 3);
        assert_eq!(c.pairs[&(0, 1)], 1);
        assert_eq!(c.pairs.len(), 1);
        assert_eq!(c.entities[&1].units, 2);
        let wide = counts(
            Scope::Window(10),
            &[doc(&[(0, 0, 0), (1, 0, 3), (2, 0, 10)])],
        );
        assert_eq!(wide.pairs[&(0, 2)], 1);
        assert_eq!(wide.pairs[&(1, 2)], 2);
    }

    #[test]
    fn report_filters_and_sorts() {
        let t = table();
        let docs = [
            doc(&[(0, 0, 0), (1, 0, 1)]),
            doc(&[(0, 0, 0), (1, 0, 1), (2, 0, 2)]),
            doc(&[(0, 0, 0), (2, 0, 1)]),
        ];
        let c = counts(Scope::Doc, &docs);
        let ids = |o: CoocOptions| {
            c.report(&t, &o)
                .iter()
                .map(|p| format!("{}-{}:{}", p.first.id, p.second.id, p.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(CoocOptions::default()), ["a-b:2", "a-c:2"]);
        assert_eq!(
            ids(CoocOptions {
                min_count: 1,
                ..CoocOptions::default()
            }),
            ["a-b:2", "a-c:2", "b-c:1"]
        );
        let only = CoocOptions {
            min_count: 1,
            types: Some(("LOC".into(), "ORG".into())),
            ..CoocOptions::default()
        };
        assert_eq!(ids(only), ["b-c:1"]);
        let focus = CoocOptions {
            min_count: 1,
            entity: Some("c".into()),
            top: Some(1),
            ..CoocOptions::default()
        };
        assert_eq!(ids(focus), ["a-c:2"]);
        // a is in every unit, so its pairs have PMI 0; b and c are seen together less
        // often than chance, so b–c has negative NPMI and sorts last.
        let by_npmi = CoocOptions {
            min_count: 1,
            sort: SortKey::Npmi,
            ..CoocOptions::default()
        };
        assert_eq!(ids(by_npmi), ["a-b:2", "a-c:2", "b-c:1"]);
        let bc = c.report(
            &t,
            &CoocOptions {
                min_count: 1,
                entity: Some("b".into()),
                types: Some(("ORG".into(), "LOC".into())),
                ..CoocOptions::default()
            },
        );
        assert!(bc[0].measures.npmi < 0.0);
    }

    #[test]
    fn scope_specs() {
        assert_eq!(Scope::parse("window:5"), Ok(Scope::Window(5)));
        assert!(Scope::parse("window:0").is_err());
        assert!(Scope::parse("paragraph").is_err());
        assert_eq!(Scope::Window(5).label(), "window:5");
    }
}
