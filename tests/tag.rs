//! `gaztag tag` as a user runs it.

mod common;

use common::{Workdir, fixture_gazetteers, fixtures, mentions, records, success_records};
use predicates::str::contains;

/// Every mention's byte and char offsets slice the original text to its `text`.
fn assert_offsets_slice_to_text(text: &str, record: &serde_json::Value) {
    for m in record["entities"].as_array().unwrap() {
        let at = |field: &str| m[field].as_u64().unwrap() as usize;
        let surface = m["text"].as_str().unwrap();
        assert_eq!(&text[at("start")..at("end")], surface);
        let by_chars: String = text
            .chars()
            .skip(at("char_start"))
            .take(at("char_end") - at("char_start"))
            .collect();
        assert_eq!(by_chars, surface);
    }
}

fn tag_fixture(wd: &Workdir, args: &[&str]) -> assert_cmd::assert::Assert {
    let gaz = fixture_gazetteers();
    let mut all = vec!["tag", "-g", gaz.as_str()];
    all.extend_from_slice(args);
    wd.gaztag(&all).assert()
}

/// The golden file pins the exact output format users parse. To update it on purpose:
/// `GAZTAG_BLESS=1 cargo test --test tag golden` and say why in the commit.
#[test]
fn golden_jsonl_for_fixture_article() {
    let wd = Workdir::new();
    let article = fixtures().join("articles/golden.txt");
    std::fs::copy(&article, wd.path().join("golden.txt")).unwrap();
    let out = tag_fixture(&wd, &["golden.txt"])
        .success()
        .get_output()
        .stdout
        .clone();
    let golden_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/golden.jsonl");
    if std::env::var_os("GAZTAG_BLESS").is_some() {
        std::fs::write(&golden_path, &out).unwrap();
    }
    let golden = std::fs::read_to_string(&golden_path).expect("golden file exists");
    assert_eq!(String::from_utf8(out).unwrap(), golden);
}

#[test]
fn golden_article_mentions_follow_the_matching_rules() {
    let wd = Workdir::new();
    let article = fixtures().join("articles/golden.txt");
    let text = std::fs::read_to_string(&article).unwrap();
    let out = tag_fixture(&wd, &[article.to_str().unwrap()])
        .success()
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    let found = mentions(&recs[0]);
    let texts: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "ALMATY",
            "Recep Tayyip Erdogan",
            "Vladimir\nPutin",
            "Türkiye",
            "Putin",
            "WHO",
            "UN",
            "Côte d’Ivoire",
            "New York Times",
            "Regnum",
            "Erdoğan",
            "São  Paulo",
            "Alma-Ata",
        ]
    );
    assert_offsets_slice_to_text(&text, &recs[0]);
}

/// The reference article of `../shared/samples/` must yield all 11 entities with the
/// right types and canonical names, on the built-in gazetteers. CI always has
/// `../shared`; a developer clone without it skips with a notice.
#[test]
fn reference_article_finds_all_eleven_entities() {
    let Some(path) = common::reference_article() else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let wd = Workdir::new();
    let recs = success_records(&mut wd.gaztag(&["tag", path.to_str().unwrap()]));
    let entities = recs[0]["entities"].as_array().unwrap();
    let expected = [
        ("Vladimir Putin", "PER"),
        ("Kassym-Jomart Tokayev", "PER"),
        ("Collective Security Treaty Organization", "ORG"),
        ("REGNUM", "ORG"),
        ("United Nations", "ORG"),
        ("Rossa Primavera News Agency", "ORG"),
        ("Kazakhstan", "LOC"),
        ("Moscow", "LOC"),
        ("Almaty", "LOC"),
        ("Zhanaozen", "LOC"),
        ("Aktau", "LOC"),
    ];
    for (name, kind) in expected {
        let hit = entities.iter().find(|m| m["name"] == name);
        let hit = hit.unwrap_or_else(|| panic!("{name} not found"));
        assert_eq!(hit["type"], kind, "{name}");
    }
    assert_offsets_slice_to_text(&text, &recs[0]);
    let count = |surface: &str| entities.iter().filter(|m| m["text"] == surface).count();
    assert_eq!(count("Putin"), 2, "headline and quote attribution");
    assert_eq!(count("CSTO"), 4);
    assert_eq!(count("Tokayev"), 1);
}

