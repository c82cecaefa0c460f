//! Suggest: names the gazetteer misses, found in the corpus, with a type guess from the
//! evidence around them, ready to review and add as a gazetteer.
//!
//! No gazetteer is complete: tomorrow's news names a new minister or a new town. The
//! tagger knows what it already tags, so everything else capitalised is a candidate:
//! runs of capitalised words (with connectors such as "of", "de", "bin" inside),
//! acronyms, hyphenated names. Candidates lose sentence-initial common words ("Units of
//! …"), titles ("President"), months and days; words the gazetteer already tags and
//! parts of known names are no candidates. Each mention then collects evidence for a
//! type from its neighbours: a title or role before it, "said" after it, a place
//! preposition, an organization's head word, an acronym defined in parentheses, the
//! types of tagged entities it is listed with. Within a document, a surname joins the
//! full name it ends and an acronym the long form it abbreviates.

pub mod accept;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::gazetteer::Kind;
use crate::lexicon::{
    ADJECTIVE_ENDINGS, ADJECTIVE_NOUNS, COMMON_WORDS, GIVEN_NAMES, LOC_HEADS, MONTHS_AND_DAYS,
    MORE_ORG_HEADS, NAME_STARTS, NEVER_NAMES, NOT_NOUNS, ORG_HEADS, ORG_NOUNS, ORG_SUFFIXES,
    PARTICLES, PERSON_TITLES, PLACE_NOUNS, PLACE_PREPOSITIONS, ROLES, SENTENCE_OPENERS,
    SPEECH_VERBS, SURNAMES, TITLE_ABBREVIATIONS,
};
use crate::tag::discover;
use crate::tag::matcher::{EntityRef, Tagger};
use crate::text::headlines::Headlines;
use crate::text::normalize::{context_window, slug, squeeze_whitespace};
use crate::text::segment::gap_opens_sentence;
use crate::text::words::{self, Word};

/// The types suggest guesses, in the order of its score arrays.
pub(crate) const TYPES: [Kind; 3] = [Kind::Per, Kind::Org, Kind::Loc];
/// Where [`Kind::Per`] is in [`TYPES`], and so in every score array.
const PER: usize = 0;
/// Contexts kept per suggestion, each from a different document.
const CONTEXTS: usize = 2;
/// Characters of text each side of a mention in a context.
const CONTEXT_CHARS: usize = 60;

/// Lowercase words that may sit inside a name: "Bank of England", "Osama bin Laden",
/// "Tarcísio de Freitas". (Discovery's connectors also take "and", "the" and "for",
/// which here would join two names: "Russia and Belarus".)
fn is_connector(w: &str) -> bool {
    matches!(w, "of" | "y") || PARTICLES.contains(w)
}

/// One kind of evidence for a candidate's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Evidence {
    Title,
    Role,
    Said,
    Who,
    GivenName,
    Surname,
    PlacePreposition,
    PlaceNoun,
    Based,
    PlaceHead,
    OrgHead,
    OrgNoun,
    AcronymDefined,
    Acronym,
    Dateline,
    The,
    ListedWith(usize),
}

impl Evidence {
    /// Whether this evidence speaks for a person at all.
    fn points_to_person(self) -> bool {
        self.weights()[PER] != 0.0
    }

    /// Weights for PER, ORG, LOC.
    fn weights(self) -> Scores {
        match self {
            Evidence::Title => [3.0, 0.0, 0.0],
            Evidence::Role => [2.0, 0.0, 0.0],
            Evidence::Said => [1.0, 0.4, 0.0],
            Evidence::Who => [1.5, 0.0, 0.0],
            Evidence::GivenName => [2.0, 0.0, 0.0],
            Evidence::Surname => [0.8, 0.0, 0.0],
            Evidence::PlacePreposition => [0.0, 0.3, 1.5],
            Evidence::PlaceNoun => [0.0, 0.0, 2.0],
            Evidence::Based => [0.0, 0.3, 2.0],
            Evidence::PlaceHead => [0.0, 0.0, 3.0],
            Evidence::OrgHead => [0.0, 3.0, 0.0],
            Evidence::OrgNoun => [0.0, 1.5, 0.0],
            Evidence::AcronymDefined => [0.0, 3.0, 0.0],
            Evidence::Acronym => [0.0, 1.0, 0.3],
            Evidence::Dateline => [0.0, 0.0, 4.0],
            Evidence::The => [0.0, 0.6, 0.3],
            Evidence::ListedWith(t) => {
                let mut w = [0.0; 3];
                w[t] = 1.2;
                w
            }
        }
    }

