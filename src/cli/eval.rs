//! `gaztag eval`: score tagged output (or gaztag itself) against gold spans.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::corpus::write_to;
use super::guard::Inputs;
use super::{EXIT_OK, TaggingArgs};
use crate::eval::{Report, evaluate, read_gold, read_tagged, tag_gold};
use crate::report::{Cell, Format, Table, write_table};

/// Precision, recall and F1 per type and overall on exact span + type, and linking
/// accuracy (exact hits whose name is the gold canonical name). Gold is JSONL
/// (`{"doc","text","entities":[{"char_start","char_end","type","name"}]}`) or CoNLL BIO.
/// Without TAGGED files, gaztag tags the gold texts itself (with -g or the built-in set).
///
/// Examples:
///   gaztag eval --gold gold.jsonl                  tag the gold texts, then score
///   gaztag eval --gold gold.jsonl tagged.jsonl     score a tagged file
///   gaztag eval --gold gold.conll --errors --no-discovery
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct EvalArgs {
    /// Gold spans: JSONL (.jsonl/.ndjson) or CoNLL-2003-style BIO columns.
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,

    /// Tagged JSONL to score (documents matched by `doc`, each on one line of all the
    /// files); none: tag the gold texts.
    #[arg(value_name = "TAGGED")]
    pub tagged: Vec<PathBuf>,

    #[command(flatten)]
    pub tagging: TaggingArgs,

    /// Also list every false positive, false negative and wrong link with its context.
    #[arg(long)]
    pub errors: bool,

    /// Output format: table or json.
    #[arg(long, value_name = "FORMAT", default_value = "table")]
    pub format: Format,

    /// Write the report here instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> anyhow::Result<u8> {
    if !matches!(args.format, Format::Table | Format::Json) {
        bail!("eval writes --format table or json");
    }
    Inputs::default()
        .file(&args.gold)
        .files(&args.tagged)
        .tagging(&args.tagging)
        .check_output(args.output.as_ref())?;
    let gold = read_gold(&args.gold).context("cannot read the gold file")?;
    let predicted = if args.tagged.is_empty() {
        tag_gold(&args.tagging.tagger()?, &gold)
    } else {
        if !args.tagging.gazetteer.gazetteers.is_empty() {
            bail!(
                "-g/--gazetteers applies only when gaztag tags the gold texts itself (no TAGGED files)"
            );
        }
        read_tagged(&args.tagged).context("cannot read tagged output")?
    };
    let mut report = evaluate(&gold, &predicted);
    for doc in &report.missing {
        say!(
            "gaztag: warning: gold document {doc:?} has no prediction: all its spans count as missed"
        );
    }
    if !args.errors {
        report.errors.clear();
    }
    write_to(args.output.as_ref(), |out| {
        if args.format == Format::Json {
            serde_json::to_writer(&mut *out, &report)?;
            writeln!(out)?;
            return Ok(());
        }
        write_tables(out, &report)
    })?;
    Ok(EXIT_OK)
}

fn write_tables(out: &mut dyn Write, report: &Report) -> anyhow::Result<()> {
    let row = |label: &str, c: &crate::eval::Counts| {
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
