//! Discovery: names no gazetteer knows, found by their shape.
//!
//! News names far more people and organizations than any gazetteer lists: the council
//! member quoted once, the local watchdog, the street where protesters marched. A
//! gazetteer tagger that ignores them misses half the people in a story. Discovery
//! finds capitalised names whose shape says what they are:
//! - **organizations** end in a head word ("Georgia State University", "Monetary Policy
//!   Committee") or start with one followed by "of"/"for" ("Department of Health",
//!   "Institute for Fiscal Studies");
//! - **places** end in a place head word ("Rustaveli Avenue", "Melbourne Airport");
//! - **introduced acronyms**: a name followed by "(ACRONYM)" whose initials spell it
//!   ("Sell Before We Dai (SBWD)");
//! - **people** follow a title ("Governor Brian Kemp") or a role ("coach Scott
//!   Robertson"), or start with a known given name ("Grace Wanjiru").
//!
//! Gazetteer matches win: a discovered name never overlaps a gazetteer person, and
//! replaces only the places and organizations inside it ("Georgia" in "Georgia State
//! University"). Discovered entities get the id `discovered:<slug of the name>`.

use rustc_hash::FxHashMap as HashMap;

use crate::gazetteer::{Entity, Kind};
use crate::lexicon::{
    ADJECTIVE_ENDINGS, CONNECTORS, GIVEN_NAMES, LOC_HEADS, MONTHS_AND_DAYS, NOT_IN_NAMES,
    ORG_HEADS, ORG_LEADS, OTHER_HEADS, PARTICLES, PERSON_TITLES, ROLES, SURNAMES,
};
use crate::tag::candidate::Candidate;
use crate::text::headlines::Headlines;
use crate::text::segment::opens_sentence_after;
use crate::text::words::{
    Word, ascii_word_run_end, inside_word, is_alphanumeric_or_hyphen, next_word, trailing_word,
};

/// A discovered name: its span and type (PER, ORG or LOC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Finds the names in `text` that the gazetteer candidates do not cover.
pub fn discover(
    text: &str,
    headlines: &Headlines,
    candidates: &[Candidate],
    entities: &[Entity],
    given: &dyn Fn(&str) -> Option<bool>,
) -> Vec<Found> {
    let is_given = |w: &str| GIVEN_NAMES.get(w).or_else(|| given(w));
    // Where each gazetteer place or organization starts, and its end.
    let others: HashMap<usize, usize> = candidates
        .iter()
        .filter(|c| c.entities.iter().any(|&e| entities[e].kind != Kind::Per))
        .map(|c| (c.start, c.end))
        .collect();
    let mut found = Vec::new();
    let mut at = 0;
    let mut chain: Vec<Word> = Vec::new();
    while let Some(start) = next_capitalised_token(text, at) {
        // The words joined to this one by single spaces: the longest run possible.
        // Only as far as a run can reach: capitalised words and the connectors
        // between them, not the rest of the sentence.
        chain.clear();
        let mut pos = start;
        let mut lowercase_in_a_row = 0;
        while let Some((word, next)) = next_word(text, pos) {
            chain.push(word);
            pos = next;
            let w = &text[word.start..word.end];
            if capitalised(w) {
                lowercase_in_a_row = 0;
            } else if CONNECTORS.contains(w) && lowercase_in_a_row < 3 {
                lowercase_in_a_row += 1;
            } else {
                break;
            }
            if !word.joined {
                break;
            }
        }
        let run = if chain.is_empty() {
            Vec::new()
        } else {
            run_at(text, &chain, 0)
        };
        let Some(last) = run.last() else {
            // At least past the token's first character, which may be several bytes
            // ("’" starts a token too).
            let next_char = start + text[start..].chars().next().map_or(1, char::len_utf8);
            at = chain.first().map_or(pos, |w| w.end).max(next_char);
            continue;
        };
        if !headlines.contains(run[0].start) {
            let ctx = Context {
                text,
                run: &run,
                others: &others,
            };
            found.extend(ctx.names(&is_given));
        }
        at = last.end;
    }
    found.retain(|f| fits(f, candidates, entities));
    found
}

