//! Document input: files, folders, JSONL and stdin, streamed one document at a time.
//!
//! Inputs are read lazily so memory stays flat however large the corpus: a folder is
//! walked entry by entry and a JSONL file is read line by line. A problem with one input
//! (unreadable file, malformed line) is yielded as an error item and reading goes on
//! with the next one, so one bad file never stops a batch.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// One text to tag, with its name and any extra fields it came with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The file path, the JSONL `id`, or `PATH:LINE` for a JSONL line without one.
    pub name: String,
    /// The text to tag; mention offsets index it.
    pub text: String,
    /// The JSONL line's other fields (`date`, `source`, `url`…), in input order.
    pub meta: Option<Map<String, Value>>,
    /// Non-fatal problems met while reading (e.g. invalid UTF-8 replaced).
    pub warnings: Vec<String>,
    /// `PATH:LINE` of the JSONL line the document came from, so a warning about it
    /// points at the line even when the document is named by its id.
    pub origin: Option<String>,
    /// Where invalid UTF-8 of a plain-text file was replaced, so that offsets written
    /// out index the file's bytes and not the longer decoded text.
    pub replacements: Replacements,
}

/// The U+FFFD put in for invalid UTF-8, to map an offset in the decoded text back to
/// the original bytes. Empty (no allocation, no lookup) for valid input, the usual case.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replacements {
    /// For each U+FFFD, in text order: its end in the decoded text and the end of the
    /// bytes it stands for in the original.
    ends: Vec<(usize, usize)>,
}

impl Replacements {
    /// The original byte offset of `offset` in the decoded text (a char boundary).
    pub fn original_offset(&self, offset: usize) -> usize {
        match self
            .ends
            .partition_point(|&(text_end, _)| text_end <= offset)
        {
            0 => offset,
            i => {
                let (text_end, original_end) = self.ends[i - 1];
                original_end + (offset - text_end)
            }
        }
    }

    /// Whether the input was valid UTF-8, so that offsets need no mapping.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// How to interpret input files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// `.jsonl`/`.ndjson` files are JSONL, other files are plain text; stdin is JSONL
    /// when its first non-blank character is `{`.
    #[default]
    Auto,
    /// Every input is one plain-text document.
    Text,
    /// Every input holds one JSON document per line.
    Jsonl,
}

/// Where documents come from and how JSONL records are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Plain text, JSONL, or decided per input.
    pub format: InputFormat,
    /// The JSONL field holding the text (`text` by default).
    pub text_field: String,
    /// The JSONL field naming the document (`id` by default); lines without it are
    /// named `PATH:LINE`.
    pub id_field: String,
    /// Invalid UTF-8 and duplicate ids are errors (the document is not tagged), not
    /// warnings.
    pub strict: bool,
    /// The largest document read, in bytes after decompression: a text file, or one
    /// JSONL line. Reading stops there, so an endless or bomb-like input costs at most
    /// this much memory.
    pub max_document_size: u64,
}

/// Large enough for any real article or book, small enough to refuse `/dev/zero`-like
/// streams before they exhaust memory.
pub const DEFAULT_MAX_DOCUMENT_SIZE: u64 = 1 << 30;

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: InputFormat::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
            strict: false,
            max_document_size: DEFAULT_MAX_DOCUMENT_SIZE,
        }
    }
}

/// A problem with one input; the batch goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The input could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The input, as given (`-` for stdin).
        path: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// A JSONL line that cannot be used (no text field, too long, binary data…).
    #[error("{path}:{line}: {message}")]
    Line {
        /// The input, as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong, for a person.
        message: String,
    },
    /// A whole document that cannot be used (over 4 GiB; invalid UTF-8 or a repeated
    /// id under `strict`).
    #[error("{path}: {message}")]
    Invalid {
        /// The input or document name.
        path: String,
        /// What is wrong, for a person.
        message: String,
    },
    /// A bug: tagging this document panicked. It is skipped; the batch goes on.
    #[error("{path}: internal error, document skipped (please report it): {message}")]
    Internal {
        /// The document's name.
        path: String,
        /// The panic's message.
        message: String,
    },
    /// A JSONL line that is not a record, with the column (in bytes, from 1) where
    /// it goes wrong.
    #[error("{path}:{line}:{column}: {message}")]
    At {
        /// The input, as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based byte column.
        column: usize,
        /// What is wrong, for a person.
        message: String,
    },
    /// A NUL byte: not text. Skipped as ripgrep skips binary files.
    #[error("{path}: binary file (NUL byte at byte {offset}), skipped")]
    Binary {
        /// The input, as given.
        path: String,
        /// Byte offset of the first NUL.
        offset: u64,
    },
    /// Larger than `--max-document-size`: reading stopped there.
    #[error(
        "{path}: document larger than {} (--max-document-size), skipped; raise the limit to read it",
        human_size(*limit)
    )]
    TooLarge {
        /// The input, as given.
        path: String,
        /// The limit, in bytes ([`InputOptions::max_document_size`]).
        limit: u64,
    },
}

