//! Tagged documents in other tools' formats: spaCy and doccano JSONL, CoNLL-2003 BIO,
//! brat standoff and one CSV row per mention. Each writes one document's record; the
//! batch writes them in input order, like gaztag's own JSONL.
//!
//! spaCy, doccano and brat count offsets in characters (Python string indices), so
//! they get `char_start`/`char_end`; CSV carries both kinds.

use std::io::{self, Write};

use serde::Serialize;

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
    pub fn header(self) -> &'static [u8] {
        match self {
            Format::Csv => b"doc,id,name,type,text,start,end,char_start,char_end,sentence,token\n",
            _ => b"",
        }
    }
}

/// Writes one document's record in `format` (nothing for [`Format::Brat`], whose files
/// the caller writes: see [`brat_annotations`]).
pub fn write(
    format: Format,
    out: &mut impl Write,
    doc: &Document,
    mentions: &[Mention],
    tagger: &Tagger,
) -> io::Result<()> {
    match format {
        Format::Jsonl => write_record(out, doc, mentions, tagger).map_err(io::Error::from),
        // Files of their own, written by the caller (see `brat_annotations`).
        Format::Brat => Ok(()),
        Format::Spacy => write_spacy(out, doc, mentions, tagger),
        Format::Doccano => write_doccano(out, doc, mentions, tagger),
        Format::Conll => write_conll(out, doc, mentions, tagger),
        Format::Csv => write_csv(out, doc, mentions, tagger),
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

/// A document's brat standoff annotations (`.ann`): a text-bound `T` line per mention
/// with character offsets (a span across a line break as fragments, as brat requires),
/// and an `AnnotatorNotes` line holding the entity's id.
pub fn brat_annotations(doc: &Document, mentions: &[Mention], tagger: &Tagger) -> String {
    let mut ann = String::new();
    for (n, m) in mentions.iter().enumerate() {
        let e = tagger.entity(&m.entity);
        let mut fragments = Vec::new();
        let mut texts = Vec::new();
        let mut char_at = m.char_start;
        for line in doc.text[m.start..m.end].split(is_brat_line_break) {
            let chars = line.chars().count();
            if chars > 0 {
                fragments.push(format!("{} {}", char_at, char_at + chars));
                texts.push(line);
            }
            char_at += chars + 1;
        }
        ann.push_str(&format!(
            "T{}\t{} {}\t{}\n#{}\tAnnotatorNotes T{}\t{}\n",
            n + 1,
            e.kind,
            fragments.join(";"),
            texts.join(" "),
            n + 1,
            n + 1,
            e.id
        ));
    }
    ann
}

/// The characters that end a line for brat, which reads `.ann` files with Python's
/// `str.splitlines`: a fragment must not contain one, or brat drops the annotation.
fn is_brat_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A file name for a document's brat files: its name without a `.txt` ending, every
/// character that is not a letter, digit, `-`, `_` or `.` replaced by `_` (so
/// "news/a.txt" → "news_a").
pub fn brat_stem(name: &str) -> String {
    let stem: String = name
        .strip_suffix(".txt")
        .unwrap_or(name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "doc".to_string()
    } else {
        stem.to_string()
    }
}
