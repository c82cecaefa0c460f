//! The library's modules form no import cycle: a module may use the modules below it in
//! the pipeline and its own children, and nothing it uses may use it back, however
//! indirectly. A cycle means two modules are one concept split in two files (or that a
//! shared piece belongs in a third), and it makes either impossible to read alone.
//!
//! A module is a file under `src/` (the CLI, which lives in the binary, is left out). It
//! uses another when its code names a path into it: `crate::a::b::Item`, `super::b`, or,
//! in a `mod.rs`, one of its declared children (`cooc::Pair`). Declaring a child
//! (`mod cooc;`) is not a use.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module path (`["analyze", "aggregate", "cooc"]`) of every library file.
fn library_modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut modules = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(src).unwrap();
            if rel.starts_with("cli") || rel == Path::new("main.rs") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut module: Vec<String> = rel
                    .with_extension("")
                    .iter()
                    .map(|c| c.to_string_lossy().into_owned())
                    .collect();
                if module.last().is_some_and(|l| l == "mod" || l == "lib") {
                    module.pop();
                }
                modules.insert(module, path);
            }
        }
    }
    modules
}

/// The code of a file without comments and string literals' contents, so that a doc
/// comment naming `crate::x` is no use of it.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.split("//").next().unwrap_or("");
            let mut out = String::new();
            let mut in_string = false;
            for c in line.chars() {
                if c == '"' {
                    in_string = !in_string;
                }
                if !in_string {
                    out.push(c);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `a::b::c` path in the code, as its segments (identifiers joined by `::`,
/// `{` groups split into their members' first segment).
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = bytes[i].is_alphabetic() || bytes[i] == '_';
        let after_word_char = i > 0 && (bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        if !starts_word || after_word_char {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        loop {
            let start = i;
            while i < bytes.len() && (bytes[i].is_alphanumeric() || bytes[i] == '_') {
                i += 1;
            }
            segments.push(bytes[start..i].iter().collect::<String>());
            if i + 2 < bytes.len() && bytes[i] == ':' && bytes[i + 1] == ':' {
                i += 2;
                if bytes[i] == '{' {
                    // A group: record each member's first segment.
                    let end = bytes[i..]
                        .iter()
                        .position(|&c| c == '}')
                        .map_or(bytes.len(), |p| i + p);
                    let inner: String = bytes[i + 1..end].iter().collect();
                    for member in inner.split(',') {
                        let first = member.trim().split("::").next().unwrap_or("").trim();
                        if !first.is_empty() {
                            let mut path = segments.clone();
                            path.push(first.to_string());
                            found.push(path);
                        }
                    }
                    segments.clear();
                    break;
                }
                if i < bytes.len() && (bytes[i].is_alphabetic() || bytes[i] == '_') {
                    continue;
                }
            }
            break;
        }
        if segments.len() > 1 {
            found.push(segments);
        }
    }
    found
}

/// The module a path names, resolved against `here`: the longest module prefix.
fn target(
    here: &[String],
    is_mod_file: bool,
    path: &[String],
    children: &BTreeSet<String>,
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let mut absolute: Vec<String> = match path[0].as_str() {
        "crate" => vec![],
        "super" => {
            // In `a/b.rs` super is `a`; in `a/b/mod.rs` (module a::b) it is `a` too.
            let mut base = here.to_vec();
            base.pop();
            let mut rest = &path[1..];
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return longest_module(&base, modules);
        }
        "self" => here.to_vec(),
        first if is_mod_file && children.contains(first) => {
            let mut base = here.to_vec();
            base.extend(path.iter().cloned());
            return longest_module(&base, modules);
        }
        _ => return None,
    };
    absolute.extend(path[1..].iter().cloned());
    longest_module(&absolute, modules)
}

fn longest_module(
    path: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains_key(prefix))
}

fn uses(modules: &BTreeMap<Vec<String>, PathBuf>) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut graph = BTreeMap::new();
    for (module, file) in modules {
        let text = fs::read_to_string(file).unwrap();
        let is_mod_file = file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let children: BTreeSet<String> = text
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                let l = l
                    .strip_prefix("pub ")
                    .or(l.strip_prefix("pub(crate) "))
                    .unwrap_or(l);
                l.strip_prefix("mod ")?
                    .strip_suffix(';')
                    .map(str::to_string)
            })
            .collect();
        let code = code_only(&text);
        // Test modules may reach anywhere: they are not part of the dependency order.
        let code = code.split("#[cfg(test)]").next().unwrap_or("");
        let mut targets = BTreeSet::new();
        for path in paths(code) {
            if let Some(t) = target(module, is_mod_file, &path, &children, modules)
                && &t != module
                && !module.is_empty()
            {
                targets.insert(t);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// A cycle through `start`, if any, as the modules along it.
fn cycle_from(
    graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    start: &Vec<String>,
) -> Option<Vec<Vec<String>>> {
    let mut stack = vec![(start.clone(), vec![start.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((node, trail)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                return Some(trail.clone());
            }
            if seen.insert(next.clone()) {
                let mut longer = trail.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn library_modules_have_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = library_modules(&src);
    assert!(modules.len() > 20, "modules found: {modules:?}");
    let graph = uses(&modules);
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn paths_are_found_in_code_and_groups() {
    let found = paths("use crate::a::{b::C, d};\nlet x = super::e::f(crate::g::H);");
    let joined: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert!(joined.contains(&"crate::a::b".to_string()), "{joined:?}");
    assert!(joined.contains(&"crate::a::d".to_string()), "{joined:?}");
    assert!(joined.contains(&"super::e::f".to_string()), "{joined:?}");
    assert!(joined.contains(&"crate::g::H".to_string()), "{joined:?}");
}