#[test]
fn folder_is_read_recursively_in_sorted_path_order_skipping_hidden() {
    let wd = Workdir::new();
    wd.write("news/b.txt", "York");
    wd.write("news/a/z.txt", "New York");
    wd.write("news/a.txt", "Almaty");
    wd.write("news/.hidden.txt", "York");
    wd.write("news/.git/x.txt", "York");
    let out = tag_fixture(&wd, &["news/"])
        .success()
        .get_output()
        .stdout
        .clone();
    let docs: Vec<String> = records(&out)
        .iter()
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(docs, ["news/a/z.txt", "news/a.txt", "news/b.txt"]);
}

#[test]
fn thousands_of_files_keep_order_for_any_thread_count() {
    let wd = Workdir::new();
    for i in 0..2000 {
        let text = if i % 3 == 0 {
            "Putin in Almaty"
        } else {
            "nothing here"
        };
        wd.write(&format!("many/{i:05}.txt"), text);
    }
    let one = tag_fixture(&wd, &["-j", "1", "many"])
        .success()
        .get_output()
        .stdout
        .clone();
    let two = tag_fixture(&wd, &["-j", "2", "many"])
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(one, two);
    let recs = records(&one);
    assert_eq!(recs.len(), 2000);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["doc"], format!("many/{i:05}.txt"));
        assert_eq!(
            r["entities"].as_array().unwrap().len(),
            if i % 3 == 0 { 2 } else { 0 }
        );
    }
}

#[test]
fn jsonl_input_keeps_ids_meta_and_reports_bad_lines() {
    let wd = Workdir::new();
    wd.write(
        "wire.jsonl",
        concat!(
            r#"{"id":"a1","date":"2022-01-10","source":"TASS","text":"Putin spoke."}"#,
            "\n",
            "\n",
            "{broken\n",
            r#"{"text":"In Almaty."}"#,
            "\r\n",
            r#"{"id":"a4","body":"no text field"}"#,
            "\n",
            r#"{"id":7,"text":"York"}"#,
            "\n",
        ),
    );
    let assert = tag_fixture(&wd, &["wire.jsonl"]).code(1);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wire.jsonl:3:2: invalid JSON: key must be a string"),
        "{stderr}"
    );
    assert!(
        stderr.contains("wire.jsonl:5:34: no \"text\" field"),
        "{stderr}"
    );
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["doc"], "a1");
    assert_eq!(
        recs[0]["meta"],
        serde_json::json!({"date": "2022-01-10", "source": "TASS"})
    );
    assert_eq!(
        mentions(&recs[0]),
        [("vladimir-putin".to_string(), "Putin".to_string())]
    );
    assert_eq!(recs[1]["doc"], "wire.jsonl:4");
    assert!(recs[1].get("meta").is_none());
    assert_eq!(recs[2]["doc"], "7");
}

#[test]
fn custom_text_and_id_fields() {
    let wd = Workdir::new();
    wd.write(
        "feed.ndjson",
        r#"{"guid":"g1","body":"Putin","text":"ignored York"}"#,
    );
    let out = tag_fixture(
        &wd,
        &["--text-field", "body", "--id-field", "guid", "feed.ndjson"],
    )
    .success()
    .get_output()
    .stdout
    .clone();
    let recs = records(&out);
    assert_eq!(recs[0]["doc"], "g1");
    assert_eq!(
        mentions(&recs[0]),
        [("vladimir-putin".to_string(), "Putin".to_string())]
    );
    assert_eq!(recs[0]["meta"], serde_json::json!({"text": "ignored York"}));
}

#[test]
fn missing_input_is_reported_and_the_rest_is_tagged() {
    let wd = Workdir::new();
    wd.write("ok.txt", "Putin");
    let out = tag_fixture(&wd, &["missing.txt", "ok.txt"])
        .code(1)
        .stderr(contains("missing.txt"))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["doc"], "ok.txt");
}

