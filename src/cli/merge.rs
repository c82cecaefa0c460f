//! `gaztag merge`: add partial counts from sharded runs and print the report.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::EXIT_OK;
use super::corpus::{CoocFilterArgs, ReportArgs, StatsFilterArgs};
use super::guard::Inputs;
use gaztag::analyze::aggregate::partial::{Duplicates, Loaded, merge_files};
use gaztag::analyze::aggregate::stats::Grouping;
use gaztag::analyze::report::{write_cooc, write_stats};

/// Merge partial counts (`stats --save-partial` or `cooc --save-partial` files) and
/// print the report. The merged report of any split of a corpus is byte-identical to
/// the report of one run over all of it. Partials must all be of one kind, grouping or
/// scope, and version. Counts no run can produce (a share above 100 %, a pair in more
/// units than its entities, a sum past 2^64 - 1) are refused naming the file, and so is
/// the same partial given twice (by any path, or a copy of its bytes).
///
/// Examples:
///   gaztag stats part1.jsonl --save-partial p1.json
///   gaztag stats part2.jsonl --save-partial p2.json
///   gaztag merge p1.json p2.json --top 20
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct MergeArgs {
    /// Partial count files.
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,

    /// Add a partial given twice (the same file by any path, or two files of the same
    /// bytes) as often as it is given, instead of refusing it: for distinct shards that
    /// happen to have equal counts.
    #[arg(long)]
    pub allow_duplicates: bool,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub stats: StatsFilterArgs,

    #[command(flatten)]
    pub cooc: CoocFilterArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<u8> {
    Inputs::default()
        .files(&args.partials)
        .check_output(args.report.output.as_ref())?;
    let duplicates = if args.allow_duplicates {
        Duplicates::Allow
    } else {
        Duplicates::Refuse
    };
    let Some(merged) = merge_files(&args.partials, duplicates)? else {
        bail!("no partial files given");
    };
    match merged {
        Loaded::Stats(counts, table) => {
            if let Some(by) = &args.stats.by
                && *by != counts.grouping
            {
                bail!(
                    "--by {} does not match the partials, which are grouped by {}",
                    by.label(),
                    counts.grouping.label()
                );
            }
            if args.stats.period.is_some() && counts.grouping != Grouping::Date {
                bail!("--period applies only to partials grouped by date");
            }
            let report = counts.report(&table, &args.stats.options(args.report.top));
            args.report
                .write(|out| write_stats(out, args.report.format, &report))?;
        }
        Loaded::Cooc(counts, table) => {
            let pairs = counts.report(&table, &args.cooc.options(args.report.top));
            args.report.write(|out| {
                write_cooc(out, args.report.format, &pairs, counts.scope, counts.units)
            })?;
        }
    }
    Ok(EXIT_OK)
}
