//! YAML gazetteers (and the embedded default set, the same files converted to JSON at
//! build time).
//!
//! Validation happens while deserializing, inside serde visitors, so that every error
//! carries the line and column where the YAML parser stood (serde_yaml attaches the
//! position of the value being visited to errors raised from its visitor).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::depth;
use super::model::{Entity, GazetteerError, IdMap, Kind};
use super::validation::{
    check_attr_key, check_attr_value, check_id, check_prior, check_surface, is_one_letter,
    is_type_label,
};

/// Reads one YAML gazetteer, checking its ids against (and adding them to) `seen`.
pub(super) fn read(
    path: &Path,
    yaml: &str,
    seen: &mut IdMap,
) -> Result<Vec<Entity>, GazetteerError> {
    if let Some((line, column)) = depth::too_deep(yaml) {
        return Err(GazetteerError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "nested more than {} levels deep (a gazetteer needs 3)",
                depth::MAX_FLOW_DEPTH
            ),
        });
    }
    let raw = with_id_registry(seen, path, || serde_yaml::from_str::<RawFile>(yaml))
        .map_err(|err| yaml_error(path, err))?;
    Ok(entities(raw))
}

/// Reads the embedded set: one `PATH<TAB>JSON` line per file. Files parse
/// independently, on all cores; ids are then checked in file order.
pub(super) fn read_embedded(set: &str, seen: &mut IdMap) -> Result<Vec<Entity>, GazetteerError> {
    let lines: Vec<&str> = set.lines().collect();
    let parsed: Vec<(PathBuf, RawFile)> = lines
        .par_iter()
        .map(|line| {
            let (label, json) = line.split_once('\t').unwrap_or((line, ""));
            let path = Path::new("<embedded>").join(label);
            match serde_json::from_str::<RawFile>(json) {
                Ok(raw) => Ok((path, raw)),
                Err(err) => Err(GazetteerError::InvalidNoLocation {
                    path,
                    message: err.to_string(),
                }),
            }
        })
        .collect::<Result<_, _>>()?;
    let mut all = Vec::new();
    for (path, raw) in parsed {
        let shared: Arc<Path> = Arc::from(path.as_path());
        for CheckedEntity(e) in &raw.entities {
            if let Some(first) = seen.insert(e.id.0.clone(), shared.clone()) {
                return Err(GazetteerError::InvalidNoLocation {
                    path,
                    message: format!(
                        "duplicate id {:?}: already defined in {}",
                        e.id.0,
                        first.display()
                    ),
                });
            }
        }
        all.extend(entities(raw));
    }
    Ok(all)
}

/// The entities of a parsed file: the file's type where an entity has none, and the
/// aliases without the name or repeats.
fn entities(raw: RawFile) -> Vec<Entity> {
    let mut out = Vec::with_capacity(raw.entities.len());
    for CheckedEntity(e) in raw.entities {
        let name = e.name.0;
        let mut aliases: Vec<String> = Vec::with_capacity(e.aliases.len());
        for alias in e.aliases {
            if alias.0 != name && !aliases.contains(&alias.0) {
                aliases.push(alias.0);
            }
        }
        out.push(Entity {
            id: e.id.0,
            name,
            kind: Kind::from(e.kind.unwrap_or_else(|| raw.kind.clone()).0),
            aliases,
            attrs: e.attrs.into_iter().map(|(k, v)| (k.0, v.0)).collect(),
            prior: e.prior.map(|p| p.0),
        });
    }
    out
}

fn yaml_error(path: &Path, err: serde_yaml::Error) -> GazetteerError {
    let message = strip_location_suffix(&err.to_string());
    match err.location() {
        Some(loc) => GazetteerError::Invalid {
            path: path.to_path_buf(),
            line: loc.line(),
            column: loc.column(),
            message,
        },
        None => GazetteerError::InvalidNoLocation {
            path: path.to_path_buf(),
            message,
        },
    }
}

/// serde_yaml puts " at line L column C" into its messages (at the end, or before a
/// clause such as ", while scanning a quoted scalar"); we print the location as
/// `file:line:column:` in front instead, as compilers do.
fn strip_location_suffix(message: &str) -> String {
    let Some(pos) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[pos + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(" column ").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{rest}", &message[..pos])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(rename = "type")]
    kind: TypeLabel,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    entities: Vec<CheckedEntity>,
}

/// An entity whose fields have been checked together: a one-letter name or alias
/// ("A", "X") would fire on initials and list markers all over news text, so it needs
/// the entity's explicit `allow_one_letter: true`. The check runs inside the visit of
/// the entity's mapping, so serde_yaml gives its error the entity's line and column.
struct CheckedEntity(RawEntity);

impl<'de> Deserialize<'de> for CheckedEntity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CheckedEntity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an entity (a mapping with id and name)")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<CheckedEntity, A::Error> {
                let e = RawEntity::deserialize(de::value::MapAccessDeserializer::new(map))?;
                check_one_letter(&e).map_err(de::Error::custom)?;
                Ok(CheckedEntity(e))
            }
        }
        d.deserialize_map(V)
    }
}

