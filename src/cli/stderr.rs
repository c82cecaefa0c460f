//! The one way to stderr: every message goes through [`print`] (the `say!` macro).
//!
//! Messages carry file names and document ids, which anyone who writes an input
//! controls; printed raw, an id like `"\u001b]0;x\u0007"` retitles the user's terminal,
//! and other escape sequences can hide or fake lines. So control characters (C0 but
//! the newline, DEL and C1) are shown escaped, as ripgrep shows paths: `\x1b`, `\t`,
//! `\u{9b}`. gaztag writes no colour codes of its own to stderr, so nothing legitimate
//! is lost; the progress bar (indicatif) draws apart, and clap's messages are handled
//! in [`parse`](super::parse).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::Write as _;

/// `text` with every control character but the newline escaped.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii() && is_unsafe(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Control characters a terminal may act on; the newline separates our own lines.
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n'
}

/// Prints one message and a newline on stderr, its control characters escaped. A
/// failed write (stderr closed) is ignored, as `eprintln!` cannot be asked to.
pub fn print(message: fmt::Arguments) {
    let text = match message.as_str() {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(message.to_string()),
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", escape_controls(&text));
}

/// Prints `bytes` (a table, several lines) on stderr, escaped as [`print`] does.
pub fn print_block(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = std::io::stderr().write_all(escape_controls(&text).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn controls_are_escaped_but_newlines_and_text_kept() {
        assert_eq!(
            escape_controls("a\u{1b}]0;x\u{7}b\tc\rd\u{7f}\u{9b}31m\ne é"),
            "a\\x1b]0;x\\x07b\\tc\\rd\\x7f\\u{9b}31m\ne é"
        );
        assert!(matches!(
            escape_controls("plain\nlines"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Every message to stderr goes through this module: a plain `eprintln!` elsewhere
    /// would print file names and ids raw.
    #[test]
    fn nothing_else_writes_to_stderr() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("cli/stderr.rs") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for (i, line) in text.lines().enumerate() {
                if ["eprintln!", "eprint!", "io::stderr()"]
                    .iter()
                    .any(|p| line.contains(p))
                    && !line.contains("is_terminal()")
                {
                    offenders.push(format!("{}:{}: {line}", path.display(), i + 1));
                }
            }
        }
        assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    }
}
