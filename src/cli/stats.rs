//! `gaztag stats`: the entity frequency table of a tagged corpus.

use std::path::PathBuf;

use clap::Args;

use super::corpus::{CorpusArgs, ReportArgs, StatsFilterArgs};
use super::guard::{nothing_written, write_to};
use gaztag::analyze::aggregate::partial::stats_to_json;
use gaztag::analyze::aggregate::stats::StatsCounts;
use gaztag::analyze::report::write_stats;

/// Entity frequency table: per entity its id, name, type, mentions, documents, share of
/// documents and most frequent surface form, then a TOTAL row per type. Sorted by
/// mentions, then documents, then id.
///
/// Examples:
///   gaztag stats tagged.jsonl --top 20
///   gaztag stats tagged.jsonl --type PER --format csv -o people.csv
///   gaztag stats tagged.jsonl --by date --period month
///   gaztag stats --tag news/                    tag on the fly, then count
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct StatsArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    #[command(flatten)]
    pub filters: StatsFilterArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Write this run's exact counts (JSON) to FILE instead of the report, for
    /// `gaztag merge`.
    #[arg(long, value_name = "FILE")]
    pub save_partial: Option<PathBuf>,
}

pub fn run(args: StatsArgs) -> anyhow::Result<u8> {
    let output = args.save_partial.as_ref().or(args.report.output.as_ref());
    args.corpus.inputs().check_output(output)?;
    let mut counts = StatsCounts::new(args.filters.grouping()?);
    let (table, read) = args
        .corpus
        .for_each_doc(|doc, table| counts.add(doc, table))?;
    if read.nothing_read() {
        return Ok(nothing_written(output.map(PathBuf::as_path)));
    }
    if let Some(path) = &args.save_partial {
        write_to(Some(path), |out| {
            Ok(out.write_all(stats_to_json(&counts, &table).as_bytes())?)
        })?;
    } else {
        let report = counts.report(&table, &args.filters.options(args.report.top));
        args.report
            .write(|out| write_stats(out, args.report.format, &report))?;
    }
    Ok(read.exit_code())
}
