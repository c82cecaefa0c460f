//! `gaztag tag`: tag documents and write one JSONL record per document.

use std::io;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::guard::{Inputs, ReadCount, nothing_written};
use super::progress::Progress;
use super::{EXIT_OK, EXIT_PARTIAL, TaggingArgs, init_threads};
use gaztag::analyze::aggregate::stats::{StatsCounts, StatsOptions};
use gaztag::analyze::aggregate::{EntityTable, TaggedDoc};
use gaztag::analyze::report::{self, write_stats};
use gaztag::io::batch::{ChunkLimits, tag_batch};
use gaztag::io::export::{Format, brat_annotations, brat_stem};
use gaztag::io::input::{Document, Documents, InputError, InputFormat, InputOptions};
use gaztag::io::output::{Output, OutputFolder};

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

/// How raw documents are read and how many threads tag them.
#[derive(Debug, Args)]
pub struct ReadingArgs {
    /// Worker threads [default: all cores]. More than 4 per core only add overhead:
    /// such a request is lowered to 4 per core, with a warning.
    #[arg(short = 'j', long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// JSONL field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// JSONL field holding the document id (lines without one are named PATH:LINE).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,

    /// How to read inputs: by extension (auto; stdin is JSONL when it starts with `{`),
    /// every input as one text, or every input as JSONL.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FormatArg::Auto)]
    pub input_format: FormatArg,

    /// Treat invalid UTF-8 and duplicate document ids as errors (the document is not
    /// tagged; exit code 1) instead of warnings.
    #[arg(long)]
    pub strict: bool,

    /// Largest document read, after decompression: a text file, or one JSONL line
    /// (for stats, cooc and report without --tag: one tagged record). Bytes, or with a
    /// suffix K, M or G (powers of 1024): 512M, 2G; at most 4G. A larger document is
    /// reported and skipped; reading stops at the limit.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_document_size: u64,
}

/// `4096`, `64K`, `512M`, `2G` (also `2GiB`, `2GB`; powers of 1024) to bytes, at most
/// 4 GiB: offsets inside a document are 32-bit.
fn parse_size(spec: &str) -> Result<u64, String> {
    let digits = spec.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &spec[digits.len()..];
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("unknown unit {suffix:?}: use K, M or G")),
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("{spec:?} is not a size: write bytes, or 512M, 2G"))?;
    match number.checked_mul(1 << shift) {
        Some(bytes) if bytes <= 1 << 32 => Ok(bytes),
        _ => Err(format!(
            "{spec} is more than 4G, the most one document can be"
        )),
    }
}

impl ReadingArgs {
    /// Sizes the thread pool and opens the inputs as a stream of documents.
    pub fn documents(&self, inputs: &[PathBuf]) -> Documents {
        init_threads(self.threads);
        let options = InputOptions {
            format: self.input_format.into(),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            strict: self.strict,
            max_document_size: self.max_document_size,
        };
        Documents::new(inputs, options)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Text,
    Jsonl,
}

impl From<FormatArg> for InputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
        }
    }
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

/// Prints an input problem to stderr as it happens; the batch goes on.
pub(super) fn report_input_error(error: &InputError) {
    say!("gaztag: {error}");
}