fn check_one_letter(e: &RawEntity) -> Result<(), String> {
    if e.allow_one_letter {
        return Ok(());
    }
    let mut surfaces = std::iter::once(&e.name).chain(&e.aliases).map(|s| &s.0);
    match surfaces.find(|s| is_one_letter(s)) {
        Some(short) => Err(format!(
            "entity {:?}: {short:?} is one letter, which matches initials and list markers \
             everywhere; set `allow_one_letter: true` on the entity to keep it",
            e.id.0
        )),
        None => Ok(()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: EntityId,
    name: Surface,
    #[serde(default)]
    aliases: Vec<Surface>,
    #[serde(rename = "type", default)]
    kind: Option<TypeLabel>,
    #[serde(default)]
    attrs: BTreeMap<AttrKey, AttrValue>,
    #[serde(default)]
    prior: Option<Prior>,
    #[serde(default)]
    allow_one_letter: bool,
}

/// A finite `prior` (`.nan`, `.inf` and `1e999` are errors at their position).
struct Prior(f64);

impl<'de> Deserialize<'de> for Prior {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Prior;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a finite number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Prior, E> {
                check_prior(v).map(Prior).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Prior, E> {
                Ok(Prior(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Prior, E> {
                Ok(Prior(v as f64))
            }
        }
        d.deserialize_f64(V)
    }
}

/// An attribute name, checked at its own position in the file.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct AttrKey(String);

impl<'de> Deserialize<'de> for AttrKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an attribute name",
            check: |s| check_attr_key(s).map(|()| AttrKey(s.to_string())),
        })
    }
}

/// An attribute value: a string, or a number or boolean taken as its text, so that
/// `population: 2000000` means what it says whichever parser read it.
struct AttrValue(String);

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean attribute value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttrValue, E> {
                check_attr_value(v)
                    .map(|()| AttrValue(v.to_string()))
                    .map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AttrValue, E> {
                Ok(AttrValue(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A type label: an uppercase ASCII word such as `PER`, `ORG`, `LOC` or `EVENT`.
#[derive(Clone)]
struct TypeLabel(String);

impl<'de> Deserialize<'de> for TypeLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an UPPERCASE type label such as PER, ORG or LOC",
            check: |s| {
                if is_type_label(s) {
                    Ok(TypeLabel(s.to_string()))
                } else {
                    Err(format!(
                        "bad type label {s:?}: expected an UPPERCASE label such as PER, ORG or LOC"
                    ))
                }
            },
        })
    }
}

/// A name or alias: non-empty after trimming; inner whitespace runs become one space.
struct Surface(String);

impl<'de> Deserialize<'de> for Surface {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "a non-empty name",
            check: |s| {
                let cleaned = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if cleaned.is_empty() {
                    return Err("empty name or alias".to_string());
                }
                check_surface(&cleaned)?;
                Ok(Surface(cleaned))
            },
        })
    }
}

/// An entity id; checked for uniqueness against every file loaded so far.
struct EntityId(String);

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "an entity id",
            check: |s| {
                if s.trim().is_empty() || s.trim() != s {
                    return Err(format!(
                        "bad id {s:?}: ids are non-empty, without surrounding spaces"
                    ));
                }
                check_id(s)?;
                register_id(s).map(|()| EntityId(s.to_string()))
            },
        })
    }
}

/// Visits a string scalar and validates it. Errors raised here get the scalar's position.
struct StrVisitor<T, F: Fn(&str) -> Result<T, String>> {
    expecting: &'static str,
    check: F,
}

impl<'de, T, F: Fn(&str) -> Result<T, String>> Visitor<'de> for StrVisitor<T, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }
}

/// Ids seen so far during one load, reachable from inside serde visitors, which cannot
/// take extra arguments. Set only for the duration of [`with_id_registry`].
struct IdRegistry {
    seen: IdMap,
    current: Arc<Path>,
}

thread_local! {
    static ID_REGISTRY: RefCell<Option<IdRegistry>> = const { RefCell::new(None) };
}

fn with_id_registry<T>(seen: &mut IdMap, current: &Path, f: impl FnOnce() -> T) -> T {
    let registry = IdRegistry {
        seen: std::mem::take(seen),
        current: Arc::from(current),
    };
    ID_REGISTRY.with(|r| *r.borrow_mut() = Some(registry));
    let result = f();
    if let Some(registry) = ID_REGISTRY.with(|r| r.borrow_mut().take()) {
        *seen = registry.seen;
    }
    result
}

fn register_id(id: &str) -> Result<(), String> {
    ID_REGISTRY.with(|r| {
        let mut guard = r.borrow_mut();
        let Some(registry) = guard.as_mut() else {
            return Ok(());
        };
        if let Some(first) = registry.seen.get(id) {
            let where_ = if **first == *registry.current {
                "earlier in this file".to_string()
            } else {
                format!("in {}", first.display())
            };
            return Err(format!("duplicate id {id:?}: already defined {where_}"));
        }
        let current = registry.current.clone();
        registry.seen.insert(id.to_string(), current);
        Ok(())
    })
}