/// `1 GiB`, `512 MiB`, `1000 bytes`: a size as the user may have written it.
pub(crate) fn human_size(bytes: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// The label standing for standard input, as on the command line.
pub(crate) const STDIN: &str = "-";

/// Streams the documents of every input in order: files as given, folders in sorted
/// path order (hidden entries skipped), JSONL in line order. No inputs means stdin.
pub struct Documents {
    options: InputOptions,
    queue: VecDeque<PathBuf>,
    walker: Option<FolderWalker>,
    jsonl: Option<JsonlReader>,
    ids: DuplicateIds,
}

impl Documents {
    /// Paths are taken as the OS gives them: a name that is not valid UTF-8 is read
    /// like any other and shown with U+FFFD in messages and document names.
    pub fn new<P: AsRef<Path>>(inputs: &[P], options: InputOptions) -> Documents {
        let mut queue: VecDeque<PathBuf> =
            inputs.iter().map(|p| p.as_ref().to_path_buf()).collect();
        if queue.is_empty() {
            queue.push_back(PathBuf::from(STDIN));
        }
        Documents {
            options,
            queue,
            walker: None,
            jsonl: None,
            ids: DuplicateIds::default(),
        }
    }

    /// Opens one input path (not a folder) and returns its document, or starts reading
    /// it as JSONL and returns `None`.
    fn open_file(&mut self, path: &Path) -> Option<Result<Document, InputError>> {
        let label = path.display().to_string();
        // "wire.jsonl.gz" is JSONL, compressed: the format is the extension before ".gz".
        let compression = Compression::of_path(path);
        let inner = if compression == Compression::None {
            path
        } else {
            path.file_stem().map_or(path, Path::new)
        };
        let is_jsonl = match self.options.format {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => matches!(
                inner.extension().and_then(|e| e.to_str()),
                Some("jsonl") | Some("ndjson")
            ),
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(source) => {
                return Some(Err(InputError::Io {
                    path: label,
                    source,
                }));
            }
        };
        let file_size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let reader = compression
            .decoder(BufReader::new(file))
            .and_then(|reader| decode_utf16(Box::new(BufReader::new(reader))));
        let reader = match reader {
            Ok(reader) => reader,
            Err(source) => {
                return Some(Err(InputError::Io {
                    path: label,
                    source,
                }));
            }
        };
        if is_jsonl {
            self.jsonl = Some(JsonlReader::new(label, reader));
            return None;
        }
        // An uncompressed file's size: its text is then read into one allocation.
        let size = file_size.filter(|_| compression == Compression::None);
        let mut document = read_text_document(label, reader, &self.options, size);
        if let Ok(doc) = &mut document
            && self.options.format == InputFormat::Auto
            && looks_like_jsonl(&doc.text)
        {
            doc.warnings.push(
                "looks like JSONL but is read as one text document: name it .jsonl or .ndjson, \
                 or pass --input-format jsonl"
                    .into(),
            );
        }
        Some(document)
    }

    fn open_stdin(&mut self) -> Option<Result<Document, InputError>> {
        let reader = stdin_decompressed().and_then(|reader| decode_utf16(Box::new(reader)));
        let mut reader = match reader {
            Ok(reader) => reader,
            Err(source) => {
                return Some(Err(InputError::Io {
                    path: STDIN.into(),
                    source,
                }));
            }
        };
        let is_jsonl = match self.options.format {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => match starts_with_brace(&mut reader) {
                Ok(yes) => yes,
                Err(source) => {
                    return Some(Err(InputError::Io {
                        path: STDIN.into(),
                        source,
                    }));
                }
            },
        };
        if is_jsonl {
            self.jsonl = Some(JsonlReader::new(STDIN.into(), reader));
            return None;
        }
        Some(read_text_document(
            STDIN.into(),
            reader,
            &self.options,
            None,
        ))
    }

    fn open_input(&mut self, path: PathBuf) -> Option<Result<Document, InputError>> {
        if path.as_os_str() == STDIN {
            return self.open_stdin();
        }
        match std::fs::metadata(&path) {
            Err(source) => Some(Err(InputError::Io {
                path: path.display().to_string(),
                source,
            })),
            Ok(meta) if meta.is_dir() => {
                self.walker = Some(folder_walker(&path));
                None
            }
            Ok(_) => self.open_file(&path),
        }
    }

    fn next_from_walker(&mut self) -> Option<Option<Result<Document, InputError>>> {
        let walker = self.walker.as_mut()?;
        match walker.next() {
            None => {
                self.walker = None;
                Some(None)
            }
            Some(Err(err)) => {
                let path = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                Some(Some(Err(InputError::Io {
                    path,
                    source: err.into(),
                })))
            }
            Some(Ok(entry)) if entry.file_type().is_file() => Some(self.open_file(entry.path())),
            Some(Ok(_)) => Some(None),
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.next_unchecked()?;
        Some(item.and_then(|doc| self.ids.check(doc, self.options.strict)))
    }
}

impl Documents {
    /// The next document before the duplicate-id check.
    fn next_unchecked(&mut self) -> Option<Result<Document, InputError>> {
        loop {
            if let Some(reader) = self.jsonl.as_mut() {
                match reader.next_document(&self.options) {
                    Some(item) => return Some(item),
                    None => self.jsonl = None,
                }
            }
            if let Some(step) = self.next_from_walker() {
                match step {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            let input = self.queue.pop_front()?;
            if let Some(item) = self.open_input(input) {
                return Some(item);
            }
        }
    }
}

/// The ids of the recent documents, to flag one that comes again: downstream joins on
/// `doc` would silently mix the two. Only the last [`DUPLICATE_WINDOW`] documents are
/// remembered, so memory stays flat however long the run (a table of every id grew by
/// about 35 bytes a document); a run no longer than that is checked whole. Only a 64-bit
/// hash of each id is kept: a false alarm needs two ids with one hash among the window,
/// a chance of about 3 in 10^8.
struct DuplicateIds {
    /// Hash of the id → the 1-based number of the latest document that had it, which is
    /// its line in the output.
    latest: rustc_hash::FxHashMap<u64, u64>,
    /// The hash of document `n` at `(n - 1) % window`, to forget it when it leaves.
    recent: Vec<u64>,
    window: usize,
    documents: u64,
}

/// How many of the latest documents a repeated id is looked for among: about a
/// million, some 40 MB at most.
pub(crate) const DUPLICATE_WINDOW: usize = 1 << 20;

impl Default for DuplicateIds {
    fn default() -> Self {
        DuplicateIds::with_window(DUPLICATE_WINDOW)
    }
}

impl DuplicateIds {
    fn with_window(window: usize) -> DuplicateIds {
        DuplicateIds {
            latest: Default::default(),
            recent: Vec::new(),
            window: window.max(1),
            documents: 0,
        }
    }

    fn check(&mut self, mut doc: Document, strict: bool) -> Result<Document, InputError> {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(&doc.name);
        let number = self.documents + 1;
        if let Some(&previous) = self.latest.get(&hash) {
            let message = format!(
                "duplicate id {:?}: document {previous} of this run (output line {previous}) has it too",
                doc.name
            );
            if strict {
                return Err(InputError::Invalid {
                    path: doc.name,
                    message: format!("{message} (--strict)"),
                });
            }
            doc.warnings.push(message);
        }
        self.remember(hash, number);
        self.documents = number;
        Ok(doc)
    }

    /// Records document `number`'s id hash, forgetting the document that leaves the
    /// window (unless its id came again since, inside the window).
    fn remember(&mut self, hash: u64, number: u64) {
        let slot = ((number - 1) % self.window as u64) as usize;
        if slot == self.recent.len() {
            self.recent.push(hash);
        } else {
            let old = std::mem::replace(&mut self.recent[slot], hash);
            let leaving = number - self.window as u64;
            if self.latest.get(&old) == Some(&leaving) {
                self.latest.remove(&old);
            }
        }
        self.latest.insert(hash, number);
    }
}

type FolderWalker = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

/// Entries under `root`, depth first, names sorted (so files come in sorted path
/// order), hidden entries skipped; symlinks are followed and loops reported.
fn folder_walker(root: &Path) -> FolderWalker {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(is_visible as fn(&walkdir::DirEntry) -> bool)
}

fn is_visible(entry: &walkdir::DirEntry) -> bool {
    entry.depth() == 0
        || !entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with('.'))
}

/// A text whose first line is a JSON object is almost surely JSONL with another name.
fn looks_like_jsonl(text: &str) -> bool {
    let first = text.trim_start().lines().next().unwrap_or("").trim_end();
    first.starts_with('{')
        && first.ends_with('}')
        && serde_json::from_str::<Map<String, Value>>(first).is_ok()
}

/// How an input is compressed: files say so by their extension (`.gz`, `.zst`), standard
/// input by its first bytes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn of_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// By the format's magic number.
    pub fn of_bytes(start: &[u8]) -> Compression {
        if start.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if start.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The decompressed stream. Both decoders read every member or frame of the input,
    /// so `cat a.gz b.gz` (or `a.zst b.zst`) reads as the two files one after the other.
    pub fn decoder<'a>(
        self,
        raw: impl BufRead + Send + 'a,
    ) -> io::Result<Box<dyn Read + Send + 'a>> {
        Ok(match self {
            Compression::None => Box::new(raw),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(raw)?),
        })
    }
}

