//! The bad-input matrix: every way an input, a gazetteer or an output can be wrong, run
//! as a user would, asserting the exit code, the message (naming the file, and the line
//! and column where there is one) and that the rest of the batch was still tagged.
//!
//! Cases tested elsewhere: a missing path, invalid UTF-8 and a byte-order mark, JSONL
//! malformed lines and lines without the text field, `-o` into a missing folder, a run
//! failing on a broken gazetteer leaving the old output, a closed output pipe
//! (`tests/tag.rs`); a bad type label and a TSV row of the wrong length
//! (`tests/check.rs`).

mod common;

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Workdir, fixture_gazetteers, records};
use predicates::str::contains;

/// `gaztag tag -g FIXTURES ARGS…` in `wd`.
fn tag(wd: &Workdir, args: &[&str]) -> assert_cmd::Command {
    let gazetteers = fixture_gazetteers();
    let mut all = vec!["tag", "-g", &gazetteers];
    all.extend_from_slice(args);
    wd.gaztag(&all)
}

fn stdout_records(out: &std::process::Output) -> Vec<serde_json::Value> {
    records(&out.stdout)
}

fn docs(recs: &[serde_json::Value]) -> Vec<&str> {
    recs.iter().map(|r| r["doc"].as_str().unwrap()).collect()
}

