//! Property: for any corpus and any split of it into shards, merging the shards'
//! partial counts gives byte-for-byte the report of one run, in every format.

use std::path::{Path, PathBuf};

use gaztag::analyze::aggregate::cooc::{CoocCounts, CoocOptions, Scope, SortKey};
use gaztag::analyze::aggregate::partial::{
    Duplicates, Loaded, cooc_to_json, merge_files, stats_to_json,
};
use gaztag::analyze::aggregate::stats::{Grouping, Period, StatsCounts, StatsOptions};
use gaztag::analyze::aggregate::tagged::read_tagged;
use gaztag::analyze::aggregate::{EntityTable, TaggedDoc};
use gaztag::analyze::report::{Format, write_cooc, write_stats};
use proptest::prelude::*;
use serde_json::json;

const ENTITIES: &[(&str, &str, &str, &str)] = &[
    ("putin", "Vladimir Putin", "PER", "RU"),
    ("tokayev", "Kassym-Jomart Tokayev", "PER", "KZ"),
    ("moscow", "Moscow", "LOC", "RU"),
    ("almaty", "Almaty", "LOC", "KZ"),
    ("csto", "CSTO", "ORG", ""),
    ("un", "United Nations", "ORG", ""),
];
const SURFACES: &[&str] = &["A", "B", "C"];
const SOURCES: &[&str] = &["TASS", "BBC", "Reuters"];

/// A tagged JSONL line: mentions as (entity, surface, sentence step, token step).
fn record(
    i: usize,
    date: Option<u32>,
    source: usize,
    mentions: &[(usize, usize, u64, u64)],
) -> String {
    let (mut sentence, mut token) = (0, 0);
    let entities: Vec<serde_json::Value> = mentions
        .iter()
        .map(|&(e, s, ds, dt)| {
            sentence += ds;
            token += dt;
            let (id, name, kind, country) = ENTITIES[e];
            let mut m = json!({"id": id, "name": name, "type": kind, "text": SURFACES[s],
                "start": 0, "end": 1, "char_start": 0, "char_end": 1, "sentence": sentence, "token": token});
            if !country.is_empty() {
                m["attrs"] = json!({"country": country});
            }
            m
        })
        .collect();
    let mut meta = json!({"source": SOURCES[source]});
    if let Some(day) = date {
        meta["date"] = json!(format!("2017-{:02}-{:02}", 1 + day / 28, 1 + day % 28));
    }
    json!({"doc": format!("d{i}"), "entities": entities, "meta": meta}).to_string()
}

fn corpus() -> impl Strategy<Value = Vec<String>> {
    let mention = (0..ENTITIES.len(), 0..SURFACES.len(), 0u64..2, 0u64..4);
    let doc = (
        prop::option::of(0u32..300),
        0..SOURCES.len(),
        prop::collection::vec(mention, 0..8),
    );
    prop::collection::vec(doc, 0..20).prop_map(|docs| {
        docs.iter()
            .enumerate()
            .map(|(i, (date, source, mentions))| record(i, *date, *source, mentions))
            .collect()
    })
}

fn write_lines(dir: &Path, name: &str, lines: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.display().to_string()
}

fn read(path: &str, mut each: impl FnMut(&TaggedDoc, &EntityTable)) -> EntityTable {
    let mut table = EntityTable::default();
    let failures = read_tagged(
        &[path.to_string()],
        gaztag::io::input::DEFAULT_MAX_DOCUMENT_SIZE,
        &mut table,
        |e| panic!("{e}"),
        &mut each,
    );
    assert_eq!(failures, 0);
    table
}

const TABLE_FORMATS: [Format; 5] = [
    Format::Table,
    Format::Csv,
    Format::Tsv,
    Format::Json,
    Format::Markdown,
];
const GRAPH_FORMATS: [Format; 3] = [Format::Graphml, Format::Gexf, Format::Dot];