/// Opens a file, decompressed by its extension.
pub(crate) fn open_decompressed(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    let file = File::open(path)?;
    Compression::of_path(path).decoder(BufReader::with_capacity(1 << 16, file))
}

/// Standard input, decompressed when it starts with gzip's or zstd's magic bytes
/// (`zcat` is then not needed in a pipeline).
pub(crate) fn stdin_decompressed() -> io::Result<BufReader<Box<dyn Read + Send>>> {
    let mut raw = BufReader::with_capacity(1 << 16, io::stdin());
    let compression = Compression::of_bytes(raw.fill_buf()?);
    Ok(BufReader::with_capacity(1 << 16, compression.decoder(raw)?))
}

/// A stream as UTF-8: one that starts with a UTF-16 byte-order mark (what Windows
/// tools write as "Unicode") is decoded, the mark dropped, so offsets count in the
/// decoded UTF-8 text; any other stream is passed on as it is.
fn decode_utf16(mut reader: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    let big_endian = match reader.fill_buf()? {
        [0xFF, 0xFE, ..] => false,
        [0xFE, 0xFF, ..] => true,
        // A short read (a pipe) may hold the mark's first byte only.
        &[first @ (0xFF | 0xFE)] => {
            reader.consume(1);
            match (first, reader.fill_buf()?.first()) {
                (0xFF, Some(0xFE)) | (0xFE, Some(0xFF)) => {}
                _ => return Ok(Box::new(io::Cursor::new([first]).chain(reader))),
            }
            reader.consume(1);
            return Ok(utf16_reader(reader, first == 0xFE));
        }
        _ => return Ok(reader),
    };
    reader.consume(2);
    Ok(utf16_reader(reader, big_endian))
}

fn utf16_reader(reader: Box<dyn BufRead + Send>, big_endian: bool) -> Box<dyn BufRead + Send> {
    let utf16 = Utf16Reader {
        inner: reader,
        big_endian,
        out: Vec::new(),
        pos: 0,
        odd: None,
        high: None,
    };
    Box::new(BufReader::with_capacity(1 << 16, utf16))
}

/// UTF-16 to UTF-8, as it is read. Hand-written over `char::decode_utf16` rather than a
/// dependency: only the two byte orders are needed, and this keeps reading streamed.
/// An unpaired surrogate or a final odd byte becomes the byte 0xFF, never valid UTF-8,
/// so the UTF-8 decoding after it replaces and notes it as any invalid text (an error
/// with `--strict`).
struct Utf16Reader {
    inner: Box<dyn BufRead + Send>,
    big_endian: bool,
    /// Decoded bytes not yet returned, from `pos`.
    out: Vec<u8>,
    pos: usize,
    /// The first byte of a code unit split between two reads.
    odd: Option<u8>,
    /// A high surrogate at the end of a read, which the next unit may complete.
    high: Option<u16>,
}

