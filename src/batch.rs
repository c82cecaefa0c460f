//! Tagging a batch: documents stream in, are tagged in parallel, and go out in order.
//!
//! A reader thread gathers documents into bounded chunks (by count and by bytes) while
//! the rayon pool tags the previous chunk, so memory stays flat in the corpus size and
//! reading overlaps tagging. Each chunk's records are serialized in parallel and then
//! written in input order, whatever the number of threads.

use std::io::{self, Write};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::input::{Document, InputError};
use crate::matcher::{Mention, Tagger};
use crate::output::write_record;
use crate::report::Frequencies;

/// Limits on how much input is held in memory at once.
#[derive(Debug, Clone, Copy)]
pub struct ChunkLimits {
    pub max_documents: usize,
    pub max_bytes: usize,
}

impl Default for ChunkLimits {
    fn default() -> Self {
        ChunkLimits {
            max_documents: 4096,
            max_bytes: 16 << 20,
        }
    }
}

/// What happened in a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: u64,
    pub bytes: u64,
    pub mentions: u64,
    /// Inputs (files or lines) that could not be read or parsed.
    pub failures: u64,
}

/// Receives what the batch has to say besides the records: failed inputs and warnings.
pub trait Diagnostics {
    fn input_failed(&mut self, error: &InputError);
    fn warning(&mut self, document: &str, message: &str);
}

/// Tags every document, writing one JSONL record each to `out` in input order.
///
/// Input failures are reported to `diagnostics` and counted; the batch goes on. Only an
/// error writing `out` stops it (returned as `Err`).
pub fn tag_batch<I>(
    tagger: &Tagger,
    documents: I,
    limits: ChunkLimits,
    out: &mut impl Write,
    frequencies: &mut Frequencies,
    diagnostics: &mut impl Diagnostics,
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<Document, InputError>> + Send,
{
    let (sender, receiver) = mpsc::sync_channel::<Vec<Result<Document, InputError>>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || read_chunks(documents, limits, sender));
        let mut summary = Summary::default();
        for chunk in receiver {
            let tagged: Vec<Result<Tagged, InputError>> = chunk
                .into_par_iter()
                .map(|item| item.map(|doc| Tagged::new(tagger, doc)))
                .collect();
            for item in tagged {
                match item {
                    Err(error) => {
                        summary.failures += 1;
                        diagnostics.input_failed(&error);
                    }
                    Ok(t) => {
                        let record = t.record?;
                        for w in &t.document.warnings {
                            diagnostics.warning(&t.document.name, w);
                        }
                        out.write_all(&record)?;
                        frequencies.add_document(&t.mentions, tagger.entities());
                        summary.documents += 1;
                        summary.bytes += t.document.text.len() as u64;
                        summary.mentions += t.mentions.len() as u64;
                    }
                }
            }
        }
        // Returning early on a write error drops the receiver, which ends the reader.
        Ok(summary)
    })
}

struct Tagged {
    document: Document,
    mentions: Vec<Mention>,
    record: io::Result<Vec<u8>>,
}

impl Tagged {
    fn new(tagger: &Tagger, document: Document) -> Tagged {
        let mentions = tagger.tag(&document.text);
        let mut record = Vec::with_capacity(64 + mentions.len() * 160);
        let record = write_record(&mut record, &document, &mentions, tagger.entities())
            .map(|()| record)
            .map_err(io::Error::from);
        Tagged {
            document,
            mentions,
            record,
        }
    }
}

fn read_chunks<I>(
    documents: I,
    limits: ChunkLimits,
    sender: mpsc::SyncSender<Vec<Result<Document, InputError>>>,
) where
    I: Iterator<Item = Result<Document, InputError>>,
{
    let mut chunk = Vec::new();
    let mut bytes = 0;
    for item in documents {
        if let Ok(doc) = &item {
            bytes += doc.text.len();
        }
        chunk.push(item);
        if chunk.len() >= limits.max_documents || bytes >= limits.max_bytes {
            if sender.send(std::mem::take(&mut chunk)).is_err() {
                return;
            }
            bytes = 0;
        }
    }
    if !chunk.is_empty() {
        let _ = sender.send(chunk);
    }
}
