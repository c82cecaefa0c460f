//! Entity frequency counts: mentions, documents and surface forms, optionally grouped by
//! an entity attribute, a metadata field, or the document date.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::{EntityTable, TaggedDoc};
use crate::gazetteer::Entity;

/// The group label of documents or entities that lack the grouping value.
pub(crate) const UNKNOWN: &str = "unknown";

/// How counts are split into groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One group for the whole corpus.
    #[default]
    None,
    /// By an entity attribute (`attr:country`): each mention counts in its entity's group.
    Attr(String),
    /// By a field of the input kept in `meta` (`meta:source`): each document in one group.
    Meta(String),
    /// By `meta.date` (ISO `YYYY-MM-DD…`), kept per day and bucketed when reported.
    Date,
}

impl Grouping {
    /// Parses `attr:KEY`, `meta:KEY`, `date` or `none`.
    pub fn parse(spec: &str) -> Result<Grouping, String> {
        match spec.split_once(':') {
            None if spec == "none" => Ok(Grouping::None),
            Some(("attr", key)) if !key.is_empty() => Ok(Grouping::Attr(key.to_string())),
            Some(("meta", key)) if !key.is_empty() => Ok(Grouping::Meta(key.to_string())),
            None if spec == "date" => Ok(Grouping::Date),
            _ => Err(format!(
                "bad grouping {spec:?}: expected attr:KEY, meta:KEY or date"
            )),
        }
    }

    /// The spelling `parse` accepts; also the name saved in partial files.
    pub fn label(&self) -> String {
        match self {
            Grouping::None => "none".into(),
            Grouping::Attr(k) => format!("attr:{k}"),
            Grouping::Meta(k) => format!("meta:{k}"),
            Grouping::Date => "date".into(),
        }
    }
}

/// Time buckets for `--by date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Day,
    /// ISO 8601 weeks: `2017-W03`.
    Week,
    Month,
    Year,
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        match s {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "year" => Ok(Period::Year),
            _ => Err(format!(
                "unknown period {s:?}: expected day, week, month or year"
            )),
        }
    }
}

/// Exact counts, mergeable by addition.
#[derive(Debug, Clone, Default)]
pub struct StatsCounts {
    pub grouping: Grouping,
    pub documents: u64,
    pub(crate) groups: BTreeMap<String, GroupCounts>,
}

/// Counts inside one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct GroupCounts {
    /// Documents in the group (for `attr:` grouping: documents with a mention in it).
    pub documents: u64,
    /// Documents in the group with at least one mention of each type.
    pub type_documents: BTreeMap<String, u64>,
    pub entities: HashMap<usize, EntityCounts>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EntityCounts {
    pub mentions: u64,
    pub documents: u64,
    pub surfaces: HashMap<String, u64>,
}

impl GroupCounts {
    /// Adds `other` into `self`; `remap` turns the other side's entity indices into ours.
    /// Sums saturate rather than wrap; `partial::merge_files` refuses partials whose
    /// totals would overflow, which bound every sum here, so they never do.
    pub(crate) fn add(&mut self, other: &GroupCounts, remap: impl Fn(usize) -> usize) {
        let add = |into: &mut u64, n: u64| *into = into.saturating_add(n);
        add(&mut self.documents, other.documents);
        for (kind, &n) in &other.type_documents {
            add(self.type_documents.entry(kind.clone()).or_default(), n);
        }
        for (&entity, counts) in &other.entities {
            let mine = self.entities.entry(remap(entity)).or_default();
            add(&mut mine.mentions, counts.mentions);
            add(&mut mine.documents, counts.documents);
            for (text, &n) in &counts.surfaces {
                add(mine.surfaces.entry(text.clone()).or_default(), n);
            }
        }
    }
}

impl StatsCounts {
    pub fn new(grouping: Grouping) -> StatsCounts {
        StatsCounts {
            grouping,
            ..StatsCounts::default()
        }
    }

