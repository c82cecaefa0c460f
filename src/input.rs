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
    pub format: InputFormat,
    pub text_field: String,
    pub id_field: String,
    /// Invalid UTF-8 and duplicate ids are errors (the document is not tagged), not
    /// warnings.
    pub strict: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: InputFormat::Auto,
            text_field: "text".into(),
            id_field: "id".into(),
            strict: false,
        }
    }
}

/// A problem with one input; the batch goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// A bug: tagging this document panicked. It is skipped; the batch goes on.
    #[error("{path}: internal error, document skipped (please report it): {message}")]
    Internal { path: String, message: String },
    /// A JSONL line that is not a record, with the column (in bytes, from 1) where
    /// it goes wrong.
    #[error("{path}:{line}:{column}: {message}")]
    At {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A NUL byte: not text. Skipped as ripgrep skips binary files.
    #[error("{path}: binary file (NUL byte at byte {offset}), skipped")]
    Binary { path: String, offset: u64 },
}

/// The label standing for standard input, as on the command line.
pub const STDIN: &str = "-";

/// Streams the documents of every input in order: files as given, folders in sorted
/// path order (hidden entries skipped), JSONL in line order. No inputs means stdin.
pub struct Documents {
    options: InputOptions,
    queue: VecDeque<String>,
    walker: Option<FolderWalker>,
    jsonl: Option<JsonlReader>,
    ids: DuplicateIds,
}

impl Documents {
    pub fn new(inputs: &[String], options: InputOptions) -> Documents {
        let mut queue: VecDeque<String> = inputs.iter().cloned().collect();
        if queue.is_empty() {
            queue.push_back(STDIN.to_string());
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
        let reader = match compression.decoder(BufReader::new(file)) {
            Ok(reader) => reader,
            Err(source) => {
                return Some(Err(InputError::Io {
                    path: label,
                    source,
                }));
            }
        };
        if is_jsonl {
            self.jsonl = Some(JsonlReader::new(label, Box::new(BufReader::new(reader))));
            return None;
        }
        let mut document = read_text_document(label, reader, &self.options);
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
        let mut reader = match stdin_decompressed() {
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
            self.jsonl = Some(JsonlReader::new(STDIN.into(), Box::new(reader)));
            return None;
        }
        Some(read_text_document(STDIN.into(), reader, &self.options))
    }

    fn open_input(&mut self, input: String) -> Option<Result<Document, InputError>> {
        if input == STDIN {
            return self.open_stdin();
        }
        let path = PathBuf::from(&input);
        match std::fs::metadata(&path) {
            Err(source) => Some(Err(InputError::Io {
                path: input,
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

/// The ids of the documents read so far, to flag one that comes again: downstream
/// joins on `doc` would silently mix the two. Only a 64-bit hash of each id is kept
/// (about 20 bytes a document, so a run of millions stays small); a false alarm needs
/// two ids with one hash, a chance of about 3 in 10^8 over a million documents.
#[derive(Default)]
struct DuplicateIds {
    /// Hash of the id → the 1-based number of the first document that had it, which is
    /// its line in the output.
    first: rustc_hash::FxHashMap<u64, u64>,
    documents: u64,
}

impl DuplicateIds {
    fn check(&mut self, mut doc: Document, strict: bool) -> Result<Document, InputError> {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(&doc.name);
        let number = self.documents + 1;
        if let Some(&first) = self.first.get(&hash) {
            let message = format!(
                "duplicate id {:?}: document {first} of this run (output line {first}) has it too",
                doc.name
            );
            if strict {
                return Err(InputError::Invalid {
                    path: doc.name,
                    message: format!("{message} (--strict)"),
                });
            }
            doc.warnings.push(message);
        } else {
            self.first.insert(hash, number);
        }
        self.documents = number;
        Ok(doc)
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
pub fn open_decompressed(path: &Path) -> io::Result<Box<dyn Read + Send>> {
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
) -> Result<Document, InputError> {
    let mut bytes = Vec::new();
    if let Err(source) = reader.read_to_end(&mut bytes) {
        return Err(InputError::Io {
            path: label,
            source,
        });
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(InputError::Binary {
            path: label,
            offset: at as u64,
        });
    }
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
            match self.reader.read_until(b'\n', &mut self.buf) {
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
pub const MAX_META_DEPTH: usize = 64;

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

/// A serde_json error in a JSONL line, at its column in the line's bytes.
fn json_error(label: &str, line: usize, decoded: &Decoded, err: &serde_json::Error) -> InputError {
    let message = match err.classify() {
        serde_json::error::Category::Data => message_without_position(err),
        _ => format!("invalid JSON: {}", message_without_position(err)),
    };
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
}
