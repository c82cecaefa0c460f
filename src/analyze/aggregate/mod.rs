//! Aggregation: exact, mergeable counts over a tagged corpus.
//!
//! Counts are kept per entity and per pair (never per document), keyed by an index into
//! an [`EntityTable`]. Reports sort by ids, never by table order, so the same counts give
//! byte-identical reports however they were gathered: in one run, or in shards whose
//! partial counts were saved and merged ([`partial`]).

pub mod cooc;
pub mod partial;
pub mod stats;
pub mod tagged;

use std::collections::{BTreeMap, HashMap};

use crate::gazetteer::{Entity, Kind};
use crate::tag::matcher::EntityRef;

/// The entities met so far, interned by id.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    entities: Vec<Entity>,
    index: HashMap<String, usize>,
}

impl EntityTable {
    /// A table holding `entities` at their own indices (for tagging on the fly).
    pub fn from_entities(entities: &[Entity]) -> EntityTable {
        let mut table = EntityTable::default();
        for e in entities {
            table.intern(&e.id, &e.name, e.kind.as_str(), &e.attrs);
        }
        table
    }

    /// The index of `id`, adding it with this name, type and attributes if new. The
    /// first description of an id wins.
    pub(crate) fn intern(
        &mut self,
        id: &str,
        name: &str,
        kind: &str,
        attrs: &BTreeMap<String, String>,
    ) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        self.entities.push(Entity {
            id: id.to_string(),
            name: name.to_string(),
            kind: Kind::from(kind),
            aliases: Vec::new(),
            attrs: attrs.clone(),
            prior: None,
        });
        self.index.insert(id.to_string(), self.entities.len() - 1);
        self.entities.len() - 1
    }

    pub(crate) fn get(&self, index: usize) -> &Entity {
        &self.entities[index]
    }

    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.entities.len()
    }
}

/// One document as the aggregator sees it: its metadata and its mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaggedDoc {
    /// The document's id (`doc` of a tagged record).
    pub name: String,
    /// The document's text, when it is at hand (tagging on the fly): the HTML report
    /// shows mentions in context from it. Tagged JSONL carries none.
    pub text: Option<String>,
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    pub(crate) mentions: Vec<TaggedMention>,
}

impl TaggedDoc {
    /// The aggregator's view of a document just tagged: gazetteer entities keep the
    /// tagger's indices (which [`EntityTable::from_entities`] preserves); discovered
    /// ones are interned by id.
    pub fn from_mentions(
        doc: &crate::io::input::Document,
        mentions: &[crate::tag::matcher::Mention],
        table: &mut EntityTable,
    ) -> TaggedDoc {
        TaggedDoc {
            name: doc.name.clone(),
            text: None,
            meta: doc.meta.clone(),
            mentions: mentions
                .iter()
                .map(|m| TaggedMention {
                    entity: match &m.entity {
                        EntityRef::Gazetteer(i) => *i,
                        EntityRef::Discovered(e) => {
                            table.intern(&e.id, &e.name, e.kind.as_str(), &e.attrs)
                        }
                    },
                    text: doc.text[m.start..m.end].to_string(),
                    start: m.start,
                    end: m.end,
                    sentence: m.sentence as u64,
                    token: m.token as u64,
                })
                .collect(),
        }
    }
}

/// A mention reduced to what counting needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaggedMention {
    /// Index into the [`EntityTable`].
    pub entity: usize,
    /// The surface text, for the most frequent form.
    pub text: String,
    /// Byte offsets into the document's text.
    pub start: usize,
    pub end: usize,
    pub sentence: u64,
    pub token: u64,
}