    pub(crate) fn label(self) -> String {
        match self {
            Evidence::Title => "after a title".into(),
            Evidence::Role => "after a role".into(),
            Evidence::Said => "\"said\" after".into(),
            Evidence::Who => "\", who\" after".into(),
            Evidence::GivenName => "starts with a given name".into(),
            Evidence::Surname => "ends with a surname".into(),
            Evidence::PlacePreposition => "after in/near/from".into(),
            Evidence::PlaceNoun => "after \"city of\" or the like".into(),
            Evidence::Based => "\"-based\" after".into(),
            Evidence::PlaceHead => "a place word ends it".into(),
            Evidence::OrgHead => "an organization word ends it".into(),
            Evidence::OrgNoun => "next to \"agency\", \"party\" or the like".into(),
            Evidence::AcronymDefined => "defines an acronym".into(),
            Evidence::Acronym => "an acronym".into(),
            Evidence::Dateline => "a dateline".into(),
            Evidence::The => "after \"the\"".into(),
            Evidence::ListedWith(t) => format!("listed with a {}", TYPES[t]),
        }
    }
}

type Scores = [f64; 3];

/// A mention in its sentence, for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    pub doc: String,
    pub text: String,
}

/// One candidate mention found in a document.
#[derive(Debug, Clone)]
struct Found {
    key: String,
    form: String,
    start: usize,
    end: usize,
    words: usize,
    evidence: Vec<Evidence>,
    adjective: bool,
    /// The acronym this long form defines right after it, in parentheses.
    defines: Option<String>,
    /// Hashes of the text just before and just after: boilerplate (share buttons,
    /// footers) repeats both in every document.
    sides: (u64, u64),
    /// One word that is also an English word ("Japan", "Reply").
    common: bool,
    mid_sentence: bool,
}

/// What one document contributes.
#[derive(Debug, Default)]
pub struct DocCandidates {
    doc: String,
    found: Vec<Found>,
    contexts: HashMap<String, String>,
    /// How often each common English word is written in lowercase here.
    lowercase: HashMap<&'static str, u32>,
}

/// The counts of one candidate over the corpus.
#[derive(Debug, Default, Clone)]
struct Tally {
    forms: HashMap<String, u64>,
    mentions: u64,
    docs: Vec<u32>,
    evidence: HashMap<Evidence, u64>,
    adjective: u64,
    contexts: Vec<Context>,
    /// A common English word: kept only if the corpus writes it capitalised inside
    /// sentences and (nearly) never in lowercase.
    common: bool,
    capitalised_inside: u64,
    /// Distinct [`Found::sides`] (up to [`SIDES_KEPT`] of each).
    left_sides: HashSet<u64>,
    right_sides: HashSet<u64>,
}

/// Enough distinct neighbourhoods to tell a name from boilerplate.
const SIDES_KEPT: usize = 64;
/// Bytes of text each side hashed for [`Found::sides`].
const SIDE_BYTES: usize = 24;

/// A proposed entity.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub aliases: Vec<String>,
    pub mentions: u64,
    pub documents: u64,
    /// The guessed type's share of the evidence (0 when there was none and the shape
    /// decided).
    pub confidence: f64,
    pub evidence: Vec<(String, u64)>,
    pub contexts: Vec<Context>,
}

/// Which suggestions to keep.
#[derive(Debug, Clone)]
pub struct SuggestOptions {
    pub min_docs: u64,
    pub min_mentions: u64,
    pub types: Vec<String>,
    pub top: Option<usize>,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            min_docs: 2,
            min_mentions: 1,
            types: Vec::new(),
            top: None,
        }
    }
}

/// The parts of known names that are no names of their own: the runs of two or more
/// words inside a known name or alias ("Security Treaty"), and the last word of a known
/// person's ("Tokayev": a surname met without the full name). A single word of another
/// name ("Paris" of "Paris Hilton") or a run that starts or ends one ("New York" of "New
/// York Times") is no part: it is used alone as a name of its own.
pub struct KnownParts {
    parts: HashSet<String>,
    surnames: HashSet<String>,
}

impl KnownParts {
    pub fn new(tagger: &Tagger) -> KnownParts {
        let (mut parts, mut surnames) = (HashSet::new(), HashSet::new());
        for e in tagger.entities() {
            for surface in std::iter::once(&e.name).chain(&e.aliases) {
                let words: Vec<String> = surface
                    .split(|c: char| c.is_whitespace() || c == '-')
                    .map(slug)
                    .filter(|w| !w.is_empty())
                    .collect();
                // Inner runs only: a run that starts or ends the name is also used
                // alone ("New York" of "New York Times", "Buenos Aires" of "Buenos
                // Aires Province"), an inner one hardly ("Security Treaty").
                for i in 1..words.len() {
                    for j in i + 2..words.len() {
                        parts.insert(words[i..j].join("-"));
                    }
                }
                if e.kind == Kind::Per
                    && words.len() > 1
                    && let Some(last) = words.last()
                {
                    surnames.insert(last.clone());
                }
            }
        }
        KnownParts { parts, surnames }
    }
}

