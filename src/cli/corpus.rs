//! Arguments and input shared by the aggregating commands (`stats`, `cooc`, `merge`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::TaggingArgs;
use super::guard::{Inputs, ReadCount, write_to};
use super::reading::{ReadingArgs, report_input_error};
use gaztag::analyze::aggregate::cooc::{CoocOptions, SortKey};
use gaztag::analyze::aggregate::stats::{Grouping, Period, StatsOptions};
use gaztag::analyze::aggregate::tagged::read_tagged;
use gaztag::analyze::aggregate::{EntityTable, TaggedDoc};
use gaztag::analyze::report::Format;
use gaztag::io::batch::{ChunkLimits, run_batch};

/// Where the corpus comes from: tagged JSONL, or raw documents tagged on the fly.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Tagged JSONL written by `gaztag tag` (files, or `-` for stdin; several files are
    /// one corpus). With --tag: raw documents, as for `gaztag tag`.
    #[arg(value_name = "TAGGED")]
    pub inputs: Vec<PathBuf>,

    /// Tag raw documents on the fly instead of reading tagged JSONL (same inputs and
    /// options as `gaztag tag`: -g, -j, --text-field, --id-field, --input-format).
    #[arg(long)]
    pub tag: bool,

    #[command(flatten)]
    pub tagging: TaggingArgs,

    /// With --tag: how raw documents are read (-j, --text-field, --id-field,
    /// --input-format), as for `gaztag tag`.
    #[command(flatten)]
    pub reading: ReadingArgs,
}

impl CorpusArgs {
    /// The files this corpus is read from, to keep outputs off them.
    pub fn inputs(&self) -> Inputs<'_> {
        let inputs = Inputs::documents(&self.inputs);
        if self.tag {
            inputs.tagging(&self.tagging)
        } else {
            inputs
        }
    }

    /// Feeds every document of the corpus to `each`, in input order. Returns the entity
    /// table and how many documents were read and inputs failed (each failure already
    /// reported on stderr).
    pub fn for_each_doc(
        &self,
        mut each: impl FnMut(&TaggedDoc, &EntityTable),
    ) -> anyhow::Result<(EntityTable, ReadCount)> {
        let mut documents = 0;
        let (table, failures) = self.for_each(|doc, table| {
            documents += 1;
            each(doc, table);
        })?;
        Ok((
            table,
            ReadCount {
                documents,
                failures,
            },
        ))
    }

    fn for_each(
        &self,
        mut each: impl FnMut(&TaggedDoc, &EntityTable),
    ) -> anyhow::Result<(EntityTable, u64)> {
        if !self.tag {
            if !self.tagging.gazetteer.gazetteers.is_empty() {
                bail!(
                    "-g/--gazetteers only applies with --tag (tagged JSONL already names its entities)"
                );
            }
            let mut table = EntityTable::default();
            let limit = self.reading.max_document_size;
            let failures = read_tagged(&self.inputs, limit, &mut table, report_input_error, each);
            return Ok((table, failures));
        }
        let documents = self.reading.documents(&self.inputs);
        let tagger = self.tagging.tagger()?;
        let mut table = EntityTable::from_entities(tagger.entities());
        let failures = run_batch(
            documents,
            ChunkLimits::default(),
            report_input_error,
            |doc| {
                let mentions = tagger.tag(&doc.text);
                (doc, mentions)
            },
            |(doc, mentions)| {
                let mut tagged = TaggedDoc::from_mentions(&doc, &mentions, &mut table);
                tagged.text = Some(doc.text);
                each(&tagged, &table);
                Ok(())
            },
        )?;
        Ok((table, failures))
    }
}

/// Options every report has.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format: table, csv, tsv, json or markdown; for co-occurrences also graphml,
    /// gexf or dot.
    #[arg(long, value_name = "FORMAT", default_value = "table")]
    pub format: Format,

    /// At most N rows (for stats with --by: per group) [default: every row].
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Write the report here instead of stdout (replaced atomically at the end).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ReportArgs {
    /// Renders into an output and finishes it (atomically for a file).
    pub fn write(
        &self,
        render: impl FnOnce(&mut dyn Write) -> Result<(), gaztag::analyze::report::ReportError>,
    ) -> anyhow::Result<()> {
        write_to(self.output.as_ref(), |out| {
            render(out).map_err(anyhow::Error::from)
        })
    }
}

/// Filters and grouping of the entity frequency table.
#[derive(Debug, Args)]
pub struct StatsFilterArgs {
    /// Only these types, comma-separated (PER,ORG).
    #[arg(long = "type", value_name = "TYPES", value_delimiter = ',')]
    pub only_types: Vec<String>,

    /// Only entities mentioned in at least N documents.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_docs: u64,

    /// Group counts: attr:KEY (an entity attribute, e.g. attr:country), meta:KEY (an
    /// input field kept in meta, e.g. meta:source) or date (meta.date, ISO).
    #[arg(long, value_name = "GROUPING", value_parser = Grouping::parse)]
    pub by: Option<Grouping>,

    /// With --by date: day, week (ISO), month or year.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<Period>,
}

impl StatsFilterArgs {
    pub fn grouping(&self) -> anyhow::Result<Grouping> {
        let grouping = self.by.clone().unwrap_or_default();
        if self.period.is_some() && grouping != Grouping::Date {
            bail!("--period applies only with --by date");
        }
        Ok(grouping)
    }

    pub fn options(&self, top: Option<usize>) -> StatsOptions {
        StatsOptions {
            types: self.only_types.clone(),
            top,
            min_docs: self.min_docs,
            period: self.period.unwrap_or_default(),
        }
    }
}

/// Filters and order of the co-occurrence report.
#[derive(Debug, Args)]
pub struct CoocFilterArgs {
    /// Only pairs seen together in at least N units.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,

    /// Order by count, npmi, pmi, g2 or jaccard (largest first).
    #[arg(long, value_name = "KEY", default_value = "count")]
    pub sort: SortKey,

    /// Only pairs of these two types, e.g. PER-ORG (either order).
    #[arg(long, value_name = "TYPE-TYPE", value_parser = parse_type_pair)]
    pub types: Option<(String, String)>,

    /// Only pairs with this entity id (its neighbourhood).
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
}

impl CoocFilterArgs {
    pub fn options(&self, top: Option<usize>) -> CoocOptions {
        CoocOptions {
            min_count: self.min_count,
            sort: self.sort,
            top,
            types: self.types.clone(),
            entity: self.entity.clone(),
        }
    }
}

fn parse_type_pair(spec: &str) -> Result<(String, String), String> {
    match spec.split_once('-') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(format!(
            "bad type pair {spec:?}: expected TYPE-TYPE, e.g. PER-ORG"
        )),
    }
}
