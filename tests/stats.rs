//! `gaztag stats` on a hand-counted fixture corpus (tests/fixtures/tagged/corpus.jsonl):
//!
//! | doc | meta | mentions (entity@sentence:token) |
//! |---|---|---|
//! | d1 | 2022-01-03, TASS | putin@0:0 "Putin", moscow@0:3, putin@1:10 "Vladimir Putin", almaty@1:12 |
//! | d2 | 2022-01-04, BBC | putin@0:1, almaty@0:2, csto@2:20 |
//! | d3 | 2022-02-01, TASS | moscow@0:0, csto@0:1, putin@3:40 |
//! | d4 | no date, BBC | none |

mod common;

use common::{Workdir, fixture_gazetteers, fixtures};
use predicates::str::contains;
use serde_json::{Value, json};

fn corpus() -> String {
    fixtures().join("tagged/corpus.jsonl").display().to_string()
}

fn stats_json(args: &[&str]) -> Value {
    let wd = Workdir::new();
    let corpus = corpus();
    let mut all = vec!["stats", corpus.as_str(), "--format", "json"];
    all.extend_from_slice(args);
    let out = wd
        .gaztag(&all)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// (group, id, mentions, documents, share, top_form) of each row.
fn rows(report: &Value) -> Vec<(String, String, u64, u64, f64, String)> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap_or("").to_string(),
                r["id"].as_str().unwrap().to_string(),
                r["mentions"].as_u64().unwrap(),
                r["documents"].as_u64().unwrap(),
                r["share"].as_f64().unwrap(),
                r["top_form"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(
    group: &str,
    id: &str,
    mentions: u64,
    documents: u64,
    share: f64,
    top: &str,
) -> (String, String, u64, u64, f64, String) {
    (
        group.into(),
        id.into(),
        mentions,
        documents,
        share,
        top.into(),
    )
}

#[test]
fn frequency_table_counts_by_hand() {
    let r = stats_json(&[]);
    assert_eq!(r["documents"], 4);
    assert_eq!(
        rows(&r),
        [
            row("", "putin", 4, 3, 0.75, "Putin"),
            row("", "almaty", 2, 2, 0.5, "Almaty"),
            row("", "csto", 2, 2, 0.5, "CSTO"),
            row("", "moscow", 2, 2, 0.5, "Moscow"),
        ]
    );
    assert_eq!(
        r["totals"],
        json!([
            {"type": "LOC", "entities": 2, "mentions": 4, "documents": 3, "share": 0.75},
            {"type": "ORG", "entities": 1, "mentions": 2, "documents": 2, "share": 0.5},
            {"type": "PER", "entities": 1, "mentions": 4, "documents": 3, "share": 0.75},
        ])
    );
    assert_eq!(r["rows"][0]["name"], "Vladimir Putin");
    assert_eq!(r["rows"][0]["type"], "PER");
}

#[test]
fn type_top_and_min_docs_filters() {
    let r = stats_json(&["--type", "LOC,ORG", "--top", "2"]);
    let ids: Vec<String> = rows(&r).into_iter().map(|r| r.1).collect();
    assert_eq!(ids, ["almaty", "csto"]);
    assert_eq!(r["totals"].as_array().unwrap().len(), 2);
    let r = stats_json(&["--min-docs", "3"]);
    assert_eq!(rows(&r).len(), 1);
}

#[test]
fn by_entity_attribute() {
    let r = stats_json(&["--by", "attr:country"]);
    assert_eq!(
        rows(&r),
        [
            row("KZ", "almaty", 2, 2, 0.5, "Almaty"),
            row("RU", "putin", 4, 3, 0.75, "Putin"),
            row("RU", "moscow", 2, 2, 0.5, "Moscow"),
            row("unknown", "csto", 2, 2, 0.5, "CSTO"),
        ]
    );
}

#[test]
fn by_meta_field_shares_are_of_the_group() {
    let r = stats_json(&["--by", "meta:source"]);
    assert_eq!(
        rows(&r),
        [
            row("BBC", "almaty", 1, 1, 0.5, "Almaty"),
            row("BBC", "csto", 1, 1, 0.5, "CSTO"),
            row("BBC", "putin", 1, 1, 0.5, "Putin"),
            row("TASS", "putin", 3, 2, 1.0, "Putin"),
            row("TASS", "moscow", 2, 2, 1.0, "Moscow"),
            row("TASS", "almaty", 1, 1, 0.5, "Almaty"),
            row("TASS", "csto", 1, 1, 0.5, "CSTO"),
        ]
    );
}

#[test]
fn by_date_per_month_with_unknown_dates() {
    let r = stats_json(&["--by", "date", "--period", "month", "--top", "1"]);
    assert_eq!(
        rows(&r),
        [
            row("2022-01", "putin", 3, 2, 1.0, "Putin"),
            row("2022-02", "csto", 1, 1, 1.0, "CSTO")
        ]
    );
    let days = stats_json(&["--by", "date"]);
    let groups: Vec<String> = rows(&days).into_iter().map(|r| r.0).collect();
    assert!(groups.contains(&"2022-01-04".to_string()), "{groups:?}");
    let weeks = stats_json(&["--by", "date", "--period", "week", "--top", "1"]);
    assert_eq!(rows(&weeks)[0].0, "2022-W01");
}

#[test]
fn text_formats() {
    let wd = Workdir::new();
    let corpus = corpus();
    let run = |format: &str| {
        let out = wd
            .gaztag(&["stats", &corpus, "--format", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let csv = run("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,type,mentions,documents,share,top_form")
    );
    assert_eq!(
        lines.next(),
        Some("putin,Vladimir Putin,PER,4,3,0.750000,Putin")
    );
    assert!(csv.contains("TOTAL,2 entities,LOC,4,3,0.750000,"), "{csv}");
    assert!(run("tsv").starts_with("id\tname\ttype\tmentions\tdocuments\tshare\ttop_form\nputin\tVladimir Putin\tPER\t4\t3\t0.750000\tPutin\n"));
    let md = run("markdown");
    assert!(md.starts_with("| id | name | type | mentions | documents | share | top_form |\n| --- | --- | --- | ---: | ---: | ---: | --- |\n| putin | Vladimir Putin | PER | 4 | 3 | 0.7500 | Putin |\n"), "{md}");
    let table = run("table");
    let putin = table
        .lines()
        .find(|l| l.trim_start().starts_with("putin"))
        .unwrap();
    assert_eq!(
        putin.split_whitespace().collect::<Vec<_>>(),
        [
            "putin", "Vladimir", "Putin", "PER", "4", "3", "0.7500", "Putin"
        ]
    );
    wd.gaztag(&["stats", &corpus, "--format", "graphml"])
        .assert()
        .code(2)
        .stderr(contains("graph"));
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let wd = Workdir::new();
    let good = std::fs::read_to_string(corpus()).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(1, "{not json");
    lines.insert(3, r#"{"doc":"x","entities":[{"id":"a"}]}"#);
    wd.write("mixed.jsonl", lines.join("\n"));
    let assert = wd
        .gaztag(&["stats", "mixed.jsonl", "--format", "json"])
        .assert()
        .code(1);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("mixed.jsonl:2:"), "{stderr}");
    assert!(stderr.contains("mixed.jsonl:4:"), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["documents"], 4);
}

/// Issue 18 P5: a bad record is reported at its file line and column, not at
/// serde_json's "line 2 column 0" of the one line it was given.
#[test]
fn a_bad_record_is_reported_at_its_line_and_column() {
    let wd = Workdir::new();
    let good = std::fs::read_to_string(corpus()).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(2, r#"{"doc":"cut","entities":["#);
    lines.insert(3, "");
    wd.write("mixed.jsonl", lines.join("\r\n") + "\r\n");
    let out = wd
        .gaztag(&["stats", "mixed.jsonl", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "gaztag: mixed.jsonl:3:25: invalid JSON: EOF while parsing a list\n"
    );
}

/// Issue 18 W7: what `tag` writes, `stats` and `report` read back, however deep the
/// fields carried over from the input: a field nested past the limit is left out of
/// `meta`, with a warning naming the input line.
#[test]
fn deeply_nested_input_fields_round_trip_through_tag_and_stats() {
    let wd = Workdir::new();
    let deep = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
    let wire = format!(
        "{{\"id\":\"a\",\"text\":\"Putin\",\"meta\":{{\"x\":{}}},\"kept\":{}}}\n",
        deep(125),
        deep(64)
    );
    wd.write("wire.jsonl", wire);
    let gaz = fixture_gazetteers();
    wd.gaztag(&["tag", "-g", &gaz, "wire.jsonl", "-o", "tagged.jsonl"])
        .assert()
        .success()
        .stderr(contains(
            "gaztag: warning: wire.jsonl:1: field \"meta\" nests 126 levels deep, more than \
             64: left out of meta (document \"a\")",
        ));
    let tagged: Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path().join("tagged.jsonl")).unwrap())
            .unwrap();
    assert_eq!(
        tagged["meta"]["kept"],
        serde_json::from_str::<Value>(&deep(64)).unwrap()
    );
    assert!(tagged["meta"].get("meta").is_none());
    let stats = wd
        .gaztag(&["stats", "tagged.jsonl", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&stats).unwrap();
    assert_eq!(stats["documents"], 1);
    wd.gaztag(&["report", "tagged.jsonl", "-o", "report.html"])
        .assert()
        .success();
}

#[test]
fn missing_input_and_bad_options() {
    let wd = Workdir::new();
    wd.gaztag(&["stats", "nope.jsonl"])
        .assert()
        .code(1)
        .stderr(contains("nope.jsonl"));
    wd.gaztag(&["stats", &corpus(), "--by", "country"])
        .assert()
        .code(2)
        .stderr(contains("attr:KEY"));
    wd.gaztag(&["stats", &corpus(), "--period", "week"])
        .assert()
        .code(2)
        .stderr(contains("--by date"));
    wd.gaztag(&["stats", &corpus(), "-g", "x.yaml"])
        .assert()
        .code(2)
        .stderr(contains("--tag"));
}

#[test]
fn tag_on_the_fly_equals_tag_then_stats() {
    let wd = Workdir::new();
    wd.write("news/a.txt", "Putin met Putin in York.");
    wd.write("news/b.txt", "York and New York; Vladimir Putin.");
    let gaz = fixture_gazetteers();
    wd.gaztag(&["tag", "-g", &gaz, "news", "-o", "tagged.jsonl"])
        .assert()
        .success();
    let from_file = wd
        .gaztag(&["stats", "tagged.jsonl", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let on_the_fly = wd
        .gaztag(&[
            "stats", "--tag", "-g", &gaz, "-j", "2", "news", "--format", "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(from_file, on_the_fly);
    assert!(
        String::from_utf8(from_file)
            .unwrap()
            .contains("vladimir-putin,Vladimir Putin,PER,3,2,1.000000,Putin")
    );
}

#[test]
fn reads_stdin() {
    let wd = Workdir::new();
    let corpus = std::fs::read_to_string(corpus()).unwrap();
    let out = wd
        .gaztag(&["stats", "--format", "json"])
        .write_stdin(corpus)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["documents"], 4);
}

/// D1 (issue 18): no input read, no report and no partial: the old files stay (an
/// empty partial would merge silently); an output naming an input is refused.
#[test]
fn a_run_that_reads_nothing_writes_nothing() {
    let wd = Workdir::new();
    wd.write("night.txt", "GOOD\n");
    wd.write("p.json", "GOOD\n");
    wd.gaztag(&["stats", "typo.jsonl", "-o", "night.txt"])
        .assert()
        .code(1)
        .stderr(contains("the old output night.txt was kept"));
    assert_eq!(wd.read("night.txt"), "GOOD\n");
    for command in ["stats", "cooc"] {
        wd.gaztag(&[command, "typo.jsonl", "--save-partial", "p.json"])
            .assert()
            .code(1)
            .stderr(contains("the old output p.json was kept"));
        assert_eq!(wd.read("p.json"), "GOOD\n");
    }
    wd.gaztag(&["stats", "typo.jsonl"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("nothing was written"));

    let corpus = corpus();
    std::fs::copy(&corpus, wd.path().join("c.jsonl")).unwrap();
    let before = wd.read("c.jsonl");
    for output in [["-o", "c.jsonl"], ["--save-partial", "c.jsonl"]] {
        let mut args = vec!["stats", "c.jsonl"];
        args.extend_from_slice(&output);
        wd.gaztag(&args)
            .assert()
            .code(2)
            .stderr(contains("the output c.jsonl is the input c.jsonl"));
        assert_eq!(wd.read("c.jsonl"), before);
    }
    wd.gaztag(&[
        "stats",
        "--tag",
        "-g",
        &fixture_gazetteers(),
        "c.jsonl",
        "-o",
        "c.jsonl",
    ])
    .assert()
    .code(2);
    assert_eq!(wd.read("c.jsonl"), before);
}
