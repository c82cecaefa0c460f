//! Shared helpers for the CLI tests: a scratch folder and a way to run the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary folder that tests write fixtures into and run gaztag from.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel` (creating folders) and returns the full path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read output")
    }

    /// `gaztag ARGS…` run inside this folder.
    pub fn gaztag(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("gaztag").expect("binary built");
        cmd.current_dir(self.dir.path()).args(args);
        cmd
    }
}

/// The repository's test fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The fixture gazetteers folder, as an argument.
pub fn fixture_gazetteers() -> String {
    fixtures().join("gazetteers").display().to_string()
}

/// Parses JSONL output into values, one per line.
pub fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// `(id, text)` of every mention of a record.
pub fn mentions(record: &serde_json::Value) -> Vec<(String, String)> {
    record["entities"]
        .as_array()
        .expect("entities array")
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Runs a command that must succeed and returns its JSONL records.
pub fn success_records(cmd: &mut Command) -> Vec<serde_json::Value> {
    records(&cmd.assert().success().get_output().stdout)
}

/// The reference article of `../shared/samples/`. CI always has `../shared`; a
/// developer clone without it gets `None` (the caller skips, with a notice).
pub fn reference_article() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/kazakhstan-unrest-2022-01-10.txt");
    if !path.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/samples"
        );
        eprintln!("skipping: {} not found", path.display());
        return None;
    }
    Some(path)
}