/// The start of the next token at or after `at` that may be a capitalised word: one
/// that starts with anything but an ASCII lowercase letter or digit, or a lowercase
/// one such as "eBay" or "al-Assad". Only the bytes that can make a token a candidate
/// (see `MAY_START_NAME`) stop the scan, so the lowercase prose between names costs a
/// table lookup a byte: discovery's cost follows the capitalised words, not the text.
fn next_capitalised_token(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    loop {
        let found = at
            + bytes[at..]
                .iter()
                .position(|&b| MAY_START_NAME[b as usize])?;
        let (inside, len) = inside_word(text, found);
        if !inside {
            at = found + len;
            continue;
        }
        // Every byte from `at` to `found` is a lowercase letter, a digit or ASCII
        // outside words: the token holding `found` starts after the last of the latter.
        let start = found
            - bytes[at..found]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                .count();
        if start == found {
            return Some(start);
        }
        let b = bytes[start];
        let next = bytes[start + 1];
        let particle = (b == b'a' || b == b'e') && bytes[start + 1..].starts_with(b"l-");
        if b.is_ascii_lowercase() && (next.is_ascii_uppercase() || particle) {
            return Some(start);
        }
        // A lowercase word or a number: skip the rest of the token.
        at = ascii_word_run_end(bytes, start + 1);
        while at < bytes.len() {
            let (inside, len) = inside_word(text, at);
            if !inside {
                break;
            }
            at += len;
        }
    }
}

/// The bytes that may begin a candidate token or sit inside a lowercase-led one that is
/// a candidate: capitals, non-ASCII (letters with diacritics, and also curly quotes and
/// dashes, which `inside_word` then rules out) and the word marks `- ' . &`.
const MAY_START_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] =
            byte >= 0x80 || byte.is_ascii_uppercase() || matches!(byte, b'-' | b'\'' | b'.' | b'&');
        b += 1;
    }
    table
};

/// Capitalised: "Kemp", "U.S.", "NGO", "eGaming", "al-Saud"; not "German-born".
pub(crate) fn capitalised(w: &str) -> bool {
    if w.contains('-') && ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)) {
        return false;
    }
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        Some(c) if c.is_lowercase() => {
            let rest = chars.as_str();
            rest.starts_with(char::is_uppercase)
                || ["al-", "el-"].iter().any(|p| {
                    w.strip_prefix(p)
                        .is_some_and(|r| r.starts_with(char::is_uppercase))
                })
        }
        _ => false,
    }
}

/// The words of the name run that starts at word `i`: capitalised words joined by single
/// spaces, with connectors inside ("Bank of England"); empty when word `i` is not
/// capitalised.
fn run_at(text: &str, words: &[Word], i: usize) -> Vec<Word> {
    let word = |w: &Word| &text[w.start..w.end];
    if !capitalised(word(&words[i])) {
        return Vec::new();
    }
    let mut run = vec![words[i]];
    let mut j = i;
    while words[j].joined && j + 1 < words.len() {
        let next = word(&words[j + 1]);
        if capitalised(next) {
            run.push(words[j + 1]);
            j += 1;
            continue;
        }
        // Connectors count only when a capitalised word follows ("of England").
        let mut k = j + 1;
        while k < words.len() && CONNECTORS.contains(word(&words[k])) && words[k].joined {
            k += 1;
        }
        if k > j + 1 && k < words.len() && capitalised(word(&words[k])) && k - j <= 3 {
            run.extend_from_slice(&words[j + 1..=k]);
            j = k;
            continue;
        }
        break;
    }
    run
}

struct Context<'a> {
    text: &'a str,
    run: &'a [Word],
    others: &'a HashMap<usize, usize>,
}