impl Utf16Reader {
    /// Decodes the next block into `out`; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.pos = 0;
        let big_endian = self.big_endian;
        let unit = |a: u8, b: u8| {
            if big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        };
        let bytes = self.inner.fill_buf()?;
        if bytes.is_empty() {
            let unpaired = usize::from(self.high.take().is_some());
            let odd = usize::from(self.odd.take().is_some());
            self.out.resize(unpaired + odd, 0xFF);
            return Ok(!self.out.is_empty());
        }
        let mut units: Vec<u16> = self.high.take().into_iter().collect();
        let mut rest = bytes;
        if let Some(first) = self.odd.take() {
            units.push(unit(first, rest[0]));
            rest = &rest[1..];
        }
        let mut pairs = rest.chunks_exact(2);
        units.extend(pairs.by_ref().map(|p| unit(p[0], p[1])));
        self.odd = pairs.remainder().first().copied();
        let n = bytes.len();
        self.inner.consume(n);
        if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.high = units.pop();
        }
        for decoded in char::decode_utf16(units) {
            match decoded {
                Ok(c) => self
                    .out
                    .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                Err(_) => self.out.push(0xFF),
            }
        }
        Ok(true)
    }
}

impl Read for Utf16Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn starts_with_brace(reader: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Ok(buf[i] == b'{' || buf[i..].starts_with(b"\xEF\xBB\xBF{")),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

fn read_text_document(
    label: String,
    mut reader: impl Read,
    options: &InputOptions,
    size_hint: Option<u64>,
) -> Result<Document, InputError> {
    let bytes = match read_capped(&mut reader, options.max_document_size, size_hint) {
        Ok(Capped::Whole(bytes)) => bytes,
        Ok(Capped::Binary(offset)) => {
            return Err(InputError::Binary {
                path: label,
                offset,
            });
        }
        Ok(Capped::TooLarge) => {
            return Err(InputError::TooLarge {
                path: label,
                limit: options.max_document_size,
            });
        }
        Err(source) => {
            return Err(InputError::Io {
                path: label,
                source,
            });
        }
    };
    let decoded = decode(bytes);
    let mut warnings = Vec::new();
    if let Some(at) = decoded.first_invalid() {
        if options.strict {
            return Err(InputError::Invalid {
                path: label,
                message: format!("invalid UTF-8 at byte {at} (--strict)"),
            });
        }
        warnings.push(format!(
            "invalid UTF-8 replaced with U+FFFD (first at byte {at}); offsets index the original bytes"
        ));
    }
    check_size(&label, &decoded.text)?;
    Ok(Document {
        name: label,
        text: decoded.text,
        meta: None,
        warnings,
        origin: None,
        replacements: decoded.replacements,
    })
}

/// What reading a whole text document gave.
enum Capped {
    Whole(Vec<u8>),
    /// A NUL byte at this offset: reading stopped at the block that held it.
    Binary(u64),
    /// More than the limit: reading stopped just past it.
    TooLarge,
}

/// The first block looked at for a NUL byte, as ripgrep does: a binary file (or
/// `/dev/zero`) is refused after 8 KiB, not after reading it whole.
const FIRST_BLOCK: u64 = 8 << 10;

/// Reads everything up to `limit` bytes, block by block (the first one small), stopping
/// at the first block holding a NUL byte: memory never exceeds the limit.
/// `size_hint`, when known, is reserved at once (growing by doubling would hold about
/// twice the text at the end).
fn read_capped(reader: &mut impl Read, limit: u64, size_hint: Option<u64>) -> io::Result<Capped> {
    let mut bytes = Vec::new();
    if let Some(size) = size_hint {
        // One byte more, to read the end without growing.
        let size = size.min(limit).saturating_add(1);
        reserve_up_to(&mut bytes, usize::try_from(size).unwrap_or(0), limit);
    }
    let mut block = FIRST_BLOCK;
    loop {
        let start = bytes.len();
        let mut want = block.min(limit.saturating_add(1).saturating_sub(start as u64));
        // Fill what is reserved before growing it.
        match (bytes.capacity() - start) as u64 {
            0 => reserve_up_to(&mut bytes, want as usize, limit),
            spare => want = want.min(spare),
        }
        let n = reader.by_ref().take(want).read_to_end(&mut bytes)?;
        if let Some(at) = memchr::memchr(0, &bytes[start..]) {
            return Ok(Capped::Binary((start + at) as u64));
        }
        if bytes.len() as u64 > limit {
            return Ok(Capped::TooLarge);
        }
        if (n as u64) < want {
            return Ok(Capped::Whole(bytes));
        }
        block = (block * 2).min(1 << 24);
    }
}

/// Room for `more` bytes, growing by doubling as `Vec` does, but never past the limit
/// (and one byte to tell a longer input): doubling from 512 MiB would take 2 GiB to read
/// a 1 GiB limit.
fn reserve_up_to(bytes: &mut Vec<u8>, more: usize, limit: u64) {
    let needed = bytes.len() + more;
    if bytes.capacity() >= needed {
        return;
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let target = bytes
        .capacity()
        .saturating_mul(2)
        .clamp(needed, cap.max(needed));
    bytes.reserve_exact(target - bytes.len());
}

/// Offsets are kept as `u32` inside the matcher.
fn check_size(label: &str, text: &str) -> Result<(), InputError> {
    if text.len() > u32::MAX as usize {
        return Err(InputError::Invalid {
            path: label.to_string(),
            message: "document larger than 4 GiB".into(),
        });
    }
    Ok(())
}

/// Text decoded from bytes, with what it takes to point back into them.
#[derive(Debug, PartialEq)]
struct Decoded {
    text: String,
    /// Offsets into the bytes after the byte-order mark.
    replacements: Replacements,
    /// The length of the byte-order mark dropped (0 or 3).
    bom: usize,
}

impl Decoded {
    /// The offset in the input bytes (byte-order mark included) of the first invalid byte.
    fn first_invalid(&self) -> Option<usize> {
        // Before the first U+FFFD the text is the bytes themselves.
        let &(text_end, _) = self.replacements.ends.first()?;
        Some(self.bom + text_end - '\u{FFFD}'.len_utf8())
    }

    /// The 1-based column in the input bytes of a 1-based column in the text.
    fn original_column(&self, column: usize) -> usize {
        self.bom + self.replacements.original_offset(column.saturating_sub(1)) + 1
    }
}

/// Bytes to text: a UTF-8 byte-order mark is dropped; invalid UTF-8 is replaced with
/// U+FFFD (one for each maximal invalid sequence, as `String::from_utf8_lossy` does), so
/// one bad byte never loses a whole article. Valid input is moved, not copied.
fn decode(mut bytes: Vec<u8>) -> Decoded {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        3
    } else {
        0
    };
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text,
                replacements: Replacements::default(),
                bom,
            };
        }
        Err(err) => err.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut ends = Vec::new();
    let mut original = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        original += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push('\u{FFFD}');
            original += chunk.invalid().len();
            ends.push((text.len(), original));
        }
    }
    Decoded {
        text,
        replacements: Replacements { ends },
        bom,
    }
}