    pub fn add(&mut self, doc: &TaggedDoc, table: &EntityTable) {
        self.documents += 1;
        let doc_group = match &self.grouping {
            Grouping::None => Some(String::new()),
            Grouping::Meta(key) => Some(meta_group(doc, key)),
            Grouping::Date => Some(date_group(doc)),
            Grouping::Attr(_) => None,
        };
        if let Some(group) = &doc_group {
            self.groups.entry(group.clone()).or_default().documents += 1;
        }
        let mut seen_entities: HashSet<(String, usize)> = HashSet::new();
        let mut seen_types: HashSet<(String, &str)> = HashSet::new();
        let mut seen_groups: HashSet<String> = HashSet::new();
        for m in &doc.mentions {
            let entity = table.get(m.entity);
            let group = match (&doc_group, &self.grouping) {
                (Some(g), _) => g.clone(),
                (None, Grouping::Attr(key)) => attr_group(entity, key),
                (None, _) => String::new(),
            };
            let counts = self.groups.entry(group.clone()).or_default();
            let e = counts.entities.entry(m.entity).or_default();
            e.mentions += 1;
            *e.surfaces.entry(m.text.clone()).or_default() += 1;
            if seen_entities.insert((group.clone(), m.entity)) {
                e.documents += 1;
            }
            if seen_types.insert((group.clone(), entity.kind.as_str())) {
                *counts
                    .type_documents
                    .entry(entity.kind.to_string())
                    .or_default() += 1;
            }
            if doc_group.is_none() && seen_groups.insert(group.clone()) {
                counts.documents += 1;
            }
        }
    }

    /// Adds another run's counts; `remap` turns its entity indices into ours. Sums
    /// saturate, as in [`GroupCounts::add`].
    pub(crate) fn merge(&mut self, other: &StatsCounts, remap: impl Fn(usize) -> usize) {
        self.documents = self.documents.saturating_add(other.documents);
        for (group, counts) in &other.groups {
            self.groups
                .entry(group.clone())
                .or_default()
                .add(counts, &remap);
        }
    }

    /// Groups as reported: dates bucketed by `period`, others as counted.
    fn reported_groups(&self, period: Period) -> BTreeMap<String, GroupCounts> {
        if self.grouping != Grouping::Date || period == Period::Day {
            return self.groups.clone();
        }
        let mut out: BTreeMap<String, GroupCounts> = BTreeMap::new();
        for (day, counts) in &self.groups {
            let bucket = bucket(day, period);
            out.entry(bucket).or_default().add(counts, |i| i);
        }
        out
    }

    /// The report: rows per (group, entity) and totals per (group, type).
    pub fn report<'a>(&self, table: &'a EntityTable, options: &StatsOptions) -> StatsReport<'a> {
        let grouped = self.grouping != Grouping::None;
        let mut rows = Vec::new();
        let mut totals = Vec::new();
        for (group, counts) in self.reported_groups(options.period) {
            // Share of documents: of the group's documents, except for attribute groups,
            // whose documents are not a partition of the corpus.
            let denominator = match self.grouping {
                Grouping::Meta(_) | Grouping::Date => counts.documents,
                Grouping::None | Grouping::Attr(_) => self.documents,
            };
            let share = |docs: u64| {
                if denominator == 0 {
                    0.0
                } else {
                    docs as f64 / denominator as f64
                }
            };
            let label = grouped.then(|| group.clone());
            let mut group_rows: Vec<StatsRow<'a>> = counts
                .entities
                .iter()
                .map(|(&i, c)| StatsRow {
                    group: label.clone(),
                    entity: table.get(i),
                    mentions: c.mentions,
                    documents: c.documents,
                    share: share(c.documents),
                    top_form: top_form(&c.surfaces),
                })
                .filter(|r| options.keeps_type(r.entity.kind.as_str()))
                .collect();
            let mut per_type: BTreeMap<&str, TotalRow> = BTreeMap::new();
            for r in &group_rows {
                let t = per_type.entry(r.entity.kind.as_str()).or_insert_with(|| {
                    let docs = counts
                        .type_documents
                        .get(r.entity.kind.as_str())
                        .copied()
                        .unwrap_or(0);
                    TotalRow {
                        group: label.clone(),
                        kind: r.entity.kind.to_string(),
                        entities: 0,
                        mentions: 0,
                        documents: docs,
                        share: share(docs),
                    }
                });
                t.entities += 1;
                t.mentions += r.mentions;
            }
            totals.extend(per_type.into_values());
            group_rows.retain(|r| r.documents >= options.min_docs);
            group_rows.sort_by(|a, b| {
                b.mentions
                    .cmp(&a.mentions)
                    .then(b.documents.cmp(&a.documents))
                    .then(a.entity.id.cmp(&b.entity.id))
            });
            if let Some(top) = options.top {
                group_rows.truncate(top);
            }
            rows.extend(group_rows);
        }
        StatsReport {
            documents: self.documents,
            grouping: self.grouping.clone(),
            rows,
            totals,
        }
    }
}