#[test]
fn stdin_text_and_stdin_jsonl() {
    let wd = Workdir::new();
    let gaz = fixture_gazetteers();
    let recs = success_records(wd.gaztag(&["tag", "-g", &gaz]).write_stdin("Putin in York"));
    assert_eq!(recs[0]["doc"], "-");
    assert_eq!(recs[0]["entities"].as_array().unwrap().len(), 2);
    let out = wd
        .gaztag(&["tag", "-g", &gaz, "-"])
        .write_stdin("{\"id\":\"x\",\"text\":\"York\"}\n{\"text\":\"Putin\"}\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs: Vec<_> = records(&out).iter().map(|r| r["doc"].clone()).collect();
    assert_eq!(docs, ["x", "-:2"]);
}

#[test]
fn invalid_utf8_and_bom_are_handled() {
    let wd = Workdir::new();
    wd.write("bom.txt", b"\xEF\xBB\xBFPutin");
    wd.write("bad.txt", b"Putin \xFF York");
    let out = tag_fixture(&wd, &["bom.txt", "bad.txt"])
        .success()
        .stderr(contains("bad.txt: invalid UTF-8"))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(recs[0]["entities"][0]["start"], 0);
    assert!(recs[0].get("warnings").is_none());
    assert_eq!(
        recs[1]["warnings"][0],
        "invalid UTF-8 replaced with U+FFFD (first at byte 6); offsets index the original bytes"
    );
    assert_eq!(recs[1]["entities"].as_array().unwrap().len(), 2);
}

/// Issue 18 W6: a U+FFFD is 3 bytes but stands for 1 to 3 bytes of the file; `start`
/// and `end` of a plain-text file index the file's bytes, in JSONL and CSV alike.
#[test]
fn offsets_after_invalid_utf8_index_the_original_bytes() {
    let wd = Workdir::new();
    let original: &[u8] = b"\xFF\xFF Putin \xE2\x82 York";
    wd.write("bad.txt", original);
    let recs = records(&tag_fixture(&wd, &["bad.txt"]).success().get_output().stdout);
    let spans: Vec<(u64, u64)> = recs[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, [(3, 8), (12, 16)]);
    for (start, end) in spans {
        let slice = &original[start as usize..end as usize];
        assert!(slice == b"Putin" || slice == b"York", "{slice:?}");
    }
    // Characters count the decoded text, where each U+FFFD is one. (Not FF FE at the
    // start: that is a UTF-16 byte-order mark.)
    assert_eq!(recs[0]["entities"][1]["char_start"], 11);
    let csv = tag_fixture(&wd, &["--format", "csv", "bad.txt"])
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains(",Putin,3,8,3,8,"), "{csv}");
    assert!(csv.contains(",York,12,16,11,15,"), "{csv}");
    // In JSONL, offsets index the text field's string, where a U+FFFD is its 3 bytes.
    wd.write("bad.jsonl", b"{\"id\":\"d1\",\"text\":\"\xFF Putin\"}\n");
    let recs = records(
        &tag_fixture(&wd, &["bad.jsonl"])
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(recs[0]["entities"][0]["start"], 4);
    assert_offsets_slice_to_text("\u{FFFD} Putin", &recs[0]);
}

/// Issue 18 P3: a warning about a JSONL line names the file and line, then the id.
#[test]
fn a_jsonl_warning_names_file_line_and_id() {
    let wd = Workdir::new();
    wd.write(
        "wire.jsonl",
        b"{\"id\":\"ok\",\"text\":\"York\"}\n\n{\"id\":\"d1\",\"text\":\"\xFF Putin\"}\n{\"text\":\"\xFF\"}\n",
    );
    let out = tag_fixture(&wd, &["wire.jsonl"])
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "gaztag: warning: wire.jsonl:3: invalid UTF-8 replaced with U+FFFD (first at column \
             20); offsets count each U+FFFD as its 3 bytes (document \"d1\")"
        ),
        "{stderr}"
    );
    // A line without an id is named by its place: said once.
    assert!(
        stderr.contains("gaztag: warning: wire.jsonl:4: invalid UTF-8 replaced with U+FFFD (first at column 10); offsets count each U+FFFD as its 3 bytes\n"),
        "{stderr}"
    );
}

/// Issue 18 W8: a numeric id keeps every digit as written (not rounded through f64,
/// which made these two one id and warned of a duplicate).
#[test]
fn numeric_ids_keep_their_digits() {
    let wd = Workdir::new();
    wd.write(
        "wire.jsonl",
        concat!(
            r#"{"id":12345678901234567890123,"text":"Putin"}"#,
            "\n",
            r#"{"id":12345678901234567890124,"text":"York"}"#,
            "\n",
            r#"{"id":1.50,"text":"York"}"#,
            "\n",
        ),
    );
    let out = tag_fixture(&wd, &["wire.jsonl"])
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    let docs: Vec<&str> = recs.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(
        docs,
        ["12345678901234567890123", "12345678901234567890124", "1.50"]
    );
    assert!(recs.iter().all(|r| r.get("warnings").is_none()));
}

