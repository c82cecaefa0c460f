//! Text normalization: the folded form in which aliases and documents are compared.
//!
//! Matching runs on a normalized copy of the text, never on the original, so that
//! "Erdoğan" finds "Erdogan", "Kazakhstan’s" finds "Kazakhstan's" and a line break
//! inside "Vladimir\nPutin" still matches the alias "Vladimir Putin". Every byte of the
//! normalized copy remembers which original character produced it, so offsets reported
//! to users always point into the original, unnormalized text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::text::words::{WORD_ASCII, is_word_char};

/// A normalized copy of a text plus the way back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// Lowercased, diacritic-free text with ASCII quotes and dashes and single spaces.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character that
    /// produced it. `origin.len() == text.len()`.
    pub origin: Vec<u32>,
}

/// A name as an id: folded (see [`normalize`]), its letters and digits kept, every
/// other run made one `-` ("Côte d'Ivoire" → "cote-d-ivoire"). Ids derived from names
/// are then the same whichever spelling of the name came first.
pub fn slug(name: &str) -> String {
    let folded = normalize(name).text;
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Normalizes `original` for matching.
///
/// Rules, applied per character of the original:
/// - any run of whitespace (spaces, tabs, line breaks, no-break spaces) becomes one space;
/// - compatibility decomposition (NFKD), then every combining mark is dropped, so
///   diacritics are optional in both directions ("São" and "Sao" fold alike);
/// - dash punctuation (Unicode category Pd: – — ‐ …) becomes `-`;
/// - quotation marks (categories Pi/Pf: ‘ ’ “ ” « » and ASCII `"`) become `'`;
/// - everything is lowercased (case rules are checked later against the original).
///
/// # Panics
/// Never for valid `&str` input; texts longer than 4 GiB are not supported because
/// offsets are stored as `u32` (the document reader rejects them earlier).
pub fn normalize(original: &str) -> Normalized {
    fold::<false>(original)
}

/// The byte [`normalize_marked`] puts before every word.
pub const WORD_MARK: u8 = 0x01;

/// `normalize`, plus a [`WORD_MARK`] byte before the first character of every word
/// (a word character after a non-word character or at the start).
///
/// The matcher folds aliases this way (and walks documents as if folded this way): every
/// alias then starts with the mark, so a match can only start at a word start, and
/// "man" is never tried inside "manager". Marks inherit the origin of the character
/// they precede.
pub fn normalize_marked(original: &str) -> Normalized {
    fold::<true>(original)
}

/// [`normalize_marked`] into `out`, reusing its buffers: the matcher folds many short
/// spans (each candidate it checks for case) and would otherwise allocate for each.
pub fn normalize_marked_into(original: &str, out: &mut Normalized) {
    out.text.clear();
    out.origin.clear();
    fold_into::<true>(original, out);
}

fn fold<const MARK: bool>(original: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(original.len()),
        origin: Vec::with_capacity(original.len()),
    };
    fold_into::<MARK>(original, &mut out);
    out
}

fn fold_into<const MARK: bool>(original: &str, out: &mut Normalized) {
    out.text.reserve(original.len());
    out.origin.reserve(original.len());
    let bytes = original.as_bytes();
    let mut i = 0;
    let mut in_space = false;
    let mut in_word = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let word = WORD_ASCII[b as usize];
            if MARK && word && !in_word {
                out.text.push(WORD_MARK as char);
                out.origin.push(i as u32);
            }
            in_word = word;
            // ASCII fast path: the overwhelming majority of news text.
            let Some(folded) = fold_ascii(b, &mut in_space) else {
                i += 1;
                continue;
            };
            out.text.push(folded as char);
            out.origin.push(i as u32);
            i += 1;
            continue;
        }
        let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
        let start = out.text.len();
        // A combining mark belongs to the character before it: it neither starts nor
        // ends a word.
        if !is_combining_mark(c) {
            let word = is_word_char(c);
            if MARK && word && !in_word {
                out.text.push(WORD_MARK as char);
            }
            in_word = word;
        }
        fold_non_ascii(c, &mut in_space, &mut out.text);
        out.origin
            .extend(std::iter::repeat_n(i as u32, out.text.len() - start));
        i += c.len_utf8();
    }
}

