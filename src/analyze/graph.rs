//! Graph export of co-occurrences: GraphML, GEXF and Graphviz DOT.
//!
//! One node per entity of the reported pairs (id, name, type, mentions) and one
//! undirected edge per pair, weighted by its joint count, with every measure as an
//! attribute. XML goes through quick-xml's writer, which escapes every value.

use std::collections::BTreeMap;
use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use crate::analyze::aggregate::cooc::Pair;
use crate::gazetteer::Entity;

/// The graph formats. Its own type, so that graphs need nothing of the reports that
/// offer them among their formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Graphml,
    Gexf,
    Dot,
}

/// Writes `pairs` as a graph in one of the graph formats.
pub fn write(out: &mut dyn Write, format: GraphFormat, pairs: &[Pair]) -> std::io::Result<()> {
    let nodes = nodes(pairs);
    match format {
        GraphFormat::Graphml => graphml(out, &nodes, pairs),
        GraphFormat::Gexf => gexf(out, &nodes, pairs),
        GraphFormat::Dot => dot(out, &nodes, pairs),
    }
}

/// A node: the entity and its mention count.
struct Node<'a> {
    entity: &'a Entity,
    mentions: u64,
}

/// The entities of the pairs, sorted by id.
fn nodes<'a>(pairs: &[Pair<'a>]) -> Vec<Node<'a>> {
    let mut by_id: BTreeMap<&str, Node<'a>> = BTreeMap::new();
    for p in pairs {
        for (entity, mentions) in [(p.first, p.first_mentions), (p.second, p.second_mentions)] {
            by_id.entry(&entity.id).or_insert(Node { entity, mentions });
        }
    }
    by_id.into_values().collect()
}

/// Edge attributes, in the order they are declared and written.
fn edge_values(p: &Pair) -> [(&'static str, String); 5] {
    [
        ("count", p.count.to_string()),
        ("pmi", p.measures.pmi.to_string()),
        ("npmi", p.measures.npmi.to_string()),
        ("jaccard", p.measures.jaccard.to_string()),
        ("g2", p.measures.g2.to_string()),
    ]
}

const EDGE_TYPES: [(&str, &str); 5] = [
    ("count", "long"),
    ("pmi", "double"),
    ("npmi", "double"),
    ("jaccard", "double"),
    ("g2", "double"),
];

fn graphml(out: &mut dyn Write, nodes: &[Node], pairs: &[Pair]) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .write_inner_content(|w| {
            let node_keys = [("name", "string"), ("type", "string"), ("mentions", "long")];
            for (name, kind) in node_keys {
                key(w, name, "node", kind)?;
            }
            key(w, "weight", "edge", "double")?;
            for (name, kind) in EDGE_TYPES {
                key(w, name, "edge", kind)?;
            }
            w.create_element("graph")
                .with_attributes([("id", "cooccurrence"), ("edgedefault", "undirected")])
                .write_inner_content(|w| {
                    for n in nodes {
                        w.create_element("node")
                            .with_attribute(("id", n.entity.id.as_str()))
                            .write_inner_content(|w| {
                                data(w, "name", &n.entity.name)?;
                                data(w, "type", n.entity.kind.as_str())?;
                                data(w, "mentions", &n.mentions.to_string())
                            })?;
                    }
                    for (i, p) in pairs.iter().enumerate() {
                        w.create_element("edge")
                            .with_attributes([
                                ("id", format!("e{i}").as_str()),
                                ("source", p.first.id.as_str()),
                                ("target", p.second.id.as_str()),
                            ])
                            .write_inner_content(|w| {
                                data(w, "weight", &p.count.to_string())?;
                                for (name, value) in edge_values(p) {
                                    data(w, name, &value)?;
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn key<W: Write>(w: &mut Writer<W>, name: &str, target: &str, kind: &str) -> std::io::Result<()> {
    w.create_element("key")
        .with_attributes([
            ("id", name),
            ("for", target),
            ("attr.name", name),
            ("attr.type", kind),
        ])
        .write_empty()?;
    Ok(())
}

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(quick_xml::events::BytesText::new(value))?;
    Ok(())
}

fn gexf(out: &mut dyn Write, nodes: &[Node], pairs: &[Pair]) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", "http://www.gexf.net/1.2draft"),
            ("version", "1.2"),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(quick_xml::events::BytesText::new("gaztag"))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attributes([("mode", "static"), ("defaultedgetype", "undirected")])
                .write_inner_content(|w| {
                    w.create_element("attributes")
                        .with_attribute(("class", "node"))
                        .write_inner_content(|w| {
                            attribute(w, "0", "type", "string")?;
                            attribute(w, "1", "mentions", "long")
                        })?;
                    w.create_element("attributes")
                        .with_attribute(("class", "edge"))
                        .write_inner_content(|w| {
                            for (i, (name, kind)) in EDGE_TYPES.iter().enumerate() {
                                attribute(w, &i.to_string(), name, kind)?;
                            }
                            Ok(())
                        })?;
                    w.create_element("nodes").write_inner_content(|w| {
                        for n in nodes {
                            w.create_element("node")
                                .with_attributes([
                                    ("id", n.entity.id.as_str()),
                                    ("label", n.entity.name.as_str()),
                                ])
                                .write_inner_content(|w| {
                                    attvalues(
                                        w,
                                        &[n.entity.kind.to_string(), n.mentions.to_string()],
                                    )
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for (i, p) in pairs.iter().enumerate() {
                            let values: Vec<String> =
                                edge_values(p).into_iter().map(|(_, v)| v).collect();
                            w.create_element("edge")
                                .with_attributes([
                                    ("id", i.to_string().as_str()),
                                    ("source", p.first.id.as_str()),
                                    ("target", p.second.id.as_str()),
                                    ("weight", p.count.to_string().as_str()),
                                ])
                                .write_inner_content(|w| attvalues(w, &values))?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn attribute<W: Write>(
    w: &mut Writer<W>,
    id: &str,
    title: &str,
    kind: &str,
) -> std::io::Result<()> {
    w.create_element("attribute")
        .with_attributes([("id", id), ("title", title), ("type", kind)])
        .write_empty()?;
    Ok(())
}

fn attvalues<W: Write>(w: &mut Writer<W>, values: &[String]) -> std::io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (i, v) in values.iter().enumerate() {
            w.create_element("attvalue")
                .with_attributes([("for", i.to_string().as_str()), ("value", v.as_str())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

fn dot(out: &mut dyn Write, nodes: &[Node], pairs: &[Pair]) -> std::io::Result<()> {
    writeln!(out, "graph cooccurrence {{")?;
    for n in nodes {
        writeln!(
            out,
            "  {} [label={}, type={}, mentions={}];",
            quote(&n.entity.id),
            quote(&n.entity.name),
            quote(n.entity.kind.as_str()),
            n.mentions
        )?;
    }
    for p in pairs {
        let m = &p.measures;
        writeln!(
            out,
            "  {} -- {} [weight={}, count={}, pmi={}, npmi={}, jaccard={}, g2={}];",
            quote(&p.first.id),
            quote(&p.second.id),
            p.count,
            p.count,
            m.pmi,
            m.npmi,
            m.jaccard,
            m.g2
        )?;
    }
    writeln!(out, "}}")
}

/// A DOT double-quoted string: backslashes, quotes and line breaks escaped.
fn quote(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}
