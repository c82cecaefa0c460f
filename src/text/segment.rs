//! Sentences: the sentence and token positions of mentions, for co-occurrence by
//! sentence or word window, and the tests of "a sentence starts here" that discovery
//! and suggest use.
//!
//! A token is a run of non-whitespace characters (see [`crate::text::words`]). A
//! sentence ends after a token ending in `.`, `!`, `?` or `…` (closing quotes and
//! brackets allowed after it) when the next token does not start with a lowercase
//! letter, unless the token is a known abbreviation ("Mr.", "Gen.", "Jan."), an initial
//! ("J.") or dotted ("U.S."). A blank line (two line breaks) always ends a sentence, so
//! headlines and datelines stand alone. A single line break does not, because
//! hard-wrapped text breaks lines mid-sentence.
//!
//! Three rules ask whether a sentence starts, and they differ on purpose in what they
//! can see: [`Locator`] numbers the sentences of a whole text in one pass and knows
//! abbreviations and the case of the next word; `opens_sentence_after` (discovery)
//! and `gap_opens_sentence` (suggest) judge one capitalised word from the text before
//! it, and err towards a start, since both only use it to distrust a capitalised common
//! word ("In Pakistan", "Units of …"). Those two also differ in the marks they count
//! (discovery takes `;`, `(` and single quotes, suggest `«`): each was tuned on its own
//! output, and merging them changes tagging or suggest's recovery, so they stay apart
//! until a change is measured.

use crate::lexicon::PERIOD_ABBREVIATIONS;
use crate::text::words::separates_tokens;

/// Does a sentence, line, quotation or parenthesis start right after `before`?
/// Discovery's test: a line break in the whitespace at its end, or nothing but
/// whitespace, or a stop, colon, semicolon, quote, dash or opening parenthesis as its
/// last other character.
pub(crate) fn opens_sentence_after(before: &str) -> bool {
    let trimmed = before.trim_end();
    trimmed.len() < before.len() && before[trimmed.len()..].contains('\n')
        || trimmed
            .chars()
            .next_back()
            .is_none_or(|c| ".!?:;\"“”‘'—–(".contains(c))
}

/// Does the gap between two name words (see [`crate::text::words::words`]) hold a
/// sentence start? Suggest's test: a stop, colon, line break, opening quote or dash
/// anywhere in it.
pub(crate) fn gap_opens_sentence(gap: &str) -> bool {
    gap.contains(['.', '!', '?', ':', '\n', '“', '"', '«', '—', '–'])
}

/// Where a byte offset stands in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub char_offset: usize,
    pub sentence: usize,
    pub token: usize,
}

/// Walks a text forward once, answering position queries in increasing byte order.
/// Queries must not go backwards: mentions are located in text order, so the whole
/// document is scanned at most once.
#[derive(Debug)]
pub struct Locator<'a> {
    text: &'a str,
    pos: usize,
    chars: usize,
    words: usize,
    sentence: usize,
    in_word: bool,
    word_start: usize,
    previous_word_ends_sentence: bool,
    newlines_since_word: u32,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            pos: 0,
            chars: 0,
            words: 0,
            sentence: 0,
            in_word: false,
            word_start: 0,
            previous_word_ends_sentence: false,
            newlines_since_word: 0,
        }
    }

    /// Position of the character starting at byte `offset` (a char boundary, not before
    /// any earlier query).
    pub fn locate(&mut self, offset: usize) -> Position {
        self.advance_to(offset);
        let char_offset = self.chars;
        if let Some(c) = self.text[self.pos..].chars().next() {
            self.step(c);
        }
        Position {
            char_offset,
            sentence: self.sentence,
            token: self.words.saturating_sub(1),
        }
    }

    /// Number of characters before byte `offset`.
    pub fn char_offset(&mut self, offset: usize) -> usize {
        self.advance_to(offset);
        self.chars
    }

    fn advance_to(&mut self, offset: usize) {
        let bytes = self.text.as_bytes();
        while self.pos < offset {
            // Inside a word, ASCII letters and punctuation change nothing but the
            // counts: skip them without the full step (most of the text).
            if self.in_word {
                let run = bytes[self.pos..offset.min(bytes.len())]
                    .iter()
                    .take_while(|&&b| b < 0x80 && !separates_tokens(b as char))
                    .count();
                self.pos += run;
                self.chars += run;
                if self.pos >= offset {
                    break;
                }
            }
            // ASCII needs no decoding: a byte is a character.
            let c = match bytes.get(self.pos) {
                Some(&b) if b < 0x80 => b as char,
                Some(_) => match self.text[self.pos..].chars().next() {
                    Some(c) => c,
                    None => break,
                },
                None => break,
            };
            self.step(c);
        }
    }

    fn step(&mut self, c: char) {
        if separates_tokens(c) {
            if self.in_word {
                // Only a word ending in punctuation can end a sentence: most words are
                // decided by their last byte.
                let last = self.text.as_bytes()[self.pos - 1];
                self.previous_word_ends_sentence = (last >= 0x80
                    || matches!(last, b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']' | b'*'))
                    && ends_sentence(&self.text[self.word_start..self.pos]);
                self.in_word = false;
                self.newlines_since_word = 0;
            }
            if c == '\n' {
                self.newlines_since_word += 1;
            }
        } else if !self.in_word {
            let paragraph = self.newlines_since_word >= 2;
            let after_stop = self.previous_word_ends_sentence && !c.is_lowercase();
            if self.words > 0 && (paragraph || after_stop) {
                self.sentence += 1;
            }
            self.words += 1;
            self.in_word = true;
            self.word_start = self.pos;
        }
        self.pos += c.len_utf8();
        self.chars += 1;
    }
}

