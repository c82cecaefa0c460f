//! The word lists that gaztag's rules consult, in one place, each a named set. A list
//! says what a word *is* to the rules (a person's title, a month), so two rules that
//! ask the same question read the same list.
//!
//! Every list is a data file beside this module (one word a line, `#` starts a comment)
//! compiled in with `include_str!`; the generated name and word lists of
//! `gazetteers/lexicon/` are read the same way. Each list is a `static` of its own
//! rather than a field of one `Lexicon` value: the rules that read them are free
//! functions deep inside discovery, resolution and suggest, which reach a static without
//! a reference threaded through every call, and each list is parsed on its first use
//! only, so tagging never pays for suggest's 64,000 common words. The lists are part of
//! the program, not of its configuration: a different list is a different program,
//! measured again (`gaztag eval`, `scripts/suggest_recovery.py`).
//!
//! Where two rules ask nearly the same question but were measured with different words
//! (the abbreviations of sentences and of suggest), both sets are here under their own
//! names and each file's header says why it differs; where one rule takes a few words
//! more than another, its set is the shared file plus a file of those words with the
//! reason (the place prepositions of disambiguation add "to", the particles of
//! coreference "abu").

use std::sync::{LazyLock, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

/// A fixed list of words, looked up for every word of every capitalised run: parsed
/// from its files on first use and kept as a hash set (and in file order, for the
/// lists that are walked rather than looked up).
pub struct WordSet {
    files: &'static [&'static str],
    parsed: OnceLock<Parsed>,
}

struct Parsed {
    words: Vec<&'static str>,
    set: FxHashSet<&'static str>,
}

impl WordSet {
    /// The words of `files` together: one a line, `#` to the end of a line a comment,
    /// blank lines skipped.
    pub const fn new(files: &'static [&'static str]) -> WordSet {
        WordSet {
            files,
            parsed: OnceLock::new(),
        }
    }

    fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| {
            let words: Vec<&'static str> = self.files.iter().flat_map(|f| parse(f)).collect();
            let set = words.iter().copied().collect();
            Parsed { words, set }
        })
    }

    pub fn contains(&self, w: &str) -> bool {
        self.parsed().set.contains(w)
    }

    /// The list's own copy of `w`, when `w` is in it: a key that lives as long as the
    /// program.
    pub fn get(&self, w: &str) -> Option<&'static str> {
        self.parsed().set.get(w).copied()
    }

    /// The words in file order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parsed().words.iter().copied()
    }
}

/// The words of one list file.
fn parse(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|w| !w.is_empty())
}

