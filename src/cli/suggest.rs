//! `gaztag suggest`: names the gazetteer misses, as a gazetteer to review; and
//! `--accept`, which adds the reviewed file to the gazetteer.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::guard::{Inputs, ReadCount, nothing_written, write_to};
use super::reading::{ReadingArgs, report_input_error};
use super::{EXIT_ERROR, EXIT_OK, TaggingArgs};
use gaztag::analyze::suggest::accept::{self, AcceptError};
use gaztag::analyze::suggest::{
    KnownParts, SuggestOptions, Suggester, Suggestion, candidates, to_yaml,
};
use gaztag::gazetteer::Gazetteer;
use gaztag::gazetteer::write::write_yaml;
use gaztag::io::batch::{ChunkLimits, run_batch};

/// Propose the people, organizations and places the gazetteer misses: capitalised
/// names in the documents that it does not tag, with a type guessed from the evidence
/// around them (titles, roles, "said", place prepositions, organization words, acronyms
/// defined in parentheses, the entities they are listed with), their counts and example
/// contexts. A surname joins the full name, an acronym its long form. The YAML is a
/// gazetteer: review it, delete what is wrong, then add it with --accept or -g.
///
/// Examples:
///   gaztag suggest news/ -o suggested.yaml
///   gaztag suggest news/ --types PER --top 50 --format csv
///   gaztag suggest -g my-gazetteers/ wire.jsonl --min-docs 5
///   gaztag suggest --accept suggested.yaml -o gazetteer.yaml    after review
///   gaztag tag -g gazetteer.yaml news/
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct SuggestArgs {
    /// Raw documents, as for `gaztag tag` (files, folders, `-` for stdin).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub tagging: TaggingArgs,

    #[command(flatten)]
    pub reading: ReadingArgs,

    /// yaml (a gazetteer with counts, evidence and contexts as comments), csv or json.
    #[arg(long, value_enum, default_value_t = SuggestFormat::Yaml, value_name = "FORMAT")]
    pub format: SuggestFormat,

    /// Only names found in at least N documents.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_docs: u64,

    /// Only names mentioned at least N times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_mentions: u64,

    /// Only these guessed types, comma-separated (PER,ORG,LOC).
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub types: Vec<String>,

    /// At most N suggestions (those in most documents).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Instead of suggesting: check a reviewed suggestions file and write the gazetteer
    /// (-g, or the built-in set) with its entries added, as one YAML file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["inputs", "format"])]
    pub accept: Option<PathBuf>,

    /// Write here instead of stdout (replaced atomically when done).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SuggestFormat {
    Yaml,
    Csv,
    Json,
}

pub fn run(args: SuggestArgs) -> anyhow::Result<u8> {
    if let Some(reviewed) = &args.accept {
        Inputs::default()
            .file(reviewed)
            .tagging(&args.tagging)
            .check_output(args.output.as_ref())?;
        return accept(&args, reviewed);
    }
    Inputs::documents(&args.inputs)
        .tagging(&args.tagging)
        .check_output(args.output.as_ref())?;
    let documents = args.reading.documents(&args.inputs);
    let tagger = args.tagging.tagger()?;
    let known = KnownParts::new(&tagger);
    let mut suggester = Suggester::default();
    let failures = run_batch(
        documents,
        ChunkLimits::default(),
        report_input_error,
        |doc| candidates(&tagger, &known, &doc.name, &doc.text),
        |found| {
            suggester.add(found);
            Ok(())
        },
    )?;
    let documents = suggester.documents();
    let read = ReadCount {
        documents,
        failures,
    };
    if read.nothing_read() {
        return Ok(nothing_written(args.output.as_deref()));
    }
    let options = SuggestOptions {
        min_docs: args.min_docs,
        min_mentions: args.min_mentions,
        types: args.types.clone(),
        top: args.top,
    };
    let suggestions = suggester.finish(&options);
    write_to(args.output.as_ref(), |out| {
        match args.format {
            SuggestFormat::Yaml => out.write_all(to_yaml(&suggestions, documents).as_bytes())?,
            SuggestFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &suggestions)?;
                out.write_all(b"\n")?;
            }
            SuggestFormat::Csv => write_csv(out, &suggestions)?,
        }
        Ok(())
    })?;
    Ok(read.exit_code())
}

fn write_csv(out: &mut dyn std::io::Write, suggestions: &[Suggestion]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "type",
        "aliases",
        "mentions",
        "documents",
        "confidence",
        "evidence",
        "context",
    ])?;
    for s in suggestions {
        let evidence: Vec<String> = s
            .evidence
            .iter()
            .map(|(e, n)| format!("{e} ×{n}"))
            .collect();
        w.write_record([
            s.id.as_str(),
            &s.name,
            &s.kind,
            &s.aliases.join("|"),
            &s.mentions.to_string(),
            &s.documents.to_string(),
            &format!("{:.2}", s.confidence),
            &evidence.join("; "),
            s.contexts.first().map_or("", |c| c.text.as_str()),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Adds a reviewed suggestions file to the gazetteer (the rules:
/// [`gaztag::analyze::suggest::accept`]).
fn accept(args: &SuggestArgs, reviewed: &PathBuf) -> anyhow::Result<u8> {
    let mut gazetteer = args.tagging.gazetteer.load().context("invalid gazetteer")?;
    let added =
        Gazetteer::load(std::slice::from_ref(reviewed)).context("invalid reviewed suggestions")?;
    let accepted = match accept::accept(&mut gazetteer.entities, added.entities) {
        Ok(accepted) => accepted,
        Err(AcceptError::IdsTaken(clashes)) => {
            for c in &clashes {
                say!(
                    "gaztag: error: {}: {c}: rename it or delete the entry",
                    reviewed.display()
                );
            }
            return Ok(EXIT_ERROR);
        }
        Err(err @ AcceptError::Empty) => bail!("{}: {err}", reviewed.display()),
    };
    for shared in &accepted.shared_names {
        say!("gaztag: warning: {}: {shared}", reviewed.display());
    }
    write_to(args.output.as_ref(), |out| {
        Ok(write_yaml(out, &gazetteer.entities)?)
    })?;
    let summary: Vec<String> = accepted
        .per_type
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let count = accepted.count();
    say!(
        "gaztag: added {count} {} ({}) to the gazetteer's {}",
        if count == 1 { "entity" } else { "entities" },
        summary.join(", "),
        accepted.before
    );
    Ok(EXIT_OK)
}
