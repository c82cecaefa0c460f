//! `gaztag check`: validate gazetteers and summarize them per type.

use std::collections::BTreeMap;

use anyhow::Context;
use clap::Args;

use super::guard::write_to;
use super::{EXIT_OK, GazetteerArgs};
use gaztag::Tagger;
use gaztag::analyze::report::thousands;
use gaztag::gazetteer::Gazetteer;

/// Validate gazetteers (the built-in set without -g) and print, per type, the number of
/// entities and aliases (every matchable form, names included), then warnings: aliases
/// shared by several entities, and one-letter aliases. Errors are printed as
/// FILE:LINE:COLUMN: MESSAGE and exit with code 2.
///
/// Examples:
///   gaztag check
///   gaztag check -g my-gazetteers/
///   gaztag check -g ruler.jsonl --gazetteer-format spacy
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_help = super::EXIT_CODES)]
pub struct CheckArgs {
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let gazetteer = args.gazetteer.load().context("invalid gazetteer")?;
    let mut lines = summary_lines(&gazetteer);
    let tagger = Tagger::new(gazetteer).context("cannot build the tagger")?;
    lines.extend(
        tagger
            .warnings()
            .into_iter()
            .map(|w| format!("warning: {w}")),
    );
    write_to(None, |out| {
        for line in &lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}

/// `LOC  25,310 entities  61,212 aliases`, one line per type, aligned.
fn summary_lines(gazetteer: &Gazetteer) -> Vec<String> {
    let mut per_type: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in &gazetteer.entities {
        let counts = per_type.entry(e.kind.as_str()).or_default();
        counts.0 += 1;
        counts.1 += e.surface_forms().count();
    }
    let rows: Vec<(&str, String, String)> = per_type
        .into_iter()
        .map(|(kind, (entities, aliases))| (kind, thousands(entities), thousands(aliases)))
        .collect();
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let w2 = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(kind, entities, aliases)| {
            format!("{kind:<w0$}  {entities:>w1$} entities  {aliases:>w2$} aliases")
        })
        .collect()
}