/// The folding of each ASCII byte (shared by [`normalize`] and the matcher's walk): whitespace to a space (a run of
/// it to one), `"` to `'`, letters to lowercase. 256 entries (the upper half unused) so
/// that indexing by any byte needs no bounds check.
pub(crate) const FOLD_ASCII: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() {
            b' '
        } else if byte == b'"' {
            b'\''
        } else {
            byte.to_ascii_lowercase()
        };
        b += 1;
    }
    table
};

/// The folded form of one ASCII byte, or `None` for whitespace after whitespace (a run
/// folds to one space; `in_space` tracks the run). The counterpart of
/// [`fold_non_ascii`], shared with the matcher's walk in the same way.
#[inline]
pub(crate) fn fold_ascii(b: u8, in_space: &mut bool) -> Option<u8> {
    let folded = FOLD_ASCII[b as usize];
    let space = folded == b' ';
    let skip = space && *in_space;
    *in_space = space;
    (!skip).then_some(folded)
}

/// Appends the folded form of one non-ASCII character: a space for the first of a run
/// of whitespace (`in_space` tracks the run), nothing for the rest of it. The matcher's
/// walk folds as it goes through this same function, so it sees exactly the text
/// [`normalize_marked`] would give.
pub(crate) fn fold_non_ascii(c: char, in_space: &mut bool, out: &mut String) {
    if c.is_whitespace() {
        if !*in_space {
            out.push(' ');
        }
        *in_space = true;
    } else {
        *in_space = false;
        fold_char(c, out);
    }
}

/// Appends the folded form of one non-ASCII, non-whitespace character.
fn fold_char(c: char, out: &mut String) {
    match c.general_category() {
        GeneralCategory::DashPunctuation => out.push('-'),
        GeneralCategory::InitialPunctuation | GeneralCategory::FinalPunctuation => out.push('\''),
        _ => {
            for d in std::iter::once(c).nfkd() {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

/// The byte window a context shows around `start..end`: up to `chars` characters each
/// side, cut at character boundaries. The HTML report and `suggest` show mentions so.
pub fn context_window(text: &str, start: usize, end: usize, chars: usize) -> (usize, usize) {
    let left = text[..start]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let right = text[end..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| end + i);
    (left, right)
}

/// Every run of whitespace as one space, so that a context fits on one line.
pub fn squeeze_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_windows_count_characters_and_stop_at_the_ends() {
        let text = "ééé Putin üü";
        let start = text.find('P').unwrap();
        assert_eq!(
            context_window(text, start, start + 5, 2),
            (4, start + 5 + 3)
        );
        assert_eq!(context_window(text, start, start + 5, 50), (0, text.len()));
        assert_eq!(squeeze_whitespace(" a \n\t b  "), " a b ");
    }

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(norm("Erdoğan"), "erdogan");
        assert_eq!(norm("São Paulo"), "sao paulo");
        assert_eq!(norm("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(norm("Kassym–Jomart"), "kassym-jomart");
        assert_eq!(norm("“quoted”"), "'quoted'");
        assert_eq!(norm("Türkiye"), "turkiye");
    }

    #[test]
    fn collapses_whitespace_runs() {
        assert_eq!(norm("Vladimir \t\n Putin"), "vladimir putin");
        assert_eq!(norm("Vladimir\u{00A0}Putin"), "vladimir putin");
        assert_eq!(norm("a\r\n\r\nb"), "a b");
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        assert_eq!(norm("Erdog\u{306}an"), norm("Erdoğan"));
    }

    #[test]
    fn origin_points_at_original_chars() {
        let original = "Ös  “x”";
        let n = normalize(original);
        assert_eq!(n.text, "os 'x'");
        assert_eq!(n.origin.len(), n.text.len());
        for (i, &o) in n.origin.iter().enumerate() {
            assert!(
                original.is_char_boundary(o as usize),
                "byte {i} maps inside a char"
            );
        }
        // "x" is at normalized byte 4 and original byte 8 (Ö=2 bytes, s, two spaces, “=3 bytes).
        assert_eq!(n.origin[4], 8);
    }

    #[test]
    fn dotted_capital_i_lowercases_to_plain_i() {
        assert_eq!(norm("İstanbul"), "istanbul");
    }
}
