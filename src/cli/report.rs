//! `gaztag report`: a tagged corpus as one self-contained HTML page with charts.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::corpus::CorpusArgs;
use super::guard::{nothing_written, write_to};
use gaztag::analyze::html_report::{ReportBuilder, ReportOptions, write_html};

/// Write an HTML report of a tagged corpus: a summary, the most mentioned entities of
/// each type as bar charts, mentions over time (from meta.date) and by source, the
/// co-occurrence network (drag, zoom, hover for counts) and a searchable table of
/// entities. One file with everything inlined: it opens offline, in any browser, and
/// makes no network request. Entities are shown in context when the texts are at hand
/// (--tag); tagged JSONL carries none.
///
/// Examples:
///   gaztag report tagged.jsonl -o report.html
///   gaztag report --tag news/ -o report.html          with contexts
///   gaztag report day1.jsonl day2.jsonl -o week.html --title "Week 3"
///   gaztag report tagged.jsonl --source-field outlet --nodes 100 -o report.html
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct HtmlReportArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    /// Write the page here (replaced atomically at the end). Without it the page goes
    /// to stdout, unless stdout is a terminal.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The page's title.
    #[arg(long, value_name = "TEXT", default_value = "gaztag report")]
    pub title: String,

    /// Entities per type in the bar charts.
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub top: u64,

    /// Entities in the co-occurrence network (those in most documents).
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub nodes: u64,

    /// Documents two entities must share to be linked in the network.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,

    /// The input field (kept in meta) that names a document's source.
    #[arg(long, value_name = "NAME", default_value = "source")]
    pub source_field: String,

    /// Rows of the entity table (the most mentioned entities).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub max_entities: u64,
}

pub fn run(args: HtmlReportArgs) -> anyhow::Result<u8> {
    if args.output.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "the report is an HTML page: write it to a file with -o report.html (or redirect stdout)"
        );
    }
    args.corpus.inputs().check_output(args.output.as_ref())?;
    let mut builder = ReportBuilder::new(ReportOptions {
        title: args.title.clone(),
        top: to_usize(args.top),
        nodes: to_usize(args.nodes),
        min_count: args.min_count,
        source_field: args.source_field.clone(),
        max_entities: to_usize(args.max_entities),
    });
    let (table, read) = args
        .corpus
        .for_each_doc(|doc, table| builder.add(doc, table))?;
    if read.nothing_read() {
        return Ok(nothing_written(args.output.as_deref()));
    }
    let data = builder.finish(&table);
    write_to(args.output.as_ref(), |out| Ok(write_html(out, &data)?))?;
    Ok(read.exit_code())
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