/// Finds the candidates of one document.
pub fn candidates(tagger: &Tagger, known: &KnownParts, doc: &str, text: &str) -> DocCandidates {
    let mentions = tagger.tag(text);
    // Names discovery found are what suggest is for: only gazetteer mentions cover.
    let covered: Vec<(usize, usize, Option<usize>)> = mentions
        .iter()
        .filter(|m| matches!(m.entity, EntityRef::Gazetteer(_)))
        .map(|m| {
            let kind = &tagger.entity(&m.entity).kind;
            (m.start, m.end, TYPES.iter().position(|t| t == kind))
        })
        .collect();
    let words = words::words(text);
    let headlines = Headlines::new(text);
    let scan = Scan {
        text,
        words: &words,
        covered: &covered,
        known,
    };
    let mut found = scan.runs(&headlines);
    merge_in_document(&mut found);
    let mut contexts = HashMap::new();
    for f in &found {
        contexts
            .entry(f.key.clone())
            .or_insert_with(|| context(text, f.start, f.end));
    }
    let mut lowercase = HashMap::new();
    for w in &words {
        let word = &text[w.start..w.end];
        if word.starts_with(|c: char| c.is_ascii_lowercase())
            && let Some(common) = COMMON_WORDS.get(word)
        {
            *lowercase.entry(common).or_default() += 1;
        }
    }
    DocCandidates {
        doc: doc.to_string(),
        found,
        contexts,
        lowercase,
    }
}

struct Scan<'a> {
    text: &'a str,
    words: &'a [Word],
    covered: &'a [(usize, usize, Option<usize>)],
    known: &'a KnownParts,
}

