//! `gaztag cooc`: which entities occur together, with association measures.

use std::path::PathBuf;

use clap::Args;

use super::corpus::{CoocFilterArgs, CorpusArgs, ReportArgs};
use super::guard::{nothing_written, write_to};
use gaztag::analyze::aggregate::cooc::{CoocCounts, Scope};
use gaztag::analyze::aggregate::partial::cooc_to_json;
use gaztag::analyze::report::write_cooc;

/// Pairs of entities that occur together, counted once per unit (document, sentence or
/// word window), with PMI, NPMI, Jaccard and Dunning's G² over the number of units.
///
/// Examples:
///   gaztag cooc tagged.jsonl --min-count 5 --sort npmi
///   gaztag cooc tagged.jsonl --scope sentence --types PER-ORG
///   gaztag cooc tagged.jsonl --format graphml -o network.graphml
///   gaztag cooc tagged.jsonl --entity vladimir-putin --top 10
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct CoocArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    /// The unit pairs are counted in: doc, sentence, or window:N (mentions within N
    /// words of each other in one document).
    #[arg(long, value_name = "SCOPE", default_value = "doc", value_parser = Scope::parse)]
    pub scope: Scope,

    #[command(flatten)]
    pub filters: CoocFilterArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Write this run's exact counts (JSON) to FILE instead of the report, for
    /// `gaztag merge`.
    #[arg(long, value_name = "FILE")]
    pub save_partial: Option<PathBuf>,
}

pub fn run(args: CoocArgs) -> anyhow::Result<u8> {
    let output = args.save_partial.as_ref().or(args.report.output.as_ref());
    args.corpus.inputs().check_output(output)?;
    let mut counts = CoocCounts::new(args.scope);
    let (table, read) = args.corpus.for_each_doc(|doc, _| counts.add(doc))?;
    if read.nothing_read() {
        return Ok(nothing_written(output.map(PathBuf::as_path)));
    }
    if let Some(path) = &args.save_partial {
        write_to(Some(path), |out| {
            Ok(out.write_all(cooc_to_json(&counts, &table).as_bytes())?)
        })?;
    } else {
        let pairs = counts.report(&table, &args.filters.options(args.report.top));
        args.report
            .write(|out| write_cooc(out, args.report.format, &pairs, counts.scope, counts.units))?;
    }
    Ok(read.exit_code())
}