/// The documents of one JSONL stream, line by line: what `Documents` does with a
/// `.jsonl` file, for a reader of the caller's (a socket, a decompressor, a test).
pub struct JsonlDocuments {
    reader: JsonlReader,
    options: InputOptions,
}

impl JsonlDocuments {
    /// `label` names the stream in errors and in the names of lines without an id.
    pub fn new(
        label: &str,
        reader: impl BufRead + Send + 'static,
        options: InputOptions,
    ) -> JsonlDocuments {
        JsonlDocuments {
            reader: JsonlReader::new(label.to_string(), Box::new(reader)),
            options,
        }
    }
}

impl Iterator for JsonlDocuments {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.reader.next_document(&self.options)
    }
}

/// Reads a JSONL stream line by line.
struct JsonlReader {
    label: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    /// Bytes read so far, for the offset of a NUL byte.
    offset: u64,
    buf: Vec<u8>,
    /// Set after a read error: the stream is abandoned, not read again (a failing disk
    /// would otherwise yield the same error forever).
    failed: bool,
}

impl JsonlReader {
    fn new(label: String, reader: Box<dyn BufRead + Send>) -> JsonlReader {
        JsonlReader {
            label,
            reader,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            failed: false,
        }
    }

    /// The next document, an error for the next bad line, or `None` at the end.
    fn next_document(&mut self, options: &InputOptions) -> Option<Result<Document, InputError>> {
        if self.failed {
            return None;
        }
        loop {
            self.buf.clear();
            let limit = options.max_document_size;
            match read_line_capped(&mut self.reader, &mut self.buf, limit) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(source) => {
                    self.failed = true;
                    return Some(Err(InputError::Io {
                        path: self.label.clone(),
                        source,
                    }));
                }
            }
            let start = self.offset;
            self.offset += self.buf.len() as u64;
            if let Some(at) = memchr::memchr(0, &self.buf) {
                // JSON text never holds a raw NUL: this is a binary file, and every
                // further "line" of it would be one more error.
                self.failed = true;
                return Some(Err(InputError::Line {
                    path: self.label.clone(),
                    line: self.line,
                    message: format!(
                        "NUL byte (at byte {}): binary data, the rest of the file is skipped",
                        start + at as u64
                    ),
                }));
            }
            if line_length(&self.buf) > limit {
                return Some(Err(self.skip_long_line(limit)));
            }
            let bytes = std::mem::take(&mut self.buf);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_jsonl_line(&self.label, self.line, bytes, options));
        }
    }
}

/// Carried-over fields nested deeper than this are left out of `meta`: the record
/// nests them two levels deeper again, and every reader of records (ours, serde_json's
/// recursion limit of 128) must be able to read back what `tag` writes.
pub(crate) const MAX_META_DEPTH: usize = 64;

impl JsonlReader {
    /// The error for a line over the limit, after reading past its end without keeping
    /// it, so the next line is read next. A NUL byte met on the way makes the file
    /// binary: its rest is skipped.
    fn skip_long_line(&mut self, limit: u64) -> InputError {
        let mut message = format!(
            "line longer than {} (--max-document-size), skipped; raise the limit to read it",
            human_size(limit)
        );
        match skip_line(&mut self.reader) {
            Ok((skipped, None)) => self.offset += skipped,
            Ok((_, Some(at))) => {
                self.failed = true;
                message.push_str(&format!(
                    "; a NUL byte (at byte {}) follows: binary data, the rest of the file is skipped",
                    self.offset + at
                ));
            }
            Err(err) => {
                self.failed = true;
                message.push_str(&format!("; then reading failed: {err}"));
            }
        }
        InputError::Line {
            path: self.label.clone(),
            line: self.line,
            message,
        }
    }
}

/// A line's length without its `\n`.
pub(crate) fn line_length(line: &[u8]) -> u64 {
    (line.len() - usize::from(line.ends_with(b"\n"))) as u64
}

/// Reads one line, `\n` included, into `buf` as `read_until` does, but keeps at most
/// `limit + 1` bytes of it (the caller tells a long line by its length) and returns
/// early after a block holding a NUL byte: neither an endless line nor `/dev/zero`
/// fills memory. Returns the bytes read.
pub(crate) fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> io::Result<usize> {
    let mut total = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(total);
        }
        let room = limit.saturating_add(1).saturating_sub(line_length(buf));
        let window = &available[..available
            .len()
            .min(usize::try_from(room).unwrap_or(usize::MAX))];
        let (used, done) = match memchr::memchr(b'\n', window) {
            Some(i) => (i + 1, true),
            None => (window.len(), false),
        };
        buf.extend_from_slice(&window[..used]);
        let binary = memchr::memchr(0, &window[..used]).is_some();
        reader.consume(used);
        total += used;
        if done || binary || line_length(buf) > limit {
            return Ok(total);
        }
    }
}

