//! How raw documents are read, for every command that reads them (`tag`, `suggest`, and
//! `stats`, `cooc`, `report` with `--tag`), and how input problems are reported.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use gaztag::io::input::{Documents, InputError, InputFormat, InputOptions};

/// How raw documents are read and how many threads tag them.
#[derive(Debug, Args)]
pub struct ReadingArgs {
    /// Worker threads [default: all cores]. More than 4 per core only add overhead:
    /// such a request is lowered to 4 per core, with a warning.
    #[arg(short = 'j', long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// JSONL field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// JSONL field holding the document id (lines without one are named PATH:LINE).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,

    /// How to read inputs: by extension (auto; stdin is JSONL when it starts with `{`),
    /// every input as one text, or every input as JSONL.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FormatArg::Auto)]
    pub input_format: FormatArg,

    /// Treat invalid UTF-8 and duplicate document ids as errors (the document is not
    /// tagged; exit code 1) instead of warnings.
    #[arg(long)]
    pub strict: bool,

    /// Largest document read, after decompression: a text file, or one JSONL line
    /// (for stats, cooc and report without --tag: one tagged record). Bytes, or with a
    /// suffix K, M or G (powers of 1024): 512M, 2G; at most 4G. A larger document is
    /// reported and skipped; reading stops at the limit.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_document_size: u64,
}

/// `4096`, `64K`, `512M`, `2G` (also `2GiB`, `2GB`; powers of 1024) to bytes, at most
/// 4 GiB: offsets inside a document are 32-bit.
fn parse_size(spec: &str) -> Result<u64, String> {
    let digits = spec.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &spec[digits.len()..];
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("unknown unit {suffix:?}: use K, M or G")),
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("{spec:?} is not a size: write bytes, or 512M, 2G"))?;
    match number.checked_mul(1 << shift) {
        Some(bytes) if bytes <= 1 << 32 => Ok(bytes),
        _ => Err(format!(
            "{spec} is more than 4G, the most one document can be"
        )),
    }
}

impl ReadingArgs {
    /// Opens the inputs as a stream of documents. (`-j` sized the thread pool
    /// already: see `cli::run`.)
    pub fn documents(&self, inputs: &[PathBuf]) -> Documents {
        let options = InputOptions {
            format: self.input_format.into(),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            strict: self.strict,
            max_document_size: self.max_document_size,
        };
        Documents::new(inputs, options)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Text,
    Jsonl,
}

impl From<FormatArg> for InputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
        }
    }
}

/// Prints an input problem to stderr as it happens; the batch goes on.
pub(super) fn report_input_error(error: &InputError) {
    say!("gaztag: {error}");
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert!(parse_size("5G").unwrap_err().contains("4G"));
        assert!(parse_size("12T").unwrap_err().contains("unit"));
        assert!(parse_size("M").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
