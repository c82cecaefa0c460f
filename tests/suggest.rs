//! `gaztag suggest` as a user runs it: the reference article with a gazetteer that
//! only knows Moscow, the output formats, and the --accept workflow.

mod common;

use common::{Workdir, fixtures, reference_article};
use predicates::str::contains;
use serde_json::Value;

const MOSCOW: &str = "type: LOC\nentities:\n  - id: moscow\n    name: Moscow\n";

fn json(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let out = wd
        .gaztag(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The acceptance test: every entity of the article but Moscow is proposed,
/// with its type, and the CSTO as the alias of its long form.
#[test]
fn reference_article_with_only_moscow_known() {
    let Some(article) = reference_article() else {
        return;
    };
    let article = article.display().to_string();
    let wd = Workdir::new();
    wd.write("moscow.yaml", MOSCOW);
    let out = json(
        &wd,
        &[
            "suggest",
            "-g",
            "moscow.yaml",
            "--min-docs",
            "1",
            "--format",
            "json",
            &article,
        ],
    );
    let find = |id: &str| {
        out.iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id} not suggested: {out:#?}"))
    };
    for (id, name, kind) in [
        ("vladimir-putin", "Vladimir Putin", "PER"),
        ("kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "PER"),
        ("kazakhstan", "Kazakhstan", "LOC"),
        ("almaty", "Almaty", "LOC"),
        ("zhanaozen", "Zhanaozen", "LOC"),
        ("aktau", "Aktau", "LOC"),
        ("regnum", "REGNUM", "ORG"),
        (
            "collective-security-treaty-organization",
            "Collective Security Treaty Organization",
            "ORG",
        ),
    ] {
        let s = find(id);
        assert_eq!(
            (s["name"].as_str(), s["type"].as_str()),
            (Some(name), Some(kind)),
            "{s}"
        );
    }
    assert_eq!(
        find("collective-security-treaty-organization")["aliases"],
        serde_json::json!(["CSTO"])
    );
    assert_eq!(
        find("vladimir-putin")["aliases"],
        serde_json::json!(["Putin"])
    );
    // What the gazetteer knows, and adjectives of nationality, are not proposed.
    for id in [
        "moscow",
        "csto",
        "putin",
        "tokayev",
        "russian",
        "kazakh",
        "kazakhstani",
    ] {
        assert!(out.iter().all(|s| s["id"] != id), "{id} proposed");
    }
}

#[test]
fn min_docs_types_and_top_filter_and_order_by_documents() {
    let wd = Workdir::new();
    wd.write("moscow.yaml", MOSCOW);
    wd.write(
        "news.jsonl",
        concat!(
            "{\"id\":\"a\",\"text\":\"the talks in Zhanaozen went on, and spokesman Dmitry Peskov said so.\"}\n",
            "{\"id\":\"b\",\"text\":\"protests in Zhanaozen grew, as Peskov told reporters in Moscow.\"}\n",
            "{\"id\":\"c\",\"text\":\"the residents of Zhanaozen met officials of the Rossa Primavera News Agency.\"}\n",
        ),
    );
    // `gaztag suggest -g moscow.yaml --format json EXTRA... news.jsonl`
    let suggest = |extra: &[&str]| {
        let mut args = vec!["suggest", "-g", "moscow.yaml", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("news.jsonl");
        json(&wd, &args)
    };
    let all = suggest(&[]);
    let ids: Vec<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["zhanaozen", "dmitry-peskov"],
        "two documents at least, most first"
    );
    assert_eq!(all[0]["documents"], 3);
    let people = suggest(&["--types", "PER"]);
    assert_eq!(people.len(), 1);
    assert_eq!(people[0]["type"], "PER");
    let one = suggest(&["--min-docs", "1", "--top", "1"]);
    assert_eq!(one.len(), 1);
    let csv = wd
        .gaztag(&[
            "suggest",
            "-g",
            "moscow.yaml",
            "--format",
            "csv",
            "news.jsonl",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with("id,name,type,aliases,mentions,documents,confidence,evidence,context\n")
    );
    assert!(
        csv.contains("\ndmitry-peskov,Dmitry Peskov,PER,Peskov,2,2,"),
        "{csv}"
    );
}

/// Suggest, review (delete one entry), accept, tag: the accepted names are found.
#[test]
fn suggest_review_accept_and_tag() {
    let wd = Workdir::new();
    wd.write("moscow.yaml", MOSCOW);
    wd.write(
        "a.txt",
        "the talks in Zhanaozen went on, and spokesman Dmitry Peskov said so in Moscow.\n",
    );
    wd.write(
        "b.txt",
        "protests in Zhanaozen grew, as Peskov told reporters.\n",
    );
    wd.gaztag(&[
        "suggest",
        "-g",
        "moscow.yaml",
        "a.txt",
        "b.txt",
        "-o",
        "suggested.yaml",
    ])
    .assert()
    .success();
    let suggested = wd.read("suggested.yaml");
    assert!(suggested.contains("- id: zhanaozen"), "{suggested}");
    // The reviewer deletes Zhanaozen's entry (its comment lines and four lines of YAML).
    let start = suggested.find("- id: zhanaozen").unwrap();
    let end = suggested[start..]
        .find("\n  #")
        .map_or(suggested.len(), |i| start + i + 1);
    let reviewed =
        format!("{}{}", &suggested[..start], &suggested[end..]).replace("  # ", "  # reviewed: ");
    wd.write("reviewed.yaml", reviewed);
    wd.gaztag(&[
        "suggest",
        "-g",
        "moscow.yaml",
        "--accept",
        "reviewed.yaml",
        "-o",
        "gazetteer.yaml",
    ])
    .assert()
    .success()
    .stderr(contains("added 1 entity (PER 1) to the gazetteer's 1"));
    let out = wd
        .gaztag(&["tag", "-g", "gazetteer.yaml", "a.txt", "b.txt"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ids: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .flat_map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            r["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|id| !id.starts_with("discovered:"))
        .collect();
    assert_eq!(ids, ["dmitry-peskov", "moscow", "dmitry-peskov"]);
}

#[test]
fn accept_refuses_known_ids_and_reports_bad_yaml_with_its_position() {
    let wd = Workdir::new();
    wd.write("moscow.yaml", MOSCOW);
    wd.write(
        "clash.yaml",
        "type: LOC\nentities:\n  - id: moscow\n    name: Moskva\n",
    );
    wd.gaztag(&["suggest", "-g", "moscow.yaml", "--accept", "clash.yaml"])
        .assert()
        .code(2)
        .stderr(contains(
            "clash.yaml: id \"moscow\" is already the gazetteer's \"Moscow\"",
        ));
    wd.write("bad.yaml", "type: LOC\nentities:\n  - id: x\n    nam: X\n");
    wd.gaztag(&[
        "suggest",
        "-g",
        "moscow.yaml",
        "--accept",
        "bad.yaml",
        "-o",
        "out.yaml",
    ])
    .assert()
    .code(2)
    .stderr(contains("bad.yaml:4:"));
    assert!(!wd.path().join("out.yaml").exists());
    let _ = fixtures();
}
