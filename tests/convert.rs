//! Gazetteers in other tools' formats: spaCy patterns and GATE lists read with -g, and
//! `gaztag convert` round trips that tag exactly as the original does.

mod common;

use common::{Workdir, fixture_gazetteers, records};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const TEXT: &str = "Putin met Erdoğan in New York and São Paulo; the WHO and the UN agreed. \
                    REGNUM reported from Almaty, Côte d'Ivoire and York.";

/// (id, start, end, attrs) of every mention of TEXT tagged with gazetteers `g`.
fn tagged(wd: &Workdir, g: &str) -> Vec<(String, u64, u64, serde_json::Value)> {
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", g, "-"])
        .write_stdin(TEXT)
        .assert()
        .success();
    records(&assert.get_output().stdout)[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["start"].as_u64().unwrap(),
                m["end"].as_u64().unwrap(),
                m.get("attrs").cloned().unwrap_or_default(),
            )
        })
        .collect()
}

fn convert(wd: &Workdir, g: &str, to: &str, out: &str) {
    wd.gaztag(&["convert", "-g", g, "--to", to, "-o", out])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn yaml_and_tsv_round_trips_tag_exactly_as_the_original() {
    let wd = Workdir::new();
    let original = tagged(&wd, &fixture_gazetteers());
    assert!(original.len() >= 10, "{original:?}");
    convert(&wd, &fixture_gazetteers(), "tsv", "g.tsv");
    assert_eq!(tagged(&wd, "g.tsv"), original);
    convert(&wd, "g.tsv", "yaml", "g.yaml");
    assert_eq!(tagged(&wd, "g.yaml"), original);
    // And the YAML says what the fixtures say, entity for entity.
    let check = |g: &str| {
        let out = wd.gaztag(&["check", "-g", g]).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    assert_eq!(check("g.yaml"), check(&fixture_gazetteers()));
}

#[test]
fn spacy_patterns_round_trip_keeps_ids_types_and_spans() {
    let wd = Workdir::new();
    let strip = |v: Vec<(String, u64, u64, serde_json::Value)>| {
        v.into_iter()
            .map(|(id, s, e, _)| (id, s, e))
            .collect::<Vec<_>>()
    };
    let original = strip(tagged(&wd, &fixture_gazetteers()));
    convert(&wd, &fixture_gazetteers(), "spacy", "patterns.jsonl");
    let patterns = wd.read("patterns.jsonl");
    assert!(
        patterns.contains(r#"{"label":"PERSON","pattern":"Vladimir Putin","id":"vladimir-putin"}"#)
    );
    assert_eq!(strip(tagged(&wd, "patterns.jsonl")), original);
}

#[test]
fn spacy_token_patterns_load_and_unsupported_attributes_name_the_line() {
    let wd = Workdir::new();
    wd.write(
        "ruler.jsonl",
        concat!(
            r#"{"label": "ORG", "pattern": [{"LOWER": "world"}, {"LOWER": "health"}, {"LOWER": "organization"}], "id": "who"}"#,
            "\n",
            r#"{"label": "GPE", "pattern": [{"ORTH": "São"}, {"TEXT": "Paulo"}]}"#,
            "\n",
        ),
    );
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", "ruler.jsonl", "-"])
        .write_stdin("The World Health Organization met in São Paulo.")
        .assert()
        .success();
    let ids: Vec<String> = records(&assert.get_output().stdout)[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["id"].as_str().unwrap(),
                m["type"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ids, ["who ORG", "gpe:sao-paulo LOC"]);
    wd.write(
        "bad.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"Acme\"}\n{\"label\": \"ORG\", \"pattern\": [{\"LEMMA\": \"acme\"}]}\n",
    );
    wd.gaztag(&["tag", "-g", "bad.jsonl", "-"])
        .write_stdin("Acme")
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "bad.jsonl:2: token 1: attribute LEMMA is not supported (only LOWER, ORTH, TEXT)",
        ));
}

#[test]
fn gate_lists_load_through_their_def() {
    let wd = Workdir::new();
    wd.write(
        "gate/lists.def",
        "city.lst:location:city\nperson_full.lst:person\n",
    );
    wd.write(
        "gate/city.lst",
        "Almaty&country=KZ\nAlma-Ata&country=KZ\nParis\n",
    );
    wd.write("gate/person_full.lst", "Kassym-Jomart Tokayev\n");
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", "gate", "-"])
        .write_stdin("Kassym-Jomart Tokayev flew from Paris to Almaty.")
        .assert()
        .success();
    let rec = &records(&assert.get_output().stdout)[0];
    let ids: Vec<&str> = rec["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["person:kassym-jomart-tokayev", "city:paris", "city:almaty"]
    );
    assert_eq!(rec["entities"][2]["attrs"]["country"], "KZ");
    // --gazetteer-format reads a file whatever its name.
    wd.write("gate/cities.txt", "city.lst:location:city\n");
    wd.gaztag(&[
        "check",
        "--gazetteer-format",
        "gate",
        "-g",
        "gate/cities.txt",
    ])
    .assert()
    .success()
    .stdout(contains("LOC  3 entities  3 aliases"));
    wd.gaztag(&["check", "-g", "gate/missing.def"])
        .assert()
        .code(2)
        .stderr(contains("gate/missing.def"));
}

/// S2 (issue 18): a `lists.def` from elsewhere must not make gaztag read, and print as
/// entities, files outside its folder (`/etc/passwd`), nor endless ones (`/dev/zero`).
#[test]
fn gate_list_files_stay_in_the_folder_of_their_def() {
    let wd = Workdir::new();
    let secret = wd.write("secret.txt", "Secret Name\n");
    wd.write("gate/ok.lst", "Paris\n");
    wd.write("gate/sub/deep.lst", "Lyon\n");
    std::os::unix::fs::symlink(&secret, wd.path().join("gate/link.lst")).unwrap();
    let absolute = format!("{}:person", secret.display());
    for (line, expected) in [
        (
            "../secret.txt:person",
            "list file \"../secret.txt\" is outside the folder",
        ),
        (absolute.as_str(), "is outside the folder of the lists.def"),
        (
            "link.lst:person",
            "list file \"link.lst\" is outside the folder",
        ),
        (
            "/dev/zero:person",
            "list file \"/dev/zero\" is outside the folder",
        ),
        ("sub:person", "not a regular file (a folder)"),
    ] {
        wd.write("gate/lists.def", format!("ok.lst:location\n{line}\n"));
        wd.gaztag(&["convert", "-g", "gate/lists.def", "--to", "tsv"])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("gate/lists.def:2: "))
            .stderr(contains(expected))
            .stderr(contains("Secret").not());
    }
    // Below the folder, and through a symlink that stays inside it, is fine.
    std::os::unix::fs::symlink("ok.lst", wd.path().join("gate/alias.lst")).unwrap();
    wd.write(
        "gate/lists.def",
        "sub/deep.lst:location\nalias.lst:location:town\n",
    );
    wd.gaztag(&["convert", "-g", "gate/lists.def", "--to", "tsv"])
        .assert()
        .success()
        .stdout(contains("Lyon\tLOC\tlocation:lyon"))
        .stdout(contains("Paris\tLOC\ttown:paris"));
}

/// W9 (issue 18): spaCy patterns without an id and without a letter all became one
/// entity `org:`; such a pattern is an error at its line, and no id ends in ':'.
#[test]
fn spacy_patterns_without_id_or_letters_are_refused() {
    let wd = Workdir::new();
    wd.write(
        "p.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"Acme\"}\n{\"label\": \"ORG\", \"pattern\": \"!!!\"}\n{\"label\": \"ORG\", \"pattern\": \"???\"}\n",
    );
    wd.gaztag(&["convert", "-g", "p.jsonl", "--to", "tsv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("p.jsonl:2: \"!!!\" has no letter or digit"));
    wd.write(
        "p.jsonl",
        "{\"label\": \"ORG\", \"pattern\": [{\"ORTH\": \"&\"}, {\"LOWER\": \"7\"}]}\n{\"label\": \"GPE\", \"pattern\": \"São Paulo\"}\n",
    );
    let assert = wd
        .gaztag(&["convert", "-g", "p.jsonl", "--to", "tsv"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.contains("& 7\tORG\torg:7"), "{out}");
    assert!(out.contains("São Paulo\tLOC\tgpe:sao-paulo"), "{out}");
    assert!(!out.contains(":\t") && !out.contains(":\n"), "{out}");
}

/// W1 (issue 18): a closed pipe ends `convert` quietly, whatever writer (YAML, TSV,
/// spaCy) was writing, as it ends every other command.
#[test]
fn closed_output_pipe_ends_quietly_for_every_format() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    for to in ["yaml", "tsv", "spacy"] {
        // The built-in gazetteers: megabytes, far past a pipe's buffer.
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("gaztag"))
            .args(["convert", "--to", to])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{to}: {stderr}");
        assert_eq!(stderr, "", "{to}");
    }
}

/// D1 (issue 18): converting a gazetteer onto itself is refused.
#[test]
fn converting_onto_the_input_is_refused() {
    let wd = Workdir::new();
    wd.write("names.tsv", "name\ttype\nPutin\tPER\n");
    wd.gaztag(&[
        "convert",
        "-g",
        "names.tsv",
        "--to",
        "tsv",
        "-o",
        "names.tsv",
    ])
    .assert()
    .code(2)
    .stderr(contains("the output names.tsv is the input names.tsv"));
}