fn stats_reports(counts: &StatsCounts, table: &EntityTable, period: Period) -> Vec<Vec<u8>> {
    let options = StatsOptions {
        period,
        ..StatsOptions::default()
    };
    let report = counts.report(table, &options);
    TABLE_FORMATS
        .iter()
        .map(|&f| {
            let mut out = Vec::new();
            write_stats(&mut out, f, &report).unwrap();
            out
        })
        .collect()
}

fn cooc_reports(counts: &CoocCounts, table: &EntityTable, sort: SortKey) -> Vec<Vec<u8>> {
    let options = CoocOptions {
        min_count: 1,
        sort,
        ..CoocOptions::default()
    };
    let pairs = counts.report(table, &options);
    TABLE_FORMATS
        .iter()
        .chain(&GRAPH_FORMATS)
        .map(|&f| {
            let mut out = Vec::new();
            write_cooc(&mut out, f, &pairs, counts.scope, counts.units).unwrap();
            out
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn merging_any_split_equals_one_run(
        lines in corpus(),
        cuts in prop::collection::vec(0usize..=20, 0..4),
        grouping in prop_oneof![Just("none"), Just("attr:country"), Just("meta:source"), Just("date")],
        period in prop_oneof![Just(Period::Day), Just(Period::Week), Just(Period::Month), Just(Period::Year)],
        scope in prop_oneof![Just(Scope::Doc), Just(Scope::Sentence), Just(Scope::Window(3))],
        sort in prop_oneof![Just(SortKey::Count), Just(SortKey::Npmi), Just(SortKey::G2)],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let whole = write_lines(dir.path(), "all.jsonl", &lines);
        let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(lines.len())).collect();
        bounds.extend([0, lines.len()]);
        bounds.sort_unstable();
        let shards: Vec<&[String]> = bounds.windows(2).map(|w| &lines[w[0]..w[1]]).collect();
        let grouping = Grouping::parse(grouping).unwrap();
        let period = if grouping == Grouping::Date { period } else { Period::Day };

        // One run over the whole corpus.
        let mut stats = StatsCounts::new(grouping.clone());
        let mut cooc = CoocCounts::new(scope);
        let table = read(&whole, |doc, t| {
            stats.add(doc, t);
            cooc.add(doc);
        });
        let one_stats = stats_reports(&stats, &table, period);
        let one_cooc = cooc_reports(&cooc, &table, sort);

        // Each shard saved as partials, then merged.
        let mut stats_partials: Vec<PathBuf> = Vec::new();
        let mut cooc_partials: Vec<PathBuf> = Vec::new();
        for (i, shard) in shards.iter().enumerate() {
            let path = write_lines(dir.path(), &format!("shard{i}.jsonl"), shard);
            let mut stats = StatsCounts::new(grouping.clone());
            let mut cooc = CoocCounts::new(scope);
            let table = read(&path, |doc, t| {
                stats.add(doc, t);
                cooc.add(doc);
            });
            let s = dir.path().join(format!("shard{i}.stats.json"));
            std::fs::write(&s, stats_to_json(&stats, &table)).unwrap();
            stats_partials.push(s);
            let c = dir.path().join(format!("shard{i}.cooc.json"));
            std::fs::write(&c, cooc_to_json(&cooc, &table)).unwrap();
            cooc_partials.push(c);
        }
        let Some(Loaded::Stats(stats, table)) = merge_files(&stats_partials, Duplicates::Allow).unwrap() else {
            panic!("stats partials merge into stats counts");
        };
        prop_assert_eq!(stats_reports(&stats, &table, period), one_stats);
        let Some(Loaded::Cooc(cooc, table)) = merge_files(&cooc_partials, Duplicates::Allow).unwrap() else {
            panic!("cooc partials merge into cooc counts");
        };
        prop_assert_eq!(cooc_reports(&cooc, &table, sort), one_cooc);
    }
}
