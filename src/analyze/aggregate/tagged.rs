//! Tagged JSONL (what `gaztag tag` writes) read back into [`TaggedDoc`]s.

use std::path::Path;

use super::{EntityTable, TaggedDoc, TaggedMention};
use crate::io::input::InputError;
use crate::io::record::{OwnedRecord, read_records};

/// Reads every tagged JSONL input in order (`-` is stdin), handing each document to
/// `each`, its entities interned in `entities`. Failures are as for
/// `io::record::read_records`, which this reads with; a record with a mention that has no id is
/// one (there is nothing to count it under). Returns the number of failures.
pub fn read_tagged<P: AsRef<Path>>(
    inputs: &[P],
    limit: u64,
    entities: &mut EntityTable,
    on_failure: impl FnMut(&InputError),
    mut each: impl FnMut(&TaggedDoc, &EntityTable),
) -> u64 {
    read_records(inputs, limit, on_failure, |record| {
        let doc = to_doc(record, entities)?;
        each(&doc, entities);
        Ok(())
    })
}

fn to_doc(record: OwnedRecord, entities: &mut EntityTable) -> Result<TaggedDoc, String> {
    // Checked before any is interned: a refused record adds no entity.
    for m in &record.entities {
        m.id()?;
    }
    let mentions = record
        .entities
        .into_iter()
        .map(|m| TaggedMention {
            entity: entities.intern(
                m.id.as_deref().unwrap_or_default(),
                &m.name,
                &m.kind,
                &m.attrs,
            ),
            text: m.text.into_owned(),
            start: m.start,
            end: m.end,
            sentence: m.sentence as u64,
            token: m.token as u64,
        })
        .collect();
    Ok(TaggedDoc {
        name: record.doc.into_owned(),
        text: None,
        meta: record.meta.map(|m| m.into_owned()),
        mentions,
    })
}
