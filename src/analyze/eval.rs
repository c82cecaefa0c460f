//! Evaluation against gold spans: precision, recall and F1 on exact span + type, and
//! linking accuracy on the exact hits.
//!
//! Gold comes as JSONL, one document a line:
//! `{"doc": ID, "text": TEXT, "entities": [{"char_start", "char_end", "type", "name"}]}`
//! (offsets in Unicode code points, end exclusive; `name` is the canonical name), or as
//! CoNLL-2003-style BIO columns (token first, tag last; `-DOCSTART-` between documents),
//! whose text is rebuilt by joining tokens with spaces and sentences with line breaks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analyze::report::{Cell, Format, ReportError, Table, write_table};
use crate::gazetteer::Kind;
use crate::io::record::read_records;

/// One gold document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldDoc {
    pub doc: String,
    pub text: String,
    pub entities: Vec<Span>,
}

/// A span with its type and (canonical) name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct Span {
    pub char_start: usize,
    pub char_end: usize,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// Predictions only: a name discovery found (id `discovered:…`), which no gazetteer
    /// entity backs, so linking does not apply to it.
    #[serde(default, rename = "id", deserialize_with = "id_is_discovered")]
    pub discovered: bool,
}

fn id_is_discovered<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let id: Option<String> = Deserialize::deserialize(d)?;
    Ok(id.as_deref().is_some_and(is_discovered))
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
    /// A tagged input that cannot be read, or a gold or tagged JSONL line that is no
    /// record (`FILE:LINE:COLUMN: …`, as the tag reader words it).
    #[error("{0}")]
    Input(String),
}

/// A serde_json error in a gold JSONL line, at the file's line and the line's column,
/// worded as the tag reader words it.
fn json_error(path: &str, line: usize, err: &serde_json::Error) -> EvalError {
    let message = crate::io::input::json_message(err, |m| m);
    EvalError::Input(crate::io::input::line_error(path, line, message, err, |c| c).to_string())
}

/// Reads gold documents: JSONL when the file ends in `.jsonl`/`.ndjson`, else CoNLL.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: label.clone(),
        source,
    })?;
    let jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl") | Some("ndjson")
    );
    if jsonl {
        parse_gold_jsonl(&label, &text)
    } else {
        Ok(parse_conll(&text))
    }
}

fn parse_gold_jsonl(label: &str, text: &str) -> Result<Vec<GoldDoc>, EvalError> {
    let mut docs = Vec::new();
    // Each document's line: predictions are matched by `doc`, so a second line of one
    // id would silently score one text's spans against the other's.
    let mut lines: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at_line = |message: String| EvalError::Line {
            path: label.to_string(),
            line: i + 1,
            message,
        };
        let doc: GoldDoc = serde_json::from_str(line).map_err(|e| json_error(label, i + 1, &e))?;
        if let Some(first) = lines.insert(doc.doc.clone(), i + 1) {
            return Err(at_line(format!(
                "document {:?} is already on line {first}",
                doc.doc
            )));
        }
        check_spans(&doc).map_err(at_line)?;
        docs.push(doc);
    }
    Ok(docs)
}

/// Gold spans must lie inside their text, start before they end: a span that cannot be
/// sliced from the text can never be hit, and would count as a miss of the tagger.
/// Offsets count code points, so every offset up to the text's length is on a character
/// boundary.
fn check_spans(doc: &GoldDoc) -> Result<(), String> {
    let length = doc.text.chars().count();
    for (i, span) in doc.entities.iter().enumerate() {
        let (start, end) = (span.char_start, span.char_end);
        let problem = if start > end {
            "is inverted"
        } else if start == end {
            "is empty"
        } else if end > length {
            "ends beyond the text"
        } else {
            continue;
        };
        return Err(format!(
            "entity {} ({} {:?}) {problem}: char_start {start}, char_end {end}, text of {length} characters",
            i + 1,
            span.kind,
            span.name
        ));
    }
    Ok(())
}

