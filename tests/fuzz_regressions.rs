//! Every input the fuzzers found a crash with (`fuzz/regressions/TARGET/`), replayed
//! through the same target logic and checks, so a fixed bug stays fixed without
//! running the fuzzers (which need nightly Rust and are not part of CI).

// The fuzz crate's gazetteer and mention checks, shared rather than copied.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn matcher_crashes_stay_fixed() {
    let found = inputs("matcher");
    assert!(found.len() >= 2);
    for (_, data) in found {
        let text = String::from_utf8_lossy(&data);
        let tagger = fuzz::tagger();
        let mentions = tagger.tag(&text);
        fuzz::check_mentions(tagger, &text, &mentions);
    }
}

#[test]
fn jsonl_reader_crashes_stay_fixed() {
    for (_, data) in inputs("jsonl_reader") {
        let documents = gaztag::JsonlDocuments::new(
            "fuzz.jsonl",
            std::io::Cursor::new(data),
            gaztag::InputOptions::default(),
        );
        let tagger = fuzz::tagger();
        for document in documents.flatten() {
            let mentions = tagger.tag(&document.text);
            fuzz::check_mentions(tagger, &document.text, &mentions);
        }
    }
}
