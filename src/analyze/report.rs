//! Reporting: the aggregator's results as tables (aligned, CSV, TSV, Markdown) or JSON.
//!
//! Every format is rendered from the same report values, so a report depends only on
//! the counts behind it: one run and a merge of shards print the same bytes.

use std::io::{self, Write};

use comfy_table::{CellAlignment, LineStyle, TableStyle};
use serde::Serialize;

use crate::analyze::aggregate::cooc::{Pair, Scope};
use crate::analyze::aggregate::stats::StatsReport;
use crate::analyze::graph::{self, GraphFormat};

/// Output formats of `stats`, `cooc` and `merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned for a terminal.
    #[default]
    Table,
    Csv,
    Tsv,
    Json,
    Markdown,
    /// Graph formats (co-occurrence only).
    Graphml,
    Gexf,
    Dot,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Ok(match s {
            "table" => Format::Table,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "json" => Format::Json,
            "markdown" | "md" => Format::Markdown,
            "graphml" => Format::Graphml,
            "gexf" => Format::Gexf,
            "dot" => Format::Dot,
            _ => {
                return Err(format!(
                    "unknown format {s:?}: expected table, csv, tsv, json, markdown, graphml, gexf or dot"
                ));
            }
        })
    }
}

impl Format {
    pub(crate) fn is_graph(self) -> bool {
        matches!(self, Format::Graphml | Format::Gexf | Format::Dot)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Xml(String),
    #[error("the {0:?} format is for co-occurrence graphs; stats reports are tables")]
    NotATable(Format),
}

/// The XML writer's errors are I/O errors too, reported as XML errors.
fn xml_error(err: io::Error) -> ReportError {
    ReportError::Xml(err.to_string())
}

/// A cell of a text table; numbers keep their type for alignment and formatting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Int(u64),
    Float(f64),
}

impl Cell {
    fn render(&self, decimals: usize) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) => format!("{x:.decimals$}"),
        }
    }
}

