//! What a word is. Every rule that asks for words, word boundaries or the word next to
//! a position asks here, so that "word" means one thing per purpose and the purposes
//! are side by side. There are three, on purpose:
//!
//! - **Matching words** ([`is_word_char`]): letters and digits. A match must not touch
//!   one on either side ("man" is never found in "manager"), and the folded text marks
//!   the start of each (see `normalize_marked`). Punctuation, hyphens included, is a
//!   boundary, so "Moscow-born" holds the match "Moscow".
//! - **Name words** (`words`, `next_word`): what discovery and suggest read names
//!   from. Letters and digits plus the marks inside names (hyphens, apostrophes, the dots
//!   of "U.S.", "&"), so that "al-Assad", "O'Neil" and "U.S." are one word each; a
//!   possessive "'s" is left out, and `Word::joined` says whether the name may go on.
//! - **Tokens** (`tokens`, `separates_tokens`): runs of anything but whitespace. The
//!   positions reported for mentions (token numbers, sentences) and the token-based
//!   exports count these, since they are what a reader counts; the title-case test of
//!   headlines (`headlines`) counts them too, in its own byte loop.
//!
//! Resolution also looks at the single word next to a span (`word_after`,
//! `token_before`, `trailing_word`): letters and hyphens for a person's name
//! ("Jean-Pierre"), the whole token for titles and prepositions ("Mr.", "in").

/// True when `c` continues a word: a match must not touch one of these on either side.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The ASCII bytes that are word characters (letters and digits, as [`is_word_char`]
/// has it); false for every byte of 0x80 and above. 256 entries so that indexing by any
/// byte needs no bounds check.
pub(crate) const WORD_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// A word of the text: byte span (without a possessive "'s"), and whether a possessive
/// or punctuation ends the name it may belong to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Only one space separates this word from the next.
    pub(crate) joined: bool,
}

/// Splits the text into name words: letters, digits and the marks inside names (hyphens,
/// apostrophes, the dots of "U.S." and "J.P."); a possessive "'s" is left out.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((word, next)) = next_word(text, at) {
        out.push(word);
        at = next;
    }
    out
}

/// The word of the token at or after byte `at`, and where the next search starts.
pub(crate) fn next_word(text: &str, mut at: usize) -> Option<(Word, usize)> {
    loop {
        while at < text.len() {
            let (inside, len) = inside_word(text, at);
            if inside {
                break;
            }
            at += len;
        }
        if at >= text.len() {
            return None;
        }
        let start = at;
        at = ascii_word_run_end(text.as_bytes(), at);
        while at < text.len() {
            let (inside, len) = inside_word(text, at);
            if !inside {
                break;
            }
            at += len;
        }
        let end = at;
        let (lead, len) = if &text[start..end] == "&" {
            (0, 1)
        } else {
            trim_word(&text[start..end])
        };
        let start = start + lead;
        let mut word = &text[start..start + len];
        let mut possessive = false;
        for s in ["'s", "’s"] {
            if let Some(w) = word.strip_suffix(s) {
                word = w;
                possessive = true;
            }
        }
        if word.is_empty() {
            continue;
        }
        let word_end = start + word.len();
        let joined = !possessive && word_end == end && text[end..].starts_with(' ') && {
            let next = text[end + 1..].chars().next();
            next.is_some_and(|c| c.is_alphanumeric() || c == '&')
        };
        let word = Word {
            start,
            end: word_end,
            joined,
        };
        return Some((word, end));
    }
}

/// Does the character at byte `at` belong to a word, and how long is it? ASCII, nearly
/// all of news text, is decided without decoding.
pub(crate) fn inside_word(text: &str, at: usize) -> (bool, usize) {
    let Some(&b) = text.as_bytes().get(at) else {
        return (false, 1);
    };
    if b < 0x80 {
        return (NAME_WORD_BYTE[b as usize], 1);
    }
    match text[at..].chars().next() {
        Some(c) => (c.is_alphanumeric() || c == '’', c.len_utf8()),
        None => (false, 1),
    }
}

/// The ASCII bytes that belong to a name word: letters, digits and the marks inside
/// names.
const NAME_WORD_BYTE: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'\'' | b'.' | b'&');
        b += 1;
    }
    table
};

/// The end of the run of ASCII word bytes starting at `at`.
pub(crate) fn ascii_word_run_end(bytes: &[u8], at: usize) -> usize {
    at + bytes[at..]
        .iter()
        .take_while(|&&b| b < 0x80 && NAME_WORD_BYTE[b as usize])
        .count()
}

