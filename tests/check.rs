//! `gaztag check` as a user runs it.

mod common;

use common::{Workdir, fixture_gazetteers, fixtures};
use predicates::str::contains;

#[test]
fn embedded_set_is_valid_and_summarized_per_type() {
    let wd = Workdir::new();
    let out = wd
        .gaztag(&["check"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    let types: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("warning"))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(types, ["LOC", "ORG", "PER"]);
    for line in stdout.lines().filter(|l| !l.starts_with("warning")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[2], "entities", "{line}");
        assert_eq!(words[4], "aliases", "{line}");
    }
}

#[test]
fn fixture_counts() {
    let wd = Workdir::new();
    let gaz = fixture_gazetteers();
    wd.gaztag(&["check", "-g", &gaz])
        .assert()
        .success()
        .stdout(contains("LOC  6 entities  9 aliases"))
        .stdout(contains("ORG  4 entities  6 aliases"))
        .stdout(contains("PER  2 entities  4 aliases"));
}

#[test]
fn warns_about_shared_and_one_letter_aliases() {
    let wd = Workdir::new();
    let warn = fixtures().join("warn.yaml");
    wd.gaztag(&["check", "-g", warn.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains(
            "warning: alias \"Georgia\" is shared by georgia, georgia-us",
        ))
        .stdout(contains("warning: one-letter alias \"X\" of georgia-us"));
}

fn check_error(file: &str) -> String {
    let wd = Workdir::new();
    let path = fixtures().join("bad").join(file);
    let out = wd
        .gaztag(&["check", "-g", path.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn unknown_field_names_file_line_and_column() {
    let err = check_error("unknown-field.yaml");
    assert!(
        err.contains("unknown-field.yaml:5:5: entities[0]: unknown field `alias`"),
        "{err}"
    );
}

#[test]
fn bad_type_label_names_file_line_and_column() {
    let err = check_error("bad-type.yaml");
    assert!(
        err.contains("bad-type.yaml:1:7: type: bad type label \"Person\""),
        "{err}"
    );
}

#[test]
fn duplicate_id_across_files_names_both() {
    let wd = Workdir::new();
    let dir = fixtures().join("bad");
    let a = dir.join("dup-a.yaml");
    let b = dir.join("dup-b.yaml");
    let out = wd
        .gaztag(&[
            "check",
            "-g",
            a.to_str().unwrap(),
            "-g",
            b.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("dup-b.yaml:5:9: entities[1].id: duplicate id \"vladimir-putin\""),
        "{err}"
    );
    assert!(err.contains("dup-a.yaml"), "{err}");
}

#[test]
fn missing_gazetteer_path_is_an_error() {
    let wd = Workdir::new();
    wd.gaztag(&["check", "-g", "nope.yaml"])
        .assert()
        .code(2)
        .stderr(contains("nope.yaml"));
}

#[test]
fn tables_load_and_tag_and_bad_rows_name_file_and_line() {
    let wd = Workdir::new();
    let table = fixtures().join("tables/gazetteer.tsv");
    let table = table.to_str().unwrap();
    wd.gaztag(&["check", "-g", table])
        .assert()
        .success()
        .stdout(contains("LOC  1 entities  2 aliases"))
        .stdout(contains("ORG  1 entities  2 aliases"))
        .stdout(contains("PER  1 entities  1 aliases"));
    let out = wd
        .gaztag(&["tag", "--no-discovery", "-g", table, "-"])
        .write_stdin("Tokayev's CSTO ally, in Alma-Ata: Kassym-Jomart Tokayev.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rec: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let ids: Vec<&str> = rec["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["csto", "geonames:1526384", "q-tokayev"]);
    let bad = fixtures().join("tables/short-row.csv");
    wd.gaztag(&["tag", "-g", bad.to_str().unwrap(), "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(contains("short-row.csv:3: 3 fields, but the header has 4"));
}

/// C3 (issue 18): libyaml's time grows with the square of the flow nesting depth (100,000
/// levels took 41 s); such a file fails at once, naming where it gets too deep.
#[test]
fn deeply_nested_yaml_fails_at_once_naming_the_line() {
    let wd = Workdir::new();
    let n = 100_000;
    wd.write(
        "deep.yaml",
        format!(
            "type: PER\nentities:\n  - id: a\n    name: Al\n    attrs: {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    wd.gaztag(&["check", "-g", "deep.yaml"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains(
            "deep.yaml:5:140: nested more than 128 levels deep",
        ));
}

/// P4 (issue 18): the same file given twice (by the same path, another spelling, a
/// folder holding it or a symlink) said "duplicate id: already defined earlier in this
/// file"; it is now read once, with a warning naming both paths.
#[test]
fn the_same_gazetteer_file_given_twice_is_read_once() {
    let wd = Workdir::new();
    wd.write(
        "g/a.yaml",
        "type: PER\nentities:\n  - id: al\n    name: Al Jones\n",
    );
    wd.write(
        "g/b.yaml",
        "type: PER\nentities:\n  - id: bo\n    name: Bo Smith\n",
    );
    std::os::unix::fs::symlink("g/a.yaml", wd.path().join("link.yaml")).unwrap();
    wd.gaztag(&["check", "-g", "g/a.yaml", "-g", "g/a.yaml"])
        .assert()
        .success()
        .stdout(contains("PER  1 entities"))
        .stderr("gaztag: warning: g/a.yaml: given twice; read once\n");
    wd.gaztag(&["check", "-g", "g", "-g", "./g/b.yaml", "-g", "link.yaml"])
        .assert()
        .success()
        .stdout(contains("PER  2 entities"))
        .stderr(contains(
            "gaztag: warning: ./g/b.yaml: the same file as g/b.yaml, given before; read once",
        ))
        .stderr(contains(
            "gaztag: warning: link.yaml: the same file as g/a.yaml, given before; read once",
        ));
    // A duplicate id within one file is still an error.
    wd.write(
        "g/b.yaml",
        "type: PER\nentities:\n  - id: bo\n    name: Bo Smith\n  - id: bo\n    name: Bo\n",
    );
    wd.gaztag(&["check", "-g", "g/b.yaml"])
        .assert()
        .code(2)
        .stderr(contains(
            "duplicate id \"bo\": already defined earlier in this file",
        ));
}
