//! Tagged documents in other tools' formats: spaCy and doccano JSONL, CoNLL-2003 BIO,
//! brat standoff and one CSV row per mention. Each [`Format`] builds one document's
//! record; a sink takes the records in input order: [`RecordWriter`] one after the
//! other in one stream, like gaztag's own JSONL, and [`brat::BratFolder`] as files.
//!
//! spaCy, doccano and brat count offsets in characters (Python string indices), so
//! they get `char_start`/`char_end`; CSV carries both kinds.

use std::io::{self, Write};

use serde::Serialize;

pub mod brat;

use crate::io::batch::{RecordFormat, RecordSink, Tagged};
use crate::io::input::Document;
use crate::io::output::write_record;
use crate::tag::matcher::{Mention, Tagger};
use crate::text::words;

/// The record format of `gaztag tag --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// gaztag's own JSONL (see README).
    #[default]
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

impl Format {
    /// What comes before the first record (the CSV header row).
    pub(crate) fn header(self) -> &'static [u8] {
        match self {
            Format::Csv => b"doc,id,name,type,text,start,end,char_start,char_end,sentence,token\n",
            _ => b"",
        }
    }
}

/// A document's record in the format: for brat, its `.ann` file (see [`brat`]).
impl RecordFormat for Format {
    fn write_record<W: Write>(
        &self,
        out: &mut W,
        doc: &Document,
        mentions: &[Mention],
        tagger: &Tagger,
    ) -> io::Result<()> {
        match self {
            Format::Jsonl => write_record(out, doc, mentions, tagger).map_err(io::Error::from),
            Format::Brat => out.write_all(brat::annotations(doc, mentions, tagger).as_bytes()),
            Format::Spacy => write_spacy(out, doc, mentions, tagger),
            Format::Doccano => write_doccano(out, doc, mentions, tagger),
            Format::Conll => write_conll(out, doc, mentions, tagger),
            Format::Csv => write_csv(out, doc, mentions, tagger),
        }
    }
}

/// Writes records one after the other into one stream (a file or stdout), after the
/// format's header: gaztag's JSONL and every export but brat's folder.
pub struct RecordWriter<W> {
    format: Format,
    out: W,
}

impl<W: Write> RecordWriter<W> {
    pub fn new(format: Format, out: W) -> RecordWriter<W> {
        RecordWriter { format, out }
    }
}

impl<W: Write> RecordSink for RecordWriter<W> {
    type Format = Format;

    fn format(&self) -> Format {
        self.format
    }

    fn begin(&mut self) -> io::Result<()> {
        self.out.write_all(self.format.header())
    }

    fn write(&mut self, tagged: &Tagged, tagger: &Tagger) -> io::Result<()> {
        tagged.write_record(&mut self.out, tagger, &self.format)
    }
}

#[derive(Serialize)]
struct SpacyRecord<'a> {
    text: &'a str,
    spans: Vec<SpacySpan<'a>>,
}

#[derive(Serialize)]
struct SpacySpan<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    kb_id: &'a str,
}

fn write_spacy(
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> io::Result<()> {
    let spans = mentions
        .iter()
        .map(|m| {
            let e = tagger.entity(&m.entity);
            SpacySpan {
                start: m.char_start,
                end: m.char_end,
                label: e.kind.as_str(),
                kb_id: &e.id,
            }
        })
        .collect();
    let record = SpacyRecord {
        text: &doc.text,
        spans,
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct DoccanoRecord<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

fn write_doccano(
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> io::Result<()> {
    let label = mentions
        .iter()
        .map(|m| {
            (
                m.char_start,
                m.char_end,
                tagger.entity(&m.entity).kind.as_str(),
            )
        })
        .collect();
    let record = DoccanoRecord {
        text: &doc.text,
        label,
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

fn write_csv(
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(&mut *out);
    for m in mentions {
        let e = tagger.entity(&m.entity);
        let numbers = [
            doc.replacements.original_offset(m.start),
            doc.replacements.original_offset(m.end),
            m.char_start,
            m.char_end,
            m.sentence,
            m.token,
        ]
        .map(|n| n.to_string());
        let text = &doc.text[m.start..m.end];
        let fields = [&doc.name, &e.id, &e.name, e.kind.as_str(), text];
        writer.write_record(
            fields
                .iter()
                .map(|f| f.as_bytes())
                .chain(numbers.iter().map(|n| n.as_bytes())),
        )?;
    }
    writer.flush()
}

/// One CoNLL token: its byte span and its tag.
struct Token {
    start: usize,
    end: usize,
    /// Index of the mention it is part of, and whether it is that mention's first.
    mention: Option<(usize, bool)>,
}

/// The document's tokens: its whitespace-separated words, cut where a mention starts
/// or ends, with punctuation at the edges of words outside mentions split off ("Putin."
/// → "Putin", "."). Words inside a mention stay whole ("Côte d'Ivoire", "U.S."), so
/// the text rebuilt from the tokens still holds every name.
fn tokens(text: &str, mentions: &[Mention]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut next = 0; // the next mention that may start at or after the cursor
    let mut first_of_mention = true;
    for (word_start, word) in words::tokens(text) {
        let word_end = word_start + word.len();
        let mut at = word_start;
        while at < word_end {
            while next < mentions.len() && mentions[next].end <= at {
                next += 1;
                first_of_mention = true;
            }
            let inside = next < mentions.len() && mentions[next].start <= at;
            if inside {
                let end = mentions[next].end.min(word_end);
                out.push(Token {
                    start: at,
                    end,
                    mention: Some((next, first_of_mention)),
                });
                first_of_mention = false;
                at = end;
            } else {
                let end = mentions
                    .get(next)
                    .map_or(word_end, |m| m.start.clamp(at, word_end));
                split_punctuation(text, at, end, &mut out);
                at = end;
            }
        }
    }
    out
}

/// Pushes text[start..end] as tokens: leading and trailing punctuation one character
/// each, the rest as one token.
fn split_punctuation(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let piece = &text[start..end];
    let core = piece.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        for (i, c) in piece.char_indices() {
            out.push(plain(start + i, start + i + c.len_utf8()));
        }
        return;
    }
    let core_start = start
        + (piece.len()
            - piece
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len());
    let core_end = core_start + core.len();
    for (i, c) in text[start..core_start].char_indices() {
        out.push(plain(start + i, start + i + c.len_utf8()));
    }
    out.push(plain(core_start, core_end));
    for (i, c) in text[core_end..end].char_indices() {
        out.push(plain(core_end + i, core_end + i + c.len_utf8()));
    }
}

fn plain(start: usize, end: usize) -> Token {
    Token {
        start,
        end,
        mention: None,
    }
}

fn write_conll(
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> io::Result<()> {
    out.write_all(b"-DOCSTART- -X- -X- O\n")?;
    let mut locator = crate::text::segment::Locator::new(&doc.text);
    let mut sentence = None;
    for token in tokens(&doc.text, mentions) {
        let here = locator.locate(token.start).sentence;
        // A mention is never cut by a sentence break ("ST. CLOUD" in a headline).
        let continues_mention = matches!(token.mention, Some((_, false)));
        if sentence != Some(here) && !continues_mention {
            out.write_all(b"\n")?;
            sentence = Some(here);
        }
        let tag = match token.mention {
            None => "O".to_string(),
            Some((i, first)) => {
                let kind = &tagger.entity(&mentions[i].entity).kind;
                format!("{}-{kind}", if first { "B" } else { "I" })
            }
        };
        writeln!(out, "{} _ _ {tag}", &doc.text[token.start..token.end])?;
    }
    out.write_all(b"\n")
}
