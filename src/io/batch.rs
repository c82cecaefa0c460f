//! Running a batch: documents stream in, are processed in parallel, and come out in order.
//!
//! A reader thread gathers documents into bounded chunks (by count and by bytes) while
//! the rayon pool processes the previous chunk, so memory stays flat in the corpus size
//! and reading overlaps the work. Results are handed back in input order, whatever the
//! number of threads.

use std::io::{self, Write};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::io::input::{Document, InputError};
use crate::tag::matcher::{Mention, Tagger};

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
            max_bytes: 1 << 20,
        }
    }
}

/// Processes every document: `prepare` runs in parallel (in the current rayon pool),
/// then `consume` receives the results one at a time in input order.
///
/// Input failures go to `on_failure` and the batch goes on; the number of failures is
/// returned. An error from `consume` stops the batch and is returned.
pub fn run_batch<I, T>(
    documents: I,
    limits: ChunkLimits,
    mut on_failure: impl FnMut(&InputError),
    prepare: impl Fn(Document) -> T + Sync,
    mut consume: impl FnMut(T) -> io::Result<()>,
) -> io::Result<u64>
where
    I: Iterator<Item = Result<Document, InputError>> + Send,
    T: Send,
{
    let (sender, receiver) = mpsc::sync_channel::<Vec<Result<Document, InputError>>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || read_chunks(documents, limits, sender));
        let mut failures = 0;
        for chunk in receiver {
            let prepared: Vec<Result<T, InputError>> = chunk
                .into_par_iter()
                .map(|item| item.and_then(|doc| prepare_guarded(&prepare, doc)))
                .collect();
            for item in prepared {
                match item {
                    Ok(value) => consume(value)?,
                    Err(error) => {
                        failures += 1;
                        on_failure(&error);
                    }
                }
            }
        }
        // Returning early on an error drops the receiver, which ends the reader.
        Ok(failures)
    })
}

/// `prepare(doc)`, with a panic (a bug of ours) turned into an error for this one
/// document, so the rest of a long batch is still processed and written.
fn prepare_guarded<T>(prepare: &impl Fn(Document) -> T, doc: Document) -> Result<T, InputError> {
    let name = doc.name.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(doc))).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        InputError::Internal {
            path: name,
            message,
        }
    })
}

/// What happened in a tagging batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: u64,
    pub bytes: u64,
    pub mentions: u64,
    /// Inputs (files or lines) that could not be read or parsed.
    pub failures: u64,
}

/// Records of documents larger than this are written straight to the output, in order,
/// by the writing thread, instead of being built beside the others in a worker: a
/// 200 MB document's record (about twice its size) is then never held whole.
pub(crate) const WRITE_IN_PLACE_BYTES: usize = 1 << 20;

/// How one tagged document becomes its record. Records are built in the worker
/// threads, beside the other documents of their chunk, so formatting runs in parallel
/// and the writing thread only copies bytes.
pub trait RecordFormat: Sync {
    /// Writes `doc`'s record.
    fn write_record<W: Write>(
        &self,
        out: &mut W,
        doc: &Document,
        mentions: &[Mention],
        tagger: &Tagger,
    ) -> io::Result<()>;
}

/// Where tagged documents go, one at a time in input order: the batch tags, a sink
/// writes (as ripgrep's searcher hands matches to a `Sink`). The JSONL writer and each
/// export are sinks; the batch knows no output format.
pub trait RecordSink {
    /// The format of the records built ahead in the workers.
    type Format: RecordFormat;

    /// The format records are built in; asked once, before the first document.
    fn format(&self) -> Self::Format;

    /// Called once, before the first document (a table's header row), or at the end of
    /// a run whose inputs were all empty; never in a run that read nothing.
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Takes one tagged document, whose record is built unless it is too large to
    /// hold (see `Tagged::write_record`). An error stops the batch.
    fn write(&mut self, tagged: &Tagged, tagger: &Tagger) -> io::Result<()>;
}

/// A document with its mentions and its record, ready to write.
pub struct Tagged {
    pub document: Document,
    pub mentions: Vec<Mention>,
    /// `None` for a document of over `WRITE_IN_PLACE_BYTES`: written when consumed.
    pub record: Option<io::Result<Vec<u8>>>,
}

impl Tagged {
    pub(crate) fn new(tagger: &Tagger, document: Document, format: &impl RecordFormat) -> Tagged {
        let mentions = tagger.tag(&document.text);
        let record = (document.text.len() <= WRITE_IN_PLACE_BYTES).then(|| {
            let mut record = Vec::with_capacity(64 + mentions.len() * 160);
            format
                .write_record(&mut record, &document, &mentions, tagger)
                .map(|()| record)
        });
        Tagged {
            document,
            mentions,
            record,
        }
    }

    /// Writes the record: the one built beforehand, or one formatted now.
    pub(crate) fn write_record(
        &self,
        out: &mut impl Write,
        tagger: &Tagger,
        format: &impl RecordFormat,
    ) -> io::Result<()> {
        match &self.record {
            Some(Ok(record)) => out.write_all(record),
            Some(Err(e)) => Err(io::Error::new(e.kind(), e.to_string())),
            None => format.write_record(out, &self.document, &self.mentions, tagger),
        }
    }
}

/// Tags every document and hands each, in input order, to `sink`. The sink begins
/// (a table's header) with the first record, or at the end when no input failed (empty
/// inputs give a header alone): a run in which every input failed writes nothing at
/// all, even to a terminal or pipe. `each` sees every tagged document after the sink
/// took it (for counts and warnings).
pub fn tag_batch<I, S: RecordSink>(
    tagger: &Tagger,
    documents: I,
    limits: ChunkLimits,
    sink: &mut S,
    on_failure: impl FnMut(&InputError),
    mut each: impl FnMut(&Tagged),
) -> io::Result<Summary>
where
    I: Iterator<Item = Result<Document, InputError>> + Send,
{
    let mut summary = Summary::default();
    let format = sink.format();
    summary.failures = run_batch(
        documents,
        limits,
        on_failure,
        |doc| Tagged::new(tagger, doc, &format),
        |t| {
            if summary.documents == 0 {
                sink.begin()?;
            }
            sink.write(&t, tagger)?;
            each(&t);
            summary.documents += 1;
            summary.bytes += t.document.text.len() as u64;
            summary.mentions += t.mentions.len() as u64;
            Ok(())
        },
    )?;
    if summary.documents == 0 && summary.failures == 0 {
        sink.begin()?;
    }
    Ok(summary)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str) -> Result<Document, InputError> {
        Ok(Document {
            name: name.into(),
            text: name.into(),
            ..Document::default()
        })
    }

    #[test]
    fn a_panic_on_one_document_fails_that_document_only() {
        let docs = vec![doc("a"), doc("boom"), doc("c")];
        let mut failed = Vec::new();
        let mut done = Vec::new();
        let failures = run_batch(
            docs.into_iter(),
            ChunkLimits::default(),
            |e| failed.push(e.to_string()),
            |d: Document| {
                assert!(d.name != "boom", "a bug");
                d.name
            },
            |name| {
                done.push(name);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(failures, 1);
        assert_eq!(done, ["a", "c"]);
        assert_eq!(
            failed,
            ["boom: internal error, document skipped (please report it): a bug"]
        );
    }
}
