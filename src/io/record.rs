//! The tagged record: one JSON line per document, as `gaztag tag` writes it and as
//! `stats`, `cooc`, `report` and `eval` read it back. One type for both directions, so
//! the reader can never drift from the writer; one reader, so every command reads
//! compressed files, stdin, over-long lines and binary data alike.
//!
//! Text fields are [`Cow`]s: the writer borrows everything from the tagger and the
//! document (a record costs no copy of a name), the reader owns what it parsed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::io::input::{
    InputError, STDIN, human_size, json_message, line_error, line_length, open_decompressed,
    read_line_capped, skip_line, stdin_decompressed, without_line_end,
};

/// One tagged document. Fields are written in this order, empty optional ones left out
/// (the order and the omissions are part of the output contract: README "Output").
///
/// `M` is the list of mentions: a [`Vec`] when read; the writer passes a sequence that
/// converts mentions as it serializes them, so a huge document's mentions are never
/// gathered twice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaggedRecord<'a, M = Vec<RecordMention<'a>>> {
    /// The document's name. Read as empty when missing.
    #[serde(default)]
    pub doc: Cow<'a, str>,
    pub entities: M,
    /// The input line's other fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Cow<'a, Map<String, Value>>>,
    /// Problems met reading the document.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub warnings: Cow<'a, [String]>,
}

/// One mention of a [`TaggedRecord`].
///
/// Reading is lenient where other tools' JSONL may lack a field that a command does
/// not need: `eval` scores any JSONL with `char_start`, `char_end` and `type`, `stats`
/// counts any with `id` and `type`. Missing numbers read as 0, missing texts as empty;
/// `id` and the character offsets are options so that the command needing them can
/// refuse a record without them ([`RecordMention::id`], [`RecordMention::char_span`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordMention<'a> {
    /// The entity's canonical id (`discovered:…` for a discovered name).
    #[serde(default)]
    pub id: Option<Cow<'a, str>>,
    #[serde(default)]
    pub name: Cow<'a, str>,
    #[serde(rename = "type")]
    pub kind: Cow<'a, str>,
    /// The mention as written in the text.
    #[serde(default)]
    pub text: Cow<'a, str>,
    /// Byte offsets into the original text.
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub end: usize,
    /// Code point offsets.
    #[serde(default)]
    pub char_start: Option<usize>,
    #[serde(default)]
    pub char_end: Option<usize>,
    #[serde(default)]
    pub sentence: usize,
    #[serde(default)]
    pub token: usize,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub attrs: Cow<'a, BTreeMap<String, String>>,
    /// Ids of every entity that fitted, when the choice was not trivial.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Cow<'a, str>>,
}

impl RecordMention<'_> {
    /// The id, which counting needs: a mention without one is no gaztag mention.
    pub fn id(&self) -> Result<&str, String> {
        self.id
            .as_deref()
            .ok_or_else(|| not_a_record("a mention has no \"id\""))
    }

    /// `(char_start, char_end)`, which scoring needs.
    pub fn char_span(&self) -> Result<(usize, usize), String> {
        match (self.char_start, self.char_end) {
            (Some(start), Some(end)) => Ok((start, end)),
            _ => Err(not_a_record(
                "a mention has no \"char_start\" and \"char_end\"",
            )),
        }
    }
}

// serde hands `skip_serializing_if` the field itself.
#[allow(clippy::ptr_arg)]
fn is_empty(warnings: &Cow<'_, [String]>) -> bool {
    warnings.is_empty()
}

#[allow(clippy::ptr_arg)]
fn is_empty_map(attrs: &Cow<'_, BTreeMap<String, String>>) -> bool {
    attrs.is_empty()
}

/// A record as read: everything owned.
pub type OwnedRecord = TaggedRecord<'static>;