/// Declares the word sets, each from its files, and (for the tests) the list of all.
macro_rules! word_sets {
    ($($(#[$doc:meta])* $vis:vis $name:ident = [$($file:literal),+];)*) => {
        $(
            $(#[$doc])*
            $vis static $name: WordSet = WordSet::new(&[$(include_str!($file)),+]);
        )*
        #[cfg(test)]
        static ALL: &[(&str, &WordSet)] = &[$((stringify!($name), &$name)),*];
    };
}

word_sets! {
    // Who: people.

    /// Titles and offices before a person's name: a person cue, outside the span.
    pub(crate) PERSON_TITLES = ["person_titles.txt"];
    /// Titles no place ever follows ("Mr Jordan" is no country); all are person titles.
    pub(crate) STRONG_TITLES = ["strong_titles.txt"];
    /// Lowercase roles before a name that say it is a person's ("coach Scott Robertson").
    pub(crate) ROLES = ["roles.txt"];
    /// Lowercase particles inside people's names ("de", "bin"): they neither start nor
    /// end a name.
    pub(crate) PARTICLES = ["particles.txt"];
    /// Lowercase particles a surname takes with it in coreference ("De Zerbi", "Abu
    /// al-Saud"): those of people's names and "abu".
    pub(crate) SURNAME_PARTICLES = ["particles.txt", "surname_particles.txt"];
    /// Lowercase words inside any name: the particles of people's names and the words
    /// joining organizations' ("of", "for", "and", "&", "the", "y").
    pub(crate) CONNECTORS = ["particles.txt", "name_links.txt"];

    // When: never names.

    /// Month and day names: capitalised, yet never part of a name ("Paris Monday").
    pub(crate) MONTHS_AND_DAYS = ["months_and_days.txt"];
    /// Capitalised words never names: month abbreviations, time zones, "GDP".
    pub(crate) NEVER_NAMES = ["never_names.txt"];
    /// Capitalised words that open sentences and never continue a name ("Since").
    pub(crate) SENTENCE_OPENERS = ["sentence_openers.txt"];
    /// Common words that start names and stay in them at a sentence's start ("New").
    pub(crate) NAME_STARTS = ["name_starts.txt"];
    /// Abbreviations of titles and company forms that are no name alone ("Gen", "Inc").
    pub(crate) TITLE_ABBREVIATIONS = ["title_abbreviations.txt"];
    /// Abbreviations whose period ends no sentence ("Mr.", "Jan."), without the period.
    pub(crate) PERIOD_ABBREVIATIONS = ["period_abbreviations.txt"];

    // What: the heads and neighbours of organizations' and places' names.

    /// Words that end an organization's name ("University", "Committee").
    pub(crate) ORG_HEADS = ["org_heads.txt"];
    /// Words that lead an organization's name when "of"/"for" follows ("Centre for …").
    pub(crate) ORG_LEADS = ["org_leads.txt"];
    /// Organization heads that only suggest uses, read with [`ORG_HEADS`] ("Front").
    pub(crate) MORE_ORG_HEADS = ["more_org_heads.txt"];
    /// Legal forms of companies ("Inc.", "GmbH").
    pub(crate) ORG_SUFFIXES = ["org_suffixes.txt"];
    /// Lowercase nouns next to a name that say it is an organization ("agency").
    pub(crate) ORG_NOUNS = ["org_nouns.txt"];
    /// Words that end a place's name ("Avenue", "Airport").
    pub(crate) LOC_HEADS = ["loc_heads.txt"];
    /// Words that end names of treaties, prizes and events: no person ("Agreement").
    pub(crate) OTHER_HEADS = ["other_heads.txt"];
    /// Words a name does not take in leftwards of its head ("Member of Parliament").
    pub(crate) NOT_IN_NAMES = ["not_in_names.txt"];
    /// Heads that make a known name before them (or after "<head> of") part of a longer
    /// one ("George Washington University", "University of Tokyo").
    pub(crate) NAME_HEADS = ["name_heads.txt"];
    /// Lowercase nouns before "of" that say a place follows ("residents of").
    pub(crate) PLACE_NOUNS = ["place_nouns.txt"];
    /// Prepositions before a name that say it is a place ("in", "near").
    pub(crate) PLACE_PREPOSITIONS = ["place_prepositions.txt"];
    /// Prepositions before an ambiguous known name that favour its place reading: the
    /// place prepositions and "to" ("flew to Jordan"), which is no evidence for an
    /// unknown name (see its file).
    pub(crate) PLACE_CUES = ["place_prepositions.txt", "to_places.txt"];

    // How a name is used.

    /// Endings that make a capitalised word an adjective ("-based", "-born").
    pub(crate) ADJECTIVE_ENDINGS = ["adjective_endings.txt"];
    /// Lowercase nouns after a capitalised word that make it an adjective ("authorities").
    pub(crate) ADJECTIVE_NOUNS = ["adjective_nouns.txt"];
    /// Lowercase words after a name that qualify no noun ("says", "and").
    pub(crate) NOT_NOUNS = ["not_nouns.txt"];
    /// Verbs of speech after a name: someone speaking ("said", "told").
    pub(crate) SPEECH_VERBS = ["speech_verbs.txt"];
    /// Lowercase words before a surname met alone that make it no mention ("its May").
    pub(crate) NOT_BEFORE_SHORT_FORM = ["not_before_short_form.txt"];

    // Generated lists (gazetteers/build/build_lexicon.py).

    /// Lowercase English words: a capitalised one may open a sentence rather than a name.
    pub(crate) COMMON_WORDS = ["../../gazetteers/lexicon/common-words.txt"];
}

/// A list of names, each marked when it is also an English word ("Grace", "Mark"),
/// which then needs more evidence.
#[derive(Debug, Default)]
pub struct NameList {
    names: FxHashMap<Box<str>, bool>,
}

impl NameList {
    /// One name a line; a name followed by a tab and anything is also a word; lines
    /// starting with `#` are comments.
    fn parse(text: &str) -> NameList {
        // (FxHashMap: the keys are short names, hashed once per capitalised word.)
        let names = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| match l.split_once('\t') {
                Some((name, _)) => (name.into(), true),
                None => (l.into(), false),
            })
            .collect();
        NameList { names }
    }

    /// Is `w` in the list? `Some(true)` when it is also an English word.
    pub fn get(&self, w: &str) -> Option<bool> {
        self.names.get(w).copied()
    }
}

/// Given names (census and the default gazetteer's people; see `gazetteers/lexicon/`).
pub(crate) static GIVEN_NAMES: LazyLock<NameList> =
    LazyLock::new(|| NameList::parse(include_str!("../../gazetteers/lexicon/given-names.txt")));

/// Surnames, from the same sources as [`GIVEN_NAMES`].
pub(crate) static SURNAMES: LazyLock<NameList> =
    LazyLock::new(|| NameList::parse(include_str!("../../gazetteers/lexicon/surnames.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_has_words_and_none_twice_or_with_spaces() {
        for (name, set) in ALL {
            let words: Vec<&str> = set.iter().collect();
            assert!(!words.is_empty(), "{name} is empty");
            let mut seen = FxHashSet::default();
            for w in &words {
                assert!(
                    !w.contains(char::is_whitespace),
                    "{name}: {w:?} has a space"
                );
                assert!(seen.insert(*w), "{name}: {w:?} twice");
                assert!(set.contains(w) && set.get(w) == Some(*w), "{name}: {w:?}");
            }
        }
    }

    #[test]
    fn name_lists_have_names_and_none_twice() {
        for (name, text) in [
            (
                "given",
                include_str!("../../gazetteers/lexicon/given-names.txt"),
            ),
            (
                "surnames",
                include_str!("../../gazetteers/lexicon/surnames.txt"),
            ),
        ] {
            let names: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split('\t').next().unwrap_or(l))
                .collect();
            assert!(names.len() > 1000, "{name}");
            let distinct: FxHashSet<&str> = names.iter().copied().collect();
            assert_eq!(distinct.len(), names.len(), "{name} has duplicates");
            assert!(names.iter().all(|n| !n.contains(char::is_whitespace)));
        }
        assert_eq!(GIVEN_NAMES.get("Aaron"), Some(false));
        assert_eq!(GIVEN_NAMES.get("Abbey"), Some(true));
        assert_eq!(SURNAMES.get("the"), None);
    }

    #[test]
    fn comments_and_blank_lines_are_no_words() {
        static SET: WordSet = WordSet::new(&["# a comment\n\nof  # inline\n  the\n", "y\n"]);
        assert_eq!(SET.iter().collect::<Vec<_>>(), ["of", "the", "y"]);
        assert!(!SET.contains("#") && !SET.contains(""));
    }

    #[test]
    fn strong_titles_are_person_titles_and_connectors_hold_the_particles() {
        assert!(STRONG_TITLES.iter().all(|w| PERSON_TITLES.contains(w)));
        assert!(PARTICLES.iter().all(|w| CONNECTORS.contains(w)));
        assert!(PARTICLES.iter().all(|w| SURNAME_PARTICLES.contains(w)));
    }
}
