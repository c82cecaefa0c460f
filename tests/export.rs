//! `gaztag tag --format spacy|doccano|conll|csv|brat`: each export read back as its
//! tool reads it, offsets checked against the text.

mod common;

use common::{Workdir, fixture_gazetteers, records};
use predicates::str::contains;

const TEXT: &str =
    "Vladimir Putin met Erdoğan in São Paulo.\nThe (Putin) talks in New\nYork ended.\n";

fn export(wd: &Workdir, format: &str, extra: &[&str]) -> Vec<u8> {
    wd.write("ex.txt", TEXT);
    let gazetteers = fixture_gazetteers();
    let mut args = vec![
        "tag",
        "--no-discovery",
        "-g",
        &gazetteers,
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    args.push("ex.txt");
    wd.gaztag(&args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

/// The text of a char-offset span, as Python slices a string.
fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

const EXPECTED: &[(&str, &str, &str)] = &[
    ("Vladimir Putin", "PER", "vladimir-putin"),
    ("Erdoğan", "PER", "recep-tayyip-erdogan"),
    ("São Paulo", "LOC", "sao-paulo"),
    ("Putin", "PER", "vladimir-putin"),
    ("New\nYork", "LOC", "new-york"),
];

#[test]
fn spacy_spans_are_char_offsets_with_label_and_kb_id() {
    let wd = Workdir::new();
    let recs = records(&export(&wd, "spacy", &[]));
    assert_eq!(recs[0]["text"], TEXT);
    let spans: Vec<(String, &str, &str)> = recs[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            (
                chars(TEXT, start, end),
                s["label"].as_str().unwrap(),
                s["kb_id"].as_str().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, &str, &str)> = EXPECTED
        .iter()
        .map(|(t, l, k)| (t.to_string(), *l, *k))
        .collect();
    assert_eq!(spans, expected);
}

#[test]
fn doccano_labels_are_char_offsets_and_types() {
    let wd = Workdir::new();
    let recs = records(&export(&wd, "doccano", &[]));
    let labels: Vec<(String, &str)> = recs[0]["label"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let (start, end) = (l[0].as_u64().unwrap(), l[1].as_u64().unwrap());
            (chars(TEXT, start, end), l[2].as_str().unwrap())
        })
        .collect();
    let expected: Vec<(String, &str)> = EXPECTED
        .iter()
        .map(|(t, l, _)| (t.to_string(), *l))
        .collect();
    assert_eq!(labels, expected);
    assert_eq!(recs[0].as_object().unwrap().len(), 2, "only text and label");
}

#[test]
fn conll_is_bio_per_token_and_reads_back_as_gold() {
    let wd = Workdir::new();
    let conll = String::from_utf8(export(&wd, "conll", &[])).unwrap();
    assert!(
        conll.starts_with(
            "-DOCSTART- -X- -X- O\n\nVladimir _ _ B-PER\nPutin _ _ I-PER\nmet _ _ O\n"
        ),
        "{conll}"
    );
    assert!(
        conll.contains("( _ _ O\nPutin _ _ B-PER\n) _ _ O\n"),
        "{conll}"
    );
    assert!(
        conll.contains("New _ _ B-LOC\nYork _ _ I-LOC\nended _ _ O\n. _ _ O\n"),
        "{conll}"
    );
    // A blank line between sentences.
    assert!(
        conll.contains("Paulo _ _ I-LOC\n. _ _ O\n\nThe _ _ O\n"),
        "{conll}"
    );
    // gaztag's own evaluator reads it as CoNLL gold: tagging the rebuilt text again
    // finds exactly the exported spans.
    wd.write("gold.conll", &conll);
    let gazetteers = fixture_gazetteers();
    // A sentence break never cuts a mention ("ST." ends a sentence to the segmenter).
    wd.write(
        "g.yaml",
        "type: LOC\nentities:\n  - {id: st-cloud, name: ST. CLOUD}\n",
    );
    let out = wd
        .gaztag(&[
            "tag",
            "--no-discovery",
            "-g",
            "g.yaml",
            "--format",
            "conll",
            "-",
        ])
        .write_stdin("ST. CLOUD, Minn.")
        .assert()
        .success();
    let headline = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        headline.contains("ST. _ _ B-LOC\nCLOUD _ _ I-LOC\n"),
        "{headline}"
    );
    wd.gaztag(&[
        "eval",
        "--no-discovery",
        "-g",
        &gazetteers,
        "--gold",
        "gold.conll",
        "--format",
        "json",
    ])
    .assert()
    .success()
    .stdout(contains("\"fn\":0"))
    .stdout(contains("\"fp\":0"));
}

#[test]
fn csv_has_a_row_per_mention_after_the_header() {
    let wd = Workdir::new();
    let out = export(&wd, "csv", &[]);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "doc",
            "id",
            "name",
            "type",
            "text",
            "start",
            "end",
            "char_start",
            "char_end",
            "sentence",
            "token"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), EXPECTED.len());
    for (row, (text, kind, id)) in rows.iter().zip(EXPECTED) {
        assert_eq!(&row[0], "ex.txt");
        assert_eq!(&row[1], *id);
        assert_eq!(&row[3], *kind);
        assert_eq!(&row[4], *text);
        let (start, end): (usize, usize) = (row[5].parse().unwrap(), row[6].parse().unwrap());
        assert_eq!(&TEXT[start..end], *text);
        let (cs, ce): (u64, u64) = (row[7].parse().unwrap(), row[8].parse().unwrap());
        assert_eq!(chars(TEXT, cs, ce), *text);
    }
}