/// Does this word end its sentence (when followed by a word that may start one)?
fn ends_sentence(word: &str) -> bool {
    let core = word.trim_end_matches(['"', '\'', ')', ']', '’', '”', '»', '*']);
    let Some(last) = core.chars().next_back() else {
        return false;
    };
    match last {
        '!' | '?' | '…' => true,
        '.' => {
            let stem =
                core[..core.len() - 1].trim_start_matches(['"', '\'', '(', '[', '“', '‘', '«']);
            let is_initial = stem.chars().count() == 1 && stem.chars().all(char::is_alphabetic);
            let is_dotted = stem.contains('.') && !stem.ends_with('.');
            !(is_initial || is_dotted || PERIOD_ABBREVIATIONS.contains(stem))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentence number of each whitespace-separated word.
    fn sentences(text: &str) -> Vec<usize> {
        let mut locator = Locator::new(text);
        let mut out = Vec::new();
        let mut offset = 0;
        for word in text.split_whitespace() {
            let at = offset + text[offset..].find(word).unwrap();
            out.push(locator.locate(at).sentence);
            offset = at + word.len();
        }
        out
    }

    #[test]
    fn every_whitespace_character_ends_a_word() {
        // U+000B is whitespace to `char` but not to `u8::is_ascii_whitespace`.
        let text = "York\u{b}Kent\u{c}x é\u{a0}y";
        let mut locator = Locator::new(text);
        let tokens: Vec<usize> = ["York", "Kent", "x", "é", "y"]
            .iter()
            .map(|w| locator.locate(text.find(w).unwrap()).token)
            .collect();
        assert_eq!(tokens, [0, 1, 2, 3, 4]);
        assert_eq!(locator.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn sentence_starts_before_a_word() {
        for before in ["", "said.  ", "line\n ", "“", "(", "x; ", "a — "] {
            assert!(opens_sentence_after(before), "{before:?}");
        }
        assert!(!opens_sentence_after("the ") && !opens_sentence_after("a, "));
        assert!(gap_opens_sentence(". ") && gap_opens_sentence(" «"));
        assert!(!gap_opens_sentence(", ") && !gap_opens_sentence(" ("));
    }

    #[test]
    fn splits_at_stops_before_capitals() {
        assert_eq!(sentences("One two. Three! Four? five"), [0, 0, 1, 2, 2]);
    }

    #[test]
    fn abbreviations_initials_and_dotted_words_do_not_split() {
        assert_eq!(
            sentences("Mr. Putin met J. Smith in the U.S. Army on Jan. 10."),
            [0; 12]
        );
    }

    #[test]
    fn closing_quotes_after_a_stop_still_split() {
        assert_eq!(sentences("He said “go.” Then left."), [0, 0, 0, 1, 1]);
    }

    #[test]
    fn blank_lines_split_but_single_line_breaks_do_not() {
        assert_eq!(
            sentences("Headline here\n\nBody text\nwraps here."),
            [0, 0, 1, 1, 1, 1]
        );
    }

    #[test]
    fn tokens_and_chars_count_from_zero() {
        let text = "Ä  b\tc";
        let mut l = Locator::new(text);
        let p = l.locate(text.find('c').unwrap());
        assert_eq!((p.char_offset, p.token), (5, 2));
    }

    #[test]
    fn mention_inside_a_word_gets_that_word() {
        let text = "the anti-Putin camp";
        let mut l = Locator::new(text);
        assert_eq!(l.locate(9).token, 1);
        assert_eq!(l.char_offset(14), 14);
    }
}