impl Scan<'_> {
    fn word(&self, i: usize) -> &str {
        &self.text[self.words[i].start..self.words[i].end]
    }

    /// The type of the gazetteer mention over word `i`, if one is. Mentions are sorted
    /// and never overlap, so the first that ends after the word's start is the only
    /// one that can cover it (a binary search: documents have many words and mentions).
    fn covered_type(&self, i: usize) -> Option<Option<usize>> {
        let w = &self.words[i];
        let at = self.covered.partition_point(|&(_, e, _)| e <= w.start);
        self.covered
            .get(at)
            .filter(|&&(s, _, _)| s < w.end)
            .map(|&(_, _, t)| t)
    }

    /// Does a sentence start at word `i`? At the start of the text, or after a stop,
    /// a line break or an opening quote (see [`gap_opens_sentence`]).
    fn sentence_start(&self, i: usize) -> bool {
        let gap_start = if i == 0 { 0 } else { self.words[i - 1].end };
        i == 0 || gap_opens_sentence(&self.text[gap_start..self.words[i].start])
    }

    /// The gap between words `i` and `i + 1` is plain (one space, or ", ", " and ").
    fn gap(&self, i: usize) -> &str {
        &self.text[self.words[i].end..self.words[i + 1].start]
    }

    fn runs(&self, headlines: &Headlines) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.words.len() {
            let w = self.word(i);
            // Lowercase prose goes first; the headline test scans the document's
            // title-case lines, so it runs only where a name could start.
            let based = based_prefix(w);
            if (based.is_none() && !discover::capitalised(w))
                || self.covered_type(i).is_some()
                || headlines.contains(self.words[i].start)
            {
                i += 1;
                continue;
            }
            if let Some(prefix) = based {
                self.based(i, prefix, &mut out);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < self.words.len() && self.words[j - 1].joined {
                let next = self.word(j);
                // "for" only after an organization's head: "Agency for International
                // Development", not "thanked Smith for Acme".
                let org_for = next == "for" && {
                    let prev = self.word(j - 1);
                    ORG_HEADS.contains(prev) || MORE_ORG_HEADS.contains(prev)
                };
                let inside = (discover::capitalised(next) && based_prefix(next).is_none())
                    || is_connector(next)
                    || org_for;
                if !inside || self.covered_type(j).is_some() {
                    break;
                }
                j += 1;
            }
            self.split_run(i, j, &mut out);
            i = j;
        }
        out
    }

    /// "Almaty-based": the capitalised part is a candidate, and a place.
    fn based(&self, i: usize, prefix: usize, out: &mut Vec<Found>) {
        let w = self.words[i];
        let form = &self.text[w.start..w.start + prefix];
        if !discover::capitalised(form) || is_common(form) {
            return;
        }
        out.push(Found {
            key: slug(form),
            form: form.to_string(),
            start: w.start,
            end: w.start + prefix,
            words: 1,
            evidence: vec![Evidence::Based],
            adjective: false,
            defines: None,
            sides: sides(self.text, w.start, w.start + prefix),
            common: false,
            mid_sentence: true,
        });
    }

    /// Cuts the run of words `from..to` at titles, months and days, drops a
    /// sentence-initial common word, and keeps the pieces that are candidates.
    fn split_run(&self, from: usize, to: usize, out: &mut Vec<Found>) {
        let mut start = from;
        let mut after_title = false;
        for k in from..=to {
            let cut = k == to || {
                let w = self.word(k);
                PERSON_TITLES.contains(w)
                    || MONTHS_AND_DAYS.contains(w)
                    || NEVER_NAMES.contains(w)
                    || SENTENCE_OPENERS.contains(w)
                    || is_contraction(w)
                    || lowercase_compound(w)
            };
            if !cut {
                continue;
            }
            let mut s = start;
            // "Units of CSTO": the common word goes. Alone ("Japan said"), it stays a
            // candidate that the corpus must confirm (see `Tally::common`).
            if k - s > 1
                && self.sentence_start(s)
                && is_common(self.word(s))
                && !NAME_STARTS.contains(self.word(s))
                && !after_title
            {
                s += 1;
            }
            while s < k && is_connector(self.word(s)) {
                s += 1;
            }
            let mut e = k;
            while e > s && is_connector(self.word(e - 1)) {
                e -= 1;
            }
            if s < e
                && let Some(mut f) = self.candidate(s, e, after_title)
            {
                // "Russian President", "British Prime Minister": a qualifier of the
                // title, used as an adjective.
                if k < to && e == k && PERSON_TITLES.contains(self.word(k)) {
                    f.adjective = true;
                }
                out.push(f);
            }
            after_title = k < to && PERSON_TITLES.contains(self.word(k));
            start = k + 1;
        }
    }

    fn candidate(&self, s: usize, e: usize, after_title: bool) -> Option<Found> {
        let (start, end) = (self.words[s].start, self.words[e - 1].end);
        let form = &self.text[start..end];
        let key = slug(form);
        let single = e - s == 1;
        let acronym = is_acronym(form);
        if key.is_empty()
            || form.chars().filter(|c| c.is_alphabetic()).count() < 2
            || (single && !acronym && is_group_noun(form))
            || (single && TITLE_ABBREVIATIONS.contains(form))
            || is_group_noun(self.word(e - 1))
            || (single && ["ic", "ish", "ese"].iter().any(|x| form.ends_with(x)))
            || self.known.parts.contains(&key)
        {
            return None;
        }
        let common = single && !acronym && is_common(form);
        let mut evidence = Vec::new();
        if after_title {
            evidence.push(Evidence::Title);
        }
        if acronym {
            evidence.push(Evidence::Acronym);
        }
        self.shape_evidence(s, e, &mut evidence);
        self.left_evidence(s, &mut evidence);
        let (defines, adjective) = self.right_evidence(s, e, &mut evidence);
        // A known person's surname, unless this mention says it is a place or an
        // organization ("France" is also Anatole France's).
        if self.known.surnames.contains(&key)
            && !evidence
                .iter()
                .any(|e| !e.points_to_person() && !matches!(e, Evidence::The | Evidence::Acronym))
        {
            return None;
        }
        Some(Found {
            key,
            form: form.to_string(),
            start,
            end,
            words: e - s,
            evidence,
            adjective,
            defines,
            sides: sides(self.text, start, end),
            common,
            mid_sentence: !self.sentence_start(s),
        })
    }

    fn shape_evidence(&self, s: usize, e: usize, evidence: &mut Vec<Evidence>) {
        let (first, last) = (self.word(s), self.word(e - 1));
        // The head is the last word, or the one before "of"/"for" ("Bank of England").
        let head = (s..e)
            .find(|&k| k > s && matches!(self.word(k), "of" | "for"))
            .map_or(last, |k| self.word(k - 1));
        if [head, last].iter().any(|w| {
            ORG_HEADS.contains(w) || MORE_ORG_HEADS.contains(w) || ORG_SUFFIXES.contains(w)
        }) {
            evidence.push(Evidence::OrgHead);
        } else if LOC_HEADS.contains(head) && e - s > 1 {
            evidence.push(Evidence::PlaceHead);
        }
        if self.dateline(s, e) {
            evidence.push(Evidence::Dateline);
        }
        if e - s > 1 {
            if GIVEN_NAMES.get(first) == Some(false) {
                evidence.push(Evidence::GivenName);
            }
            if SURNAMES.get(last) == Some(false) {
                evidence.push(Evidence::Surname);
            }
        }
    }

    /// "ALMATY, March 3 —" or "CAIRO —": a place in capitals opening a line.
    fn dateline(&self, s: usize, e: usize) -> bool {
        let line_start =
            s == 0 || self.text[self.words[s - 1].end..self.words[s].start].contains('\n');
        let form = &self.text[self.words[s].start..self.words[e - 1].end];
        let rest = &self.text[self.words[e - 1].end..];
        line_start
            && form.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && form.chars().all(|c| !c.is_lowercase())
            && (rest.starts_with(", ") || rest.starts_with(" —") || rest.starts_with(" –"))
    }

    fn left_evidence(&self, s: usize, evidence: &mut Vec<Evidence>) {
        if s == 0 || self.sentence_start(s) {
            return;
        }
        let prev = self.word(s - 1).to_lowercase();
        let gap = self.gap(s - 1);
        if gap == " " {
            if ROLES.contains(&prev) {
                evidence.push(Evidence::Role);
            } else if PLACE_PREPOSITIONS.contains(&prev) {
                evidence.push(Evidence::PlacePreposition);
            } else if ORG_NOUNS.contains(&prev) {
                evidence.push(Evidence::OrgNoun);
            } else if prev == "the" {
                evidence.push(Evidence::The);
            } else if prev == "of"
                && s >= 2
                && PLACE_NOUNS.contains(&self.word(s - 2).to_lowercase())
            {
                evidence.push(Evidence::PlaceNoun);
            }
        }
        if (gap == ", " || gap == " and " || gap == " or ")
            && let Some(Some(t)) = self.covered_type(s - 1)
        {
            evidence.push(Evidence::ListedWith(t));
        }
    }

    /// Evidence after the candidate; also the acronym it defines and whether it is used
    /// as an adjective here.
    fn right_evidence(
        &self,
        s: usize,
        e: usize,
        evidence: &mut Vec<Evidence>,
    ) -> (Option<String>, bool) {
        let end = self.words[e - 1].end;
        let rest = &self.text[end..];
        if let Some(acronym) = discover::parenthesised_acronym(rest) {
            let initials: Vec<Vec<String>> =
                (s..e).map(|k| discover::initials(self.word(k))).collect();
            if e - s > 1 && discover::spells(acronym, &initials) {
                evidence.push(Evidence::AcronymDefined);
                return (Some(slug(acronym)), false);
            }
        }
        if e >= self.words.len() {
            return (None, false);
        }
        let next = self.word(e).to_lowercase();
        let gap = self.gap(e - 1);
        let mut adjective = false;
        if gap == " " {
            if SPEECH_VERBS.contains(&next) {
                evidence.push(Evidence::Said);
            } else if ORG_NOUNS.contains(&next)
                || (next == "news" && e + 1 < self.words.len() && self.word(e + 1) == "agency")
            {
                evidence.push(Evidence::OrgNoun);
            }
            let last = self.word(e - 1);
            let demonym_like = is_demonym_like(last) && !last.ends_with("stan");
            let noun_after = ADJECTIVE_NOUNS.contains(&next)
                || ROLES.contains(&next)
                || PERSON_TITLES.contains(self.word(e));
            // "Syrian refugees", "Israeli settlements": a nationality before any noun.
            let any_noun_after =
                self.word(e).starts_with(|c: char| c.is_lowercase()) && !NOT_NOUNS.contains(&next);
            adjective = ((e - s == 1 || demonym_like) && noun_after)
                || (e - s == 1 && demonym_like && any_noun_after);
        } else if gap == ", " && next == "who" {
            evidence.push(Evidence::Who);
        }
        if (gap == ", " || gap == " and " || gap == " or ")
            && let Some(Some(t)) = self.covered_type(e)
        {
            evidence.push(Evidence::ListedWith(t));
        }
        (None, adjective)
    }
}

