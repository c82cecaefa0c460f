//! `gaztag tag`: tag documents and write one JSONL record per document.

use std::io;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::guard::{Inputs, ReadCount, nothing_written, pipe_closed};
use super::progress::Progress;
use super::reading::{ReadingArgs, report_input_error};
use super::{EXIT_OK, EXIT_PARTIAL, TaggingArgs};
use gaztag::analyze::aggregate::stats::{StatsCounts, StatsOptions};
use gaztag::analyze::aggregate::{EntityTable, TaggedDoc};
use gaztag::analyze::report::{self, write_stats};
use gaztag::io::batch::{ChunkLimits, Summary, Tagged, tag_batch};
use gaztag::io::export::brat::BratFolder;
use gaztag::io::export::{Format, RecordWriter};
use gaztag::io::input::Document;
use gaztag::io::output::Output;

/// Tag documents: write one JSON line per document with every entity mention found.
///
/// INPUT is a file, a folder (all regular files in it, recursively, in sorted path
/// order, hidden files skipped) or `-` for stdin (the default). `.jsonl`/`.ndjson` files
/// hold one JSON document per line; other files are one document each. `.gz` and `.zst`
/// files (and compressed stdin) are decompressed as they are read. Output lines are in
/// input order whatever the number of threads.
///
/// Examples:
///   gaztag tag article.txt                      one file, JSONL to stdout
///   gaztag tag news/ -o tagged.jsonl --stats    a folder; frequency table on stderr
///   gaztag tag wire.jsonl.gz -j 2               JSONL (gzipped), two threads
///   cat wire.jsonl | gaztag tag                 stdin
///   gaztag tag -g names.tsv news/               your gazetteer instead of the built-in
///   gaztag tag news/ --format spacy -o spans.jsonl
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct TagArgs {
    /// Files, folders, or `-` for stdin.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub tagging: TaggingArgs,

    /// Write the records here instead of stdout (replaced atomically when the run
    /// ends). With --format brat: the folder to write the .txt and .ann files into
    /// (written beside it, then put in place of any earlier one when the run ends).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Record format: gaztag's JSONL; spacy (JSONL of text and char-offset spans with
    /// label and kb_id, for Doc.char_span); doccano (JSONL of text and [start, end,
    /// TYPE] labels); conll (CoNLL-2003-style token per line with BIO tags);
    /// csv (a row per mention); brat (a .txt and .ann file per document, in the -o
    /// folder).
    #[arg(long, value_enum, default_value_t = RecordFormatArg::Jsonl, value_name = "FORMAT")]
    pub format: RecordFormatArg,

    /// After tagging, print an entity frequency table to stderr.
    #[arg(long)]
    pub stats: bool,

    /// No progress bar. (It is shown only on a terminal, for inputs of 8 MiB or more
    /// or stdin: bytes and documents done, speed, time left.)
    #[arg(short = 'q', long)]
    pub quiet: bool,

    #[command(flatten)]
    pub reading: ReadingArgs,
}

/// `--format`: the library's [`Format`] as clap parses it, so that the library needs
/// no clap. Each value's doc line is its `--help` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormatArg {
    /// gaztag's own JSONL (see README).
    Jsonl,
    /// `{"text", "spans": [{"start", "end", "label", "kb_id"}]}` a line, for
    /// `Doc.char_span`.
    Spacy,
    /// `{"text", "label": [[start, end, "TYPE"]]}` a line.
    Doccano,
    /// Token per line, BIO tags, `-DOCSTART-` before each document.
    Conll,
    /// One row per mention after a header row.
    Csv,
    /// A `.txt` and an `.ann` file per document, in a folder.
    Brat,
}

impl From<RecordFormatArg> for Format {
    fn from(f: RecordFormatArg) -> Self {
        match f {
            RecordFormatArg::Jsonl => Format::Jsonl,
            RecordFormatArg::Spacy => Format::Spacy,
            RecordFormatArg::Doccano => Format::Doccano,
            RecordFormatArg::Conll => Format::Conll,
            RecordFormatArg::Csv => Format::Csv,
            RecordFormatArg::Brat => Format::Brat,
        }
    }
}

