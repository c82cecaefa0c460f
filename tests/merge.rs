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

/// Saves the stats partial of the first shard as `s.json`, for hostile edits.
fn stats_partial(wd: &Workdir) -> String {
    shards(wd);
    wd.gaztag(&["stats", "a.jsonl", "--save-partial", "s.json"])
        .assert()
        .success();
    wd.read("s.json")
}

#[test]
fn counts_that_overflow_when_added_are_refused_naming_the_file() {
    let wd = Workdir::new();
    let max = u64::MAX.to_string();
    let huge = stats_partial(&wd)
        .replace(
            "\"documents\":2,\"entities\"",
            &format!("\"documents\":{max},\"entities\""),
        )
        .replace(
            "\"group\":\"\",\"documents\":2",
            &format!("\"group\":\"\",\"documents\":{max}"),
        );
    wd.write("huge.json", &huge);
    wd.gaztag(&["merge", "huge.json"]).assert().success();
    wd.gaztag(&["merge", "s.json", "huge.json"])
        .assert()
        .code(2)
        .stderr(contains("huge.json: counts overflow"));
    // Mentions of one partial that cannot be summed per type are refused on load.
    let many = stats_partial(&wd)
        .replace("\"mentions\":2,", &format!("\"mentions\":{max},"))
        .replace("\"Almaty\":2", &format!("\"Almaty\":{max}"));
    wd.write("many.json", many);
    wd.gaztag(&["merge", "many.json"])
        .assert()
        .code(2)
        .stderr(contains("many.json: counts overflow"));
}

#[test]
fn inconsistent_partials_are_refused_naming_the_file_and_the_count() {
    let wd = Workdir::new();
    let good = stats_partial(&wd);
    // (edit, what the error names)
    let cases = [
        (
            good.replace(
                "\"mentions\":3,\"documents\":2",
                "\"mentions\":3000,\"documents\":2000",
            )
            .replace("\"Vladimir Putin\":1", "\"Vladimir Putin\":2998"),
            "\"putin\" is in 2000 documents, but its group has 2",
        ),
        (
            good.replace(
                "\"documents\":2,\"entities\"",
                "\"documents\":1,\"entities\"",
            ),
            "group \"\" has 2 documents, but the partial counts 1",
        ),
        (
            good.replace(
                "\"documents\":2,\"entities\"",
                "\"documents\":3,\"entities\"",
            ),
            "the groups hold 2 documents, but the partial counts 3",
        ),
        (
            good.replace("\"Putin\":2", "\"Putin\":5"),
            "\"putin\": its surface forms count 6 mentions, not 3",
        ),
        (
            good.replace(
                "\"mentions\":1,\"documents\":1,\"surfaces\":{\"CSTO\"",
                "\"mentions\":0,\"documents\":1,\"surfaces\":{\"CSTO\"",
            ),
            "\"csto\" has 0 mentions in 1 documents",
        ),
        (
            good.replace("\"LOC\":2", "\"LOC\":7"),
            "7 documents with a LOC mention, but the group has 2",
        ),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        assert_ne!(text, &good, "case {i} edits the partial");
        let name = format!("bad{i}.json");
        wd.write(&name, text);
        wd.gaztag(&["merge", "s.json", &name])
            .assert()
            .code(2)
            .stderr(contains(format!("{name}: inconsistent counts")))
            .stderr(contains(*message));
    }
    wd.gaztag(&["cooc", "a.jsonl", "--save-partial", "c.json"])
        .assert()
        .success();
    let cooc = wd.read("c.json");
    let cases = [
        (
            cooc.replace("\"units\":2,\"entities\"", "\"units\":0,\"entities\""),
            "\"almaty\" is in 2 units, but the partial counts 0",
        ),
        (
            cooc.replace("[\"almaty\",\"putin\",2]", "[\"almaty\",\"putin\",5]"),
            "pair \"almaty\", \"putin\" is in 5 units",
        ),
        (
            cooc.replace("[\"almaty\",\"csto\",1]", "[\"almaty\",\"almaty\",1]"),
            "pair of \"almaty\" with itself",
        ),
        (
            cooc.replace(
                "[\"almaty\",\"csto\",1]",
                "[\"csto\",\"almaty\",1],[\"almaty\",\"csto\",1]",
            ),
            "pair \"almaty\", \"csto\" is listed twice",
        ),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        assert_ne!(text, &cooc, "cooc case {i} edits the partial");
        let name = format!("badc{i}.json");
        wd.write(&name, text);
        wd.gaztag(&["merge", &name])
            .assert()
            .code(2)
            .stderr(contains(format!("{name}: inconsistent counts")))
            .stderr(contains(*message));
    }
}

#[test]
fn the_same_partial_twice_is_refused_unless_allowed() {
    let wd = Workdir::new();
    let good = stats_partial(&wd);
    wd.write("copy.json", &good);
    wd.gaztag(&["stats", "b.jsonl", "--save-partial", "b.json"])
        .assert()
        .success();
    wd.gaztag(&["merge", "s.json", "b.json", "s.json"])
        .assert()
        .code(2)
        .stderr(contains("s.json is the same file as s.json"))
        .stderr(contains("--allow-duplicates"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.path().join("s.json"), wd.path().join("link.json")).unwrap();
        std::fs::hard_link(wd.path().join("s.json"), wd.path().join("hard.json")).unwrap();
        for other in ["link.json", "hard.json", "./s.json"] {
            wd.gaztag(&["merge", "s.json", other])
                .assert()
                .code(2)
                .stderr(contains(format!("{other} is the same file as s.json")));
        }
    }
    wd.gaztag(&["merge", "s.json", "b.json", "copy.json"])
        .assert()
        .code(2)
        .stderr(contains("copy.json has the same content as s.json"));
    let twice = stdout(
        &wd,
        &[
            "merge",
            "s.json",
            "copy.json",
            "--allow-duplicates",
            "--format",
            "csv",
        ],
    );
    let twice = String::from_utf8(twice).unwrap();
    assert!(twice.contains("putin,Vladimir Putin,PER,6,4,"), "{twice}");
    // Partials of shards with no documents are alike and add nothing: accepted.
    wd.write("none.jsonl", "");
    for name in ["e1.json", "e2.json"] {
        wd.gaztag(&["stats", "none.jsonl", "--save-partial", name])
            .assert()
            .success();
    }
    wd.gaztag(&["merge", "s.json", "e1.json", "e2.json"])
        .assert()
        .success();
}