#[test]
fn brat_writes_txt_and_ann_per_document() {
    let wd = Workdir::new();
    export(&wd, "brat", &["-o", "brat"]);
    let txt = wd.read("brat/ex.txt");
    assert_eq!(txt, TEXT);
    let ann = wd.read("brat/ex.ann");
    let mut found = Vec::new();
    for line in ann.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[0].starts_with('T') {
            let (kind, offsets) = cols[1].split_once(' ').unwrap();
            // Fragments "start end;start end", each slicing the .txt by characters.
            let pieces: Vec<String> = offsets
                .split(';')
                .map(|f| {
                    let (s, e) = f.split_once(' ').unwrap();
                    chars(&txt, s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            assert_eq!(pieces.join(" "), cols[2]);
            found.push((cols[2].to_string(), kind.to_string()));
        } else {
            assert!(cols[0].starts_with('#') && cols[1].starts_with("AnnotatorNotes T"));
        }
    }
    let expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(t, k, _)| (t.replace('\n', " "), k.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert!(ann.contains("#2\tAnnotatorNotes T2\trecep-tayyip-erdogan\n"));
    // brat needs a folder.
    let gazetteers = fixture_gazetteers();
    wd.gaztag(&["tag", "-g", &gazetteers, "--format", "brat", "ex.txt"])
        .assert()
        .code(2)
        .stderr(contains("name it with -o FOLDER"));
}

/// brat reads `.ann` lines with Python's `splitlines`, so a fragment holding a CR,
/// U+2028 or U+0085 broke its line and brat dropped the mention: every such character
/// must split the span into fragments.
#[test]
fn brat_splits_fragments_at_every_line_break_python_knows() {
    let wd = Workdir::new();
    let gazetteers = fixture_gazetteers();
    for (text, fragments) in [
        ("In New\r\nYork today.\r\n", "3 6;8 12"),
        ("In New\rYork today.\r", "3 6;7 11"),
        ("In New\u{2028}York today.", "3 6;7 11"),
        ("In New\u{85}York today.", "3 6;7 11"),
    ] {
        wd.write("ex.txt", text);
        wd.gaztag(&[
            "tag",
            "--no-discovery",
            "-g",
            &gazetteers,
            "--format",
            "brat",
            "-o",
            "brat",
            "ex.txt",
        ])
        .assert()
        .success();
        let ann = wd.read("brat/ex.ann");
        assert_eq!(
            ann.lines().next().unwrap(),
            format!("T1\tLOC {fragments}\tNew York"),
            "{text:?}"
        );
    }
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// D2 (issue 18): the brat folder is replaced whole when the run ends: nothing of an
/// earlier run stays mixed in, brat's configuration is kept, and a folder holding
/// other files (or an input) is refused.
#[test]
fn brat_folder_is_replaced_whole() {
    let wd = Workdir::new();
    wd.write("brat/old-run.txt", "old");
    wd.write("brat/old-run.ann", "");
    wd.write("brat/annotation.conf", "[entities]\nPER\n");
    export(&wd, "brat", &["-o", "brat"]);
    assert_eq!(
        names(&wd.path().join("brat")),
        ["annotation.conf", "ex.ann", "ex.txt"]
    );
    assert_eq!(wd.read("brat/annotation.conf"), "[entities]\nPER\n");
    assert_eq!(names(wd.path()), ["brat", "ex.txt"]);

    let gazetteers = fixture_gazetteers();
    wd.write("mine/thesis.odt", "mine");
    wd.gaztag(&[
        "tag",
        "-g",
        &gazetteers,
        "--format",
        "brat",
        "ex.txt",
        "-o",
        "mine",
    ])
    .assert()
    .code(2)
    .stderr(contains("thesis.odt, which gaztag did not write"));
    assert_eq!(names(&wd.path().join("mine")), ["thesis.odt"]);
    wd.gaztag(&[
        "tag",
        "-g",
        &gazetteers,
        "--format",
        "brat",
        "brat/ex.txt",
        "-o",
        "brat",
    ])
    .assert()
    .code(2)
    .stderr(contains(
        "the input brat/ex.txt is inside the output folder brat",
    ));
    assert_eq!(wd.read("brat/ex.txt"), TEXT);
}

/// D2 (issue 18): Ctrl-C while brat files are being written leaves the old folder as it
/// was and no temporary folder behind, as the message says.
#[cfg(unix)]
#[test]
fn interrupted_brat_run_leaves_the_old_folder() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let wd = Workdir::new();
    wd.write("brat/old.txt", "old");
    let line = "{\"text\":\"Putin met Erdoğan in New York.\"}\n";
    wd.write("many.jsonl", line.repeat(50_000));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gaztag"))
        .current_dir(wd.path())
        .args(["tag", "-g", &fixture_gazetteers(), "--format", "brat"])
        .args(["many.jsonl", "-o", "brat", "-j", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the new files are being written.
    let started = Instant::now();
    let writing = || {
        std::fs::read_dir(wd.path()).unwrap().any(|e| {
            let e = e.unwrap();
            e.file_name().to_string_lossy().starts_with(".brat.")
                && std::fs::read_dir(e.path()).is_ok_and(|d| d.count() > 10)
        })
    };
    while !writing() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended first");
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("no output file or folder was replaced"),
        "{stderr}"
    );
    assert_eq!(names(&wd.path().join("brat")), ["old.txt"]);
    assert_eq!(names(wd.path()), ["brat", "many.jsonl"]);
}