/// Reads to the end of the current line without keeping it. Returns the bytes read and
/// the offset among them of a NUL byte, where reading stopped.
pub(crate) fn skip_line(reader: &mut dyn BufRead) -> io::Result<(u64, Option<u64>)> {
    let mut total = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok((total, None));
        }
        let end = memchr::memchr(b'\n', available).map_or(available.len(), |i| i + 1);
        if let Some(at) = memchr::memchr(0, &available[..end]) {
            return Ok((total, Some(total + at as u64)));
        }
        let ends_line = available[end - 1] == b'\n';
        reader.consume(end);
        total += end as u64;
        if ends_line {
            return Ok((total, None));
        }
    }
}

fn parse_jsonl_line(
    label: &str,
    line: usize,
    mut bytes: Vec<u8>,
    options: &InputOptions,
) -> Result<Document, InputError> {
    bytes.truncate(without_line_end(&bytes).len());
    let origin = format!("{label}:{line}");
    let decoded = decode(bytes);
    let mut warnings = Vec::new();
    if let Some(at) = decoded.first_invalid() {
        let column = at + 1;
        if options.strict {
            return Err(InputError::At {
                path: label.to_string(),
                line,
                column,
                message: "invalid UTF-8 (--strict)".into(),
            });
        }
        warnings.push(format!(
            "invalid UTF-8 replaced with U+FFFD (first at column {column}); offsets count \
             each U+FFFD as its 3 bytes"
        ));
    }
    let seed = LineSeed {
        text_field: &options.text_field,
        id_field: &options.id_field,
    };
    let mut de = serde_json::Deserializer::from_str(&decoded.text);
    let parsed = seed
        .deserialize(&mut de)
        .and_then(|parsed| de.end().map(|()| parsed))
        .map_err(|err| json_error(label, line, &decoded, &err))?;
    let name = parsed.id.unwrap_or_else(|| origin.clone());
    let mut meta = parsed.meta;
    drop_deep_fields(&mut meta, &mut warnings);
    check_size(&name, &parsed.text)?;
    Ok(Document {
        name,
        text: parsed.text,
        meta: (!meta.is_empty()).then_some(meta),
        warnings,
        origin: Some(origin),
        replacements: Replacements::default(),
    })
}

/// What a serde_json error in one JSONL line says, without serde's position: a line
/// that is no JSON says so; JSON of the wrong shape gets `wrong_shape`'s wording.
pub(crate) fn json_message(
    err: &serde_json::Error,
    wrong_shape: impl Fn(String) -> String,
) -> String {
    match err.classify() {
        serde_json::error::Category::Data => wrong_shape(message_without_position(err)),
        _ => format!("invalid JSON: {}", message_without_position(err)),
    }
}

/// A serde_json error in a JSONL line, at its column in the line's bytes.
fn json_error(label: &str, line: usize, decoded: &Decoded, err: &serde_json::Error) -> InputError {
    let message = json_message(err, |m| m);
    line_error(label, line, message, err, |column| {
        decoded.original_column(column)
    })
}

/// An error at a JSONL line, with serde_json's column mapped by `column` when it has
/// one. The line must be parsed without its line end: serde's position is then on its
/// line 1, where its column is the line's (past the end it would be "line 2 column 0").
pub(crate) fn line_error(
    label: &str,
    line: usize,
    message: String,
    err: &serde_json::Error,
    column: impl Fn(usize) -> usize,
) -> InputError {
    if err.line() == 0 {
        return InputError::Line {
            path: label.to_string(),
            line,
            message,
        };
    }
    InputError::At {
        path: label.to_string(),
        line,
        column: column(err.column()),
        message,
    }
}

/// serde_json's message without its " at line L column C", which counts lines of the
/// text it was given, not of the file.
pub(crate) fn message_without_position(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match full.strip_suffix(&position) {
        Some(message) => message.to_string(),
        None => full,
    }
}

/// The bytes of a line without its line end (`\n`, `\r\n`).
pub(crate) fn without_line_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = line {
        line = rest;
    }
    line
}

/// Leaves out of `meta` the fields nested deeper than [`MAX_META_DEPTH`], with a warning.
fn drop_deep_fields(meta: &mut Map<String, Value>, warnings: &mut Vec<String>) {
    meta.retain(|key, value| {
        let depth = nesting(value);
        if depth > MAX_META_DEPTH {
            warnings.push(format!(
                "field {key:?} nests {depth} levels deep, more than {MAX_META_DEPTH}: left out \
                 of meta"
            ));
        }
        depth <= MAX_META_DEPTH
    });
}

/// How many arrays and objects are nested in `value` (0 for a scalar). Recursion is
/// bounded: serde_json refuses to parse more than 128 levels.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

/// What a JSONL line holds, read in one pass.
struct ParsedLine {
    text: String,
    /// The id as written: a string's value, or a number's digits (never rounded
    /// through `f64`: `12345678901234567890123` stays itself).
    id: Option<String>,
    meta: Map<String, Value>,
}

/// Reads a JSONL line's object. Errors come from inside serde_json, so they carry the
/// column of the value at fault.
struct LineSeed<'a> {
    text_field: &'a str,
    id_field: &'a str,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = ParsedLine;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<ParsedLine, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = ParsedLine;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParsedLine, A::Error> {
        let mut text = None;
        let mut id = None;
        let mut meta = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.text_field {
                text = Some(map.next_value_seed(TextSeed(self.text_field))?);
            } else if key == self.id_field {
                let raw: Box<RawValue> = map.next_value()?;
                id = id_text(raw.get(), self.id_field).map_err(de::Error::custom)?;
            } else {
                let value: Value = map.next_value()?;
                meta.insert(key, value);
            }
        }
        let text =
            text.ok_or_else(|| de::Error::custom(format_args!("no {:?} field", self.text_field)))?;
        Ok(ParsedLine { text, id, meta })
    }
}

