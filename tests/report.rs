//! `gaztag report`: the HTML page as a user makes it, its embedded numbers checked
//! against the hand-counted fixture corpus (tests/stats.rs) and the wire stories of
//! tests/fixtures/report/. scripts/check-report.sh opens the same pages in Chromium.

mod common;

use common::{Workdir, fixtures};
use predicates::str::contains;
use serde_json::Value;

fn fixture(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

/// The JSON a page embeds for its script.
fn page_data(page: &str) -> Value {
    let open = r#"<script id="gaztag-data" type="application/json">"#;
    let start = page.find(open).expect("data script") + open.len();
    let len = page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..start + len]).unwrap()
}

#[test]
fn report_of_tagged_jsonl_has_the_corpus_counts() {
    let wd = Workdir::new();
    let corpus = fixture("tagged/corpus.jsonl");
    wd.gaztag(&["report", &corpus, "-o", "report.html", "--min-count", "1"])
        .assert()
        .success();
    let page = wd.read("report.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("echarts"), "the charting library is inlined");
    let data = page_data(&page);
    let summary = &data["summary"];
    assert_eq!(summary["documents"], 4);
    assert_eq!(summary["documents_with_text"], 0);
    let top_per: Vec<&str> = data["top"]["PER"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(top_per, ["putin"]);
    let putin = &data["entities"][0];
    assert_eq!(
        (putin["id"].as_str(), putin["documents"].as_u64()),
        (Some("putin"), Some(3))
    );
    // Document scope, as `cooc`: every pair of d1–d3 shares at least one document.
    assert_eq!(data["network"]["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(data["network"]["links"].as_array().unwrap().len(), 6);
}

#[test]
fn report_with_tag_has_timeline_sources_and_contexts() {
    let wd = Workdir::new();
    let wire = fixture("report/wire.jsonl");
    let out = wd
        .gaztag(&[
            "report",
            "--tag",
            &wire,
            "--title",
            "Kazakhstan, January 2022",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(out).unwrap();
    assert!(page.contains("<title>Kazakhstan, January 2022</title>"));
    let data = page_data(&page);
    assert_eq!(data["summary"]["documents"], 12);
    assert_eq!(data["summary"]["documents_dated"], 12);
    let timeline = &data["timeline"];
    assert_eq!(timeline["period"], "day");
    assert_eq!(timeline["buckets"][0], "2022-01-02");
    assert_eq!(timeline["buckets"].as_array().unwrap().len(), 13);
    let docs_per_day: u64 = timeline["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap())
        .sum();
    assert_eq!(docs_per_day, 12);
    assert_eq!(data["sources"]["documents"], serde_json::json!([4, 4, 4]));
    let tokayev = data["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "kassym-jomart-tokayev")
        .unwrap();
    let context = &tokayev["contexts"][0];
    assert_eq!(context["doc"], "w2");
    assert_eq!(context["text"], "Kassym-Jomart Tokayev");
    assert!(context["left"].as_str().unwrap().ends_with("President "));
}

#[test]
fn bad_lines_are_reported_and_the_rest_makes_the_report() {
    let wd = Workdir::new();
    let good = std::fs::read_to_string(fixture("tagged/corpus.jsonl")).unwrap();
    wd.write("mixed.jsonl", format!("{good}not json\n"));
    let lines = good.lines().count() + 1;
    wd.gaztag(&["report", "mixed.jsonl", "-o", "report.html"])
        .assert()
        .code(1)
        .stderr(contains(format!("mixed.jsonl:{lines}")));
    assert_eq!(
        page_data(&wd.read("report.html"))["summary"]["documents"],
        4
    );
}

#[test]
fn gazetteers_without_tag_and_unwritable_outputs_are_errors() {
    let wd = Workdir::new();
    let corpus = fixture("tagged/corpus.jsonl");
    wd.gaztag(&["report", &corpus, "-g", "x.yaml", "-o", "r.html"])
        .assert()
        .code(2)
        .stderr(contains("only applies with --tag"));
    wd.gaztag(&["report", &corpus, "-o", "missing/dir/r.html"])
        .assert()
        .code(2)
        .stderr(contains("missing/dir/r.html"));
}

/// D1 (issue 18): a report of no readable input does not replace the old page, and
/// the page is never written over an input.
#[test]
fn a_run_that_reads_nothing_keeps_the_old_page() {
    let wd = Workdir::new();
    wd.write("report.html", "GOOD\n");
    wd.gaztag(&["report", "typo.jsonl", "-o", "report.html"])
        .assert()
        .code(1)
        .stderr(contains("the old output report.html was kept"));
    assert_eq!(wd.read("report.html"), "GOOD\n");
    wd.write("c.jsonl", "{\"doc\":\"d\",\"entities\":[]}\n");
    wd.gaztag(&["report", "c.jsonl", "-o", "c.jsonl"])
        .assert()
        .code(2)
        .stderr(contains("the output c.jsonl is the input c.jsonl"));
    assert_eq!(wd.read("c.jsonl"), "{\"doc\":\"d\",\"entities\":[]}\n");
}

/// Markup in every string of the data (names, ids, types, sources, document ids, forms,
/// contexts, the title) from a gazetteer with `--tag` and from tagged JSONL: the page
/// carries it only as escaped text, and the data cannot end its `<script>` element.
#[test]
fn hostile_strings_reach_the_page_only_escaped() {
    let wd = Workdir::new();
    let title = r#"<script>alert("t")</script></title><img src=x onerror=alert("t")>"#;
    let gazetteer = fixture("report/hostile.yaml");
    let articles = fixture("report/hostile.jsonl");
    let tagged = fixture("report/hostile-tagged.jsonl");
    let runs: [&[&str]; 2] = [
        &["report", "--tag", "-g", &gazetteer, &articles],
        &["report", &tagged],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend(["--min-count", "1", "--title", title, "-o", "r.html"]);
        wd.gaztag(&args).assert().success();
        let page = wd.read("r.html");
        for raw in [
            "<img src=x",
            "<svg onload",
            "<svg/onload",
            "<iframe",
            "<a href",
            "<!--",
            "<b onmouseover",
            "<script>alert",
            "\u{2028}",
            "\u{2029}",
        ] {
            assert!(!page.contains(raw), "{args:?}: {raw:?} in the page");
        }
        // The page's own three scripts (data, ECharts, report), no more.
        assert_eq!(page.matches("<script").count(), 3, "{args:?}");
        assert_eq!(page.matches("</script>").count(), 3, "{args:?}");
        let escaped = "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;&lt;/title&gt;\
                       &lt;img src=x onerror=alert(&quot;t&quot;)&gt;";
        assert!(page.contains(&format!("<title>{escaped}</title>")));
        assert!(page.contains(&format!("<h1>{escaped}</h1>")));
        // Escaped, not lost: the script reads every string back as it was.
        let data = page_data(&page);
        assert_eq!(data["title"], title);
        let names: Vec<&str> = data["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        let expected = if args.contains(&"--tag") {
            "<img src=x onerror=alert(2)>"
        } else {
            "Line\u{2028}sep\u{2029}para </script><!--"
        };
        assert!(names.contains(&expected), "{args:?}: {names:?}");
    }
}
