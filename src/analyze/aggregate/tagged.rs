//! Reading tagged JSONL (what `gaztag tag` writes) back into [`TaggedDoc`]s.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{EntityTable, TaggedDoc, TaggedMention};
use crate::io::input::{
    InputError, STDIN, human_size, line_error, line_length, message_without_position,
    open_decompressed, read_line_capped, skip_line, stdin_decompressed, without_line_end,
};

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    doc: String,
    entities: Vec<RecordMention>,
    #[serde(default)]
    meta: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct RecordMention {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    text: String,
    #[serde(default)]
    start: usize,
    #[serde(default)]
    end: usize,
    sentence: u64,
    token: u64,
    #[serde(default)]
    attrs: BTreeMap<String, String>,
}

/// Reads every tagged JSONL input in order (`-` is stdin), handing each document to
/// `each`. A malformed line is passed to `on_failure` (with file and line) and skipped;
/// an unreadable file likewise. Returns the number of failures.
/// Paths that are not valid UTF-8 are read as any other, and named lossily. A record
/// line over `limit` bytes is skipped, read no further than that (as a document over
/// `--max-document-size`); a NUL byte ends its file (binary data, or `/dev/zero`).
pub fn read_tagged<P: AsRef<Path>>(
    inputs: &[P],
    limit: u64,
    entities: &mut EntityTable,
    mut on_failure: impl FnMut(&InputError),
    mut each: impl FnMut(&TaggedDoc, &EntityTable),
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
        failures += read_one(&label, reader, limit, entities, &mut on_failure, &mut each);
    }
    failures
}

fn read_one(
    label: &str,
    mut reader: Box<dyn BufRead>,
    limit: u64,
    entities: &mut EntityTable,
    on_failure: &mut impl FnMut(&InputError),
    each: &mut impl FnMut(&TaggedDoc, &EntityTable),
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
        match serde_json::from_slice::<Record>(without_line_end(&line)) {
            Ok(record) => each(&to_doc(record, entities), entities),
            Err(err) => {
                failures += 1;
                let message = format!("not a gaztag record: {}", message_without_position(&err));
                on_failure(&line_error(label, number, message, &err, |column| column));
            }
        }
    }
}

fn to_doc(record: Record, entities: &mut EntityTable) -> TaggedDoc {
    let mentions = record
        .entities
        .into_iter()
        .map(|m| TaggedMention {
            entity: entities.intern(&m.id, &m.name, &m.kind, &m.attrs),
            text: m.text,
            start: m.start,
            end: m.end,
            sentence: m.sentence,
            token: m.token,
        })
        .collect();
    TaggedDoc {
        name: record.doc,
        text: None,
        meta: record.meta,
        mentions,
    }
}