/// Reads every tagged JSONL input in order (`-` is stdin; none is stdin), handing each
/// record to `each`. `.gz` and `.zst` files, and compressed stdin, are decompressed.
///
/// A line that is not a record is passed to `on_failure` at `FILE:LINE:COLUMN` and
/// skipped, and so is a record `each` refuses (its `Err` says why, at `FILE:LINE`:
/// [`RecordMention::id`] and [`RecordMention::char_span`] say "not a gaztag record"); an
/// unreadable file likewise. Returns the number of failures. A line over `limit` bytes
/// is skipped, read no further than that (as a document over `--max-document-size`); a
/// NUL byte ends its file (binary data, or `/dev/zero`). Paths that are not valid UTF-8
/// are read as any other, and named lossily.
pub fn read_records<P: AsRef<Path>>(
    inputs: &[P],
    limit: u64,
    mut on_failure: impl FnMut(&InputError),
    mut each: impl FnMut(OwnedRecord) -> Result<(), String>,
) -> u64 {
    let mut inputs: Vec<&Path> = inputs.iter().map(AsRef::as_ref).collect();
    if inputs.is_empty() {
        inputs.push(Path::new(STDIN));
    }
    let mut failures = 0;
    for input in inputs {
        let label = input.display().to_string();
        let opened = if input.as_os_str() == STDIN {
            stdin_decompressed().map(|r| Box::new(r) as Box<dyn BufRead>)
        } else {
            open_decompressed(input)
                .map(|r| Box::new(BufReader::with_capacity(1 << 16, r)) as Box<dyn BufRead>)
        };
        let reader = match opened {
            Ok(reader) => reader,
            Err(source) => {
                failures += 1;
                on_failure(&InputError::Io {
                    path: label,
                    source,
                });
                continue;
            }
        };
        failures += read_one(&label, reader, limit, &mut on_failure, &mut each);
    }
    failures
}

fn read_one(
    label: &str,
    mut reader: Box<dyn BufRead>,
    limit: u64,
    on_failure: &mut impl FnMut(&InputError),
    each: &mut impl FnMut(OwnedRecord) -> Result<(), String>,
) -> u64 {
    let mut failures = 0;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        match read_line_capped(&mut reader, &mut line, limit) {
            Ok(0) => return failures,
            Ok(_) => number += 1,
            Err(source) => {
                on_failure(&InputError::Io {
                    path: label.to_string(),
                    source,
                });
                return failures + 1;
            }
        }
        let at_line = |message: String| InputError::Line {
            path: label.to_string(),
            line: number,
            message,
        };
        if memchr::memchr(0, &line).is_some() {
            on_failure(&at_line(
                "NUL byte: binary data, the rest of the file is skipped".into(),
            ));
            return failures + 1;
        }
        if line_length(&line) > limit {
            failures += 1;
            on_failure(&at_line(format!(
                "record longer than {} (--max-document-size), skipped",
                human_size(limit)
            )));
            match skip_line(&mut reader) {
                Ok((_, None)) => continue,
                _ => return failures,
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let refused = match serde_json::from_slice::<OwnedRecord>(without_line_end(&line)) {
            Ok(record) => each(record).err().map(at_line),
            Err(err) => {
                let message = json_message(&err, |m| not_a_record(&m));
                Some(line_error(label, number, message, &err, |column| column))
            }
        };
        if let Some(error) = refused {
            failures += 1;
            on_failure(&error);
        }
    }
}

fn not_a_record(why: &str) -> String {
    format!("not a gaztag record: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_record_reads_back_and_writes_the_same_bytes() {
        let line = concat!(
            r#"{"doc":"a.txt","entities":[{"id":"almaty","name":"Almaty","type":"LOC","#,
            r#""text":"Almaty","start":3,"end":9,"char_start":3,"char_end":9,"#,
            r#""sentence":0,"token":1,"attrs":{"country":"KZ"},"candidates":["almaty","almaty-2"]}],"#,
            r#""meta":{"date":"2022-01-10"},"warnings":["w"]}"#
        );
        let record: OwnedRecord = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
        let bare = r#"{"doc":"b","entities":[]}"#;
        let record: OwnedRecord = serde_json::from_str(bare).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), bare);
    }

    #[test]
    fn other_tools_spans_read_with_what_they_have() {
        let line = r#"{"doc":"a","entities":[{"char_start":0,"char_end":5,"type":"PER"}]}"#;
        let record: OwnedRecord = serde_json::from_str(line).unwrap();
        let m = &record.entities[0];
        assert_eq!(m.char_span(), Ok((0, 5)));
        assert!(m.id().is_err());
    }
}
