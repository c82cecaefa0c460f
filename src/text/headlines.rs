//! Headlines: the title-case lines of a document. A headline capitalises every word, so
//! there a capitalised word says nothing about being a name; discovery, resolution and
//! suggest all ask whether an offset is inside one.

/// The title-case lines of a document (headlines capitalise every word: there a
/// capitalised neighbour says nothing), found once per document.
#[derive(Debug, Default)]
pub struct Headlines(Vec<std::ops::Range<usize>>);

impl Headlines {
    pub fn new(text: &str) -> Headlines {
        let mut lines = Vec::new();
        let mut start = 0;
        while start <= text.len() {
            let end =
                memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            if may_be_title_case(line) && title_case_line(line).0 {
                lines.push(start..end);
            }
            start = end + 1;
        }
        Headlines(lines)
    }

    /// Is byte offset `at` inside a title-case line?
    pub fn contains(&self, at: usize) -> bool {
        self.0.iter().any(|line| line.contains(&at))
    }
}

/// Whether a line is title case: at least three words with a letter, and 70% of them
/// starting (at their first letter) with a capital.
#[cfg(test)]
fn is_title_case(line: &str) -> bool {
    title_case_line(line).0
}

/// A quick test that rules out nearly every line of prose before the word-by-word
/// count: a title-case line has at least 7 capitalised words for every 3 others, and
/// here each capital or non-ASCII byte may be a capitalised word while each lowercase
/// letter after a space certainly starts an uncapitalised one. Counting bytes is a
/// loop the compiler vectorises.
fn may_be_title_case(line: &str) -> bool {
    let bytes = line.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    let mut capitals = usize::from(capital_or_not_ascii(first));
    let mut lowercase_words = 0;
    // Each byte with the one before it, 64 at a time: small counters and no branches
    // keep the loop in vector registers.
    for (before, at) in bytes.chunks(64).zip(rest.chunks(64)) {
        let (mut c, mut l) = (0u8, 0u8);
        for (&x, &y) in before.iter().zip(at) {
            c += u8::from(capital_or_not_ascii(y));
            l += u8::from((x == b' ') & y.is_ascii_lowercase());
        }
        capitals += usize::from(c);
        lowercase_words += usize::from(l);
    }
    capitals * 3 >= lowercase_words * 7
}

fn capital_or_not_ascii(b: u8) -> bool {
    b.is_ascii_uppercase() | (b >= 0x80)
}

/// Whether the line that starts `text` is title case, and its length (up to the first
/// line break or the end). One pass over the bytes, ASCII classified by a table: it
/// runs on every line of every document.
fn title_case_line(text: &str) -> (bool, usize) {
    let bytes = text.as_bytes();
    let (mut words, mut capitalised) = (0, 0);
    // In a word whose first letter has been seen: the rest of it changes nothing.
    let mut decided = false;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let class = ASCII_CLASS[bytes[i] as usize];
        match class {
            ByteClass::Newline => break,
            ByteClass::Space => {
                in_word = false;
                i += 1;
            }
            ByteClass::Other => {
                if !in_word {
                    in_word = true;
                    decided = false;
                }
                i += 1;
            }
            ByteClass::Lower | ByteClass::Upper => {
                if !(in_word && decided) {
                    words += 1;
                    capitalised += usize::from(class == ByteClass::Upper);
                }
                in_word = true;
                decided = true;
                // The rest of an ASCII word.
                i += 1;
                while i < bytes.len() && ASCII_CLASS[bytes[i] as usize].in_word() {
                    i += 1;
                }
            }
            ByteClass::NotAscii => {
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                i += c.len_utf8();
                if c.is_whitespace() {
                    in_word = false;
                    continue;
                }
                if !in_word {
                    in_word = true;
                    decided = false;
                }
                if !decided && c.is_alphabetic() {
                    decided = true;
                    words += 1;
                    capitalised += usize::from(c.is_uppercase());
                }
            }
        }
    }
    (words >= 3 && capitalised * 10 >= words * 7, i)
}

/// What a byte is to `title_case_line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    Newline,
    /// Whitespace other than a line break (as `char::is_whitespace` has it).
    Space,
    Lower,
    Upper,
    /// Digits and punctuation: part of a word, but not its first letter.
    Other,
    /// A byte of a multi-byte character, decoded to be classified.
    NotAscii,
}

impl ByteClass {
    fn in_word(self) -> bool {
        matches!(self, ByteClass::Lower | ByteClass::Upper | ByteClass::Other)
    }
}

const ASCII_CLASS: [ByteClass; 256] = {
    let mut table = [ByteClass::NotAscii; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte == b'\n' {
            ByteClass::Newline
        } else if (byte as char).is_whitespace() {
            ByteClass::Space
        } else if byte.is_ascii_lowercase() {
            ByteClass::Lower
        } else if byte.is_ascii_uppercase() {
            ByteClass::Upper
        } else {
            ByteClass::Other
        };
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// [`is_title_case`] as first written, word by word: the byte loop must agree.
    fn title_case_by_words(line: &str) -> bool {
        let (mut words, mut capitalised) = (0, 0);
        for w in line.split_whitespace() {
            if let Some(c) = w.chars().find(|c| c.is_alphabetic()) {
                words += 1;
                capitalised += usize::from(c.is_uppercase());
            }
        }
        words >= 3 && capitalised * 10 >= words * 7
    }

    #[test]
    fn title_case_lines() {
        assert!(is_title_case("Putin Meets Tokayev In Moscow"));
        assert!(is_title_case("“Kazakh Unrest” Spreads to Almaty"));
        assert!(!is_title_case("Putin met Tokayev in Moscow"));
        assert!(!is_title_case("Two Words"));
        assert!(is_title_case("Éric Zemmour Über Alles\u{b}Now"));
    }

    proptest::proptest! {
        #[test]
        fn title_case_agrees_with_the_word_by_word_rule(
            line in "([A-Za-z\"“.1 \t\u{b}\u{a0}]|É|é|ß|日){0,40}"
        ) {
            proptest::prop_assert_eq!(is_title_case(&line), title_case_by_words(&line));
        }

        #[test]
        fn headlines_are_the_title_case_lines(
            text in "([A-Za-z1 \n\t\"]|É|é|ß|“|\u{a0}|\u{b}){0,80}"
        ) {
            let mut expected = Vec::new();
            let mut start = 0;
            for line in text.split('\n') {
                if title_case_by_words(line) {
                    expected.push(start..start + line.len());
                }
                start += line.len() + 1;
            }
            proptest::prop_assert_eq!(Headlines::new(&text).0, expected);
        }
    }
}
