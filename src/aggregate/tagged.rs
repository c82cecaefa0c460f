//! Reading tagged JSONL (what `gaztag tag` writes) back into [`TaggedDoc`]s.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{EntityTable, TaggedDoc, TaggedMention};
use crate::input::{
    InputError, STDIN, line_error, message_without_position, open_decompressed, stdin_decompressed,
    without_line_end,
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
pub fn read_tagged(
    inputs: &[String],
    entities: &mut EntityTable,
    mut on_failure: impl FnMut(&InputError),
    mut each: impl FnMut(&TaggedDoc, &EntityTable),
) -> u64 {
    let stdin = [STDIN.to_string()];
    let inputs = if inputs.is_empty() {
        &stdin[..]
    } else {
        inputs
    };
    let mut failures = 0;
    for input in inputs {
        let opened = if input == STDIN {
            stdin_decompressed().map(|r| Box::new(r) as Box<dyn BufRead>)
        } else {
            open_decompressed(Path::new(input))
                .map(|r| Box::new(BufReader::with_capacity(1 << 16, r)) as Box<dyn BufRead>)
        };
        let reader = match opened {
            Ok(reader) => reader,
            Err(source) => {
                failures += 1;
                on_failure(&InputError::Io {
                    path: input.clone(),
                    source,
                });
                continue;
            }
        };
        failures += read_one(input, reader, entities, &mut on_failure, &mut each);
    }
    failures
}

fn read_one(
    label: &str,
    mut reader: Box<dyn BufRead>,
    entities: &mut EntityTable,
    on_failure: &mut impl FnMut(&InputError),
    each: &mut impl FnMut(&TaggedDoc, &EntityTable),
) -> u64 {
    let mut failures = 0;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
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