impl Context<'_> {
    fn word(&self, i: usize) -> &str {
        &self.text[self.run[i].start..self.run[i].end]
    }

    fn span(&self, from: usize, to: usize, kind: Kind) -> Found {
        Found {
            start: self.run[from].start,
            end: self.run[to].end,
            kind,
        }
    }

    /// The names in this run, left to right.
    fn names(&self, is_given: &dyn Fn(&str) -> Option<bool>) -> Vec<Found> {
        let mut out = self.organizations_and_places();
        if let Some(f) = self.acronym_name() {
            out.retain(|o| o.end <= f.start || o.start >= f.end);
            out.push(f);
        }
        if out.is_empty()
            && let Some(p) = self.person(is_given)
        {
            out.push(p);
        }
        out
    }

    /// Names ending in a head word ("Georgia State University"), or led by one with
    /// "of"/"for" after it ("Department of Agriculture").
    fn organizations_and_places(&self) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        let mut i = 0;
        while i < self.run.len() {
            let w = self.word(i);
            let followed_by_of = i + 1 < self.run.len() && matches!(self.word(i + 1), "of" | "for");
            // A head ends the name: the run ends there, or a connector follows
            // ("Spring River Farms" is no river).
            let ends = i + 1 == self.run.len() || !capitalised(self.word(i + 1));
            let org = ORG_HEADS.contains(w) && ends || ORG_LEADS.contains(w) && followed_by_of;
            let loc = LOC_HEADS.contains(w) && ends && !followed_by_of;
            if !org && !loc {
                i += 1;
                continue;
            }
            let from = self.extend_left(i, out.last().map_or(0, |f| f.end));
            let to = if followed_by_of {
                self.extend_right(i)
            } else {
                i
            };
            let kind = if org { Kind::Org } else { Kind::Loc };
            if to > from && self.word(from) != "The" {
                out.push(self.span(from, to, kind));
            }
            i = to + 1;
        }
        out
    }

    /// Capitalised words (and "of") before word `i`, back to a title, "The" or `limit`.
    fn extend_left(&self, i: usize, limit: usize) -> usize {
        let mut from = i;
        while from > 0 && self.run[from - 1].start >= limit {
            let w = self.word(from - 1);
            let and_between = w == "and"
                && from >= 2
                && capitalised(self.word(from - 2))
                && self.word(from) != "the";
            let ok = capitalised(w)
                && !is_title(w)
                && !NOT_IN_NAMES.contains(w)
                && !matches!(w, "The" | "A" | "An")
                || w == "of" && from >= 2 && capitalised(self.word(from - 2))
                || and_between;
            if !ok {
                break;
            }
            from -= 1;
        }
        while from < i && !capitalised(self.word(from)) {
            from += 1;
        }
        from
    }

    /// Word `i` and what follows it up to the end of the run, stopping before "and
    /// the" (another name starts: "Department of Agriculture and the Forest Service").
    fn extend_right(&self, i: usize) -> usize {
        let mut to = i;
        let mut k = i + 1;
        while k < self.run.len() {
            if self.word(k) == "and" && k + 1 < self.run.len() && self.word(k + 1) == "the" {
                break;
            }
            if capitalised(self.word(k)) {
                to = k;
            }
            k += 1;
        }
        to
    }

    /// "Sell Before We Dai (SBWD)": the run's last words, when their initials spell the
    /// acronym in parentheses right after it.
    fn acronym_name(&self) -> Option<Found> {
        let last = self.run.len() - 1;
        let acronym = parenthesised_acronym(&self.text[self.run[last].end..])?;
        let letters: String = acronym
            .chars()
            .filter(|c| c.is_uppercase() || c.is_ascii_digit())
            .collect();
        (0..last).rev().chain([last]).find_map(|from| {
            if !capitalised(self.word(from)) || self.word(from) == "The" {
                return None;
            }
            let initials: Vec<Vec<String>> =
                (from..=last).map(|k| initials(self.word(k))).collect();
            if spells(&letters, &initials) {
                let kind = if LOC_HEADS.contains(self.word(last)) {
                    Kind::Loc
                } else {
                    Kind::Org
                };
                Some(self.span(from, last, kind))
            } else {
                None
            }
        })
    }

    /// A person: after a title or role, or starting with a given name.
    fn person(&self, is_given: &dyn Fn(&str) -> Option<bool>) -> Option<Found> {
        // After the last title inside the run ("Water Minister Raed Abu al-Saud").
        let titled = (0..self.run.len()).rev().find(|&k| is_title(self.word(k)));
        let from = titled.map_or(0, |t| t + 1);
        if from >= self.run.len() {
            return None;
        }
        let first = self.word(from);
        if !first.starts_with(char::is_uppercase) || PARTICLES.contains(&first.to_ascii_lowercase())
        {
            return None;
        }
        let to = self.person_end(from)?;
        let cue = titled.is_some() || self.role_before(from);
        if cue {
            return Some(self.span(from, to, Kind::Per));
        }
        // A given name that is also a word ("Will", "Hope", "In") is never first in a
        // sentence, and needs a known surname, a verb of speech or an apposition after
        // it ("…, an engineer"); one that is also a place ("Jordan", "Paris") a known
        // surname or a verb of speech.
        let word_like = is_given(first)?;
        let last = self.word(to);
        let surname = SURNAMES.get(last) == Some(false) && !self.starts_other_entity(to);
        let place_like = self.starts_other_entity(from);
        if word_like && self.sentence_initial(from) {
            return None; // "In Pakistan, the…", "Will Brazil…"
        }
        let evidence = match (word_like, place_like) {
            (false, false) => true,
            (true, false) => surname || self.said_after(to) || self.apposition_after(to),
            (_, true) => surname || self.said_after(to),
        };
        if !evidence {
            return None;
        }
        Some(self.span(from, to, Kind::Per))
    }

    /// The last word of a person's name starting at `from`: two to four capitalised
    /// words (particles allowed), none a title, head, month or another entity's start.
    fn person_end(&self, from: usize) -> Option<usize> {
        let mut to = from;
        let mut names = 1;
        for k in from + 1..self.run.len() {
            let w = self.word(k);
            if PARTICLES.contains(w) {
                continue;
            }
            // A one-word place may be a surname ("Michael Jordan"); a longer one
            // ends the name.
            let longer_entity = self
                .other_entity_at(k)
                .is_some_and(|end| end != self.run[k].end);
            let stop = !capitalised(w)
                || is_title(w)
                || MONTHS_AND_DAYS.contains(w)
                || ORG_HEADS.contains(w)
                || LOC_HEADS.contains(w)
                || OTHER_HEADS.contains(w)
                || longer_entity;
            if stop {
                break;
            }
            to = k;
            names += 1;
        }
        let whole = to + 1 == self.run.len();
        ((2..=4).contains(&names) && whole).then_some(to)
    }

    /// Does a gazetteer place or organization start at word `k`?
    fn starts_other_entity(&self, k: usize) -> bool {
        self.other_entity_at(k).is_some()
    }

    /// The end of the gazetteer place or organization starting at word `k`, if any.
    fn other_entity_at(&self, k: usize) -> Option<usize> {
        self.others.get(&self.run[k].start).copied()
    }

    /// A role just before the run: "coach Scott Robertson", "its founder, Dilnoza".
    fn role_before(&self, from: usize) -> bool {
        let before = &self.text[..self.run[from].start];
        let Some(before) = before
            .strip_suffix(", ")
            .or_else(|| before.strip_suffix(' '))
        else {
            return false;
        };
        let word = trailing_word(before, is_alphanumeric_or_hyphen);
        // "…, said Scott Robertson": speech before a name is a person's here. Suggest
        // takes no such cue, as organizations speak too ("said Reuters").
        ROLES.contains(word) || word == "said"
    }

    /// " said", ", who" after the name: a person is speaking or described.
    fn said_after(&self, to: usize) -> bool {
        let rest = &self.text[self.run[to].end..];
        [" said", " says", " told", ", who ", ", whose "]
            .iter()
            .any(|p| rest.starts_with(p))
    }

    /// ", a …", ", the …" after the name: it is being described.
    fn apposition_after(&self, to: usize) -> bool {
        let rest = &self.text[self.run[to].end..];
        [", a ", ", an ", ", the "]
            .iter()
            .any(|p| rest.starts_with(p))
    }

    /// Does word `k` start a sentence (or a line, or a quotation)?
    fn sentence_initial(&self, k: usize) -> bool {
        opens_sentence_after(&self.text[..self.run[k].start])
    }
}

