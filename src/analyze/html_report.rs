//! The HTML report (`gaztag report`): a tagged corpus as one self-contained page, for
//! an analyst who would rather look than read: a summary, the top entities of each
//! type, mentions over time and by source, the co-occurrence network and a searchable
//! table of entities with their contexts.
//!
//! The numbers come from the same counters as `stats` and `cooc`, gathered into one
//! [`ReportData`] that is embedded in the page as JSON; the page's script draws it with
//! the vendored ECharts build. Everything (CSS, scripts, data) is inlined so the file
//! opens offline and makes no network request.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use crate::analyze::aggregate::cooc::{CoocCounts, CoocOptions, Scope};
use crate::analyze::aggregate::stats::{
    self, Grouping, Period, StatsCounts, StatsOptions, UNKNOWN,
};
use crate::analyze::aggregate::{EntityTable, TaggedDoc};
use crate::text::normalize::{context_window, squeeze_whitespace};

/// The charting library, embedded at build time (see vendor/README.md).
const ECHARTS: &str = include_str!("../../vendor/echarts/echarts.min.js");
const TEMPLATE: &str = include_str!("html_report/page.html");
const STYLE: &str = include_str!("html_report/report.css");
const SCRIPT: &str = include_str!("html_report/report.js");

/// Characters of text shown on each side of a mention in the entity table.
const CONTEXT_CHARS: usize = 80;
/// Contexts kept per entity, each from a different document.
const CONTEXTS_PER_ENTITY: usize = 3;
/// Surface forms listed per entity.
const FORMS_PER_ENTITY: usize = 5;
/// Daily buckets up to this span; months beyond it (a chart of 3,000 daily bars is
/// unreadable).
const MAX_DAYS: i64 = 400;

/// What the report shows; the defaults suit a corpus of thousands of articles.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub title: String,
    /// Entities per type in the bar charts.
    pub top: usize,
    /// Entities in the co-occurrence network (the most widely mentioned).
    pub nodes: usize,
    /// Documents two entities must share to be linked in the network.
    pub min_count: u64,
    /// The metadata field that names a document's source.
    pub source_field: String,
    /// Rows of the entity table (the most mentioned first).
    pub max_entities: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "gaztag report".into(),
            top: 15,
            nodes: 60,
            min_count: 2,
            source_field: "source".into(),
            max_entities: 5000,
        }
    }
}

/// Counts gathered document by document, turned into [`ReportData`] at the end.
pub struct ReportBuilder {
    options: ReportOptions,
    entities: StatsCounts,
    by_date: StatsCounts,
    by_source: StatsCounts,
    pairs: CoocCounts,
    contexts: HashMap<usize, Vec<Context>>,
    documents_with_text: u64,
}

/// A mention in its sentence, as the entity table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Context {
    pub doc: String,
    pub left: String,
    pub text: String,
    pub right: String,
}

