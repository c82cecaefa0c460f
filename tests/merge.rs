//! `gaztag merge`: partial counts of shards merge into exactly one run's report.

mod common;

use common::{Workdir, fixtures};
use predicates::str::contains;

/// Writes the fixture corpus as two shards (d1–d2, d3–d4) in `wd`.
fn shards(wd: &Workdir) {
    let corpus = std::fs::read_to_string(fixtures().join("tagged/corpus.jsonl")).unwrap();
    let lines: Vec<&str> = corpus.lines().collect();
    wd.write("all.jsonl", corpus.as_bytes());
    wd.write("a.jsonl", lines[..2].join("\n"));
    wd.write("b.jsonl", lines[2..].join("\n"));
}

fn stdout(wd: &Workdir, args: &[&str]) -> Vec<u8> {
    wd.gaztag(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

#[test]
fn merged_shards_equal_one_run_in_every_format() {
    let wd = Workdir::new();
    shards(&wd);
    let kinds: [&[&str]; 5] = [
        &["stats"],
        &["stats", "--by", "date"],
        &["cooc", "--min-count", "1"],
        &["cooc", "--scope", "sentence", "--min-count", "1"],
        &["cooc", "--scope", "window:2", "--min-count", "1"],
    ];
    for kind in kinds {
        for shard in ["a", "b"] {
            let mut args = kind.to_vec();
            let (input, partial) = (format!("{shard}.jsonl"), format!("{shard}.partial.json"));
            args.extend([input.as_str(), "--save-partial", partial.as_str()]);
            wd.gaztag(&args).assert().success().stdout("");
        }
        let is_cooc = kind[0] == "cooc";
        let formats: &[&str] = if is_cooc {
            &[
                "table", "csv", "tsv", "json", "markdown", "graphml", "gexf", "dot",
            ]
        } else {
            &["table", "csv", "tsv", "json", "markdown"]
        };
        for format in formats {
            let mut one = kind.to_vec();
            one.extend(["all.jsonl", "--format", format]);
            let mut merged = vec![
                "merge",
                "a.partial.json",
                "b.partial.json",
                "--format",
                format,
            ];
            merged.extend(
                kind[1..]
                    .iter()
                    .filter(|a| **a != "--scope" && !a.starts_with("window") && **a != "sentence"),
            );
            assert_eq!(
                String::from_utf8(stdout(&wd, &one)).unwrap(),
                String::from_utf8(stdout(&wd, &merged)).unwrap(),
                "{kind:?} {format}"
            );
        }
    }
}

#[test]
fn partials_are_versioned_json_naming_what_they_count() {
    let wd = Workdir::new();
    shards(&wd);
    wd.gaztag(&[
        "cooc",
        "a.jsonl",
        "--scope",
        "sentence",
        "--save-partial",
        "p.json",
    ])
    .assert()
    .success();
    let partial: serde_json::Value = serde_json::from_str(&wd.read("p.json")).unwrap();
    assert_eq!(partial["format"], "gaztag-partial");
    assert_eq!(partial["version"], 1);
    assert_eq!(partial["kind"], "cooc");
    assert_eq!(partial["scope"], "sentence");
    assert_eq!(partial["units"], 4);
    wd.gaztag(&[
        "stats",
        "a.jsonl",
        "--by",
        "meta:source",
        "--save-partial",
        "s.json",
    ])
    .assert()
    .success();
    let partial: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(
        (partial["kind"].as_str(), partial["by"].as_str()),
        (Some("stats"), Some("meta:source"))
    );
    assert_eq!(partial["documents"], 2);
}

#[test]
fn mismatched_partials_are_refused_naming_the_file() {
    let wd = Workdir::new();
    shards(&wd);
    wd.gaztag(&["cooc", "a.jsonl", "--save-partial", "doc.json"])
        .assert()
        .success();
    wd.gaztag(&[
        "cooc",
        "b.jsonl",
        "--scope",
        "sentence",
        "--save-partial",
        "sentence.json",
    ])
    .assert()
    .success();
    wd.gaztag(&["stats", "b.jsonl", "--save-partial", "stats.json"])
        .assert()
        .success();
    wd.gaztag(&["merge", "doc.json", "sentence.json"])
        .assert()
        .code(2)
        .stderr(contains("sentence.json: holds cooc (scope sentence) counts, but the first partial holds cooc (scope doc) counts"));
    wd.gaztag(&["merge", "doc.json", "stats.json"])
        .assert()
        .code(2)
        .stderr(contains("stats.json"));
    let newer = wd
        .read("doc.json")
        .replace("\"version\":1", "\"version\":99");
    wd.write("newer.json", newer);
    wd.gaztag(&["merge", "doc.json", "newer.json"])
        .assert()
        .code(2)
        .stderr(contains(
            "newer.json: partial version 99 cannot be merged with version 1",
        ));
    wd.write("junk.json", "{\"doc\":\"x\"}");
    wd.gaztag(&["merge", "junk.json"])
        .assert()
        .code(2)
        .stderr(contains("junk.json: not a gaztag partial file"));
    wd.gaztag(&["merge", "stats.json", "--by", "date"])
        .assert()
        .code(2)
        .stderr(contains("--by date does not match"));
    wd.gaztag(&["merge"]).assert().code(2);
}

#[test]
fn failed_report_keeps_previous_output() {
    let wd = Workdir::new();
    shards(&wd);
    wd.write("report.csv", "old\n");
    wd.gaztag(&["merge", "missing.json", "-o", "report.csv"])
        .assert()
        .code(2)
        .stderr(contains("missing.json"));
    assert_eq!(wd.read("report.csv"), "old\n");
    wd.gaztag(&["stats", "all.jsonl", "--format", "csv", "-o", "report.csv"])
        .assert()
        .success();
    assert!(wd.read("report.csv").starts_with("id,name,type"));
}