/// The text field's value, which must be a string: a seed rather than a check after
/// the fact, so serde_json's error points at the value.
struct TextSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for TextSeed<'_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for TextSeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "field {:?} to be a string", self.0)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
}

/// The id's JSON text to a document name: a string's value, a number's digits as
/// written, nothing for `null`.
fn id_text(raw: &str, id_field: &str) -> Result<Option<String>, String> {
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str(raw)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'-' | b'0'..=b'9') => Ok(Some(raw.to_string())),
        Some(b'n') => Ok(None),
        _ => Err(format!(
            "field {id_field:?} is neither a string nor a number"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Document, InputError> {
        parse_jsonl_line(
            "f.jsonl",
            7,
            line.as_bytes().to_vec(),
            &InputOptions::default(),
        )
    }

    #[test]
    fn jsonl_line_keeps_other_fields_as_meta_in_order() {
        let d = parse(r#"{"source":"TASS","id":"a1","text":"Hi","date":"2022-01-10"}"#).unwrap();
        assert_eq!(d.name, "a1");
        assert_eq!(d.text, "Hi");
        let keys: Vec<&String> = d.meta.as_ref().unwrap().keys().collect();
        assert_eq!(keys, ["source", "date"]);
    }

    #[test]
    fn jsonl_line_without_id_is_named_by_path_and_line() {
        let d = parse(r#"{"text":"Hi"}"#).unwrap();
        assert_eq!(d.name, "f.jsonl:7");
        assert_eq!(d.meta, None);
    }

    #[test]
    fn jsonl_errors_name_file_and_line() {
        assert_eq!(
            parse("{not json")
                .unwrap_err()
                .to_string()
                .split(": ")
                .next(),
            Some("f.jsonl:7:2")
        );
        assert!(
            parse(r#"{"id":"x"}"#)
                .unwrap_err()
                .to_string()
                .contains("no \"text\" field")
        );
        assert!(
            parse(r#"{"text":3}"#)
                .unwrap_err()
                .to_string()
                .contains("expected field \"text\" to be a string")
        );
        assert!(
            parse("[1]")
                .unwrap_err()
                .to_string()
                .contains("JSON object")
        );
    }

    /// Gives `good` and then fails on every read, like a disk with a bad sector.
    struct FailingReader(&'static [u8]);

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("bad sector"));
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_ends_the_stream_after_one_error() {
        let reader = BufReader::new(FailingReader(b"{\"text\":\"a\"}\n"));
        let items: Vec<_> =
            JsonlDocuments::new("disk.jsonl", reader, InputOptions::default()).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap().text, "a");
        let error = items[1].as_ref().unwrap_err().to_string();
        assert!(error.starts_with("disk.jsonl: bad sector"), "{error}");
    }

    #[test]
    fn decode_strips_bom_and_replaces_invalid_utf8() {
        let decoded = decode(b"\xEF\xBB\xBFabc".to_vec());
        assert_eq!((decoded.text.as_str(), decoded.bom), ("abc", 3));
        assert!(decoded.replacements.is_empty());
        assert_eq!(decoded.first_invalid(), None);
        let decoded = decode(b"a\xFFb".to_vec());
        assert_eq!(decoded.text, "a\u{FFFD}b");
        assert_eq!(decoded.first_invalid(), Some(1));
    }

    #[test]
    fn offsets_after_replaced_bytes_map_back_to_the_original() {
        // One bad byte, then a truncated 3-byte sequence (one U+FFFD for two bytes),
        // then a 4-byte character that is valid.
        let original = b"a\xFFb\xE2\x82c\xF0\x9F\x98\x80d";
        let decoded = decode(original.to_vec());
        assert_eq!(decoded.text, "a\u{FFFD}b\u{FFFD}c\u{1F600}d");
        let map = |needle: &str| {
            let at = decoded.text.find(needle).unwrap();
            decoded.replacements.original_offset(at)
        };
        assert_eq!(map("a"), 0);
        assert_eq!(map("b"), 2);
        assert_eq!(map("c"), 5);
        assert_eq!(map("d"), 10);
        assert_eq!(
            decoded.replacements.original_offset(decoded.text.len()),
            original.len()
        );
        // The start of a U+FFFD is the start of the bytes it stands for.
        assert_eq!(decoded.replacements.original_offset(1), 1);
        assert_eq!(decoded.replacements.original_offset(5), 3);
    }

    #[test]
    fn numeric_ids_keep_every_digit_as_written() {
        let d = parse(r#"{"id": 12345678901234567890123 ,"text":"Hi"}"#).unwrap();
        assert_eq!(d.name, "12345678901234567890123");
        assert_eq!(parse(r#"{"id":1e3,"text":"Hi"}"#).unwrap().name, "1e3");
        assert_eq!(parse(r#"{"id":-0.50,"text":"Hi"}"#).unwrap().name, "-0.50");
        assert_eq!(parse(r#"{"id":"a\"b","text":"Hi"}"#).unwrap().name, "a\"b");
        assert_eq!(
            parse(r#"{"id":null,"text":"Hi"}"#).unwrap().name,
            "f.jsonl:7"
        );
        let error = parse(r#"{"id":true,"text":"Hi"}"#).unwrap_err().to_string();
        assert!(error.contains("neither a string nor a number"), "{error}");
    }

    #[test]
    fn jsonl_errors_give_the_column_in_the_line() {
        let error = |line: &[u8]| {
            parse_jsonl_line("f.jsonl", 17, line.to_vec(), &InputOptions::default())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(b"{\"text\":\"a\"\n"),
            "f.jsonl:17:11: invalid JSON: EOF while parsing an object"
        );
        assert_eq!(
            error(b"{\"text\":\"a\",}\r\n"),
            "f.jsonl:17:13: invalid JSON: trailing comma"
        );
        // Columns count the original bytes: a byte-order mark, and two bad bytes that
        // became two U+FFFD (6 bytes) in the parsed text.
        assert_eq!(
            error(b"\xEF\xBB\xBF{\"x\":\"\xFF\xFE\",]}"),
            "f.jsonl:17:14: invalid JSON: key must be a string"
        );
        assert_eq!(error(br#"{"id":"x"}"#), "f.jsonl:17:10: no \"text\" field");
        assert!(error(br#"{"text":3}"#).starts_with("f.jsonl:17:9: "));
    }

    #[test]
    fn deeply_nested_fields_are_left_out_of_meta_with_a_warning() {
        let deep = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        let line = format!(
            r#"{{"text":"Hi","ok":{},"deep":{}}}"#,
            deep(MAX_META_DEPTH),
            deep(MAX_META_DEPTH + 1)
        );
        let d = parse(&line).unwrap();
        let keys: Vec<&String> = d.meta.as_ref().unwrap().keys().collect();
        assert_eq!(keys, ["ok"]);
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].contains("\"deep\" nests 65 levels"),
            "{:?}",
            d.warnings
        );
    }

    fn named(name: &str) -> Document {
        Document {
            name: name.into(),
            ..Document::default()
        }
    }

    #[test]
    fn duplicate_ids_are_found_within_the_window_and_memory_stays_bounded() {
        let mut ids = DuplicateIds::with_window(3);
        let mut warned = |name: &str| !ids.check(named(name), false).unwrap().warnings.is_empty();
        // a b a: within the window. Then c d e push `a` out; `a` again is not flagged.
        assert_eq!(
            ["a", "b", "a", "c", "d", "e", "a"].map(&mut warned),
            [false, false, true, false, false, false, false]
        );
        let mut ids = DuplicateIds::with_window(100);
        for n in 0..10_000 {
            ids.check(named(&n.to_string()), false).unwrap();
        }
        assert!(ids.latest.len() <= 100 && ids.recent.len() <= 100);
        let doc = ids.check(named("9950"), false).unwrap();
        assert_eq!(
            doc.warnings,
            ["duplicate id \"9950\": document 9951 of this run (output line 9951) has it too"]
        );
    }

    #[test]
    fn an_id_repeated_inside_the_window_stays_remembered() {
        let mut ids = DuplicateIds::with_window(2);
        for name in ["a", "b", "a", "c"] {
            ids.check(named(name), false).unwrap();
        }
        // The first `a` left the window, the second (document 3) is still in it.
        let doc = ids.check(named("a"), false).unwrap();
        assert!(
            doc.warnings[0].contains("document 3 "),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn reading_stops_at_the_first_block_with_a_nul_or_past_the_limit() {
        let mut zeros = io::repeat(0);
        assert!(matches!(
            read_capped(&mut zeros, 1 << 30, None),
            Ok(Capped::Binary(0))
        ));
        let mut endless = io::repeat(b'a');
        assert!(matches!(
            read_capped(&mut endless, 100_000, None),
            Ok(Capped::TooLarge)
        ));
        let mut exact: &[u8] = &[b'a'; 100];
        assert!(
            matches!(read_capped(&mut exact, 100, Some(100)), Ok(Capped::Whole(b)) if b.len() == 100)
        );
        let mut late: Vec<u8> = vec![b'a'; 50_000];
        late.push(0);
        assert!(matches!(
            read_capped(&mut late.as_slice(), 1 << 20, None),
            Ok(Capped::Binary(50_000))
        ));
    }

    #[test]
    fn a_text_of_known_size_is_read_into_one_allocation() {
        let text = vec![b'a'; 300_000];
        match read_capped(&mut text.as_slice(), 1 << 30, Some(300_000)) {
            Ok(Capped::Whole(bytes)) => assert_eq!(bytes.capacity(), 300_001),
            _ => panic!("not read whole"),
        }
    }

    #[test]
    fn a_jsonl_line_is_read_up_to_the_limit_and_skipped_past() {
        let mut reader: &[u8] = b"abcdef\nxy\n";
        let mut buf = Vec::new();
        read_line_capped(&mut reader, &mut buf, 3).unwrap();
        assert_eq!(buf, b"abcd");
        assert_eq!(skip_line(&mut reader).unwrap(), (3, None));
        buf.clear();
        read_line_capped(&mut reader, &mut buf, 3).unwrap();
        assert_eq!(buf, b"xy\n");
        let mut reader = BufReader::new(io::repeat(0));
        buf.clear();
        read_line_capped(&mut reader, &mut buf, 1 << 30).unwrap();
        assert!(buf.len() <= 8192 && buf.contains(&0));
    }

    fn utf16(bytes: &[u8], capacity: usize) -> Vec<u8> {
        // A tiny buffer splits code units and surrogate pairs between reads.
        let inner = BufReader::with_capacity(capacity, io::Cursor::new(bytes.to_vec()));
        let mut out = Vec::new();
        decode_utf16(Box::new(inner))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_to_utf8_in_any_split() {
        let text = "Putin in Moscow 😀 é.";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        for capacity in [1, 2, 3, 5, 64] {
            assert_eq!(utf16(&le, capacity), text.as_bytes(), "{capacity}");
            assert_eq!(utf16(&be, capacity), text.as_bytes(), "{capacity}");
        }
        // An unpaired surrogate and an odd last byte are left invalid for the UTF-8 step.
        assert_eq!(
            utf16(&[0xFF, 0xFE, 0x3D, 0xD8, b'a', 0, 7], 4),
            [0xFF, b'a', 0xFF]
        );
        assert_eq!(utf16(b"plain", 4), b"plain");
        // A first byte like a mark's, then no mark: nothing is lost.
        assert_eq!(utf16(&[0xFF, b'a', b'b'], 1), [0xFF, b'a', b'b']);
    }
}