/// The length of the capitalised part of "Almaty-based", "Moscow-born".
fn based_prefix(w: &str) -> Option<usize> {
    ADJECTIVE_ENDINGS
        .iter()
        .filter(|e| matches!(*e, "-based" | "-born"))
        .find_map(|e| w.strip_suffix(e))
        .map(str::len)
        .filter(|&n| n > 0)
}

/// Hashes of up to [`SIDE_BYTES`] bytes before and after `start..end`.
fn sides(text: &str, start: usize, end: usize) -> (u64, u64) {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash = |s: &str| BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(s);
    let mut from = start.saturating_sub(SIDE_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + SIDE_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    (hash(&text[from..start]), hash(&text[end..to]))
}

/// "I'm", "We're", "Don't": a pronoun or verb with its contraction, capitalised at the
/// start of a sentence.
fn is_contraction(w: &str) -> bool {
    let w = w.replace('’', "'");
    ["'m", "'re", "'ve", "'d", "'ll", "'r", "n't"]
        .iter()
        .any(|c| w.ends_with(c))
}

/// "Muslim-majority", "Russia-backed": an adjective made from a name.
fn lowercase_compound(w: &str) -> bool {
    w.rsplit_once('-')
        .is_some_and(|(_, last)| last.starts_with(char::is_lowercase))
        && !w.starts_with(char::is_lowercase)
}

/// Endings of nationality adjectives ("Korean", "Japanese", "Kurdish", "Islamic").
fn is_demonym_like(w: &str) -> bool {
    ["an", "ese", "ish", "ic", "i"]
        .iter()
        .any(|x| w.ends_with(x))
}

/// Peoples and groups in the plural ("Americans", "Palestinians", "Christians"): not
/// entities a gazetteer lists.
fn is_group_noun(w: &str) -> bool {
    w.ends_with("ans") || w.ends_with("ists") || w.ends_with("ites")
}

/// A capitalised word whose lowercase form is an English word ("Units", "Reply").
fn is_common(w: &str) -> bool {
    let lower = w.to_lowercase();
    COMMON_WORDS.contains(&lower) && GIVEN_NAMES.get(w) != Some(false)
}

/// Two to eight capitals (dots and digits allowed): "CSTO", "U.N.", "G7".
fn is_acronym(w: &str) -> bool {
    let capitals = w.chars().filter(|c| c.is_uppercase()).count();
    (2..=8).contains(&capitals)
        && w.chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.' || c == '&')
}

/// Within a document: an acronym joins the long form that defined it, a one-word name
/// the longer name it ends ("Tokayev" → "Kassym-Jomart Tokayev").
fn merge_in_document(found: &mut [Found]) {
    let defined: HashMap<String, String> = found
        .iter()
        .filter_map(|f| Some((f.defines.clone()?, f.key.clone())))
        .collect();
    let mut last_words: HashMap<String, String> = HashMap::new();
    for f in found.iter().filter(|f| f.words > 1 && f.defines.is_none()) {
        if let Some(last) = f.key.rsplit('-').next() {
            last_words
                .entry(last.to_string())
                .or_insert_with(|| f.key.clone());
        }
    }
    for f in found.iter_mut() {
        if let Some(long) = defined.get(&f.key) {
            f.key = long.clone();
        } else if f.words == 1
            && !is_acronym(&f.form)
            && let Some(full) = last_words.get(&f.key)
        {
            f.key = full.clone();
        }
    }
}

/// The mention with up to [`CONTEXT_CHARS`] characters each side, the mention in
/// brackets, an ellipsis where the text goes on, and whitespace runs as one space.
fn context(text: &str, start: usize, end: usize) -> String {
    let (left, right) = context_window(text, start, end, CONTEXT_CHARS);
    format!(
        "{}{}[{}]{}{}",
        if left > 0 { "…" } else { "" },
        squeeze_whitespace(&text[left..start]),
        squeeze_whitespace(&text[start..end]),
        squeeze_whitespace(&text[end..right]),
        if right < text.len() { "…" } else { "" }
    )
}

/// Gathers the candidates of every document, in input order.
#[derive(Debug, Default)]
pub struct Suggester {
    tallies: HashMap<String, Tally>,
    /// Short forms → the longer names they stood for in some document (an acronym
    /// defined in parentheses, a surname after the full name), with counts.
    links: HashMap<String, HashMap<String, u64>>,
    documents: u32,
    lowercase: HashMap<&'static str, u64>,
}

impl Suggester {
    pub fn add(&mut self, doc: DocCandidates) {
        let index = self.documents;
        self.documents += 1;
        for (word, n) in doc.lowercase {
            *self.lowercase.entry(word).or_default() += u64::from(n);
        }
        for f in doc.found {
            let short = match &f.defines {
                Some(acronym) => Some(acronym.clone()),
                None => Some(slug(&f.form)).filter(|s| *s != f.key && f.words == 1),
            };
            if let Some(short) = short {
                *self
                    .links
                    .entry(short)
                    .or_default()
                    .entry(f.key.clone())
                    .or_default() += 1;
            }
            let t = self.tallies.entry(f.key.clone()).or_default();
            t.mentions += 1;
            *t.forms.entry(f.form).or_default() += 1;
            if t.docs.last() != Some(&index) {
                t.docs.push(index);
                if t.contexts.len() < CONTEXTS
                    && let Some(c) = doc.contexts.get(&f.key)
                {
                    t.contexts.push(Context {
                        doc: doc.doc.clone(),
                        text: c.clone(),
                    });
                }
            }
            for e in f.evidence {
                *t.evidence.entry(e).or_default() += 1;
            }
            t.adjective += u64::from(f.adjective);
            t.common |= f.common;
            t.capitalised_inside += u64::from(f.mid_sentence);
            if t.left_sides.len() < SIDES_KEPT {
                t.left_sides.insert(f.sides.0);
            }
            if t.right_sides.len() < SIDES_KEPT {
                t.right_sides.insert(f.sides.1);
            }
        }
    }

    pub fn documents(&self) -> u64 {
        self.documents.into()
    }

    /// The suggestions, most documents first, then most mentions, then id.
    pub fn finish(mut self, options: &SuggestOptions) -> Vec<Suggestion> {
        self.merge_links();
        self.merge_surnames();
        let mut out: Vec<Suggestion> = self
            .tallies
            .into_iter()
            .filter(|(key, t)| {
                let lowercase = self.lowercase.get(key.as_str()).copied().unwrap_or(0);
                // Twice capitalised inside sentences, or once with evidence ("in
                // Japan"), and hardly ever in lowercase.
                let inside = t.capitalised_inside >= 2
                    || (t.capitalised_inside == 1 && !t.evidence.is_empty());
                let confirmed = !t.common || (inside && lowercase * 4 <= t.capitalised_inside);
                confirmed && t.adjective * 2 < t.mentions && !t.is_boilerplate()
            })
            .map(|(key, t)| suggestion(key, t))
            .filter(|s| {
                s.documents >= options.min_docs
                    && s.mentions >= options.min_mentions
                    && (options.types.is_empty() || options.types.contains(&s.kind))
            })
            .collect();
        out.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then(b.mentions.cmp(&a.mentions))
                .then_with(|| a.id.cmp(&b.id))
        });
        if let Some(top) = options.top {
            out.truncate(top);
        }
        out
    }

    /// A short form used alone in documents that never say what it stands for joins
    /// the name it stands for elsewhere in the corpus, when that is clear: at least two
    /// thirds of its links go to that one name ("Putin" → "Vladimir Putin"; a surname
    /// two people share stays apart).
    fn merge_links(&mut self) {
        let mut links: Vec<(String, HashMap<String, u64>)> =
            std::mem::take(&mut self.links).into_iter().collect();
        links.sort_by(|a, b| a.0.cmp(&b.0));
        for (short, longs) in links {
            let total: u64 = longs.values().sum();
            let Some((long, n)) = longs
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            else {
                continue;
            };
            // One definition does not make every use of a common acronym its own.
            let alone_docs = self.tallies.get(&short).map_or(0, |t| t.docs.len() as u64);
            let common = self.tallies.get(&short).is_some_and(|t| t.common);
            if long == short
                || common
                || n * 3 < total * 2
                || total * 10 < alone_docs
                || !self.tallies.contains_key(&long)
            {
                continue;
            }
            if let Some(alone) = self.tallies.remove(&short)
                && let Some(target) = self.tallies.get_mut(&long)
            {
                absorb(target, alone);
            }
        }
    }

    /// A one-word name never linked in a document joins the one person whose name it
    /// ends, when only one such person (a name with a title or given name before it)
    /// was found: "Peskov told reporters" in a story that never names Dmitry Peskov.
    fn merge_surnames(&mut self) {
        let mut people: HashMap<String, Vec<String>> = HashMap::new();
        for (key, t) in &self.tallies {
            let personal = t.evidence.contains_key(&Evidence::GivenName)
                || t.evidence.contains_key(&Evidence::Title);
            if personal && let Some((_, last)) = key.rsplit_once('-') {
                people
                    .entry(last.to_string())
                    .or_default()
                    .push(key.clone());
            }
        }
        let mut merges: Vec<(String, String)> = people
            .into_iter()
            .filter_map(|(last, full)| match full.as_slice() {
                [one]
                    if self.tallies.get(&last).is_some_and(|t| {
                        !t.common
                            && t.forms
                                .keys()
                                .all(|f| !f.contains(char::is_whitespace) && !is_acronym(f))
                    }) =>
                {
                    Some((last, one.clone()))
                }
                _ => None,
            })
            .collect();
        merges.sort();
        for (short, long) in merges {
            if let Some(alone) = self.tallies.remove(&short)
                && let Some(target) = self.tallies.get_mut(&long)
            {
                absorb(target, alone);
            }
        }
    }
}