fn ids(rec: &serde_json::Value) -> Vec<&str> {
    rec["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect()
}

/// Files in `dir` left by an unfinished output (gaztag's temporary files end `.tmp`).
fn temporary_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// gaztag as a user that file permissions apply to. Root reads and writes everything,
/// so under root (CI) the command runs as `nobody`, in a folder it can enter.
fn unprivileged(wd: &Workdir, args: &[&str]) -> assert_cmd::Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gaztag"));
    cmd.current_dir(wd.path()).args(args);
    if is_root() {
        std::fs::set_permissions(wd.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
    }
    assert_cmd::Command::from_std(cmd)
}

// ---- inputs ----

#[test]
fn unreadable_file_is_reported_and_the_rest_is_tagged() {
    let wd = Workdir::new();
    wd.write("ok.txt", "Putin");
    let secret = wd.write("secret.txt", "Putin");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let gazetteers = fixture_gazetteers();
    let assert = unprivileged(&wd, &["tag", "-g", &gazetteers, "secret.txt", "ok.txt"])
        .assert()
        .code(1)
        .stderr(contains("secret.txt: Permission denied"));
    assert_eq!(docs(&stdout_records(assert.get_output())), ["ok.txt"]);
}

#[test]
fn a_file_where_a_folder_is_expected_and_a_folder_where_a_file_is() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    std::fs::create_dir(wd.path().join("folder")).unwrap();
    // "a.txt/" names a folder: it is a file.
    let assert = tag(&wd, &["a.txt/", "a.txt"])
        .assert()
        .code(1)
        .stderr(contains("a.txt/: Not a directory"));
    assert_eq!(docs(&stdout_records(assert.get_output())), ["a.txt"]);
    // -o names a file: it is a folder. Nothing is written.
    tag(&wd, &["a.txt", "-o", "folder"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("cannot create output folder: is a directory"));
    // -g names a gazetteer file or folder: a missing one is a usage error.
    wd.gaztag(&["tag", "-g", "a.txt/", "a.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("a.txt/"));
}

#[test]
fn empty_file_is_a_record_without_entities() {
    let wd = Workdir::new();
    wd.write("empty.txt", "");
    wd.write("empty.jsonl", "");
    tag(&wd, &["empty.txt", "empty.jsonl"])
        .assert()
        .success()
        .stdout("{\"doc\":\"empty.txt\",\"entities\":[]}\n")
        .stderr("");
}

#[test]
fn strict_makes_invalid_utf8_an_error() {
    let wd = Workdir::new();
    wd.write("bad.txt", b"Putin \xFF York");
    wd.write("ok.txt", "Putin");
    let assert = tag(&wd, &["--strict", "bad.txt", "ok.txt"])
        .assert()
        .code(1)
        .stderr(contains("bad.txt: invalid UTF-8 at byte 6 (--strict)"));
    assert_eq!(docs(&stdout_records(assert.get_output())), ["ok.txt"]);
    // In JSONL the error names the line and the column.
    wd.write("bad.jsonl", b"{\"text\":\"Putin\"}\n{\"text\":\"\xFF\"}\n");
    let assert = tag(&wd, &["--strict", "bad.jsonl"])
        .assert()
        .code(1)
        .stderr(contains("bad.jsonl:2:10: invalid UTF-8 (--strict)"));
    assert_eq!(docs(&stdout_records(assert.get_output())), ["bad.jsonl:1"]);
}

#[test]
fn binary_files_are_skipped_with_a_message() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    wd.write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    wd.write(
        "mixed.jsonl",
        b"{\"id\":\"one\",\"text\":\"Putin\"}\n\x00\x01\x02\n\x00\n{\"text\":\"York\"}\n",
    );
    let assert = tag(&wd, &["image.png", "a.txt", "mixed.jsonl"])
        .assert()
        .code(1)
        .stderr(contains(
            "image.png: binary file (NUL byte at byte 8), skipped",
        ))
        .stderr(contains(
            "mixed.jsonl:2: NUL byte (at byte 28): binary data, the rest of the file is skipped",
        ));
    let out = assert.get_output();
    // One message for the JSONL file, not one per line.
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 2);
    assert_eq!(docs(&stdout_records(out)), ["a.txt", "one"]);
}

#[test]
fn dev_zero_is_refused_after_its_first_block_and_the_batch_goes_on() {
    // Before: read whole into memory first (1.9 GB in 8 s), never finishing.
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    for format in ["auto", "jsonl"] {
        let started = Instant::now();
        let assert = tag(&wd, &["--input-format", format, "/dev/zero", "a.txt"])
            .timeout(Duration::from_secs(30))
            .assert()
            .code(1)
            .stderr(contains("/dev/zero"))
            .stderr(contains("NUL byte"))
            .stderr(contains("at byte 0"));
        assert!(started.elapsed() < Duration::from_secs(20), "{format}");
        if format == "auto" {
            assert_eq!(docs(&stdout_records(assert.get_output())), ["a.txt"]);
        }
    }
}

#[test]
fn tagged_input_that_is_binary_or_too_long_is_refused_in_bounded_memory() {
    // Before: `gaztag stats /dev/zero` read one endless line.
    let wd = Workdir::new();
    let tagged = tag(&wd, &["-"])
        .write_stdin("Putin in Almaty.")
        .output()
        .unwrap()
        .stdout;
    let long = format!("{{\"doc\":\"{}\",\"entities\":[]}}\n", "x".repeat(2000));
    let mut file = long.into_bytes();
    file.extend(&tagged);
    wd.write("tagged.jsonl", &file);
    let assert = wd
        .gaztag(&[
            "stats",
            "--max-document-size",
            "1K",
            "/dev/zero",
            "tagged.jsonl",
        ])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(contains("/dev/zero:1: NUL byte"))
        .stderr(contains("tagged.jsonl:1: record longer than 1 KiB"));
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.contains("vladimir-putin"), "{out}");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compression, write::GzEncoder};
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_document_over_max_document_size_is_skipped_naming_it() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    // 1 MB of text from 1 KB of gzip: a small bomb; the limit is 1K.
    let expanded = "Moscow ".repeat(150_000);
    wd.write("bomb.txt.gz", gzip(expanded.as_bytes()));
    let jsonl = format!(
        "{{\"id\":\"one\",\"text\":\"Putin\"}}\n{{\"id\":\"big\",\"text\":\"{expanded}\"}}\n{{\"id\":\"three\",\"text\":\"York\"}}\n"
    );
    wd.write("wire.jsonl.gz", gzip(jsonl.as_bytes()));
    let args = [
        "--max-document-size",
        "1K",
        "bomb.txt.gz",
        "a.txt",
        "wire.jsonl.gz",
    ];
    let assert = tag(&wd, &args).assert().code(1).stderr(contains(
        "bomb.txt.gz: document larger than 1 KiB (--max-document-size), skipped",
    ));
    assert.stderr(contains(
        "wire.jsonl.gz:2: line longer than 1 KiB (--max-document-size), skipped",
    ));
    let out = tag(&wd, &args).output().unwrap();
    assert_eq!(docs(&stdout_records(&out)), ["a.txt", "one", "three"]);
    // The default (1 GiB) reads them, and the limit can be raised.
    tag(&wd, &["bomb.txt.gz", "wire.jsonl.gz"])
        .assert()
        .success();
    tag(&wd, &["--max-document-size", "2M", "bomb.txt.gz"])
        .assert()
        .success();
    tag(&wd, &["--max-document-size", "5G", "a.txt"])
        .assert()
        .code(2)
        .stderr(contains("more than 4G"));
}