fn is_title(w: &str) -> bool {
    PERSON_TITLES.contains(w)
}

/// What a word may give an acronym: "NGO" → "NGO" or "N"; "eGaming" → "EG" or "E";
/// a connector ("of") its initial or nothing.
pub(crate) fn initials(w: &str) -> Vec<String> {
    let first: String = w.chars().take(1).flat_map(char::to_uppercase).collect();
    if !capitalised(w) {
        return vec![first, String::new()];
    }
    let all: String = if w.chars().all(|c| !c.is_lowercase()) {
        w.chars().filter(|c| c.is_alphanumeric()).collect()
    } else {
        let mut all = first.clone();
        all.extend(w.chars().skip(1).filter(|c| c.is_uppercase()));
        all
    };
    if all == first {
        vec![first]
    } else {
        vec![all, first]
    }
}

/// Do the words, each giving one of its initials, spell `letters`?
pub(crate) fn spells(letters: &str, words: &[Vec<String>]) -> bool {
    let Some((options, rest)) = words.split_first() else {
        return letters.is_empty();
    };
    options.iter().any(|o| {
        letters
            .strip_prefix(o.as_str())
            .is_some_and(|tail| spells(tail, rest))
    })
}

/// Keeps a found name only where it does not fight the gazetteer: no partial overlap with
/// a candidate, no equal span, no gazetteer person inside (unless an organization
/// contains it: "George Washington University").
fn fits(f: &Found, candidates: &[Candidate], entities: &[Entity]) -> bool {
    candidates.iter().all(|c| {
        let disjoint = c.end <= f.start || c.start >= f.end;
        if disjoint {
            return true;
        }
        let inside = f.start <= c.start && c.end <= f.end && (c.start, c.end) != (f.start, f.end);
        let person = c.entities.iter().any(|&e| entities[e].kind == Kind::Per);
        inside && (!person || f.kind == Kind::Org)
    })
}

