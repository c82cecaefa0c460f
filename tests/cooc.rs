//! `gaztag cooc` on the hand-counted fixture corpus (see tests/stats.rs for its table).
//!
//! Units per scope:
//! - doc: d1 {putin, moscow, almaty}, d2 {putin, almaty, csto}, d3 {moscow, csto, putin},
//!   d4 {} → N = 4; putin in 3, the others in 2; almaty–putin, csto–putin and
//!   moscow–putin in 2 each, the other three pairs in 1.
//! - sentence: {putin, moscow}, {putin, almaty}, {putin, almaty}, {csto}, {moscow, csto},
//!   {putin} → N = 6.
//! - window:2: windows start at each mention's word: d1 0,3,10,12; d2 1,2,20; d3 0,1,40
//!   → N = 10; almaty–putin in 2 (d1@10, d2@1), csto–moscow in 1 (d3@0).

mod common;

use common::{Workdir, fixtures};
use predicates::str::contains;
use serde_json::Value;

fn corpus() -> String {
    fixtures().join("tagged/corpus.jsonl").display().to_string()
}

fn cooc(args: &[&str]) -> String {
    let wd = Workdir::new();
    let corpus = corpus();
    let mut all = vec!["cooc", corpus.as_str()];
    all.extend_from_slice(args);
    let out = wd
        .gaztag(&all)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn cooc_json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&cooc(&all)).unwrap()
}

/// "id1-id2:count:count1:count2" of each pair.
fn pairs(report: &Value) -> Vec<String> {
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}-{}:{}:{}:{}",
                p["id1"].as_str().unwrap(),
                p["id2"].as_str().unwrap(),
                p["count"],
                p["count1"],
                p["count2"]
            )
        })
        .collect()
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-9
}

#[test]
fn doc_scope_counts_and_measures_by_hand() {
    let r = cooc_json(&[]);
    assert_eq!(r["scope"], "doc");
    assert_eq!(r["units"], 4);
    assert_eq!(
        pairs(&r),
        [
            "almaty-putin:2:2:3",
            "csto-putin:2:2:3",
            "moscow-putin:2:2:3"
        ]
    );
    let p = &r["pairs"][0];
    assert_eq!(p["name2"], "Vladimir Putin");
    assert_eq!(
        (p["type1"].as_str(), p["type2"].as_str()),
        (Some("LOC"), Some("PER"))
    );
    // a = 2, cx = 2, cy = 3, N = 4
    let pmi = (2.0f64 * 4.0 / 6.0).log2();
    assert!(close(&p["pmi"], pmi));
    assert!(close(&p["npmi"], pmi / -(0.5f64).log2()));
    assert!(close(&p["jaccard"], 2.0 / 3.0));
    // O = [[2,0],[1,1]], E = [[1.5,0.5],[1.5,0.5]]
    let g2 = 2.0 * (2.0 * (2.0f64 / 1.5).ln() + (1.0f64 / 1.5).ln() + (1.0f64 / 0.5).ln());
    assert!(close(&p["g2"], g2));
    let all = cooc_json(&["--min-count", "1"]);
    assert_eq!(pairs(&all).len(), 6);
}

#[test]
fn sentence_scope() {
    let r = cooc_json(&["--scope", "sentence", "--min-count", "1"]);
    assert_eq!(r["units"], 6);
    assert_eq!(
        pairs(&r),
        [
            "almaty-putin:2:2:4",
            "csto-moscow:1:2:2",
            "moscow-putin:1:2:4"
        ]
    );
}

#[test]
fn window_scope() {
    let r = cooc_json(&["--scope", "window:2", "--min-count", "1"]);
    assert_eq!(r["units"], 10);
    assert_eq!(pairs(&r), ["almaty-putin:2:4:4", "csto-moscow:1:3:2"]);
    assert!(close(&r["pairs"][0]["pmi"], 1.25f64.log2()));
}