#[test]
fn output_file_is_written_and_replaced_only_on_success() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    wd.write("out.jsonl", "previous\n");
    wd.write("broken.yaml", "type: PER\nentities: [\n");
    wd.gaztag(&["tag", "-g", "broken.yaml", "a.txt", "-o", "out.jsonl"])
        .assert()
        .code(2)
        .stderr(contains("broken.yaml:"));
    assert_eq!(wd.read("out.jsonl"), "previous\n");
    tag_fixture(&wd, &["a.txt", "-o", "out.jsonl"])
        .success()
        .stdout("");
    let recs = records(wd.read("out.jsonl").as_bytes());
    assert_eq!(recs[0]["doc"], "a.txt");
    let leftovers: Vec<_> = std::fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_into_a_missing_folder_is_a_usage_error() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    tag_fixture(&wd, &["a.txt", "-o", "nowhere/out.jsonl"])
        .code(2)
        .stderr(contains("nowhere/out.jsonl"));
}

#[test]
fn stats_table_goes_to_stderr() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin met Putin in York.");
    wd.write("b.txt", "York again.");
    let assert = tag_fixture(&wd, &["a.txt", "b.txt", "--stats"]).success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let row = |first: &str| -> Vec<String> {
        let line = stderr
            .lines()
            .find(|l| l.split_whitespace().next() == Some(first));
        let line = line.unwrap_or_else(|| panic!("no {first} row in\n{stderr}"));
        line.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(
        row("id")[..5],
        ["id", "name", "type", "mentions", "documents"]
    );
    // id, name, type, mentions, documents, share, top form
    assert_eq!(
        row("york"),
        ["york", "York", "LOC", "2", "2", "1.0000", "York"]
    );
    assert_eq!(
        row("vladimir-putin")[3..],
        ["PER", "2", "1", "0.5000", "Putin"]
    );
    assert!(stderr.contains("TOTAL"), "{stderr}");
}

#[test]
fn help_explains_inputs_and_exit_codes() {
    let wd = Workdir::new();
    wd.gaztag(&["tag", "--help"])
        .assert()
        .success()
        .stdout(contains("--gazetteers"))
        .stdout(contains("JSONL"));
    wd.gaztag(&["--help"])
        .assert()
        .success()
        .stdout(contains("Exit codes"));
    wd.gaztag(&["tag", "--bogus"]).assert().code(2);
}

#[test]
fn closed_output_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let wd = Workdir::new();
    let line = "{\"text\":\"Putin in York and New York, again and again.\"}\n";
    wd.write("big.jsonl", line.repeat(50_000));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gaztag"))
        .current_dir(wd.path())
        .args(["tag", "-g", &fixture_gazetteers(), "big.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"doc\":\"big.jsonl:1\""), "{first}");
    // The reader is dropped here: the pipe is closed while gaztag still has output.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn jsonl_without_the_extension_is_flagged() {
    let wd = Workdir::new();
    wd.write(
        "part00",
        "{\"id\":\"a\",\"text\":\"Putin\"}\n{\"id\":\"b\",\"text\":\"York\"}\n",
    );
    let recs = records(
        &tag_fixture(&wd, &["part00"])
            .success()
            .stderr(contains("looks like JSONL"))
            .get_output()
            .stdout,
    );
    assert_eq!(recs[0]["doc"], "part00");
    let recs = success_records(&mut wd.gaztag(&[
        "tag",
        "-g",
        &fixture_gazetteers(),
        "--input-format",
        "jsonl",
        "part00",
    ]));
    assert_eq!(recs.len(), 2);
}

#[cfg(unix)]
#[test]
fn output_to_a_device_writes_through_it() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    let recs = records(
        &tag_fixture(&wd, &["a.txt", "-o", "/dev/stdout"])
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(recs[0]["doc"], "a.txt");
    tag_fixture(&wd, &["a.txt", "-o", "/dev/null"])
        .success()
        .stdout("");
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
}

