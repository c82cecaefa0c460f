//! Reporting: entity frequency tables, printed for people after a run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::gazetteer::Entity;
use crate::matcher::Mention;

/// Mention and document counts per entity, accumulated one document at a time.
#[derive(Debug, Clone, Default)]
pub struct Frequencies {
    mentions: Vec<u64>,
    documents: Vec<u64>,
    /// Documents with at least one mention of each type.
    documents_by_type: BTreeMap<String, u64>,
    /// Scratch: the last document that counted each entity, to count it once per document.
    last_seen: Vec<u64>,
    document_count: u64,
}

/// One row of the frequency table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    pub entity: &'a Entity,
    pub mentions: u64,
    pub documents: u64,
}

/// The totals line of one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeTotal {
    pub kind: String,
    pub entities: u64,
    pub mentions: u64,
    pub documents: u64,
}

impl Frequencies {
    pub fn new(entity_count: usize) -> Frequencies {
        Frequencies {
            mentions: vec![0; entity_count],
            documents: vec![0; entity_count],
            documents_by_type: BTreeMap::new(),
            last_seen: vec![0; entity_count],
            document_count: 0,
        }
    }

    pub fn add_document(&mut self, mentions: &[Mention], entities: &[Entity]) {
        self.document_count += 1;
        let stamp = self.document_count;
        let mut types: Vec<&str> = Vec::new();
        for m in mentions {
            self.mentions[m.entity] += 1;
            if self.last_seen[m.entity] != stamp {
                self.last_seen[m.entity] = stamp;
                self.documents[m.entity] += 1;
                let kind = entities[m.entity].kind.as_str();
                if !types.contains(&kind) {
                    types.push(kind);
                }
            }
        }
        for kind in types {
            *self.documents_by_type.entry(kind.to_string()).or_default() += 1;
        }
    }

    /// Mentioned entities, most mentioned first (then most documents, then id).
    pub fn rows<'a>(&self, entities: &'a [Entity]) -> Vec<Row<'a>> {
        let mut rows: Vec<Row<'a>> = entities
            .iter()
            .enumerate()
            .filter(|(i, _)| self.mentions[*i] > 0)
            .map(|(i, entity)| Row {
                entity,
                mentions: self.mentions[i],
                documents: self.documents[i],
            })
            .collect();
        rows.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then(b.documents.cmp(&a.documents))
                .then(a.entity.id.cmp(&b.entity.id))
        });
        rows
    }

    /// One line per type, in label order.
    pub fn totals(&self, entities: &[Entity]) -> Vec<TypeTotal> {
        let mut totals: BTreeMap<&str, TypeTotal> = BTreeMap::new();
        for row in self.rows(entities) {
            let kind = row.entity.kind.as_str();
            let t = totals.entry(kind).or_insert_with(|| TypeTotal {
                kind: kind.to_string(),
                entities: 0,
                mentions: 0,
                documents: self.documents_by_type.get(kind).copied().unwrap_or(0),
            });
            t.entities += 1;
            t.mentions += row.mentions;
        }
        totals.into_values().collect()
    }

    /// The table printed by `gaztag tag --stats`.
    pub fn render(&self, entities: &[Entity]) -> String {
        let rows = self.rows(entities);
        let totals = self.totals(entities);
        let mut lines: Vec<[String; 4]> = vec![[
            "TYPE".into(),
            "NAME".into(),
            "MENTIONS".into(),
            "DOCS".into(),
        ]];
        for r in &rows {
            lines.push([
                r.entity.kind.clone(),
                r.entity.name.clone(),
                r.mentions.to_string(),
                r.documents.to_string(),
            ]);
        }
        let table_end = lines.len();
        for t in &totals {
            lines.push([
                t.kind.clone(),
                format!("total ({} entities)", t.entities),
                t.mentions.to_string(),
                t.documents.to_string(),
            ]);
        }
        let width = |col: usize| {
            lines
                .iter()
                .map(|l| l[col].chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2), width(3)];
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            if i == table_end {
                let total_width = widths.iter().sum::<usize>() + 6;
                let _ = writeln!(out, "{}", "-".repeat(total_width));
            }
            let _ = writeln!(
                out,
                "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}",
                l[0],
                l[1],
                l[2],
                l[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3]
            );
        }
        let _ = writeln!(out, "{} documents", self.document_count);
        out
    }
}

/// `25310` → `25,310`: counts read at a glance.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(id: &str, kind: &str) -> Entity {
        Entity {
            id: id.into(),
            name: id.to_uppercase(),
            kind: kind.into(),
            aliases: vec![],
            attrs: BTreeMap::new(),
        }
    }

    fn mention(entity: usize) -> Mention {
        Mention {
            entity,
            start: 0,
            end: 1,
            char_start: 0,
            char_end: 1,
            sentence: 0,
            token: 0,
        }
    }

    #[test]
    fn counts_mentions_and_documents_once_per_document() {
        let entities = vec![entity("a", "PER"), entity("b", "LOC"), entity("c", "PER")];
        let mut f = Frequencies::new(3);
        f.add_document(&[mention(0), mention(0), mention(1)], &entities);
        f.add_document(&[mention(1)], &entities);
        f.add_document(&[mention(2)], &entities);
        let rows: Vec<(&str, u64, u64)> = f
            .rows(&entities)
            .iter()
            .map(|r| (r.entity.id.as_str(), r.mentions, r.documents))
            .collect();
        assert_eq!(rows, [("b", 2, 2), ("a", 2, 1), ("c", 1, 1)]);
        let totals = f.totals(&entities);
        assert_eq!(totals[0].kind, "LOC");
        assert_eq!((totals[0].mentions, totals[0].documents), (2, 2));
        assert_eq!(
            (totals[1].entities, totals[1].mentions, totals[1].documents),
            (2, 3, 2)
        );
        let table = f.render(&entities);
        assert!(
            table.lines().nth(1).unwrap().starts_with("LOC   B"),
            "{table}"
        );
        assert!(table.contains("total (2 entities)"));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(25310), "25,310");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
