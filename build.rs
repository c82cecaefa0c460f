//! Compiles the default gazetteers (`gazetteers/**/*.yaml`, minus `build/` and hidden
//! entries) into one file embedded in the binary: one line per gazetteer, its path, a
//! tab, then the gazetteer as JSON. Parsing YAML is slow and parsing JSON fast, so the
//! tens of thousands of default entities load in milliseconds at every start. A file
//! that is not valid YAML fails the build, naming the file and position; the typed
//! checks (fields, ids, aliases) run when the set is loaded, and the test suite loads it.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("gazetteers");
    println!("cargo:rerun-if-changed=gazetteers");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::new();
    for path in files {
        let rel = path.strip_prefix(&root).unwrap_or(&path);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("gazetteers/{}: {e}", rel.display()));
        let value: serde_yaml::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("gazetteers/{}: {e}", rel.display()));
        let json = serde_json::to_string(&value)
            .unwrap_or_else(|e| panic!("gazetteers/{}: {e}", rel.display()));
        out.push_str(&format!("gazetteers/{}\t{json}\n", rel.display()));
    }
    let target =
        PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("default_gazetteers.tsv");
    fs::write(&target, out).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

/// Gazetteer files under `dir`, recursively: `*.yaml`/`*.yml`, skipping hidden entries
/// and `build/` folders (generator scripts and their inputs).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if name != "build" {
                collect(&path, out);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}