pub fn run(args: TagArgs) -> anyhow::Result<u8> {
    let format = Format::from(args.format);
    let inputs = Inputs::documents(&args.inputs).tagging(&args.tagging);
    // brat's folder is checked and started before anything is read, as a file output.
    let brat = match format {
        Format::Brat => Some(brat_folder(args.output.as_deref(), &inputs)?),
        _ => {
            inputs.check_output(args.output.as_ref())?;
            None
        }
    };
    let documents = args.reading.documents(&args.inputs);
    let tagger = args.tagging.tagger()?;
    let mut target = match brat {
        Some(folder) => Target::Brat(folder),
        None => Target::Stream(
            Output::create(args.output.as_deref())
                .with_context(|| format!("cannot create output {}", output_name(&args)))?,
        ),
    };
    // A copy of every entity, interned by id: only worth building for --stats.
    let mut table = if args.stats {
        EntityTable::from_entities(tagger.entities())
    } else {
        EntityTable::default()
    };
    let mut counts = StatsCounts::default();
    let mut progress = Progress::new(&args.inputs, args.quiet);
    let each = |t: &Tagged| {
        progress.add(t.document.text.len());
        report_warnings(&t.document);
        if args.stats {
            let doc = TaggedDoc::from_mentions(&t.document, &t.mentions, &mut table);
            counts.add(&doc, &table);
        }
    };
    let limits = ChunkLimits::default();
    let result = match &mut target {
        Target::Stream(output) => {
            let mut sink = RecordWriter::new(format, output);
            tag_batch(
                &tagger,
                documents,
                limits,
                &mut sink,
                report_input_error,
                each,
            )
        }
        Target::Brat(folder) => {
            tag_batch(&tagger, documents, limits, folder, report_input_error, each)
        }
    };
    progress.finish();
    if let Ok(summary) = &result {
        let read = ReadCount {
            documents: summary.documents,
            failures: summary.failures,
        };
        if read.nothing_read() {
            // Dropped unfinished: the temporary output goes, the old one stays.
            drop(target);
            return Ok(nothing_written(args.output.as_deref()));
        }
    }
    let reader_gone = target.reader_gone();
    let (summary, folder) = match target.finish_stream(result) {
        Ok(done) => done,
        Err(err) if pipe_closed(reader_gone, &err) => return Ok(EXIT_OK),
        Err(err) => return Err(write_error(&args, err)),
    };
    if args.stats {
        let report = counts.report(&table, &StatsOptions::default());
        let mut table = Vec::new();
        write_stats(&mut table, report::Format::Table, &report)
            .context("cannot print the frequency table")?;
        super::stderr::print_block(&table);
    }
    if let Some(folder) = folder {
        let dir = output_name(&args);
        folder
            .finish()
            .with_context(|| format!("cannot write output folder {dir}"))?;
    }
    // The process ends next: the OS reclaims the tagger at once, where dropping its
    // many small allocations one by one would add to every run's wall time.
    std::mem::forget(tagger);
    Ok(if summary.failures > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    })
}

fn output_name(args: &TagArgs) -> String {
    args.output
        .as_deref()
        .unwrap_or("-".as_ref())
        .display()
        .to_string()
}

/// What a failed write says: the stream, or for brat the file, which the error names.
fn write_error(args: &TagArgs, err: anyhow::Error) -> anyhow::Error {
    match Format::from(args.format) {
        Format::Brat => anyhow::anyhow!("cannot write output {err}"),
        _ => err.context(format!("cannot write output {}", output_name(args))),
    }
}

/// Where records go: one stream, or brat's folder of files.
enum Target {
    Stream(Output),
    Brat(BratFolder),
}

impl Target {
    fn reader_gone(&self) -> bool {
        matches!(self, Target::Stream(output) if output.reader_gone())
    }

    /// Finishes a stream (atomically for a file) after a batch; a folder is put in
    /// place later, after the frequency table, and is handed back for that.
    fn finish_stream(
        self,
        batch: io::Result<Summary>,
    ) -> anyhow::Result<(Summary, Option<BratFolder>)> {
        match self {
            Target::Stream(output) => {
                let summary = batch.and_then(|summary| output.finish().map(|()| summary));
                Ok((summary?, None))
            }
            Target::Brat(folder) => Ok((batch?, Some(folder))),
        }
    }
}

/// Checks and starts `--format brat`'s folder.
fn brat_folder(dir: Option<&std::path::Path>, inputs: &Inputs) -> anyhow::Result<BratFolder> {
    let dir = dir.context("--format brat writes a folder of files: name it with -o FOLDER")?;
    inputs.check_folder(dir)?;
    BratFolder::create(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))
}

/// A document's warnings on stderr, at the JSONL line it came from when it has one
/// (`wire.jsonl:17: … (document "a1")`), else at its name (the file's path).
fn report_warnings(document: &Document) {
    for warning in &document.warnings {
        match &document.origin {
            Some(origin) if *origin != document.name => say!(
                "gaztag: warning: {origin}: {warning} (document {:?})",
                document.name
            ),
            Some(origin) => say!("gaztag: warning: {origin}: {warning}"),
            None => say!("gaztag: warning: {}: {warning}", document.name),
        }
    }
}