/// `" (CSTO)"` at the start of `rest` → `CSTO`: 2 to 10 letters, digits, `&` or `-`,
/// starting with a capital and with at least two capitals ("KazISS", "IOMeGA").
pub fn parenthesised_acronym(rest: &str) -> Option<&str> {
    let inner = rest.strip_prefix(" (")?;
    let close = inner.find(')')?;
    let acronym = &inner[..close];
    let capitals = acronym.chars().filter(|c| c.is_uppercase()).count();
    let ok = (2..=10).contains(&acronym.chars().count())
        && capitals >= 2
        && acronym.chars().next().is_some_and(char::is_uppercase)
        && acronym
            .chars()
            .all(|c| c.is_alphanumeric() || c == '&' || c == '-');
    ok.then_some(acronym)
}

/// The id prefix of discovered entities.
pub const DISCOVERED_PREFIX: &str = "discovered:";

/// `discovered:` and the name folded to lowercase ASCII words joined by hyphens.
pub fn discovered_id(name: &str) -> String {
    format!("{DISCOVERED_PREFIX}{}", crate::text::normalize::slug(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(id: &str, name: &str) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: "LOC".into(),
            ..Entity::default()
        }
    }

    /// Discovers in `text` with the places `places` (matched wherever they occur) as
    /// gazetteer candidates; returns (surface, type).
    fn found(text: &str, places: &[&str]) -> Vec<(String, String)> {
        let entities: Vec<Entity> = places.iter().map(|p| loc(p, p)).collect();
        let mut candidates: Vec<Candidate> = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for (at, _) in text.match_indices(p) {
                candidates.push(Candidate {
                    start: at,
                    end: at + p.len(),
                    entities: vec![i],
                });
            }
        }
        candidates.sort_by_key(|c| c.start);
        discover(text, &Headlines::new(text), &candidates, &entities, &|_| {
            None
        })
        .into_iter()
        .map(|f| (text[f.start..f.end].to_string(), f.kind.to_string()))
        .collect()
    }

    fn names(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn organizations_and_places_by_their_head() {
        assert_eq!(
            found(
                "Economists at Georgia State University and the Department of \
                 Agriculture and the U.S. Forest Service marched down Rustaveli Avenue.",
                &["Georgia"]
            ),
            names(&[
                ("Georgia State University", "ORG"),
                ("Department of Agriculture", "ORG"),
                ("U.S. Forest Service", "ORG"),
                ("Rustaveli Avenue", "LOC"),
            ])
        );
        // A head inside a longer name is no head; adjectives stay out.
        assert_eq!(
            found(
                "the shop was sold to Spring River Farms by a Lausanne-based Football Club \
                 after it had been on the market for a year",
                &[]
            ),
            names(&[("Football Club", "ORG")])
        );
    }

    #[test]
    fn acronyms_spelled_by_initials() {
        assert_eq!(
            found(
                "Fan group Sell Before We Dai (SBWD) and the Kazakhstan Institute for \
                 Strategic Studies (KazISS) spoke; Big Group (XYZ) did not.",
                &[]
            ),
            names(&[
                ("Sell Before We Dai", "ORG"),
                ("Kazakhstan Institute for Strategic Studies", "ORG"),
                ("Big Group", "ORG"),
            ])
        );
        assert!(spells(
            "IOMEGA",
            &["Isle", "of", "Man", "eGaming", "Association"].map(initials)
        ));
        assert!(!spells(
            "PNGX",
            &["Palestinian", "NGO", "Network"].map(initials)
        ));
    }

    #[test]
    fn people_after_titles_roles_and_given_names() {
        assert_eq!(
            found(
                "on that day Governor Brian Kemp met with the Water Minister Raed Abu \
                 al-Saud, the coach Scott Robertson and a trader, Grace Wanjiru, in a bar.",
                &[]
            ),
            names(&[
                ("Brian Kemp", "PER"),
                ("Raed Abu al-Saud", "PER"),
                ("Scott Robertson", "PER"),
                ("Grace Wanjiru", "PER"),
            ])
        );
    }

    #[test]
    fn given_names_that_are_words_or_places_need_evidence() {
        // "In" is a census first name, but first in a sentence it is the preposition.
        assert_eq!(found("In Pakistan, the talks went on.", &["Pakistan"]), []);
        // A place as first name: a known surname or a verb of speech decides.
        assert_eq!(
            found(
                "and then Jordan Haddad said no. It is the Paris Agreement, a treaty.",
                &["Jordan", "Paris"]
            ),
            names(&[("Jordan Haddad", "PER")])
        );
        // A one-word place may be a surname once the first name is a sure one.
        assert_eq!(
            found(
                "as soon as Michael Jordan returned to the city",
                &["Jordan"]
            ),
            names(&[("Michael Jordan", "PER")])
        );
    }

    #[test]
    fn headlines_in_title_case_are_left_alone() {
        assert_eq!(
            found("Governor Brian Kemp Opens New Plant In Town\nBody.", &[]),
            []
        );
    }

    #[test]
    fn ids_are_folded_slugs() {
        assert_eq!(
            discovered_id("Tarcísio de Freitas"),
            "discovered:tarcisio-de-freitas"
        );
        assert_eq!(
            discovered_id("U.S. Forest Service"),
            "discovered:u-s-forest-service"
        );
    }

    #[test]
    fn a_token_that_starts_with_a_curly_apostrophe_is_stepped_over_whole() {
        // "’" counts as a word character and is three bytes: stepping one byte past it
        // once landed inside it and panicked.
        for text in ["x ’ y", "Paulo’ ", "the Joneses’ car in São Paulo’ and ’’ "] {
            found(text, &[]);
        }
    }

    /// [`next_capitalised_token`] as first written, token by token: the byte scan must
    /// find the same starts.
    fn next_capitalised_token_by_tokens(text: &str, mut at: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let (inside, len) = inside_word(text, at);
            if !inside {
                at += len;
                continue;
            }
            let b = bytes[at];
            let next = bytes.get(at + 1).copied().unwrap_or(b' ');
            let particle = (b == b'a' || b == b'e') && bytes[at + 1..].starts_with(b"l-");
            let lowercase = b.is_ascii_lowercase() && !next.is_ascii_uppercase() && !particle;
            if !(lowercase || b.is_ascii_digit()) {
                return Some(at);
            }
            at = ascii_word_run_end(bytes, at + 1);
            while at < bytes.len() {
                let (inside, len) = inside_word(text, at);
                if !inside {
                    break;
                }
                at += len;
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn capitalised_tokens_agree_with_the_token_by_token_scan(
            text in "([a-eA-E0-9 ,.'&\\-]|l-|é|É|“|’|日|\u{a0}){0,40}",
            from in 0usize..40,
        ) {
            // Every scan starts on a character boundary.
            let mut at = from.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            proptest::prop_assert_eq!(
                next_capitalised_token(&text, at),
                next_capitalised_token_by_tokens(&text, at)
            );
        }
    }
}