/// CoNLL BIO: token in the first column, tag in the last; PER, ORG and LOC kept.
fn parse_conll(text: &str) -> Vec<GoldDoc> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut current = GoldDoc {
        doc: String::new(),
        text: String::new(),
        entities: Vec::new(),
    };
    let mut open: Option<Span> = None;
    let mut chars = 0;
    let mut sentence_open = false;
    let finish = |doc: &mut GoldDoc, docs: &mut Vec<GoldDoc>| {
        if !doc.text.is_empty() || !doc.entities.is_empty() {
            doc.doc = format!("doc-{}", docs.len() + 1);
            docs.push(std::mem::replace(
                doc,
                GoldDoc {
                    doc: String::new(),
                    text: String::new(),
                    entities: Vec::new(),
                },
            ));
        }
    };
    for line in text.lines().chain(std::iter::once("")) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let is_break = cols.is_empty() || cols[0] == "-DOCSTART-";
        if is_break {
            if let Some(span) = open.take() {
                current.entities.push(span);
            }
            if cols.first() == Some(&"-DOCSTART-") {
                finish(&mut current, &mut docs);
                chars = 0;
                sentence_open = false;
            } else if sentence_open {
                current.text.push('\n');
                chars += 1;
                sentence_open = false;
            }
            continue;
        }
        let token = cols[0];
        let tag = cols[cols.len() - 1];
        if sentence_open {
            current.text.push(' ');
            chars += 1;
        }
        sentence_open = true;
        let start = chars;
        current.text.push_str(token);
        chars += token.chars().count();
        let (prefix, kind) = tag.split_once('-').unwrap_or((tag, ""));
        // Only the three types gaztag tags are scored (CoNLL's MISC is not).
        let kind = match Kind::from(kind) {
            Kind::Other(_) => "",
            Kind::Per | Kind::Org | Kind::Loc => kind,
        };
        let continues = prefix == "I" && open.as_ref().is_some_and(|s| s.kind == kind);
        if continues {
            if let Some(span) = open.as_mut() {
                span.char_end = chars;
                span.name = format!("{} {token}", span.name);
            }
            continue;
        }
        if let Some(span) = open.take() {
            current.entities.push(span);
        }
        if !kind.is_empty() && (prefix == "B" || prefix == "I") {
            open = Some(Span {
                char_start: start,
                char_end: chars,
                kind: kind.to_string(),
                name: token.to_string(),
                discovered: false,
            });
        }
    }
    finish(&mut current, &mut docs);
    docs
}

/// Reads predicted spans from tagged JSONL (what `gaztag tag` writes, or any JSONL
/// whose mentions have `char_start`, `char_end` and `type`), by document: files,
/// compressed or not, or `-` for stdin, read as `stats` reads them. The first line
/// that is not such a record fails the whole reading: a skipped document would count
/// all its gold spans as missed.
pub fn read_predictions<P: AsRef<Path>>(
    inputs: &[P],
    limit: u64,
) -> Result<HashMap<String, Vec<Span>>, EvalError> {
    let mut out = HashMap::new();
    let mut first_failure = None;
    read_records(
        inputs,
        limit,
        |error| {
            if first_failure.is_none() {
                first_failure = Some(error.to_string());
            }
        },
        |record| {
            let spans = record
                .entities
                .iter()
                .map(|m| {
                    let (char_start, char_end) = m.char_span()?;
                    Ok(Span {
                        char_start,
                        char_end,
                        kind: m.kind.to_string(),
                        name: m.name.to_string(),
                        discovered: m.id.as_deref().is_some_and(is_discovered),
                    })
                })
                .collect::<Result<_, String>>()?;
            // A document on two lines (of one file or of two): one line's spans would
            // silently replace the other's.
            if out.contains_key(record.doc.as_ref()) {
                return Err(format!(
                    "document {:?} is already on an earlier line",
                    record.doc
                ));
            }
            out.insert(record.doc.into_owned(), spans);
            Ok(())
        },
    );
    match first_failure {
        Some(message) => Err(EvalError::Input(message)),
        None => Ok(out),
    }
}

fn is_discovered(id: &str) -> bool {
    id.starts_with(crate::tag::discover::DISCOVERED_PREFIX)
}

/// Tags the gold texts with `tagger`: the predictions of gaztag itself, by document.
pub fn tag_gold(
    tagger: &crate::tag::matcher::Tagger,
    gold: &[GoldDoc],
) -> HashMap<String, Vec<Span>> {
    gold.iter()
        .map(|doc| {
            let spans = tagger
                .tag(&doc.text)
                .into_iter()
                .map(|m| {
                    let e = tagger.entity(&m.entity);
                    Span {
                        char_start: m.char_start,
                        char_end: m.char_end,
                        kind: e.kind.to_string(),
                        name: e.name.clone(),
                        discovered: matches!(
                            m.entity,
                            crate::tag::matcher::EntityRef::Discovered(_)
                        ),
                    }
                })
                .collect();
            (doc.doc.clone(), spans)
        })
        .collect()
}