#[test]
fn utf16_files_with_a_bom_are_decoded() {
    // Before: "binary file (NUL byte at byte 3)".
    let wd = Workdir::new();
    let text = "Élysée: Putin in Almaty.";
    let mut le = vec![0xFF, 0xFE];
    text.encode_utf16().for_each(|u| le.extend(u.to_le_bytes()));
    wd.write("le.txt", le);
    let line =
        "{\"id\":\"be\",\"text\":\"Putin in Almaty.\"}\n{\"id\":\"be2\",\"text\":\"York\"}\n";
    let mut be = vec![0xFE, 0xFF];
    line.encode_utf16().for_each(|u| be.extend(u.to_be_bytes()));
    wd.write("be.jsonl", be);
    let assert = tag(&wd, &["--no-discovery", "le.txt", "be.jsonl"])
        .assert()
        .success();
    let recs = stdout_records(assert.get_output());
    assert_eq!(docs(&recs), ["le.txt", "be", "be2"]);
    // Offsets index the decoded UTF-8 text.
    let putin = &recs[0]["entities"][0];
    assert_eq!(putin["text"], "Putin");
    let start = putin["start"].as_u64().unwrap() as usize;
    assert_eq!(&text[start..start + 5], "Putin");
    assert_eq!(ids(&recs[0]), ["vladimir-putin", "almaty"]);
    assert_eq!(ids(&recs[1]), ["vladimir-putin", "almaty"]);
    assert_eq!(ids(&recs[2]), ["york"]);
}

#[test]
fn a_file_name_that_is_not_utf8_is_read_and_named_lossily() {
    // Before: clap refused the whole command line (exit 2).
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    let name = OsStr::from_bytes(b"bad\xffname.txt");
    std::fs::write(wd.path().join(name), "Putin").unwrap();
    wd.write("a.txt", "York");
    let gazetteers = fixture_gazetteers();
    let assert = wd
        .gaztag(&["tag", "-g", &gazetteers])
        .arg(name)
        .arg("a.txt")
        .arg(OsStr::from_bytes(b"gone\xfe.txt"))
        .assert()
        .code(1)
        .stderr(contains("gone\u{FFFD}.txt"));
    let recs = stdout_records(assert.get_output());
    assert_eq!(docs(&recs), ["bad\u{FFFD}name.txt", "a.txt"]);
    // Every command that reads input files takes such a name.
    let tagged = OsStr::from_bytes(b"tagged\xff.jsonl");
    std::fs::write(wd.path().join(tagged), &assert.get_output().stdout).unwrap();
    for command in ["stats", "cooc", "report"] {
        let mut cmd = wd.gaztag(&[command]);
        if command == "report" {
            cmd.args(["-o", "r.html"]);
        }
        cmd.arg(tagged).assert().success();
    }
    wd.gaztag(&["stats", "--tag", "-g", &gazetteers])
        .arg(name)
        .assert()
        .success();
    wd.gaztag(&["suggest", "-g", &gazetteers])
        .arg(name)
        .assert()
        .success();
}

#[test]
fn a_single_line_document_of_megabytes_is_tagged_whole() {
    // Over ten resolution sections and over the size whose record is written in place:
    // the code paths of a 200 MB single-line file (timed by scripts/huge-doc.sh).
    let wd = Workdir::new();
    let unit = "Vladimir Putin met Erdogan in Almaty, then flew to New York. ";
    let copies = 3_000_000 / unit.len();
    wd.write("line.txt", unit.repeat(copies));
    let assert = tag(&wd, &["--no-discovery", "line.txt"]).assert().success();
    let recs = stdout_records(assert.get_output());
    assert_eq!(recs.len(), 1);
    let mentions = recs[0]["entities"].as_array().unwrap();
    assert_eq!(mentions.len(), 4 * copies);
    for (i, m) in mentions.iter().enumerate() {
        let copy = i / 4;
        let start = m["start"].as_u64().unwrap() as usize;
        let end = m["end"].as_u64().unwrap() as usize;
        let text = &unit[start - copy * unit.len()..end - copy * unit.len()];
        assert_eq!(m["text"], text, "mention {i}");
        assert_eq!(m["sentence"], copy, "mention {i}");
    }
}