/// Everything the page draws, embedded in it as JSON.
#[derive(Debug, Serialize)]
pub struct ReportData {
    pub title: String,
    pub generator: String,
    pub(crate) summary: Summary,
    /// Per type, its most mentioned entities.
    pub(crate) top: BTreeMap<String, Vec<EntityRow>>,
    pub(crate) timeline: Option<Timeline>,
    pub(crate) sources: Option<Sources>,
    pub(crate) network: Network,
    /// The most mentioned entities, with forms and contexts.
    pub(crate) entities: Vec<EntityRow>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    pub documents: u64,
    pub mentions: u64,
    pub entities: u64,
    pub documents_with_text: u64,
    pub documents_dated: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub sources: u64,
    pub source_field: String,
    pub types: Vec<TypeSummary>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TypeSummary {
    #[serde(rename = "type")]
    pub kind: String,
    pub entities: u64,
    pub mentions: u64,
    pub documents: u64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntityRow {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: u64,
    pub documents: u64,
    /// Surface forms and their counts, most frequent first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<(String, u64)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<Context>,
}

/// Mentions per time bucket and type; buckets without documents are present (zero), so
/// gaps in the coverage show as gaps.
#[derive(Debug, Serialize)]
pub(crate) struct Timeline {
    /// `day` or `month`.
    pub period: String,
    pub buckets: Vec<String>,
    pub documents: Vec<u64>,
    /// Per type, mentions per bucket (aligned with `buckets`).
    pub mentions: BTreeMap<String, Vec<u64>>,
}

/// Documents and mentions per source, the sources with most documents first.
#[derive(Debug, Serialize)]
pub(crate) struct Sources {
    pub names: Vec<String>,
    pub documents: Vec<u64>,
    pub mentions: BTreeMap<String, Vec<u64>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Network {
    pub nodes: Vec<EntityRow>,
    pub links: Vec<Link>,
    /// Entities that share at least `min_count` documents with another, of which
    /// `nodes` shows the most widely mentioned.
    pub linked_entities: u64,
    pub min_count: u64,
}

/// Two network nodes (indices into `nodes`) and the documents they share.
#[derive(Debug, Serialize)]
pub(crate) struct Link {
    pub source: usize,
    pub target: usize,
    pub count: u64,
    pub npmi: f64,
}

impl ReportBuilder {
    pub fn new(options: ReportOptions) -> ReportBuilder {
        let by_source = StatsCounts::new(Grouping::Meta(options.source_field.clone()));
        ReportBuilder {
            options,
            entities: StatsCounts::new(Grouping::None),
            by_date: StatsCounts::new(Grouping::Date),
            by_source,
            pairs: CoocCounts::new(Scope::Doc),
            contexts: HashMap::new(),
            documents_with_text: 0,
        }
    }

    pub fn add(&mut self, doc: &TaggedDoc, table: &EntityTable) {
        self.entities.add(doc, table);
        self.by_date.add(doc, table);
        self.by_source.add(doc, table);
        self.pairs.add(doc);
        if let Some(text) = &doc.text {
            self.documents_with_text += 1;
            self.add_contexts(doc, text);
        }
    }

    /// Keeps the first mention of each entity in this document as a context, until the
    /// entity has enough.
    fn add_contexts(&mut self, doc: &TaggedDoc, text: &str) {
        let mut seen = HashSet::new();
        for m in &doc.mentions {
            if !seen.insert(m.entity) {
                continue;
            }
            let kept = self.contexts.entry(m.entity).or_default();
            if kept.len() < CONTEXTS_PER_ENTITY
                && let Some(context) = context(&doc.name, text, m.start, m.end)
            {
                kept.push(context);
            }
        }
    }

    pub fn finish(&self, table: &EntityTable) -> ReportData {
        let all = StatsOptions::default();
        let report = self.entities.report(table, &all);
        let rows: Vec<EntityRow> = report
            .rows
            .iter()
            .map(|r| self.entity_row(table, r.entity.id.as_str(), r.mentions, r.documents))
            .collect();
        let mut top: BTreeMap<String, Vec<EntityRow>> = BTreeMap::new();
        for row in &rows {
            let of_type = top.entry(row.kind.clone()).or_default();
            if of_type.len() < self.options.top {
                of_type.push(without_details(row));
            }
        }
        let types = report
            .totals
            .iter()
            .map(|t| TypeSummary {
                kind: t.kind.clone(),
                entities: t.entities,
                mentions: t.mentions,
                documents: t.documents,
            })
            .collect();
        let (first_date, last_date, documents_dated) = self.date_range();
        let sources = self.sources(table);
        ReportData {
            title: self.options.title.clone(),
            generator: format!("gaztag {}", env!("CARGO_PKG_VERSION")),
            summary: Summary {
                documents: self.entities.documents,
                mentions: rows.iter().map(|r| r.mentions).sum(),
                entities: rows.len() as u64,
                documents_with_text: self.documents_with_text,
                documents_dated,
                first_date: first_date.map(|d| d.to_string()),
                last_date: last_date.map(|d| d.to_string()),
                sources: sources.as_ref().map_or(0, |s| s.names.len() as u64),
                source_field: self.options.source_field.clone(),
                types,
            },
            top,
            timeline: self.timeline(table),
            sources,
            network: self.network(table),
            entities: rows.into_iter().take(self.options.max_entities).collect(),
        }
    }

    fn entity_row(&self, table: &EntityTable, id: &str, mentions: u64, docs: u64) -> EntityRow {
        let index = table.find(id);
        let entity = index.map(|i| table.get(i));
        let forms = index
            .and_then(|i| self.entities.groups.get("")?.entities.get(&i))
            .map(|c| {
                let mut forms: Vec<(String, u64)> =
                    c.surfaces.iter().map(|(f, &n)| (f.clone(), n)).collect();
                forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                forms.truncate(FORMS_PER_ENTITY);
                forms
            })
            .unwrap_or_default();
        EntityRow {
            id: id.to_string(),
            name: entity.map_or_else(String::new, |e| e.name.clone()),
            kind: entity.map_or_else(String::new, |e| e.kind.to_string()),
            mentions,
            documents: docs,
            forms,
            contexts: index
                .and_then(|i| self.contexts.get(&i).cloned())
                .unwrap_or_default(),
        }
    }

    /// The first and last valid `meta.date`, and how many documents have one.
    fn date_range(&self) -> (Option<NaiveDate>, Option<NaiveDate>, u64) {
        let mut dated = 0;
        let mut days = Vec::new();
        for (day, counts) in &self.by_date.groups {
            if let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                dated += counts.documents;
                days.push(date);
            }
        }
        (days.first().copied(), days.last().copied(), dated)
    }

    fn timeline(&self, table: &EntityTable) -> Option<Timeline> {
        let (Some(first), Some(last), _) = self.date_range() else {
            return None;
        };
        let period = if (last - first).num_days() < MAX_DAYS {
            Period::Day
        } else {
            Period::Month
        };
        let buckets = buckets_between(first, last, period);
        let position: HashMap<&str, usize> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| (b.as_str(), i))
            .collect();
        let mut documents = vec![0; buckets.len()];
        for (day, counts) in &self.by_date.groups {
            if let Some(&i) = position.get(stats::bucket(day, period).as_str()) {
                documents[i] += counts.documents;
            }
        }
        let options = StatsOptions {
            period,
            ..StatsOptions::default()
        };
        let mut mentions: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for total in self.by_date.report(table, &options).totals {
            let bucket = total.group.as_deref().unwrap_or(UNKNOWN);
            if let Some(&i) = position.get(bucket) {
                mentions
                    .entry(total.kind)
                    .or_insert_with(|| vec![0; buckets.len()])[i] += total.mentions;
            }
        }
        Some(Timeline {
            period: match period {
                Period::Day => "day".into(),
                _ => "month".into(),
            },
            buckets,
            documents,
            mentions,
        })
    }

    /// Sources by documents (then name); none when no document names its source.
    fn sources(&self, table: &EntityTable) -> Option<Sources> {
        let mut names: Vec<(&String, u64)> = self
            .by_source
            .groups
            .iter()
            .filter(|(name, _)| name.as_str() != UNKNOWN)
            .map(|(name, counts)| (name, counts.documents))
            .collect();
        if names.is_empty() {
            return None;
        }
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        names.truncate(self.options.top.max(1) * 2);
        let position: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.as_str(), i))
            .collect();
        let mut mentions: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        let report = self.by_source.report(table, &StatsOptions::default());
        for total in report.totals {
            if let Some(&i) = total.group.as_deref().and_then(|g| position.get(g)) {
                mentions
                    .entry(total.kind)
                    .or_insert_with(|| vec![0; names.len()])[i] += total.mentions;
            }
        }
        Some(Sources {
            documents: names.iter().map(|&(_, d)| d).collect(),
            names: names.into_iter().map(|(n, _)| n.clone()).collect(),
            mentions,
        })
    }

    /// The most widely mentioned linked entities and the links among them (the
    /// strongest first, at most four per node so the picture stays readable).
    fn network(&self, table: &EntityTable) -> Network {
        let options = CoocOptions {
            min_count: self.options.min_count,
            ..CoocOptions::default()
        };
        let pairs = self.pairs.report(table, &options);
        let mut linked: Vec<(&str, u64, u64)> = Vec::new();
        let mut seen = HashSet::new();
        for p in &pairs {
            let ends = [
                (&p.first.id, p.first_units, p.first_mentions),
                (&p.second.id, p.second_units, p.second_mentions),
            ];
            for (id, docs, mentions) in ends {
                if seen.insert(id.as_str()) {
                    linked.push((id.as_str(), docs, mentions));
                }
            }
        }
        let linked_entities = linked.len() as u64;
        linked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
        linked.truncate(self.options.nodes);
        let index: HashMap<&str, usize> = linked
            .iter()
            .enumerate()
            .map(|(i, &(id, _, _))| (id, i))
            .collect();
        let links = pairs
            .iter()
            .filter_map(|p| {
                Some(Link {
                    source: *index.get(p.first.id.as_str())?,
                    target: *index.get(p.second.id.as_str())?,
                    count: p.count,
                    npmi: (p.measures.npmi * 1000.0).round() / 1000.0,
                })
            })
            .take(self.options.nodes * 4)
            .collect();
        let nodes = linked
            .iter()
            .map(|&(id, docs, mentions)| {
                without_details(&self.entity_row(table, id, mentions, docs))
            })
            .collect();
        Network {
            nodes,
            links,
            linked_entities,
            min_count: self.options.min_count,
        }
    }
}

