//! `gaztag convert`: a gazetteer in another format.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::guard::{Inputs, write_to};
use super::{EXIT_OK, GazetteerArgs};
use gaztag::gazetteer::write::{write_spacy, write_tsv, write_yaml};

/// Write gazetteers in another format: gaztag's YAML, a TSV table, or spaCy
/// EntityRuler patterns (JSONL). Reads what -g reads (the built-in set without it).
///
/// Examples:
///   gaztag convert -g patterns.jsonl --to yaml -o people.yaml
///   gaztag convert -g gate/lists.def --to tsv -o names.tsv
///   gaztag convert --to spacy -o builtin-patterns.jsonl
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,

    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ConvertTo,

    /// Write here instead of stdout (replaced atomically when done).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConvertTo {
    Yaml,
    Tsv,
    Spacy,
}

pub fn run(args: ConvertArgs) -> anyhow::Result<u8> {
    Inputs::default()
        .files(&args.gazetteer.gazetteers)
        .check_output(args.output.as_ref())?;
    let gazetteer = args.gazetteer.load().context("invalid gazetteer")?;
    let entities = &gazetteer.entities;
    write_to(args.output.as_ref(), |out| {
        match args.to {
            ConvertTo::Yaml => write_yaml(out, entities),
            ConvertTo::Tsv => write_tsv(out, entities),
            ConvertTo::Spacy => write_spacy(out, entities),
        }
        .map_err(anyhow::Error::from)
    })?;
    Ok(EXIT_OK)
}
