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

use serde_json::{Map, Value};

/// One text to tag, with its name and any extra fields it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file path, the JSONL `id`, or `PATH:LINE` for a JSONL line without one.
    pub name: String,
    pub text: String,
    /// The JSONL line's other fields (`date`, `source`, `url`…), in input order.
    pub meta: Option<Map<String, Value>>,
    /// Non-fatal problems met while reading (e.g. invalid UTF-8 replaced).
    pub warnings: Vec<String>,
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
    let (text, warnings) =
        decode(bytes, options.strict).map_err(|message| InputError::Invalid {
            path: label.clone(),
            message,
        })?;
    check_size(&label, &text)?;
    Ok(Document {
        name: label,
        text,
        meta: None,
        warnings,
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

/// Bytes to text: a UTF-8 byte-order mark is dropped, invalid UTF-8 is replaced with
/// U+FFFD and noted, so one bad byte never loses a whole article; with `strict` it is
/// an error (the message) instead.
fn decode(mut bytes: Vec<u8>, strict: bool) -> Result<(String, Vec<String>), String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Vec::new())),
        Err(err) if strict => Err(format!(
            "invalid UTF-8 at byte {} (--strict)",
            err.utf8_error().valid_up_to()
        )),
        Err(err) => {
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            Ok((text, vec!["invalid UTF-8 replaced with U+FFFD".to_string()]))
        }
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

fn parse_jsonl_line(
    label: &str,
    line: usize,
    bytes: Vec<u8>,
    options: &InputOptions,
) -> Result<Document, InputError> {
    let line_error = |message: String| InputError::Line {
        path: label.to_string(),
        line,
        message,
    };
    let (text, warnings) = decode(bytes, options.strict).map_err(&line_error)?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| line_error(format!("invalid JSON: {e}")))?;
    let Value::Object(mut fields) = value else {
        return Err(line_error("expected a JSON object".into()));
    };
    let text = match fields.shift_remove(&options.text_field) {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(line_error(format!(
                "field {:?} is not a string",
                options.text_field
            )));
        }
        None => return Err(line_error(format!("no {:?} field", options.text_field))),
    };
    let name = match fields.shift_remove(&options.id_field) {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => format!("{label}:{line}"),
        Some(_) => {
            return Err(line_error(format!(
                "field {:?} is neither a string nor a number",
                options.id_field
            )));
        }
    };
    check_size(&name, &text)?;
    Ok(Document {
        name,
        text,
        meta: (!fields.is_empty()).then_some(fields),
        warnings,
    })
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
            Some("f.jsonl:7")
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
                .contains("not a string")
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
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc".to_vec(), false),
            Ok(("abc".to_string(), vec![]))
        );
        let (text, warnings) = decode(b"a\xFFb".to_vec(), false).unwrap();
        assert_eq!(text, "a\u{FFFD}b");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            decode(b"a\xFFb".to_vec(), true),
            Err("invalid UTF-8 at byte 1 (--strict)".to_string())
        );
    }
}