#[test]
fn filters_sort_and_top() {
    let r = cooc_json(&["--min-count", "1", "--types", "LOC-ORG"]);
    assert_eq!(pairs(&r), ["almaty-csto:1:2:2", "csto-moscow:1:2:2"]);
    let r = cooc_json(&["--min-count", "1", "--types", "ORG-LOC", "--top", "1"]);
    assert_eq!(pairs(&r), ["almaty-csto:1:2:2"]);
    let r = cooc_json(&["--min-count", "1", "--entity", "moscow"]);
    assert_eq!(
        pairs(&r),
        [
            "moscow-putin:2:2:3",
            "almaty-moscow:1:2:2",
            "csto-moscow:1:2:2"
        ]
    );
    // With putin: NPMI = log2(8/6) / 1 ≈ 0.415; without: PMI = log2(4/4) = 0.
    let r = cooc_json(&["--min-count", "1", "--sort", "npmi"]);
    let sorted = pairs(&r);
    assert!(
        sorted[..3].iter().all(|p| p.contains("putin")),
        "{sorted:?}"
    );
    assert!(close(&r["pairs"][3]["npmi"], 0.0));
}

#[test]
fn table_csv_and_markdown() {
    let csv = cooc(&["--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id1,name1,type1,id2,name2,type2,count,count1,count2,pmi,npmi,jaccard,g2")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("almaty,Almaty,LOC,putin,Vladimir Putin,PER,2,2,3,0.415037,")
    );
    assert!(
        cooc(&["--format", "markdown"]).contains(
            "| almaty | Almaty | LOC | putin | Vladimir Putin | PER | 2 | 2 | 3 | 0.4150 |"
        )
    );
    assert!(
        cooc(&["--format", "table"])
            .lines()
            .any(|l| l.split_whitespace().take(3).eq(["almaty", "Almaty", "LOC"]))
    );
}

/// Names and attributes of the XML elements in a document, in order.
fn xml_elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().into_inner().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            a.key.into_inner().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

fn count(elements: &[(String, Vec<(String, String)>)], name: &str) -> usize {
    elements.iter().filter(|(n, _)| n == name).count()
}

#[test]
fn graphml_parses_with_nodes_and_weighted_edges() {
    let xml = cooc(&["--format", "graphml"]);
    let el = xml_elements(&xml);
    assert_eq!(count(&el, "graphml"), 1);
    assert_eq!(count(&el, "node"), 4);
    assert_eq!(count(&el, "edge"), 3);
    assert!(
        xml.contains("<data key=\"name\">Vladimir Putin</data>"),
        "{xml}"
    );
    assert!(xml.contains("<data key=\"mentions\">4</data>"), "{xml}");
    assert!(xml.contains("<data key=\"count\">2</data>"), "{xml}");
}

#[test]
fn gexf_parses_with_nodes_and_weighted_edges() {
    let xml = cooc(&["--format", "gexf", "--min-count", "1"]);
    let el = xml_elements(&xml);
    assert_eq!(count(&el, "node"), 4);
    assert_eq!(count(&el, "edge"), 6);
    let putin = el
        .iter()
        .find(|(n, a)| n == "node" && a.contains(&("id".into(), "putin".into())))
        .unwrap();
    assert!(putin.1.contains(&("label".into(), "Vladimir Putin".into())));
    let weights: Vec<&str> = el
        .iter()
        .filter(|(n, _)| n == "edge")
        .map(|(_, a)| a.iter().find(|(k, _)| k == "weight").unwrap().1.as_str())
        .collect();
    assert_eq!(weights, ["2", "2", "2", "1", "1", "1"]);
}

#[test]
fn dot_has_a_node_line_per_entity_and_an_edge_line_per_pair() {
    let dot = cooc(&["--format", "dot"]);
    assert!(
        dot.starts_with("graph cooccurrence {\n") && dot.ends_with("}\n"),
        "{dot}"
    );
    assert_eq!(dot.lines().filter(|l| l.contains(" -- ")).count(), 3);
    assert_eq!(dot.lines().filter(|l| l.contains("[label=")).count(), 4);
    assert!(
        dot.contains("\"almaty\" -- \"putin\" [weight=2, count=2,"),
        "{dot}"
    );
}

#[test]
fn bad_scope_and_sort_are_usage_errors() {
    let wd = Workdir::new();
    wd.gaztag(&["cooc", &corpus(), "--scope", "paragraph"])
        .assert()
        .code(2)
        .stderr(contains("window:N"));
    wd.gaztag(&["cooc", &corpus(), "--sort", "lift"])
        .assert()
        .code(2)
        .stderr(contains("npmi"));
    wd.gaztag(&["cooc", &corpus(), "--min-count", "0"])
        .assert()
        .code(2);
}
