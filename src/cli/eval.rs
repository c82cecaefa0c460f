//! `gaztag eval`: score tagged output (or gaztag itself) against gold spans.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::guard::{Inputs, write_to};
use super::{EXIT_OK, TaggingArgs};
use gaztag::analyze::eval::{evaluate, read_gold, read_predictions, tag_gold, write_report};
use gaztag::analyze::report::Format;
use gaztag::io::input::DEFAULT_MAX_DOCUMENT_SIZE;

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

    /// Tagged JSONL to score (documents matched by `doc`; `.gz`/`.zst` read as such;
    /// `-` for stdin); none: tag the gold texts.
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
        read_predictions(&args.tagged, DEFAULT_MAX_DOCUMENT_SIZE)
            .context("cannot read tagged output")?
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
        Ok(write_report(out, args.format, &report)?)
    })?;
    Ok(EXIT_OK)
}
