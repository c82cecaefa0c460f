//! The word lists that gaztag's rules consult, in one place, each a named set. A list
//! says what a word *is* to the rules (a person's title, a month), so two rules that
//! ask the same question read the same list.

use std::sync::OnceLock;

/// A fixed list of words, looked up for every word of every capitalised run: kept
/// as a hash set, built on first use.
pub struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<rustc_hash::FxHashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    pub fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(w)
    }
}

/// Words that, right before a name, say it is a person.
pub(crate) static PERSON_TITLES: WordSet = WordSet::new(&[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Sir",
    "Dame",
    "President",
    "Premier",
    "Minister",
    "Senator",
    "Sen.",
    "Rep.",
    "Governor",
    "Gov.",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Sheikh",
    "Chancellor",
    "Pope",
    "General",
    "Gen.",
    "Secretary",
    "Judge",
    "Justice",
    "Mayor",
    "Ambassador",
    "Coach",
    "Chairman",
    "CEO",
    "Imam",
    "Rabbi",
]);

/// Month and day names: capitalised, yet never part of a name ("Paris Monday").
pub(crate) static MONTHS_AND_DAYS: WordSet = WordSet::new(&[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]);
