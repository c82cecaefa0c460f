//! `suggest --accept`: the rules for adding reviewed suggestions to a gazetteer.
//!
//! Ids must be new: an entry that reuses one would silently stand for two entities. An
//! alias the gazetteer already knows is allowed but warned about, since it makes that
//! name ambiguous between the two entities.

use std::collections::{BTreeMap, HashMap};

use crate::gazetteer::Entity;

/// Why reviewed suggestions cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptError {
    /// Entries whose id the gazetteer already has, one message each
    /// (`id "x" is already the gazetteer's "X"`).
    #[error("{}", .0.join("; "))]
    IdsTaken(Vec<String>),
    #[error("no entities to add")]
    Empty,
}

/// What adding the suggestions did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accepted {
    /// Names of an added entry that an entity already had:
    /// `"Form" of new-id is also a name of old-id`.
    pub shared_names: Vec<String>,
    /// Entities added, per type.
    pub per_type: BTreeMap<String, usize>,
    /// Entities the gazetteer had before.
    pub before: usize,
}

impl Accepted {
    /// How many entities were added.
    pub fn count(&self) -> usize {
        self.per_type.values().sum()
    }
}

/// Appends `added` to `entities`, or refuses them all (nothing is appended then).
pub fn accept(entities: &mut Vec<Entity>, added: Vec<Entity>) -> Result<Accepted, AcceptError> {
    let taken = taken_ids(entities, &added);
    if !taken.is_empty() {
        return Err(AcceptError::IdsTaken(taken));
    }
    let shared_names = shared_names(entities, &added);
    if added.is_empty() {
        return Err(AcceptError::Empty);
    }
    let mut per_type = BTreeMap::new();
    for e in &added {
        *per_type.entry(e.kind.to_string()).or_default() += 1;
    }
    let before = entities.len();
    entities.extend(added);
    Ok(Accepted {
        shared_names,
        per_type,
        before,
    })
}

fn taken_ids(entities: &[Entity], added: &[Entity]) -> Vec<String> {
    let ids: HashMap<&str, &str> = entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    added
        .iter()
        .filter_map(|e| {
            let name = ids.get(e.id.as_str())?;
            Some(format!("id {:?} is already the gazetteer's {name:?}", e.id))
        })
        .collect()
}

/// Forms compare lowercased; the first entity holding a form names it.
fn shared_names(entities: &[Entity], added: &[Entity]) -> Vec<String> {
    let mut known: HashMap<String, &str> = HashMap::new();
    for e in entities {
        for form in e.surface_forms() {
            known.entry(form.to_lowercase()).or_insert(&e.id);
        }
    }
    let mut shared = Vec::new();
    for e in added {
        for form in e.surface_forms() {
            if let Some(other) = known.get(&form.to_lowercase()) {
                shared.push(format!("{form:?} of {} is also a name of {other}", e.id));
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(id: &str, name: &str, kind: &str) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            aliases: Vec::new(),
            attrs: BTreeMap::new(),
            prior: None,
        }
    }

    #[test]
    fn new_ids_are_added_and_shared_names_warned_about() {
        let mut entities = vec![entity("paris", "Paris", "LOC")];
        let added = vec![
            entity("paris-hilton", "Paris Hilton", "PER"),
            entity("paris-2", "PARIS", "ORG"),
        ];
        let accepted = accept(&mut entities, added).unwrap();
        assert_eq!(entities.len(), 3);
        assert_eq!((accepted.before, accepted.count()), (1, 2));
        assert_eq!(
            accepted.shared_names,
            [r#""PARIS" of paris-2 is also a name of paris"#]
        );
    }

    #[test]
    fn a_taken_id_refuses_everything() {
        let mut entities = vec![entity("paris", "Paris", "LOC")];
        let added = vec![entity("paris", "Paris Hilton", "PER")];
        assert_eq!(
            accept(&mut entities, added),
            Err(AcceptError::IdsTaken(vec![
                r#"id "paris" is already the gazetteer's "Paris""#.into()
            ]))
        );
        assert_eq!(entities.len(), 1);
        assert_eq!(accept(&mut entities, vec![]), Err(AcceptError::Empty));
    }
}