#[test]
fn discovered_names_get_their_own_ids_and_can_be_switched_off() {
    let wd = Workdir::new();
    let text = "On Tuesday the governor of the state, Governor Kay Ivey, visited the shipyard \
                with researchers from Bishop State Community College. Ivey said it was a win.";
    let recs = success_records(wd.gaztag(&["tag", "-"]).write_stdin(text));
    let found = mentions(&recs[0]);
    let want = |id: &str, surface: &str| (id.to_string(), surface.to_string());
    assert!(
        found.contains(&want("discovered:kay-ivey", "Kay Ivey")),
        "{found:?}"
    );
    assert!(
        found.contains(&want("discovered:kay-ivey", "Ivey")),
        "{found:?}"
    );
    assert!(
        found.contains(&want(
            "discovered:bishop-state-community-college",
            "Bishop State Community College"
        )),
        "{found:?}"
    );
    assert_offsets_slice_to_text(text, &recs[0]);
    let plain = success_records(wd.gaztag(&["tag", "--no-discovery", "-"]).write_stdin(text));
    assert!(
        mentions(&plain[0])
            .iter()
            .all(|(id, _)| !id.starts_with("discovered:")),
        "{:?}",
        mentions(&plain[0])
    );
}

#[test]
fn no_progress_bar_reaches_a_pipe() {
    // 9 MiB of input is "large", but stderr is a pipe here: not a byte of progress.
    // (Mostly blank, so that the test stays fast in debug builds.)
    let wd = Workdir::new();
    let text = format!("Talks in Almaty.{}", " ".repeat(9 << 20));
    let path = wd.write("big.txt", &text);
    let out = wd
        .gaztag(&["tag", "--no-discovery", path.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mentions(&records(&out.stdout)[0]).len(), 1);
}

#[test]
fn gzip_files_and_stdin_are_read_transparently() {
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;
    let gz = |text: &str| {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let wd = Workdir::new();
    wd.write("news/a.txt.gz", gz("Putin in York."));
    wd.write(
        "wire.jsonl.gz",
        gz("{\"id\":\"w1\",\"text\":\"New York\"}\n{\"id\":\"w2\",\"text\":\"Putin\"}\n"),
    );
    wd.write("bad.txt.gz", b"\x1f\x8b not really gzip");
    let out = tag_fixture(&wd, &["news", "wire.jsonl.gz", "bad.txt.gz"])
        .code(1)
        .stderr(contains("bad.txt.gz: "))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    let docs: Vec<&str> = recs.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["news/a.txt.gz", "w1", "w2"]);
    assert_eq!(
        mentions(&recs[0]),
        [
            ("vladimir-putin".to_string(), "Putin".to_string()),
            ("york".to_string(), "York".to_string())
        ]
    );
    // Offsets are into the decompressed text.
    assert_eq!(recs[0]["entities"][1]["start"], 9);
    // Standard input, JSONL or text, gzipped.
    let gazetteers = fixture_gazetteers();
    let out = wd
        .gaztag(&["tag", "-g", &gazetteers, "-"])
        .write_stdin(gz("{\"id\":\"s1\",\"text\":\"Putin\"}\n"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(records(&out)[0]["doc"], "s1");
}

#[test]
fn zstd_files_and_stdin_are_read_transparently_frame_after_frame() {
    let zst = |text: &str| zstd::encode_all(text.as_bytes(), 3).unwrap();
    let wd = Workdir::new();
    wd.write("news/a.txt.zst", zst("Putin in York."));
    // Two frames, as `cat a.zst b.zst` makes: both are read.
    let mut two = zst("{\"id\":\"w1\",\"text\":\"New York\"}\n");
    two.extend(zst("{\"id\":\"w2\",\"text\":\"Putin\"}\n"));
    wd.write("wire.jsonl.zst", two);
    wd.write("bad.txt.zst", b"\x28\xb5\x2f\xfd not really zstd");
    let out = tag_fixture(&wd, &["news", "wire.jsonl.zst", "bad.txt.zst"])
        .code(1)
        .stderr(contains("bad.txt.zst: "))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    let docs: Vec<&str> = recs.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["news/a.txt.zst", "w1", "w2"]);
    assert_eq!(recs[0]["entities"][1]["start"], 9);
    let gazetteers = fixture_gazetteers();
    let out = wd
        .gaztag(&["tag", "-g", &gazetteers, "-"])
        .write_stdin(zst("Putin in York."))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(records(&out)[0]["entities"][1]["text"], "York");
}

#[test]
fn compressed_tagged_jsonl_feeds_stats_and_report() {
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;
    let wd = Workdir::new();
    let tagged = std::fs::read(fixtures().join("tagged/corpus.jsonl")).unwrap();
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&tagged).unwrap();
    wd.write("tagged.jsonl.gz", gz.finish().unwrap());
    wd.write(
        "tagged.jsonl.zst",
        zstd::encode_all(&tagged[..], 3).unwrap(),
    );
    let plain = wd
        .gaztag(&[
            "stats",
            &fixtures().join("tagged/corpus.jsonl").display().to_string(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    for file in ["tagged.jsonl.gz", "tagged.jsonl.zst"] {
        let out = wd
            .gaztag(&["stats", file])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(out, plain, "{file}");
    }
    let out = wd
        .gaztag(&["stats", "-"])
        .write_stdin(zstd::encode_all(&tagged[..], 3).unwrap())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, plain, "zstd on stdin");
}

#[test]
fn too_many_threads_are_capped_with_a_warning() {
    let wd = Workdir::new();
    wd.write("tiny.txt", "Vladimir Putin visited Almaty.");
    let started = std::time::Instant::now();
    let out = wd
        .gaztag(&[
            "tag",
            "-g",
            &fixture_gazetteers(),
            "tiny.txt",
            "-j",
            "60000",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .stderr(contains(
            "warning: -j 60000 is more than 4 threads per core",
        ))
        .get_output()
        .stdout
        .clone();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(common::records(&out).len(), 1);
    wd.gaztag(&["tag", "-g", &fixture_gazetteers(), "tiny.txt", "-j", "2"])
        .assert()
        .success()
        .stderr("");
}

/// D1 (issue 18): a run that reads no input keeps the old output; one that reads some
/// writes it (exit 1); an empty input read fine is no failure and still writes.
#[test]
fn a_run_that_reads_nothing_keeps_the_old_output() {
    let wd = Workdir::new();
    wd.write("night.jsonl", "GOOD\n");
    tag_fixture(&wd, &["typo.jsonl", "-o", "night.jsonl"])
        .code(1)
        .stderr(contains("typo.jsonl"))
        .stderr(contains(
            "no input could be read: the old output night.jsonl was kept",
        ));
    assert_eq!(wd.read("night.jsonl"), "GOOD\n");
    tag_fixture(&wd, &["typo.jsonl", "-o", "new.jsonl"])
        .code(1)
        .stderr(contains("new.jsonl was not created"));
    assert!(!wd.path().join("new.jsonl").exists());
    wd.write("brat/old.txt", "old");
    tag_fixture(&wd, &["typo.jsonl", "--format", "brat", "-o", "brat"]).code(1);
    assert_eq!(wd.read("brat/old.txt"), "old");

    wd.write("ok.txt", "Putin");
    tag_fixture(&wd, &["typo.jsonl", "ok.txt", "-o", "night.jsonl"]).code(1);
    assert_eq!(records(wd.read("night.jsonl").as_bytes()).len(), 1);
    wd.write("empty.jsonl", "");
    tag_fixture(&wd, &["empty.jsonl", "-o", "night.jsonl"]).success();
    assert_eq!(wd.read("night.jsonl"), "");
}

/// D1 (issue 18): `-o` naming an input, however (symlink, hard link, stdin redirected
/// from it, a file of an input folder), is refused before anything is read.
#[test]
fn an_output_that_is_an_input_is_refused() {
    let wd = Workdir::new();
    let raw = "{\"body\":\"Putin in York\"}\n";
    wd.write("w.jsonl", raw);
    let refused = |args: &[&str], output: &str, input: &str| {
        let mut all = vec!["--text-field", "body"];
        all.extend_from_slice(args);
        tag_fixture(&wd, &all).code(2).stderr(contains(format!(
            "the output {output} is the input {input}"
        )));
        assert_eq!(wd.read("w.jsonl"), raw);
    };
    refused(&["w.jsonl", "-o", "w.jsonl"], "w.jsonl", "w.jsonl");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("w.jsonl", wd.path().join("link.jsonl")).unwrap();
        refused(&["w.jsonl", "-o", "link.jsonl"], "link.jsonl", "w.jsonl");
        std::fs::hard_link(wd.path().join("w.jsonl"), wd.path().join("hard.jsonl")).unwrap();
        refused(&["w.jsonl", "-o", "hard.jsonl"], "hard.jsonl", "w.jsonl");
        let stdin = std::fs::File::open(wd.path().join("w.jsonl")).unwrap();
        let gaz = fixture_gazetteers();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("gaztag"))
            .args(["tag", "-g", &gaz, "--text-field", "body", "-o", "w.jsonl"])
            .current_dir(wd.path())
            .stdin(stdin)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("the output w.jsonl is the input (standard input)"),
            "{stderr}"
        );
        assert_eq!(wd.read("w.jsonl"), raw);
    }
    wd.write("news/a.txt", "Putin");
    tag_fixture(&wd, &["news", "-o", "news/a.txt"])
        .code(2)
        .stderr(contains("the output news/a.txt is the input news/a.txt"));
    tag_fixture(&wd, &["news", "-o", "news/tagged.jsonl"])
        .code(2)
        .stderr(contains("is inside the input folder news"));
    // A gazetteer is an input too.
    wd.write("names.tsv", "name\ttype\nPutin\tPER\n");
    wd.gaztag(&["tag", "-g", "names.tsv", "news", "-o", "names.tsv"])
        .assert()
        .code(2)
        .stderr(contains("the output names.tsv is the input names.tsv"));
    assert_eq!(wd.read("names.tsv"), "name\ttype\nPutin\tPER\n");
    tag_fixture(&wd, &["news", "-o", "news/.hidden.jsonl"]).success();
}

/// S3 (issue 18): new outputs get the mode a plain create gives under the umask (the
/// temporary files they are written as are private); a replaced file keeps its mode.
#[cfg(unix)]
#[test]
fn outputs_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    let gaztag = assert_cmd::cargo::cargo_bin("gaztag");
    let gaz = fixture_gazetteers();
    let run = |umask: &str, args: &str| {
        let script = format!("umask {umask}; exec '{}' {args}", gaztag.display());
        std::process::Command::new("sh")
            .args(["-c", &script])
            .current_dir(wd.path())
            .status()
            .unwrap()
    };
    let mode = |rel: &str| {
        std::fs::metadata(wd.path().join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert!(run("077", &format!("tag -g '{gaz}' a.txt -o private.jsonl")).success());
    assert_eq!(mode("private.jsonl"), 0o600);
    assert!(
        run(
            "077",
            &format!("tag -g '{gaz}' a.txt --format brat -o brat")
        )
        .success()
    );
    assert_eq!(mode("brat"), 0o700);
    assert_eq!(mode("brat/a.txt"), 0o600);
    assert_eq!(mode("brat/a.ann"), 0o600);
    assert!(run("027", &format!("tag -g '{gaz}' a.txt -o group.jsonl")).success());
    assert_eq!(mode("group.jsonl"), 0o640);
    assert!(
        run(
            "002",
            &format!("stats --tag -g '{gaz}' a.txt --save-partial p.json")
        )
        .success()
    );
    assert_eq!(mode("p.json"), 0o664);
    std::fs::set_permissions(
        wd.path().join("group.jsonl"),
        std::fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    assert!(run("077", &format!("tag -g '{gaz}' a.txt -o group.jsonl")).success());
    assert_eq!(mode("group.jsonl"), 0o604);
}

/// D1 follow-up (issue 18): `--format csv` to stdout printed its header even when no
/// input could be read, while the message said "nothing was written". The header now
/// comes with the first record, or alone when the inputs were read and empty.
#[test]
fn csv_header_only_when_something_was_read() {
    let wd = Workdir::new();
    const HEADER: &str = "doc,id,name,type,text,start,end,char_start,char_end,sentence,token\n";
    tag_fixture(&wd, &["--format", "csv", "typo.txt"])
        .code(1)
        .stdout("")
        .stderr(contains("nothing was written"));
    wd.write("empty.jsonl", "");
    tag_fixture(&wd, &["--format", "csv", "empty.jsonl"])
        .success()
        .stdout(HEADER);
    wd.write("a.txt", "Putin");
    let out = tag_fixture(&wd, &["--format", "csv", "typo.txt", "a.txt"]).code(1);
    let csv = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(csv.starts_with(HEADER), "{csv}");
    assert_eq!(csv.matches("doc,id,").count(), 1, "{csv}");
    assert!(csv.contains("\na.txt,"), "{csv}");
}