fn without_details(row: &EntityRow) -> EntityRow {
    EntityRow {
        forms: Vec::new(),
        contexts: Vec::new(),
        ..row.clone()
    }
}

/// Every bucket label from `first` to `last` inclusive, as `stats::bucket` spells them.
fn buckets_between(first: NaiveDate, last: NaiveDate, period: Period) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= last) {
        let label = stats::bucket(&day.format("%Y-%m-%d").to_string(), period);
        if out.last() != Some(&label) {
            out.push(label);
        }
    }
    out
}

/// The mention at bytes `start..end` of `text` with up to [`CONTEXT_CHARS`] characters
/// each side (an ellipsis where the text goes on), whitespace runs shown as one space.
/// None when the offsets do not fall on
/// the text (a record edited by hand).
fn context(doc: &str, text: &str, start: usize, end: usize) -> Option<Context> {
    let mention = text.get(start..end)?;
    let (left, right) = context_window(text, start, end, CONTEXT_CHARS);
    Some(Context {
        doc: doc.to_string(),
        left: format!(
            "{}{}",
            if left > 0 { "…" } else { "" },
            squeeze_whitespace(&text[left..start]).trim_start()
        ),
        text: squeeze_whitespace(mention),
        right: format!(
            "{}{}",
            squeeze_whitespace(&text[end..right]).trim_end(),
            if right < text.len() { "…" } else { "" }
        ),
    })
}