/// Where the word is in `raw` (start, length), without marks at its ends but with the
/// final dot of initials ("U.S.").
fn trim_word(raw: &str) -> (usize, usize) {
    let inner = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lead = raw.len() - inner.len();
    let trimmed = inner.trim_end_matches(|c: char| !c.is_alphanumeric());
    // "U.S.", "J.P.", "F.": single letters each followed by a dot ("IS." and "UK." at
    // the end of a sentence are words, not initials).
    let initials = inner[trimmed.len()..].starts_with('.')
        && trimmed.len() <= 8
        && trimmed
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    if initials && inner[trimmed.len()..].starts_with('.') {
        (lead, trimmed.len() + 1)
    } else {
        (lead, trimmed.len())
    }
}

/// The characters of a person's name word: letters and hyphens ("Jean-Pierre").
pub(crate) fn is_letter_or_hyphen(c: char) -> bool {
    c.is_alphabetic() || c == '-'
}

/// The characters of a role word before a name: letters, digits and hyphens
/// ("scrum-half"). Digits count here (and not in [`is_letter_or_hyphen`]) as they always
/// have: "5coach" is one word and no role.
pub(crate) fn is_alphanumeric_or_hyphen(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The word right after `end` when only one space separates it: its letters and
/// hyphens ("" when there is none).
pub(crate) fn word_after(text: &str, end: usize) -> &str {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return "";
    };
    let len = rest
        .find(|c: char| !is_letter_or_hyphen(c))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// The token just before `start` (skipping spaces), without an opening bracket or
/// quote before it: "Mr." in "(Mr. Smith", "in" in "in  Paris".
pub(crate) fn token_before(text: &str, start: usize) -> &str {
    let before = text[..start].trim_end();
    let from = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    &before[from..]
}

/// The last word of `before`: its trailing run of characters that `part` accepts.
pub(crate) fn trailing_word(before: &str, part: impl Fn(char) -> bool) -> &str {
    before.rsplit(|c: char| !part(c)).next().unwrap_or("")
}

/// True when `c` ends a token. Every whitespace character does (U+000B too, which
/// `u8::is_ascii_whitespace` leaves out).
#[inline]
pub(crate) fn separates_tokens(c: char) -> bool {
    c.is_whitespace()
}

/// The tokens of `text` with their byte offsets.
pub(crate) fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (separates_tokens(c), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_words(text: &str) -> Vec<&str> {
        words(text).iter().map(|w| &text[w.start..w.end]).collect()
    }

    #[test]
    fn name_words_keep_initials_and_inner_marks_and_drop_possessives() {
        let text =
            "J.P. Nadda’s aide, John F. Kennedy (U.S.) met al-Assad and O'Neil of AT & T said.";
        assert_eq!(
            name_words(text),
            [
                "J.P.", "Nadda", "aide", "John", "F.", "Kennedy", "U.S.", "met", "al-Assad", "and",
                "O'Neil", "of", "AT", "&", "T", "said"
            ]
        );
    }

    #[test]
    fn a_name_word_is_joined_only_by_one_space_to_a_word() {
        let text = "Bank of  England, Kenya’s Rift Valley";
        let joined: Vec<(&str, bool)> = words(text)
            .iter()
            .map(|w| (&text[w.start..w.end], w.joined))
            .collect();
        assert_eq!(
            joined,
            [
                ("Bank", true),
                ("of", false),
                ("England", false),
                ("Kenya", false),
                ("Rift", true),
                ("Valley", false)
            ]
        );
    }

    #[test]
    fn matching_words_are_letters_and_digits() {
        assert!(is_word_char('é') && is_word_char('7') && !is_word_char('-'));
        for b in 0..=255u8 {
            assert_eq!(WORD_ASCII[b as usize], b < 0x80 && is_word_char(b as char));
        }
    }

    #[test]
    fn words_next_to_a_position() {
        let text = "said (Mr. Jean-Pierre Dupont) in  Paris";
        let at = text.find("Jean").unwrap();
        assert_eq!(token_before(text, at), "Mr.");
        assert_eq!(word_after(text, at + "Jean-Pierre".len()), "Dupont");
        assert_eq!(word_after(text, text.find(" in").unwrap() + 3), "");
        assert_eq!(token_before(text, text.find("Paris").unwrap()), "in");
        assert_eq!(trailing_word("met 5coach", is_letter_or_hyphen), "coach");
        assert_eq!(
            trailing_word("met 5coach", is_alphanumeric_or_hyphen),
            "5coach"
        );
    }

    #[test]
    fn tokens_are_runs_of_anything_but_whitespace() {
        assert_eq!(
            tokens(" Mr.\u{b}Putin’s\u{a0}visit "),
            [(1, "Mr."), (5, "Putin’s"), (16, "visit")]
        );
    }
}