/// What to keep in a stats report.
#[derive(Debug, Clone, Default)]
pub struct StatsOptions {
    /// Only these types (all when empty).
    pub types: Vec<String>,
    /// At most this many rows per group.
    pub top: Option<usize>,
    pub min_docs: u64,
    pub period: Period,
}

impl StatsOptions {
    fn keeps_type(&self, kind: &str) -> bool {
        self.types.is_empty() || self.types.iter().any(|t| t == kind)
    }
}

/// The entity frequency table.
#[derive(Debug, Clone)]
pub struct StatsReport<'a> {
    pub documents: u64,
    pub grouping: Grouping,
    pub(crate) rows: Vec<StatsRow<'a>>,
    pub(crate) totals: Vec<TotalRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct StatsRow<'a> {
    pub group: Option<String>,
    pub entity: &'a Entity,
    pub mentions: u64,
    pub documents: u64,
    /// Documents mentioning the entity / documents (of the group).
    pub share: f64,
    /// The most frequent surface form (ties: the smallest string).
    pub top_form: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TotalRow {
    pub group: Option<String>,
    pub kind: String,
    /// Distinct entities of this type mentioned.
    pub entities: u64,
    pub mentions: u64,
    /// Documents with at least one mention of this type.
    pub documents: u64,
    pub share: f64,
}

fn top_form(surfaces: &HashMap<String, u64>) -> String {
    surfaces
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(text, _)| text.clone())
        .unwrap_or_default()
}

fn attr_group(entity: &Entity, key: &str) -> String {
    entity
        .attrs
        .get(key)
        .cloned()
        .unwrap_or_else(|| UNKNOWN.to_string())
}

fn meta_group(doc: &TaggedDoc, key: &str) -> String {
    match doc.meta.as_ref().and_then(|m| m.get(key)) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        _ => UNKNOWN.to_string(),
    }
}

/// `meta.date` as `YYYY-MM-DD` when it starts with a valid ISO date, else `unknown`.
fn date_group(doc: &TaggedDoc) -> String {
    let value = doc.meta.as_ref().and_then(|m| m.get("date"));
    let Some(serde_json::Value::String(s)) = value else {
        return UNKNOWN.to_string();
    };
    match s
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        Some(date) => date.format("%Y-%m-%d").to_string(),
        None => UNKNOWN.to_string(),
    }
}