#[test]
fn crlf_line_endings_keep_offsets_and_sentences() {
    let wd = Workdir::new();
    let text = "Putin flew to Almaty.\r\nErdogan met him.\r\n";
    wd.write("crlf.txt", text);
    let assert = tag(&wd, &["--no-discovery", "crlf.txt"]).assert().success();
    let recs = stdout_records(assert.get_output());
    let found: Vec<(&str, u64, u64)> = recs[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let start = m["start"].as_u64().unwrap() as usize;
            let end = m["end"].as_u64().unwrap() as usize;
            assert_eq!(m["text"], text[start..end]);
            (
                m["text"].as_str().unwrap(),
                m["sentence"].as_u64().unwrap(),
                m["token"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("Putin", 0, 0), ("Almaty", 0, 3), ("Erdogan", 1, 4)]
    );
}

#[test]
fn jsonl_text_not_a_string_and_duplicate_ids() {
    let wd = Workdir::new();
    wd.write(
        "wire.jsonl",
        concat!(
            r#"{"id":"a","text":"Putin"}"#,
            "\n",
            r#"{"id":"b","text":["Putin"]}"#,
            "\n",
            r#"{"id":"a","text":"York"}"#,
            "\n",
        ),
    );
    let assert = tag(&wd, &["wire.jsonl"])
        .assert()
        .code(1)
        .stderr(contains(
            "wire.jsonl:2:17: invalid type: sequence, expected field \"text\" to be a string",
        ))
        .stderr(contains(
            "warning: wire.jsonl:3: duplicate id \"a\": document 1 of this run (output line 1) has it too (document \"a\")",
        ));
    let recs = stdout_records(assert.get_output());
    assert_eq!(docs(&recs), ["a", "a"]);
    assert_eq!(
        recs[1]["warnings"][0],
        "duplicate id \"a\": document 1 of this run (output line 1) has it too"
    );
    // --strict: the second "a" is not tagged.
    let assert = tag(&wd, &["--strict", "wire.jsonl"])
        .assert()
        .code(1)
        .stderr(contains(
            "a: duplicate id \"a\": document 1 of this run (output line 1) has it too (--strict)",
        ));
    let recs = stdout_records(assert.get_output());
    assert_eq!(docs(&recs), ["a"]);
    assert_eq!(ids(&recs[0]), ["vladimir-putin"]);
}

/// Issue 18 P5: every JSONL error names FILE:LINE:COLUMN, the line counted in the file
/// (blank lines, CRLF and long lines included) and the column in that line's bytes, not
/// serde_json's "line 2 column 0" of the one line it was given. The column is
/// serde_json's: the last byte read, counted in the file's bytes (past the U+FFFD).
#[test]
fn jsonl_errors_name_the_file_line_and_column() {
    let wd = Workdir::new();
    let mut wire = Vec::new();
    wire.extend_from_slice(b"{\"text\":\"Putin\"}\r\n\n");
    wire.extend_from_slice(format!("{{\"text\":\"{}\"}}\n", "x ".repeat(40_000)).as_bytes());
    for _ in 0..13 {
        wire.extend_from_slice(b"{\"text\":\"York\"}\r\n");
    }
    wire.extend_from_slice(b"{\"id\":\"a\",\"text\":\"Putin\"\r\n"); // line 17: cut short
    wire.extend_from_slice(b"  {\"id\":\"b\",\"body\":\"Putin\"}\n"); // 18: no text
    wire.extend_from_slice(b"{\"id\":\"c\",\"text\":42}\n"); // 19: not a string
    wire.extend_from_slice(b"{\"id\":\"d\",\"text\":\"\xFF\xFE\",,}\n"); // 20: after bad bytes
    wire.extend_from_slice(b"{\"id\":{},\"text\":\"Putin\"}\n"); // 21: bad id
    wire.extend_from_slice(b"{\"id\":\"e\",\"text\":\"Putin\"} x\n"); // 22: trailing
    wire.extend_from_slice(b"[1]"); // 23: no line end
    wd.write("wire.jsonl", &wire);
    let out = tag(&wd, &["wire.jsonl"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("gaztag: warning"))
        .collect();
    assert_eq!(
        errors,
        [
            "gaztag: wire.jsonl:17:24: invalid JSON: EOF while parsing an object",
            "gaztag: wire.jsonl:18:27: no \"text\" field",
            "gaztag: wire.jsonl:19:19: invalid type: integer `42`, expected field \"text\" to be a string",
            "gaztag: wire.jsonl:20:23: invalid JSON: key must be a string",
            "gaztag: wire.jsonl:21:8: field \"id\" is neither a string nor a number",
            "gaztag: wire.jsonl:22:27: invalid JSON: trailing characters",
            "gaztag: wire.jsonl:23:1: invalid type: sequence, expected a JSON object",
        ],
        "{stderr}"
    );
    assert_eq!(stdout_records(&out).len(), 15);
}

#[test]
fn a_symlink_loop_in_a_folder_is_reported_and_the_rest_is_tagged() {
    let wd = Workdir::new();
    wd.write("news/a.txt", "Putin");
    wd.write("news/sub/b.txt", "York");
    std::os::unix::fs::symlink("..", wd.path().join("news/sub/loop")).unwrap();
    let assert = tag(&wd, &["news"])
        .assert()
        .code(1)
        .stderr(contains("news/sub/loop: File system loop found"));
    assert_eq!(
        docs(&stdout_records(assert.get_output())),
        ["news/a.txt", "news/sub/b.txt"]
    );
}

#[test]
fn a_fifo_and_stdin_that_close_early() {
    let wd = Workdir::new();
    let fifo = wd.path().join("feed.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // The writer stops in the middle of the second line.
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        pipe.write_all(b"{\"id\":\"1\",\"text\":\"Putin\"}\n{\"id\":\"2\",\"te")
            .unwrap();
    });
    let assert = tag(&wd, &["feed.jsonl"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(contains("feed.jsonl:2:13: invalid JSON: EOF while parsing"));
    writer.join().unwrap();
    assert_eq!(docs(&stdout_records(assert.get_output())), ["1"]);
    // The same through stdin.
    let assert = tag(&wd, &["-"])
        .write_stdin("{\"id\":\"1\",\"text\":\"Putin\"}\n{\"id\":\"2\",\"te")
        .assert()
        .code(1)
        .stderr(contains("-:2:13: invalid JSON: EOF while parsing"));
    assert_eq!(docs(&stdout_records(assert.get_output())), ["1"]);
}

// ---- gazetteers: exit code 2, nothing written ----

/// Tags with the gazetteer `yaml` written to `g.yaml`; returns stderr, after checking
/// the exit code is 2 and nothing was written.
fn gazetteer_error(yaml: &str) -> String {
    let wd = Workdir::new();
    wd.write("g.yaml", yaml);
    wd.write("a.txt", "Putin");
    let assert = wd
        .gaztag(&["tag", "-g", "g.yaml", "a.txt", "-o", "out.jsonl"])
        .assert()
        .code(2)
        .stdout("");
    assert!(!wd.path().join("out.jsonl").exists());
    assert!(temporary_files(wd.path()).is_empty());
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let e = gazetteer_error("type: PER\nentities:\n  - id: a\n    name: \"Al\n");
    assert!(
        e.contains("g.yaml:5:1: found unexpected end of stream, while scanning a quoted scalar"),
        "{e}"
    );
    let e = gazetteer_error("type: PER\nentities:\n  - id: a\n    name: Al\n   oops\n");
    assert!(
        e.contains("g.yaml:5:4: did not find expected '-' indicator"),
        "{e}"
    );
}

#[test]
fn unknown_field_names_file_line_and_column() {
    let e = gazetteer_error("type: PER\nentities:\n  - id: a\n    name: Al\n    nmae: Al\n");
    assert!(
        e.contains("g.yaml:5:5: entities[0]: unknown field `nmae`"),
        "{e}"
    );
}

#[test]
fn entity_without_a_name() {
    let e = gazetteer_error("type: PER\nentities:\n  - id: a\n    aliases: [Al]\n");
    assert!(
        e.contains("g.yaml:3:5: entities[0]: missing field `name`"),
        "{e}"
    );
}

#[test]
fn empty_alias() {
    let e =
        gazetteer_error("type: PER\nentities:\n  - id: a\n    name: Al\n    aliases: [\"  \"]\n");
    assert!(e.contains("g.yaml:5:15: "), "{e}");
    assert!(e.contains("empty name or alias"), "{e}");
}

#[test]
fn one_letter_alias_needs_the_entity_to_allow_it() {
    let yaml = "type: PER\nentities:\n  - id: x\n    name: Malcolm X\n    aliases: [X]\n";
    let e = gazetteer_error(yaml);
    assert!(
        e.contains("g.yaml:3:5: entities[0]: entity \"x\": \"X\" is one letter"),
        "{e}"
    );
    assert!(e.contains("allow_one_letter: true"), "{e}");
    let wd = Workdir::new();
    wd.write("g.yaml", format!("{yaml}    allow_one_letter: true\n"));
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", "g.yaml", "-"])
        .write_stdin("X spoke.")
        .assert()
        .success();
    assert_eq!(ids(&stdout_records(assert.get_output())[0]), ["x"]);
}

#[test]
fn duplicate_id_across_two_files_names_both() {
    let wd = Workdir::new();
    wd.write("a.yaml", "type: PER\nentities:\n  - id: p\n    name: Al\n");
    wd.write("b.yaml", "type: PER\nentities:\n  - id: p\n    name: Bo\n");
    wd.write("a.txt", "Al");
    wd.gaztag(&["tag", "-g", "a.yaml", "-g", "b.yaml", "a.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("b.yaml:3:9: "))
        .stderr(contains("duplicate id \"p\": already defined in a.yaml"));
}

#[test]
fn aliases_differing_only_by_case_load_and_the_text_case_decides() {
    let wd = Workdir::new();
    wd.write(
        "g.yaml",
        "type: ORG\nentities:\n  - {id: who, name: World Health Organization, aliases: [WHO]}\n  - {id: the-who, name: The Who, aliases: [Who]}\n",
    );
    wd.gaztag(&["check", "-g", "g.yaml"])
        .assert()
        .success()
        .stdout(contains(
            "warning: aliases \"WHO\" (who), \"Who\" (the-who) differ only by case",
        ));
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", "g.yaml", "-"])
        .write_stdin("WHO warned. Who played.")
        .assert()
        .success();
    assert_eq!(
        ids(&stdout_records(assert.get_output())[0]),
        ["who", "the-who"]
    );
}

#[test]
fn a_gazetteer_of_a_million_aliases_loads() {
    let wd = Workdir::new();
    let mut table = String::from("name\ttype\tid\n");
    for i in 0..1_000_000 {
        // Two aliases an entity, as one row each.
        table.push_str(&format!("Place {i:07} Heights\tLOC\tplace-{}\n", i / 2));
    }
    wd.write("million.tsv", table);
    // Found at both ends of the table: all of it was loaded.
    let assert = wd
        .gaztag(&["tag", "--no-discovery", "-g", "million.tsv", "-"])
        .write_stdin("From Place 0999999 Heights to Place 0000000 Heights.")
        .assert()
        .success();
    assert_eq!(
        ids(&stdout_records(assert.get_output())[0]),
        ["place-499999", "place-0"]
    );
}

/// C1 (issue 18): gazetteers and stop lists are read whole, so a path that never ends
/// must be refused before it fills memory, and a binary file at its first block.
#[test]
fn endless_binary_or_huge_gazetteers_and_stop_lists_are_refused() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    wd.write("bin.yaml", b"type: PER\n\0entities: []\n");
    wd.write("stop.txt", b"Putin\n\0\n");
    // 2 GiB, sparse: refused from its size, before a byte is read.
    let big = std::fs::File::create(wd.path().join("big.tsv")).unwrap();
    big.set_len(2 << 30).unwrap();
    let gazetteers = fixture_gazetteers();
    for (args, expected) in [
        (
            vec!["tag", "--stop", "/dev/zero", "a.txt"],
            "cannot read the stop list: /dev/zero: not a regular file (a character device)",
        ),
        (
            vec!["tag", "-g", "/dev/zero", "a.txt"],
            "/dev/zero: not a regular file (a character device)",
        ),
        (
            vec!["convert", "-g", "bin.yaml", "--to", "tsv"],
            "bin.yaml: binary file (a NUL byte at offset 10)",
        ),
        (
            vec!["tag", "-g", &gazetteers, "--stop", "stop.txt", "a.txt"],
            "stop.txt: binary file (a NUL byte at offset 6)",
        ),
        (
            vec!["check", "-g", "big.tsv"],
            "big.tsv: larger than 1073741824 bytes, the most a gazetteer file or stop list may hold",
        ),
    ] {
        wd.gaztag(&args)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(expected));
    }
}

/// W2 (issue 18): a NaN prior won every disambiguation, an infinite one beat every
/// clue; both are errors at their line, in YAML and in tables.
#[test]
fn a_prior_that_is_not_a_finite_number() {
    for (prior, message) in [
        (".nan", "prior NaN is not a finite number"),
        (".inf", "prior inf is not a finite number"),
        ("-.inf", "prior -inf is not a finite number"),
        ("1e999", "expected a finite number"),
    ] {
        let e = gazetteer_error(&format!(
            "type: PER\nentities:\n  - id: a\n    name: Al\n    prior: {prior}\n"
        ));
        assert!(e.contains("g.yaml:5:12: entities[0].prior: "), "{e}");
        assert!(e.contains(message), "{e}");
    }
    let wd = Workdir::new();
    for prior in ["NaN", "inf", "1e999", "-infinity"] {
        wd.write(
            "g.tsv",
            format!("name\ttype\tid\tprior\nAl\tPER\ta\t{prior}\n"),
        );
        wd.gaztag(&["check", "-g", "g.tsv"])
            .assert()
            .code(2)
            .stderr(contains("g.tsv:2: prior "))
            .stderr(contains("is not a finite number"));
    }
}

/// W5 (issue 18): an id or a name with a tab, a line break or an escape sequence
/// broke TSV and brat output (and the terminal); refused at its line in every format.
#[test]
fn control_characters_in_ids_and_names() {
    let e = gazetteer_error("type: PER\nentities:\n  - id: \"a\\tb\"\n    name: Al\n");
    assert!(
        e.contains("g.yaml:3:9: entities[0].id: id \"a\\tb\" holds the control character U+0009"),
        "{e}"
    );
    let e = gazetteer_error("type: PER\nentities:\n  - id: a\n    name: \"Al\\e[31m\"\n");
    assert!(
        e.contains(
            "g.yaml:4:11: entities[0].name: \"Al\\u{1b}[31m\" holds the control character U+001B"
        ),
        "{e}"
    );
    let wd = Workdir::new();
    wd.write("g.csv", "name,type,id\nAl,PER,\"a\nb\"\n");
    wd.gaztag(&["check", "-g", "g.csv"])
        .assert()
        .code(2)
        .stderr(contains(
            "g.csv:2: id \"a\\nb\" holds the control character U+000A",
        ));
    wd.write(
        "p.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"Acme\", \"id\": \"a\\tb\"}\n",
    );
    wd.gaztag(&["check", "-g", "p.jsonl"])
        .assert()
        .code(2)
        .stderr(contains(
            "p.jsonl:1: id \"a\\tb\" holds the control character",
        ));
}

/// W5 (issue 18): a tab, line break or escape in an attribute name or value went
/// through to `convert --to tsv` (a broken header, a terminal escape in a cell); they
/// are refused at load with the position, in YAML, tables and GATE lists alike.
#[test]
fn control_characters_in_attributes() {
    let e = gazetteer_error(
        "type: PER\nentities:\n  - id: a\n    name: Al\n    attrs:\n      note: \"x\\ty\"\n",
    );
    assert!(
        e.contains("g.yaml:6:13: entities[0].attrs.note: value \"x\\ty\" holds the control character U+0009"),
        "{e}"
    );
    let e = gazetteer_error(
        "type: PER\nentities:\n  - id: a\n    name: Al\n    attrs:\n      \"k\\e\": y\n",
    );
    assert!(
        e.contains("g.yaml:6:7: entities[0].attrs: attribute name \"k\\u{1b}\" holds the control character U+001B"),
        "{e}"
    );
    let wd = Workdir::new();
    let refused = |file: &str, message: &str| {
        wd.gaztag(&["convert", "-g", file, "--to", "tsv"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(message));
    };
    wd.write("h.csv", "name,type,id,\"wiki\nx\"\nAl,PER,a,y\n");
    refused(
        "h.csv",
        "h.csv:1: attribute name \"wiki\\nx\" holds the control character U+000A",
    );
    wd.write(
        "v.csv",
        "name,type,id,note\nAl,PER,a,ok\nAl,PER,a,\"y\r\nz\"\n",
    );
    refused(
        "v.csv",
        "v.csv:3: attribute \"note\": value \"y\\r\\nz\" holds the control character U+000D",
    );
    wd.write("v.tsv", "name\ttype\tid\tnote\nAl\tPER\ta\ty\u{1b}[31m\n");
    refused(
        "v.tsv",
        "v.tsv:2: attribute \"note\": value \"y\\u{1b}[31m\" holds the control character U+001B",
    );
    wd.write("gate/lists.def", "names.lst:person\n");
    wd.write("gate/names.lst", "Alo&country=FR\nAlu&country=F\u{1b}R\n");
    refused(
        "gate/lists.def",
        "names.lst:2: attribute \"country\": value \"F\\u{1b}R\" holds the control character U+001B",
    );
    // Plain attributes still convert.
    wd.write("ok.csv", "name,type,id,note\nAl,PER,a,\"one, two\"\n");
    wd.gaztag(&["convert", "-g", "ok.csv", "--to", "tsv"])
        .assert()
        .success()
        .stdout("name\ttype\tid\tnote\nAl\tPER\ta\tone, two\n");
}

/// W10 (issue 18): aliases of punctuation, zero-width or bidi characters or combining
/// marks were tagged where the text shows no name; each form needs a letter or digit.
#[test]
fn invisible_or_punctuation_only_aliases() {
    for alias in [
        "...",
        "\\u200B",
        "\\u200E\\u202E",
        "\\u0301\\u0301",
        "-\\u00AD-",
    ] {
        let e = gazetteer_error(&format!(
            "type: PER\nentities:\n  - id: a\n    name: Al\n    aliases: [Alo, \"{alias}\"]\n"
        ));
        assert!(e.contains("g.yaml:5:20: entities[0].aliases[1]: "), "{e}");
        assert!(e.contains("has no letter or digit"), "{e}");
    }
    let wd = Workdir::new();
    wd.write(
        "g.tsv",
        "name\ttype\tid\taliases\nAl\tPER\ta\tAlo|\u{200b}\n",
    );
    wd.gaztag(&["check", "-g", "g.tsv"])
        .assert()
        .code(2)
        .stderr(contains("g.tsv:2: \"\\u{200b}\" has no letter or digit"));
    wd.write("gate/lists.def", "names.lst:person\n");
    wd.write("gate/names.lst", "Alo\n\u{202e}\u{200f}\n");
    wd.gaztag(&["check", "-g", "gate/lists.def"])
        .assert()
        .code(2)
        .stderr(contains(
            "names.lst:2: \"\\u{202e}\\u{200f}\" has no letter or digit",
        ));
    // A letter with marks, a digit and a name from another script stand.
    wd.write(
        "ok.yaml",
        "type: ORG\nentities:\n  - {id: a, name: \"E\\u0301cole\", aliases: [\"G-7\", \"7/11\", \"東京\"]}\n",
    );
    wd.gaztag(&["check", "-g", "ok.yaml"]).assert().success();
}

#[test]
fn table_with_a_missing_column() {
    let wd = Workdir::new();
    wd.write("g.tsv", "name\tid\nAlmaty\talmaty\n");
    wd.write("a.txt", "Almaty");
    wd.gaztag(&["tag", "-g", "g.tsv", "a.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "g.tsv:1: missing column \"type\" in the header (found: name, id)",
        ));
}

// ---- outputs ----

#[test]
fn output_into_a_read_only_folder() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    let folder = wd.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let gazetteers = fixture_gazetteers();
    unprivileged(
        &wd,
        &["tag", "-g", &gazetteers, "a.txt", "-o", "ro/out.jsonl"],
    )
    .assert()
    .code(2)
    .stdout("")
    .stderr(contains(
        "cannot create output ro/out.jsonl: Permission denied",
    ));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
}

#[test]
fn a_full_disk_fails_the_run_and_keeps_the_old_output() {
    let wd = Workdir::new();
    wd.write("a.txt", "Putin");
    tag(&wd, &["a.txt", "-o", "/dev/full"])
        .assert()
        .code(2)
        .stderr(contains(
            "cannot write output /dev/full: No space left on device",
        ));
    // A disk that fills up part-way: the file size limit stands in for it (with
    // SIGXFSZ ignored, a write past it fails like one on a full disk).
    wd.write("out.jsonl", "previous\n");
    let line = "{\"text\":\"Putin in York and New York, again and again.\"}\n";
    wd.write("big.jsonl", line.repeat(2_000));
    let script = "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"";
    let gazetteers = fixture_gazetteers();
    let mut cmd = Command::new("bash");
    cmd.current_dir(wd.path())
        .args(["-c", script])
        .arg(assert_cmd::cargo::cargo_bin("gaztag"))
        .args(["tag", "-g", &gazetteers, "big.jsonl", "-o", "out.jsonl"]);
    assert_cmd::Command::from_std(cmd)
        .assert()
        .code(2)
        .stderr(contains("cannot write output out.jsonl: File too large"));
    assert_eq!(wd.read("out.jsonl"), "previous\n");
    assert!(temporary_files(wd.path()).is_empty());
}

#[test]
fn sigint_leaves_no_half_file_and_keeps_the_old_output() {
    let wd = Workdir::new();
    wd.write("out.jsonl", "previous\n");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gaztag"))
        .current_dir(wd.path())
        .args(["tag", "-g", &fixture_gazetteers(), "-o", "out.jsonl", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"{\"text\":\"Putin\"}\n").unwrap();
    // The run is under way once its temporary output exists; stdin stays open.
    let started = Instant::now();
    while temporary_files(wd.path()).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("gaztag: interrupted"), "{stderr}");
    assert_eq!(wd.read("out.jsonl"), "previous\n");
    assert!(temporary_files(wd.path()).is_empty());
}

/// Asserts that stderr holds `expected` and no raw control character but newlines.
fn assert_escaped(out: &std::process::Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(expected), "{stderr}");
    let raw: Vec<char> = stderr
        .chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect();
    assert!(raw.is_empty(), "raw controls {raw:?} in {stderr:?}");
}

#[test]
fn terminal_escapes_in_file_names_and_ids_are_printed_escaped() {
    let wd = Workdir::new();
    // A file name and a document id that would retitle the terminal, and clear it.
    let evil = "evil\u{1b}]0;pwned\u{7}.txt";
    wd.write(evil, b"bad\0binary");
    wd.write(
        "ids.jsonl",
        concat!(
            r#"{"id":"\u001b]0;x\u0007\u001b[2J","text":"Putin"}"#,
            "\n",
            r#"{"id":"\u001b]0;x\u0007\u001b[2J","text":"Putin"}"#,
            "\n"
        ),
    );
    let out = tag(&wd, &[evil, "ids.jsonl", "missing\u{1b}[31m.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_escaped(&out, "evil\\x1b]0;pwned\\x07.txt");
    assert_escaped(&out, "missing\\x1b[31m.txt");
    assert_escaped(&out, r#"duplicate id "\u{1b}]0;x\u{7}\u{1b}[2J""#);
    // The records keep the id as it was (JSON escapes it).
    let recs = stdout_records(&out);
    assert_eq!(docs(&recs), ["\u{1b}]0;x\u{7}\u{1b}[2J"; 2]);
    // Errors that end the run, and clap's usage errors, too.
    let out = wd.gaztag(&["merge", "p\u{1b}[2J.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_escaped(&out, "p\\x1b[2J.json");
    let out = wd
        .gaztag(&["tag", "-j", "\u{1b}]0;x\u{7}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_escaped(&out, "invalid value '\\x1b]0;x\\x07' for '--threads <N>'");
}