impl Tally {
    /// Found in five documents or more, with the same text on both sides in most.
    fn is_boilerplate(&self) -> bool {
        let docs = self.docs.len();
        docs >= 5 && self.left_sides.len() * 4 < docs && self.right_sides.len() * 4 < docs
    }
}

fn absorb(target: &mut Tally, other: Tally) {
    target.mentions += other.mentions;
    for (form, n) in other.forms {
        *target.forms.entry(form).or_default() += n;
    }
    target.docs.extend(other.docs);
    target.docs.sort_unstable();
    target.docs.dedup();
    for (e, n) in other.evidence {
        *target.evidence.entry(e).or_default() += n;
    }
    target.adjective += other.adjective;
    target.common &= other.common;
    target.capitalised_inside += other.capitalised_inside;
    target.left_sides.extend(other.left_sides);
    target.right_sides.extend(other.right_sides);
    for c in other.contexts {
        if target.contexts.len() < CONTEXTS && target.contexts.iter().all(|t| t.doc != c.doc) {
            target.contexts.push(c);
        }
    }
}

fn suggestion(key: String, t: Tally) -> Suggestion {
    let mut forms: Vec<(String, u64)> = t.forms.into_iter().collect();
    // The name: the form with most words, then the most frequent, then the first.
    forms.sort_by(|a, b| {
        let words = |s: &str| s.split_whitespace().count();
        words(&b.0)
            .cmp(&words(&a.0))
            .then(b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    let name = forms[0].0.clone();
    let mut aliases: Vec<String> = Vec::new();
    for (form, _) in &forms[1..] {
        let same_as = |s: &String| s.to_lowercase() == form.to_lowercase();
        if !same_as(&name) && !aliases.iter().any(same_as) {
            aliases.push(form.clone());
        }
    }
    // Summed in a fixed order: floating-point sums in hash order could break a tie
    // differently from run to run.
    let mut evidence: Vec<(Evidence, u64)> = t.evidence.into_iter().collect();
    evidence.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut scores: Scores = [0.0; 3];
    for (e, n) in &evidence {
        for (s, w) in scores.iter_mut().zip(e.weights()) {
            *s += w * *n as f64;
        }
    }
    let total: f64 = scores.iter().sum();
    let (kind, confidence) = if total > 0.0 {
        let best = (0..3)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        (
            TYPES[best].clone(),
            (scores[best] / total * 100.0).round() / 100.0,
        )
    } else {
        (shape_guess(&name), 0.0)
    };
    Suggestion {
        id: key,
        name,
        kind: kind.to_string(),
        aliases,
        mentions: t.mentions,
        documents: t.docs.len() as u64,
        confidence,
        evidence: evidence.into_iter().map(|(e, n)| (e.label(), n)).collect(),
        contexts: t.contexts,
    }
}

/// With no evidence at all: an acronym is an organization, a name of several words a
/// person, one word a place.
fn shape_guess(name: &str) -> Kind {
    if is_acronym(name) {
        Kind::Org
    } else if name.split_whitespace().count() > 1 {
        Kind::Per
    } else {
        Kind::Loc
    }
}

/// The counts behind one line of the YAML comment.
fn summary_line(s: &Suggestion) -> String {
    let evidence = if s.evidence.is_empty() {
        "none (type from the name's shape)".to_string()
    } else {
        s.evidence
            .iter()
            .map(|(e, n)| format!("{e} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{} mention{} in {} document{}; {} ({:.0}%); evidence: {evidence}",
        s.mentions,
        if s.mentions == 1 { "" } else { "s" },
        s.documents,
        if s.documents == 1 { "" } else { "s" },
        s.kind,
        s.confidence * 100.0
    )
}

/// The suggestions as a gazetteer file: every entry with its counts, evidence and
/// example contexts as comments, for a reviewer to edit and then load with `-g`.
pub fn to_yaml(suggestions: &[Suggestion], documents: u64) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in suggestions {
        *counts.entry(&s.kind).or_default() += 1;
    }
    let main = counts
        .iter()
        .max_by_key(|&(_, n)| *n)
        .map_or(Kind::Per.as_str(), |(t, _)| t);
    let mut out = format!(
        "# Suggested by gaztag suggest: {} name{} that the gazetteer does not know, from {} \
         document{}.\n# Review every entry (name, type, aliases), delete the wrong ones, then \
         add them:\n#   gaztag suggest --accept THIS-FILE.yaml [-g YOUR-GAZETTEERS] -o gazetteer.yaml\n",
        suggestions.len(),
        if suggestions.len() == 1 { "" } else { "s" },
        documents,
        if documents == 1 { "" } else { "s" },
    );
    out.push_str(&format!("type: {main}\nsource: gaztag suggest\n"));
    if suggestions.is_empty() {
        out.push_str("entities: []\n");
        return out;
    }
    out.push_str("entities:\n");
    for s in suggestions {
        out.push_str(&format!("  # {}\n", summary_line(s)));
        for c in &s.contexts {
            out.push_str(&format!(
                "  #   {} ({})\n",
                one_line(&c.text),
                one_line(&c.doc)
            ));
        }
        out.push_str(&format!("  - id: {}\n", yaml_scalar(&s.id)));
        out.push_str(&format!("    name: {}\n", yaml_scalar(&s.name)));
        out.push_str(&format!("    type: {}\n", s.kind));
        if !s.aliases.is_empty() {
            let aliases: Vec<String> = s.aliases.iter().map(|a| yaml_scalar(a)).collect();
            out.push_str(&format!("    aliases: [{}]\n", aliases.join(", ")));
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A string as a YAML flow scalar: double-quoted (JSON escapes are valid YAML) unless
/// it is plain letters, digits, spaces, hyphens, dots and apostrophes.
fn yaml_scalar(s: &str) -> String {
    let reserved = matches!(
        s.to_lowercase().as_str(),
        "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
    );
    let plain = !reserved
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '\'' | '’'));
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

#[cfg(test)]
mod tests;