pub(crate) fn bucket(day: &str, period: Period) -> String {
    let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return day.to_string();
    };
    match period {
        Period::Day => day.to_string(),
        Period::Week => {
            let week = date.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Period::Month => format!("{}-{:02}", date.year(), date.month()),
        Period::Year => date.year().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::aggregate::TaggedMention;

    fn doc(meta: serde_json::Value, mentions: &[(usize, &str)]) -> TaggedDoc {
        TaggedDoc {
            name: String::new(),
            text: None,
            meta: meta.as_object().cloned(),
            mentions: mentions
                .iter()
                .map(|&(entity, text)| TaggedMention {
                    entity,
                    text: text.into(),
                    start: 0,
                    end: 0,
                    sentence: 0,
                    token: 0,
                })
                .collect(),
        }
    }

    fn table() -> EntityTable {
        let mut t = EntityTable::default();
        let ru = BTreeMap::from([("country".to_string(), "RU".to_string())]);
        t.intern("putin", "Vladimir Putin", "PER", &ru);
        t.intern("moscow", "Moscow", "LOC", &ru);
        t.intern("almaty", "Almaty", "LOC", &BTreeMap::new());
        t
    }

    #[test]
    fn counts_rows_totals_and_top_form() {
        let t = table();
        let mut s = StatsCounts::new(Grouping::None);
        s.add(
            &doc(
                serde_json::json!({}),
                &[
                    (0, "Putin"),
                    (0, "Vladimir Putin"),
                    (0, "Putin"),
                    (1, "Moscow"),
                ],
            ),
            &t,
        );
        s.add(&doc(serde_json::json!({}), &[(1, "Moscow")]), &t);
        s.add(&doc(serde_json::json!({}), &[]), &t);
        let r = s.report(&t, &StatsOptions::default());
        let rows: Vec<_> = r
            .rows
            .iter()
            .map(|r| {
                (
                    r.entity.id.as_str(),
                    r.mentions,
                    r.documents,
                    r.top_form.as_str(),
                )
            })
            .collect();
        assert_eq!(rows, [("putin", 3, 1, "Putin"), ("moscow", 2, 2, "Moscow")]);
        assert!((r.rows[1].share - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.totals.len(), 2);
        assert_eq!(
            (r.totals[0].kind.as_str(), r.totals[0].documents),
            ("LOC", 2)
        );
    }

    #[test]
    fn groups_by_attribute_meta_and_date_periods() {
        let t = table();
        let docs = [
            doc(
                serde_json::json!({"source": "TASS", "date": "2017-01-02T10:00:00Z"}),
                &[(0, "Putin"), (2, "Almaty")],
            ),
            doc(
                serde_json::json!({"source": "BBC", "date": "2017-01-08"}),
                &[(0, "Putin")],
            ),
            doc(serde_json::json!({"source": "TASS"}), &[(1, "Moscow")]),
        ];
        let run = |g: Grouping, period: Period| {
            let mut s = StatsCounts::new(g);
            for d in &docs {
                s.add(d, &t);
            }
            let r = s.report(
                &t,
                &StatsOptions {
                    period,
                    ..StatsOptions::default()
                },
            );
            r.rows
                .iter()
                .map(|r| (r.group.clone().unwrap(), r.entity.id.clone(), r.mentions))
                .collect::<Vec<_>>()
        };
        let g = |s: &str| s.to_string();
        assert_eq!(
            run(Grouping::Attr("country".into()), Period::Day),
            [
                (g("RU"), g("putin"), 2),
                (g("RU"), g("moscow"), 1),
                (g("unknown"), g("almaty"), 1)
            ]
        );
        assert_eq!(
            run(Grouping::Meta("source".into()), Period::Day),
            [
                (g("BBC"), g("putin"), 1),
                (g("TASS"), g("almaty"), 1),
                (g("TASS"), g("moscow"), 1),
                (g("TASS"), g("putin"), 1)
            ]
        );
        // 2017-01-02 is a Monday (ISO week 1); 2017-01-08 is the Sunday of the same week.
        assert_eq!(
            run(Grouping::Date, Period::Week),
            [
                (g("2017-W01"), g("putin"), 2),
                (g("2017-W01"), g("almaty"), 1),
                (g("unknown"), g("moscow"), 1)
            ]
        );
        assert_eq!(run(Grouping::Date, Period::Year)[0].0, "2017");
    }

    #[test]
    fn grouping_specs() {
        assert_eq!(
            Grouping::parse("attr:country"),
            Ok(Grouping::Attr("country".into()))
        );
        assert_eq!(
            Grouping::parse("meta:source"),
            Ok(Grouping::Meta("source".into()))
        );
        assert_eq!(Grouping::parse("date"), Ok(Grouping::Date));
        assert!(Grouping::parse("country").is_err());
        assert!(Grouping::parse("attr:").is_err());
    }
}