/// True and false positives and false negatives, with the derived scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Counts {
    fn finish(mut self) -> Counts {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
        self
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Linking {
    /// Exact span + type hits linked to a gazetteer entity.
    pub exact: u64,
    /// Of those, hits whose name is the gold name.
    pub correct: u64,
    pub accuracy: f64,
    /// Exact hits of discovered names (no gazetteer entity: not linked, not counted above).
    pub discovered: u64,
    /// Of those, hits whose name is still the gold name.
    pub discovered_named: u64,
}

/// An error worth showing: what went wrong, where, and the text around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorCase {
    pub doc: String,
    /// `false positive`, `false negative` or `wrong link`.
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub span_type: String,
    pub text: String,
    pub char_start: usize,
    pub char_end: usize,
    /// The gold name (false negatives, wrong links) or the predicted one (false positives).
    pub expected: String,
    pub predicted: String,
    pub context: String,
}

/// The scores of one evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub documents: u64,
    pub overall: Counts,
    pub types: BTreeMap<String, Counts>,
    pub linking: Linking,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCase>,
    /// Gold documents with no prediction (all their spans count as false negatives).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// Scores predictions against gold, document by document.
pub fn evaluate(gold: &[GoldDoc], predicted: &HashMap<String, Vec<Span>>) -> Report {
    let mut report = Report::default();
    let mut types: BTreeMap<String, Counts> = BTreeMap::new();
    for doc in gold {
        report.documents += 1;
        let empty = Vec::new();
        let pred = match predicted.get(&doc.doc) {
            Some(p) => p,
            None => {
                report.missing.push(doc.doc.clone());
                &empty
            }
        };
        let key = |s: &Span| (s.char_start, s.char_end, s.kind.clone());
        let gold_by_key: HashMap<_, &Span> = doc.entities.iter().map(|s| (key(s), s)).collect();
        let pred_keys: HashSet<_> = pred.iter().map(key).collect();
        for p in pred {
            let t = types.entry(p.kind.clone()).or_default();
            match gold_by_key.get(&key(p)) {
                Some(g) if p.discovered => {
                    t.tp += 1;
                    report.linking.discovered += 1;
                    if g.name == p.name {
                        report.linking.discovered_named += 1;
                    }
                }
                Some(g) => {
                    t.tp += 1;
                    report.linking.exact += 1;
                    if g.name == p.name {
                        report.linking.correct += 1;
                    } else {
                        report
                            .errors
                            .push(case(doc, "wrong link", g, &g.name, &p.name));
                    }
                }
                None => {
                    t.fp += 1;
                    report
                        .errors
                        .push(case(doc, "false positive", p, "", &p.name));
                }
            }
        }
        for g in &doc.entities {
            if !pred_keys.contains(&key(g)) {
                types.entry(g.kind.clone()).or_default().fn_ += 1;
                report
                    .errors
                    .push(case(doc, "false negative", g, &g.name, ""));
            }
        }
    }
    let mut overall = Counts::default();
    for t in types.values() {
        overall.tp += t.tp;
        overall.fp += t.fp;
        overall.fn_ += t.fn_;
    }
    report.overall = overall.finish();
    report.types = types.into_iter().map(|(k, c)| (k, c.finish())).collect();
    let l = &mut report.linking;
    l.accuracy = if l.exact == 0 {
        0.0
    } else {
        l.correct as f64 / l.exact as f64
    };
    report
}

fn case(
    doc: &GoldDoc,
    kind: &'static str,
    span: &Span,
    expected: &str,
    predicted: &str,
) -> ErrorCase {
    let chars: Vec<char> = doc.text.chars().collect();
    let (s, e) = (
        span.char_start.min(chars.len()),
        span.char_end.min(chars.len()),
    );
    let before: String = chars[s.saturating_sub(40)..s].iter().collect();
    let after: String = chars[e..(e + 40).min(chars.len())].iter().collect();
    let text: String = chars[s..e.max(s)].iter().collect();
    ErrorCase {
        doc: doc.doc.clone(),
        kind,
        span_type: span.kind.clone(),
        text: text.clone(),
        char_start: span.char_start,
        char_end: span.char_end,
        expected: expected.to_string(),
        predicted: predicted.to_string(),
        context: format!("{before}[{text}]{after}").replace('\n', " "),
    }
}

/// Writes `report` as JSON (one line), or as tables: the scores per type and overall,
/// a line on linking, and the errors when the report kept them.
pub fn write_report(
    out: &mut dyn Write,
    format: Format,
    report: &Report,
) -> Result<(), ReportError> {
    if format == Format::Json {
        serde_json::to_writer(&mut *out, report)?;
        writeln!(out)?;
        return Ok(());
    }
    write_tables(out, report)
}