/// Writes the page: the template with the style, the scripts and the data inlined.
pub fn write_html(out: &mut dyn Write, data: &ReportData) -> io::Result<()> {
    let json = serde_json::to_string(data).map_err(io::Error::from)?;
    let mut rest = TEMPLATE;
    while let Some((before, after)) = rest.split_once("{{") {
        let Some((name, tail)) = after.split_once("}}") else {
            break;
        };
        out.write_all(before.as_bytes())?;
        match name {
            "TITLE" => out.write_all(escape_html(&data.title).as_bytes())?,
            "STYLE" => out.write_all(STYLE.as_bytes())?,
            "ECHARTS" => out.write_all(ECHARTS.as_bytes())?,
            "SCRIPT" => out.write_all(SCRIPT.as_bytes())?,
            "DATA" => out.write_all(escape_script_json(&json).as_bytes())?,
            other => write!(out, "{{{{{other}}}}}")?,
        }
        rest = tail;
    }
    out.write_all(rest.as_bytes())
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JSON that cannot end its `<script>` element early (`</script>`, `<!--` in a name)
/// nor break a script that evaluates it: `<`, `>`, `&` and the line separators U+2028
/// and U+2029 (line ends in JavaScript before ES2019) become JSON escapes, which
/// `JSON.parse` reads back unchanged. They can only occur inside JSON strings, where an
/// escape means the same character.
fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::aggregate::TaggedMention;

    fn table() -> EntityTable {
        let mut t = EntityTable::default();
        let none = BTreeMap::new();
        t.intern("putin", "Vladimir Putin", "PER", &none);
        t.intern("moscow", "Moscow", "LOC", &none);
        t.intern("csto", "CSTO", "ORG", &none);
        t
    }

    /// A document whose text is its mentions' surface forms separated by `filler`.
    fn doc(name: &str, date: &str, entities: &[(usize, &str)], with_text: bool) -> TaggedDoc {
        let mut text = String::new();
        let mut mentions = Vec::new();
        for &(entity, form) in entities {
            text.push_str("said that ");
            mentions.push(TaggedMention {
                entity,
                text: form.to_string(),
                start: text.len(),
                end: text.len() + form.len(),
                sentence: 0,
                token: 0,
            });
            text.push_str(form);
            text.push(' ');
        }
        let meta = serde_json::json!({"date": date, "source": "wire"});
        TaggedDoc {
            name: name.to_string(),
            text: with_text.then_some(text),
            meta: meta.as_object().cloned(),
            mentions,
        }
    }

    fn build(docs: &[TaggedDoc], options: ReportOptions) -> ReportData {
        let t = table();
        let mut b = ReportBuilder::new(options);
        for d in docs {
            b.add(d, &t);
        }
        b.finish(&t)
    }

    #[test]
    fn summary_counts_documents_mentions_and_types() {
        let docs = [
            doc(
                "a",
                "2022-01-05",
                &[(0, "Putin"), (1, "Moscow"), (0, "Putin")],
                true,
            ),
            doc(
                "b",
                "2022-01-07",
                &[(0, "Vladimir Putin"), (2, "CSTO")],
                false,
            ),
        ];
        let data = build(&docs, ReportOptions::default());
        let s = &data.summary;
        assert_eq!((s.documents, s.mentions, s.entities), (2, 5, 3));
        assert_eq!((s.documents_with_text, s.documents_dated), (1, 2));
        assert_eq!(s.first_date.as_deref(), Some("2022-01-05"));
        assert_eq!(s.last_date.as_deref(), Some("2022-01-07"));
        let per: Vec<(&str, u64)> = s
            .types
            .iter()
            .map(|t| (t.kind.as_str(), t.mentions))
            .collect();
        assert_eq!(per, [("LOC", 1), ("ORG", 1), ("PER", 3)]);
        let putin = &data.entities[0];
        assert_eq!(
            (putin.id.as_str(), putin.mentions, putin.documents),
            ("putin", 3, 2)
        );
        assert_eq!(
            putin.forms,
            [("Putin".to_string(), 2), ("Vladimir Putin".to_string(), 1)]
        );
    }

    #[test]
    fn timeline_fills_days_without_documents() {
        let docs = [
            doc("a", "2022-01-05", &[(0, "Putin")], false),
            doc("b", "2022-01-07", &[(0, "Putin"), (1, "Moscow")], false),
        ];
        let timeline = build(&docs, ReportOptions::default()).timeline.unwrap();
        assert_eq!(timeline.period, "day");
        assert_eq!(timeline.buckets, ["2022-01-05", "2022-01-06", "2022-01-07"]);
        assert_eq!(timeline.documents, [1, 0, 1]);
        assert_eq!(timeline.mentions["PER"], [1, 0, 1]);
        assert_eq!(timeline.mentions["LOC"], [0, 0, 1]);
    }

    #[test]
    fn long_spans_are_shown_by_month() {
        let docs = [
            doc("a", "2020-01-05", &[(0, "Putin")], false),
            doc("b", "2022-03-07", &[(0, "Putin")], false),
        ];
        let timeline = build(&docs, ReportOptions::default()).timeline.unwrap();
        assert_eq!(timeline.period, "month");
        assert_eq!(timeline.buckets.len(), 27);
        assert_eq!(timeline.buckets[0], "2020-01");
        assert_eq!(timeline.mentions["PER"].iter().sum::<u64>(), 2);
    }

    #[test]
    fn undated_corpus_has_no_timeline() {
        let mut d = doc("a", "", &[(0, "Putin")], false);
        d.meta = None;
        let data = build(&[d], ReportOptions::default());
        assert!(data.timeline.is_none());
        assert!(data.sources.is_none());
    }

    #[test]
    fn network_links_entities_sharing_enough_documents() {
        let both = [(0, "Putin"), (1, "Moscow")];
        let docs = [
            doc("a", "2022-01-05", &both, false),
            doc("b", "2022-01-05", &both, false),
            doc("c", "2022-01-05", &[(0, "Putin"), (2, "CSTO")], false),
        ];
        let network = build(&docs, ReportOptions::default()).network;
        let ids: Vec<&str> = network.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["putin", "moscow"]);
        assert_eq!(network.links.len(), 1);
        assert_eq!((network.links[0].source, network.links[0].target), (1, 0));
        assert_eq!(network.links[0].count, 2);
        let loose = ReportOptions {
            min_count: 1,
            ..ReportOptions::default()
        };
        assert_eq!(build(&docs, loose).network.links.len(), 2);
    }

    #[test]
    fn contexts_come_from_distinct_documents_with_the_mention_cut_out() {
        let docs: Vec<TaggedDoc> = (0..5)
            .map(|i| {
                doc(
                    &format!("d{i}"),
                    "2022-01-05",
                    &[(0, "Putin"), (0, "Putin")],
                    true,
                )
            })
            .collect();
        let data = build(&docs, ReportOptions::default());
        let contexts = &data.entities[0].contexts;
        assert_eq!(contexts.len(), CONTEXTS_PER_ENTITY);
        let docs: Vec<&str> = contexts.iter().map(|c| c.doc.as_str()).collect();
        assert_eq!(docs, ["d0", "d1", "d2"]);
        assert_eq!(contexts[0].left, "said that ");
        assert_eq!(contexts[0].text, "Putin");
        assert_eq!(contexts[0].right, " said that Putin");
    }

    #[test]
    fn context_is_cut_at_characters_and_ignores_bad_offsets() {
        let text = format!("{}Путин{}", "é".repeat(100), " ü".repeat(100));
        let start = text.find('П').unwrap();
        let c = context("d", &text, start, start + "Путин".len()).unwrap();
        assert_eq!(c.left, format!("…{}", "é".repeat(CONTEXT_CHARS)));
        assert_eq!(c.text, "Путин");
        assert!(c.right.starts_with(" ü") && c.right.ends_with("ü…"));
        let whole = context("d", "in Almaty today", 3, 9).unwrap();
        assert_eq!(
            (whole.left.as_str(), whole.right.as_str()),
            ("in ", " today")
        );
        assert_eq!(context("d", &text, 1, 3), None);
        assert_eq!(context("d", "short", 2, 9), None);
    }

    #[test]
    fn page_is_self_contained_and_data_cannot_close_its_script() {
        let mut t = table();
        t.intern(
            "x",
            "</script><script>alert(1)</script>\u{2028}<!--",
            "ORG",
            &BTreeMap::new(),
        );
        let mut b = ReportBuilder::new(ReportOptions {
            title: "Kazakhstan <January>".into(),
            ..ReportOptions::default()
        });
        b.add(&doc("a", "2022-01-05", &[(3, "X"), (0, "Putin")], true), &t);
        let data = b.finish(&t);
        let mut page = Vec::new();
        write_html(&mut page, &data).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<title>Kazakhstan &lt;January&gt;</title>"));
        assert!(!page.contains("{{"), "every placeholder is filled");
        assert!(!page.contains("alert(1)</script>"));
        assert!(page.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
        assert!(!page.contains('\u{2028}') && !page.contains("<!--"));
        assert!(page.contains("alert(1)\\u003c/script\\u003e\\u2028\\u003c!--"));
        // No element loads anything from elsewhere.
        for attr in [
            "src=\"http",
            "href=\"http",
            "src='http",
            "href='http",
            "@import",
        ] {
            assert!(!page.contains(attr), "{attr}");
        }
        let start = page
            .find(r#"<script id="gaztag-data" type="application/json">"#)
            .unwrap();
        let json = &page[start..];
        let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            back["entities"][1]["name"],
            "</script><script>alert(1)</script>\u{2028}<!--"
        );
    }
}