pub fn run(args: TagArgs) -> anyhow::Result<u8> {
    let format = Format::from(args.format);
    let inputs = Inputs::documents(&args.inputs).tagging(&args.tagging);
    let mut brat = match format {
        Format::Brat => Some(BratFolder::create(args.output.as_deref(), &inputs)?),
        _ => {
            inputs.check_output(args.output.as_ref())?;
            None
        }
    };
    // First: it sizes the thread pool that building the tagger already uses.
    let documents = args.reading.documents(&args.inputs);
    let tagger = args.tagging.tagger()?;
    // brat writes files of its own; the record stream then goes nowhere.
    let created = match brat {
        Some(_) => Ok(Output::discard()),
        None => Output::create(args.output.as_deref()),
    };
    let mut output = created.with_context(|| {
        format!(
            "cannot create output {}",
            args.output.as_deref().unwrap_or("-".as_ref()).display()
        )
    })?;
    // A copy of every entity, interned by id: only worth building for --stats.
    let mut table = if args.stats {
        EntityTable::from_entities(tagger.entities())
    } else {
        EntityTable::default()
    };
    let mut counts = StatsCounts::default();
    let mut progress = Progress::new(&args.inputs, args.quiet);
    let mut brat_error = None;
    let result = tag_batch(
        &tagger,
        documents,
        ChunkLimits::default(),
        format,
        &mut output,
        report_input_error,
        |t| {
            progress.add(t.document.text.len());
            if let Some(folder) = brat.as_mut()
                && brat_error.is_none()
                && let Err(err) = folder.write(t, &tagger)
            {
                brat_error = Some(err);
            }
            report_warnings(&t.document);
            if args.stats {
                let doc = TaggedDoc::from_mentions(&t.document, &t.mentions, &mut table);
                counts.add(&doc, &table);
            }
        },
    );
    progress.finish();
    if let Some(err) = brat_error {
        return Err(err);
    }
    if let Ok(summary) = &result {
        let read = ReadCount {
            documents: summary.documents,
            failures: summary.failures,
        };
        if read.nothing_read() {
            // Dropped unfinished: the temporary output goes, the old one stays.
            drop((output, brat));
            return Ok(nothing_written(args.output.as_deref()));
        }
    }
    let result = result.and_then(|summary| output.finish().map(|()| summary));
    let summary = match result {
        Ok(summary) => summary,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
        Err(err) => {
            return Err(err).with_context(|| {
                let target = args.output.as_deref().unwrap_or("-".as_ref());
                format!("cannot write output {}", target.display())
            });
        }
    };
    if args.stats {
        let report = counts.report(&table, &StatsOptions::default());
        let mut table = Vec::new();
        write_stats(&mut table, report::Format::Table, &report)
            .context("cannot print the frequency table")?;
        super::stderr::print_block(&table);
    }
    if let Some(folder) = brat {
        folder.finish()?;
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

/// The folder of `--format brat`: a `.txt` and an `.ann` file per document, named after
/// the document (made unique with `-2`, `-3`… when two names clean to one). It replaces
/// the previous folder only when the run ends (see [`OutputFolder`]).
struct BratFolder {
    folder: OutputFolder,
    dir: PathBuf,
    used: std::collections::HashSet<String>,
}

impl BratFolder {
    fn create(dir: Option<&std::path::Path>, inputs: &Inputs) -> anyhow::Result<BratFolder> {
        let dir = dir.context("--format brat writes a folder of files: name it with -o FOLDER")?;
        inputs.check_folder(dir)?;
        let folder = OutputFolder::create(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
        Ok(BratFolder {
            folder,
            dir: dir.to_path_buf(),
            used: Default::default(),
        })
    }

    fn write(
        &mut self,
        t: &gaztag::io::batch::Tagged,
        tagger: &gaztag::Tagger,
    ) -> anyhow::Result<()> {
        let base = brat_stem(&t.document.name);
        let mut stem = base.clone();
        let mut n = 1;
        while !self.used.insert(stem.clone()) {
            n += 1;
            stem = format!("{base}-{n}");
        }
        let ann = brat_annotations(&t.document, &t.mentions, tagger);
        for (ext, contents) in [("txt", t.document.text.as_bytes()), ("ann", ann.as_bytes())] {
            let name = format!("{stem}.{ext}");
            self.folder.write_file(&name, contents).with_context(|| {
                format!("cannot write output {}", self.dir.join(&name).display())
            })?;
        }
        Ok(())
    }

    /// Puts the finished folder in place of the previous one.
    fn finish(self) -> anyhow::Result<()> {
        self.folder
            .finish()
            .with_context(|| format!("cannot write output folder {}", self.dir.display()))
    }
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

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert!(parse_size("5G").unwrap_err().contains("4G"));
        assert!(parse_size("12T").unwrap_err().contains("unit"));
        assert!(parse_size("M").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