fn write_tables(out: &mut dyn Write, report: &Report) -> Result<(), ReportError> {
    let row = |label: &str, c: &Counts| {
        vec![
            Cell::Text(label.to_string()),
            Cell::Int(c.tp),
            Cell::Int(c.fp),
            Cell::Int(c.fn_),
            Cell::Float(c.precision),
            Cell::Float(c.recall),
            Cell::Float(c.f1),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = report.types.iter().map(|(t, c)| row(t, c)).collect();
    rows.push(row("overall", &report.overall));
    let scores = Table {
        columns: vec!["type", "tp", "fp", "fn", "precision", "recall", "f1"],
        rows,
    };
    write_table(out, Format::Table, &scores)?;
    let l = &report.linking;
    writeln!(
        out,
        "{} documents; linking: {} of {} exact hits linked to a gazetteer entity name the gold entity ({:.4}); {} exact hits are discovered names ({} with the gold name)",
        report.documents, l.correct, l.exact, l.accuracy, l.discovered, l.discovered_named
    )?;
    if !report.errors.is_empty() {
        let errors = Table {
            columns: vec![
                "doc",
                "error",
                "type",
                "text",
                "expected",
                "predicted",
                "context",
            ],
            rows: report
                .errors
                .iter()
                .map(|e| {
                    vec![
                        Cell::Text(e.doc.clone()),
                        Cell::Text(e.kind.to_string()),
                        Cell::Text(e.span_type.clone()),
                        Cell::Text(e.text.clone()),
                        Cell::Text(e.expected.clone()),
                        Cell::Text(e.predicted.clone()),
                        Cell::Text(e.context.clone()),
                    ]
                })
                .collect(),
        };
        write_table(out, Format::Table, &errors)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(s: usize, e: usize, kind: &str, name: &str) -> Span {
        Span {
            char_start: s,
            char_end: e,
            kind: kind.into(),
            name: name.into(),
            discovered: false,
        }
    }

    #[test]
    fn exact_span_and_type_scoring_with_linking() {
        let gold = vec![GoldDoc {
            doc: "d".into(),
            text: "Putin met Tokayev in Almaty and Paris.".into(),
            entities: vec![
                span(0, 5, "PER", "Vladimir Putin"),
                span(10, 17, "PER", "Kassym-Jomart Tokayev"),
                span(21, 27, "LOC", "Almaty"),
                span(32, 37, "LOC", "Paris"),
            ],
        }];
        let predicted = HashMap::from([(
            "d".to_string(),
            vec![
                span(0, 5, "PER", "Vladimir Putin"),
                span(10, 17, "PER", "Someone Else"),
                span(21, 27, "ORG", "Almaty FC"),
                span(32, 37, "LOC", "Paris"),
                span(4, 9, "LOC", "Nowhere"),
            ],
        )]);
        let r = evaluate(&gold, &predicted);
        assert_eq!((r.overall.tp, r.overall.fp, r.overall.fn_), (3, 2, 1));
        assert!((r.overall.precision - 0.6).abs() < 1e-12);
        assert!((r.overall.recall - 0.75).abs() < 1e-12);
        assert_eq!((r.types["PER"].tp, r.types["LOC"].fn_), (2, 1));
        assert_eq!((r.linking.exact, r.linking.correct), (3, 2));
        let wrong = r.errors.iter().find(|e| e.kind == "wrong link").unwrap();
        assert_eq!(wrong.context, "Putin met [Tokayev] in Almaty and Paris.");
    }

    #[test]
    fn conll_bio_documents_and_spans() {
        let conll = "-DOCSTART- -X- O O\n\nVladimir NNP B-NP B-PER\nPutin NNP I-NP I-PER\nvisited VBD O O\nNew NNP B-LOC\nYork NNP I-LOC\n. . O O\n\nReuters NNP B-ORG\n\n-DOCSTART- -X- O O\n\nThe O\nUN B-ORG\n";
        let docs = parse_conll(conll);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "Vladimir Putin visited New York .\nReuters\n");
        let names: Vec<&str> = docs[0].entities.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Vladimir Putin", "New York", "Reuters"]);
        let s = &docs[0].entities[1];
        let text: String = docs[0]
            .text
            .chars()
            .skip(s.char_start)
            .take(s.char_end - s.char_start)
            .collect();
        assert_eq!(text, "New York");
        assert_eq!(docs[1].doc, "doc-2");
        assert_eq!(docs[1].entities[0].kind, "ORG");
    }
}