/// Rows under named columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Columns separated by spaces, a rule under the header: easy to read, easy to grep.
const TERMINAL_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Writes a table as `table`, `csv`, `tsv` or `markdown`.
pub(crate) fn write_table(
    out: &mut dyn Write,
    format: Format,
    table: &Table,
) -> Result<(), ReportError> {
    match format {
        Format::Csv | Format::Tsv => {
            let delimiter = if format == Format::Csv { b',' } else { b'\t' };
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(out);
            w.write_record(&table.columns)?;
            for row in &table.rows {
                w.write_record(row.iter().map(|c| c.render(6)))?;
            }
            w.flush()?;
        }
        Format::Markdown => {
            writeln!(out, "| {} |", table.columns.join(" | "))?;
            let rule: Vec<&str> = numeric_columns(table)
                .iter()
                .map(|&n| if n { "---:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for row in &table.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| c.render(4).replace('|', "\\|").replace('\n', " "))
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
        _ => {
            let mut t = comfy_table::Table::new();
            t.load_style(TERMINAL_STYLE);
            t.set_header(&table.columns);
            for row in &table.rows {
                t.add_row(row.iter().map(|c| c.render(4)));
            }
            for (i, numeric) in numeric_columns(table).into_iter().enumerate() {
                if let (true, Some(column)) = (numeric, t.column_mut(i)) {
                    column.set_cell_alignment(CellAlignment::Right);
                }
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(())
}

/// A column is numeric when its first row holds a number there.
fn numeric_columns(table: &Table) -> Vec<bool> {
    (0..table.columns.len())
        .map(|i| {
            table
                .rows
                .first()
                .is_some_and(|r| matches!(r.get(i), Some(Cell::Int(_)) | Some(Cell::Float(_))))
        })
        .collect()
}

#[derive(Serialize)]
struct StatsJson<'a> {
    documents: u64,
    by: String,
    rows: Vec<StatsRowJson<'a>>,
    totals: Vec<TotalJson<'a>>,
}

#[derive(Serialize)]
struct StatsRowJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    mentions: u64,
    documents: u64,
    share: f64,
    top_form: &'a str,
}

#[derive(Serialize)]
struct TotalJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'a str,
    entities: u64,
    mentions: u64,
    documents: u64,
    share: f64,
}

/// Writes the entity frequency table.
pub fn write_stats(
    out: &mut dyn Write,
    format: Format,
    report: &StatsReport,
) -> Result<(), ReportError> {
    if format.is_graph() {
        return Err(ReportError::NotATable(format));
    }
    if format == Format::Json {
        let json = StatsJson {
            documents: report.documents,
            by: report.grouping.label(),
            rows: report
                .rows
                .iter()
                .map(|r| StatsRowJson {
                    group: r.group.as_deref(),
                    id: &r.entity.id,
                    name: &r.entity.name,
                    kind: r.entity.kind.as_str(),
                    mentions: r.mentions,
                    documents: r.documents,
                    share: r.share,
                    top_form: &r.top_form,
                })
                .collect(),
            totals: report
                .totals
                .iter()
                .map(|t| TotalJson {
                    group: t.group.as_deref(),
                    kind: &t.kind,
                    entities: t.entities,
                    mentions: t.mentions,
                    documents: t.documents,
                    share: t.share,
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &json)?;
        writeln!(out)?;
        return Ok(());
    }
    write_table(out, format, &stats_table(report))
}

/// Entity rows, then one `TOTAL` row per type (its name says how many entities).
pub(crate) fn stats_table(report: &StatsReport) -> Table {
    let grouped = report.rows.iter().any(|r| r.group.is_some())
        || report.totals.iter().any(|t| t.group.is_some());
    let mut columns = vec![
        "id",
        "name",
        "type",
        "mentions",
        "documents",
        "share",
        "top_form",
    ];
    if grouped {
        columns.insert(0, "group");
    }
    let mut rows = Vec::new();
    let group_cell = |g: &Option<String>| Cell::Text(g.clone().unwrap_or_default());
    for r in &report.rows {
        let mut row = vec![
            Cell::Text(r.entity.id.clone()),
            Cell::Text(r.entity.name.clone()),
            Cell::Text(r.entity.kind.to_string()),
            Cell::Int(r.mentions),
            Cell::Int(r.documents),
            Cell::Float(r.share),
            Cell::Text(r.top_form.clone()),
        ];
        if grouped {
            row.insert(0, group_cell(&r.group));
        }
        rows.push(row);
    }
    for t in &report.totals {
        let mut row = vec![
            Cell::Text("TOTAL".into()),
            Cell::Text(format!("{} entities", t.entities)),
            Cell::Text(t.kind.clone()),
            Cell::Int(t.mentions),
            Cell::Int(t.documents),
            Cell::Float(t.share),
            Cell::Text(String::new()),
        ];
        if grouped {
            row.insert(0, group_cell(&t.group));
        }
        rows.push(row);
    }
    Table { columns, rows }
}

#[derive(Serialize)]
struct CoocJson<'a> {
    scope: String,
    units: u64,
    pairs: Vec<PairJson<'a>>,
}

#[derive(Serialize)]
struct PairJson<'a> {
    id1: &'a str,
    name1: &'a str,
    type1: &'a str,
    id2: &'a str,
    name2: &'a str,
    type2: &'a str,
    count: u64,
    count1: u64,
    count2: u64,
    pmi: f64,
    npmi: f64,
    jaccard: f64,
    g2: f64,
}

/// Writes co-occurring pairs as a table, JSON, or a graph.
pub fn write_cooc(
    out: &mut dyn Write,
    format: Format,
    pairs: &[Pair],
    scope: Scope,
    units: u64,
) -> Result<(), ReportError> {
    match format {
        Format::Graphml => graph::write(out, GraphFormat::Graphml, pairs).map_err(xml_error),
        Format::Gexf => graph::write(out, GraphFormat::Gexf, pairs).map_err(xml_error),
        Format::Dot => Ok(graph::write(out, GraphFormat::Dot, pairs)?),
        Format::Json => {
            let json = CoocJson {
                scope: scope.label(),
                units,
                pairs: pairs
                    .iter()
                    .map(|p| PairJson {
                        id1: &p.first.id,
                        name1: &p.first.name,
                        type1: p.first.kind.as_str(),
                        id2: &p.second.id,
                        name2: &p.second.name,
                        type2: p.second.kind.as_str(),
                        count: p.count,
                        count1: p.first_units,
                        count2: p.second_units,
                        pmi: p.measures.pmi,
                        npmi: p.measures.npmi,
                        jaccard: p.measures.jaccard,
                        g2: p.measures.g2,
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &json)?;
            writeln!(out)?;
            Ok(())
        }
        _ => write_table(out, format, &cooc_table(pairs)),
    }
}

fn cooc_table(pairs: &[Pair]) -> Table {
    let columns = vec![
        "id1", "name1", "type1", "id2", "name2", "type2", "count", "count1", "count2", "pmi",
        "npmi", "jaccard", "g2",
    ];
    let rows = pairs
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.first.id.clone()),
                Cell::Text(p.first.name.clone()),
                Cell::Text(p.first.kind.to_string()),
                Cell::Text(p.second.id.clone()),
                Cell::Text(p.second.name.clone()),
                Cell::Text(p.second.kind.to_string()),
                Cell::Int(p.count),
                Cell::Int(p.first_units),
                Cell::Int(p.second_units),
                Cell::Float(p.measures.pmi),
                Cell::Float(p.measures.npmi),
                Cell::Float(p.measures.jaccard),
                Cell::Float(p.measures.g2),
            ]
        })
        .collect();
    Table { columns, rows }
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

    fn sample() -> Table {
        Table {
            columns: vec!["name", "n", "x"],
            rows: vec![
                vec![Cell::Text("a|b".into()), Cell::Int(3), Cell::Float(0.5)],
                vec![
                    Cell::Text("c,d".into()),
                    Cell::Int(12),
                    Cell::Float(1.0 / 3.0),
                ],
            ],
        }
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        write_table(&mut out, format, &sample()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_and_tsv_tabs() {
        assert_eq!(
            render(Format::Csv),
            "name,n,x\na|b,3,0.500000\n\"c,d\",12,0.333333\n"
        );
        assert_eq!(
            render(Format::Tsv),
            "name\tn\tx\na|b\t3\t0.500000\nc,d\t12\t0.333333\n"
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_right_aligns_numbers() {
        assert_eq!(
            render(Format::Markdown),
            "| name | n | x |\n| --- | ---: | ---: |\n| a\\|b | 3 | 0.5000 |\n| c,d | 12 | 0.3333 |\n"
        );
    }

    #[test]
    fn aligned_table_has_every_cell() {
        let t = render(Format::Table);
        for cell in ["name", "a|b", "c,d", "12", "0.3333"] {
            assert!(t.contains(cell), "{t}");
        }
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
