//! Resolution: from raw gazetteer matches to the mentions of one document.
//!
//! The matcher finds every span that some alias matches, with all the entities whose
//! alias (and case rule) fits. This module decides, using the whole document:
//! - **stop-entities**: surface forms never to tag, or only in one exact spelling;
//! - **conventions**: a leading "the" is outside a span (CoNLL);
//! - **disambiguation**: which entity an ambiguous span means, from the document
//!   (entities named unambiguously elsewhere, their countries, a title or a place
//!   preposition just before the span) and a prior (the gazetteer's `prior`, or the
//!   population of a place). The other candidates are kept for audit;
//! - **coreference**: a person named in full is then found by surname alone ("Tokayev",
//!   "Mr Tokayev"), and an organization introduced as "Long Name (ACRO)" by its acronym,
//!   even when these short forms are not in the gazetteer.
//!
//! Each heuristic can be switched off ([`ResolveOptions`]) to compare.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::convert::Infallible;
use std::ops::Index;
use std::path::Path;
use std::str::FromStr;

use crate::gazetteer::{Entity, GazetteerError, Kind, read_list_file};
use crate::lexicon::{
    MONTHS_AND_DAYS, NAME_HEADS, NOT_BEFORE_SHORT_FORM, PERSON_TITLES, PLACE_CUES, STRONG_TITLES,
    SURNAME_PARTICLES,
};
use crate::tag::candidate::Candidate;
use crate::tag::discover::{discover, discovered_id, parenthesised_acronym};
use crate::text::headlines::Headlines;
use crate::text::words::{
    is_letter_or_hyphen, is_word_char, token_before, trailing_word, word_after,
};

/// A resolved mention: its span, its entity, and the other candidates when the choice
/// was not trivial (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
    pub candidates: Vec<usize>,
}

/// Which heuristics run.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Link surnames and acronyms to entities introduced in full earlier.
    pub coref: bool,
    /// Choose among candidates from the document; off: the first loaded wins.
    pub disambiguation: bool,
    /// Find names no gazetteer knows by their shape (see [`crate::tag::discover`]).
    pub discovery: bool,
    pub stop: StopList,
    /// Given names and surnames for the person-name check of disambiguation: always
    /// the tagger's own gazetteer's, so set when the tagger is built.
    pub(crate) people: PersonNames,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            coref: true,
            disambiguation: true,
            discovery: true,
            stop: StopList::builtin(),
            people: PersonNames::default(),
        }
    }
}

// Disambiguation's scores, added to an entity's prior. Priors are small: log10 of a
// population is below 10, and the gazetteers' own priors are of that scale. So each
// document cue below outweighs a prior: what the document says beats what is likely.

/// For an entity the document also names unambiguously: what the text says outright
/// beats every guess, so this is above every other cue added up (3 × 10 + 30).
const NAMED_ELSEWHERE: f64 = 100.0;
/// Per unambiguous mention of another entity of the same country: one such mention
/// already beats the difference of population priors (a village against a megacity).
const SAME_COUNTRY: f64 = 10.0;
/// Same-country mentions counted at most: past three, more of them say nothing new, and
/// a long article about one country must not drown the other cues.
const SAME_COUNTRY_CAP: usize = 3;
/// A title before the span for a person, a place preposition for a place: as strong as
/// the full country evidence, so a local cue and the document's country weigh alike.
const TYPE_CUE: f64 = 30.0;

/// Surface forms never to tag, or to tag only when written exactly so.
#[derive(Debug, Clone, Default)]
pub struct StopList {
    /// Lowercased forms never tagged.
    never: Vec<String>,
    /// Forms tagged only in exactly this spelling (lowercased key → exact form).
    exact: HashMap<String, String>,
}

/// Built in: forms that match real entities but in news are nearly always something
/// else. One per line; `FORM<TAB>exact` means "only when written exactly so".
const BUILTIN_STOP: &str = include_str!("stop_entities.txt");

impl StopList {
    /// Forms that match real entities of the default gazetteer but in news are nearly
    /// always something else; a tagger always has these.
    pub fn builtin() -> StopList {
        let mut list = StopList::default();
        list.add_lines(BUILTIN_STOP);
        list
    }

    /// Reads a stop file (the format of [`StopList::from_str`]) as `--stop` does: only a
    /// regular file or a FIFO, of at most [`crate::gazetteer::MAX_LIST_FILE_SIZE`]
    /// bytes, not binary, so that a path like `/dev/zero` cannot take all memory.
    pub fn from_path(path: impl AsRef<Path>) -> Result<StopList, GazetteerError> {
        let text = read_list_file(path.as_ref())?;
        let mut list = StopList::default();
        list.add_lines(&text);
        Ok(list)
    }

    fn add_lines(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim_end();
            if line.trim().is_empty() {
                continue;
            }
            match line.split_once('\t') {
                Some((form, rule)) if rule.trim() == "exact" => {
                    let form = form.trim().to_string();
                    self.exact.insert(form.to_lowercase(), form);
                }
                _ => self.never.push(line.trim().to_lowercase()),
            }
        }
    }

    /// Adds another list's forms, as if its file followed this list's.
    pub fn append(&mut self, other: StopList) {
        self.never.extend(other.never);
        self.exact.extend(other.exact);
    }

    fn stops(&self, surface: &str) -> bool {
        let lower = surface.to_lowercase();
        if self.never.contains(&lower) {
            return true;
        }
        self.exact.get(&lower).is_some_and(|form| form != surface)
    }
}

/// A stop file's text: one surface form a line, `#` starting a comment; a form followed
/// by a tab and `exact` is tagged only in exactly that spelling. Every line means
/// something, so parsing never fails.
///
/// ```
/// // "Reuters" never; "US" only in capitals, never the pronoun.
/// let list: gaztag::StopList = "Reuters\nUS\texact  # a comment\n".parse()?;
/// # Ok::<(), std::convert::Infallible>(())
/// ```
impl FromStr for StopList {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<StopList, Infallible> {
        let mut list = StopList::default();
        list.add_lines(text);
        Ok(list)
    }
}

/// Given names and surnames of the gazetteer's people: a one-word place or organization
/// right after a given name ("Michael Jordan") or right before a surname ("Paris
/// Hilton", "Victoria Beckham") is part of a person's name, not the place.
#[derive(Debug, Clone, Default)]
pub struct PersonNames {
    given: HashSet<String>,
    family: HashSet<String>,
}

impl PersonNames {
    pub fn from_entities(entities: &[Entity]) -> PersonNames {
        let mut names = PersonNames::default();
        let usable = |w: &str| {
            w.chars().count() >= 3
                && w.chars().all(char::is_alphabetic)
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).any(char::is_lowercase)
        };
        for e in entities.iter().filter(|e| e.kind == Kind::Per) {
            let words: Vec<&str> = e.name.split_whitespace().collect();
            if words.len() < 2 {
                continue;
            }
            if usable(words[0]) {
                names.given.insert(words[0].to_string());
            }
            if usable(words[words.len() - 1]) {
                names.family.insert(words[words.len() - 1].to_string());
            }
        }
        names
    }
}

/// Is this span only part of a longer name the gazetteer does not know?
/// - any span followed by a name head ("George Washington University", "Hyundai Motor
///   Group");
/// - a place right after an organization ("Transparency International Georgia");
/// - a place followed by a capitalised word that starts no mention ("Melbourne
///   Airport", "Victoria Nguyen", "Isle of Man eGaming"), outside title-case headlines,
///   or preceded by "<Head> of" ("University of Tokyo").
fn inside_unknown_name(
    text: &str,
    headlines: &Headlines,
    c: &Candidate,
    entities: &[Entity],
    starts: &HashSet<usize>,
    org_ends: &HashSet<usize>,
) -> bool {
    let next = word_after(text, c.end);
    if NAME_HEADS.contains(next) {
        return true;
    }
    if c.entities.iter().any(|&e| entities[e].kind != Kind::Loc) {
        return false;
    }
    if c.start > 0 && org_ends.contains(&(c.start - 1)) && text[..c.start].ends_with(' ') {
        return true;
    }
    let capitalised = next.chars().any(char::is_uppercase)
        && next.chars().any(char::is_lowercase)
        && !MONTHS_AND_DAYS.contains(next);
    if capitalised && !starts.contains(&(c.end + 1)) && !headlines.contains(c.start) {
        return true;
    }
    let before = text[..c.start].trim_end();
    let Some(head) = before.strip_suffix(" of") else {
        return false;
    };
    NAME_HEADS.contains(token_before(head, head.len()))
}

/// A one-word person span right after a capitalised word that is no title, month or
/// mention takes that word in: "Xanana Gusmão", not "Xanana [Gusmão]".
fn extend_person_span(
    text: &str,
    headlines: &Headlines,
    mut r: Resolved,
    entities: &[Entity],
    taken_ends: &HashSet<usize>,
) -> Resolved {
    if entities[r.entity].kind != Kind::Per || text[r.start..r.end].contains(' ') {
        return r;
    }
    let Some(before) = text[..r.start].strip_suffix(' ') else {
        return r;
    };
    if before.ends_with(char::is_whitespace) {
        return r; // only a name right before, one space apart
    }
    let word = token_before(before, before.len());
    let is_name = word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).any(char::is_lowercase)
        && word.chars().all(is_letter_or_hyphen);
    let word_start = before.len() - word.len();
    // No other mention may end inside the word: "Moscow-born Putin" keeps Moscow.
    let taken = (word_start + 1..=before.len()).any(|end| taken_ends.contains(&end));
    if is_name
        && !PERSON_TITLES.contains(word)
        && !MONTHS_AND_DAYS.contains(word)
        && !taken
        && !headlines.contains(r.start)
    {
        r.start = word_start;
    }
    r
}

/// The mentions of one document, and the entities discovery found in it.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// In text order, never overlapping. An `entity` index past the gazetteer's entities
    /// points into `found` (index minus the gazetteer's length).
    pub mentions: Vec<Resolved>,
    pub found: Vec<Entity>,
}

/// The gazetteer's entities followed by those found in one document.
struct AllEntities<'a> {
    known: &'a [Entity],
    found: &'a [Entity],
}

impl Index<usize> for AllEntities<'_> {
    type Output = Entity;

    fn index(&self, i: usize) -> &Entity {
        match i.checked_sub(self.known.len()) {
            Some(j) => &self.found[j],
            None => &self.known[i],
        }
    }
}

/// Is the word at `at` right after a capitalised word (one space apart) that is no
/// title, so that both are one name?
fn after_other_name(text: &str, at: usize) -> bool {
    let Some(before) = text[..at].strip_suffix(' ') else {
        return false;
    };
    let word = trailing_word(before, is_letter_or_hyphen);
    let attached = before.len() == word.len() || before[..before.len() - word.len()].ends_with(' ');
    attached
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && !PERSON_TITLES.contains(word)
        && !MONTHS_AND_DAYS.contains(word)
}

/// Resolves the candidates of one document into its mentions, in text order.
/// Resolution weighs each mention against the others of its document (who was named in
/// full before, what else was discovered), so its cost grows with the square of the
/// mentions. A text longer than this is resolved in sections of about this size, cut
/// at a line break (or a space) between candidates: a 200 MB single-line file then
/// costs what its parts cost. Real articles are far shorter, so none is cut.
pub const SECTION_BYTES: usize = 256 * 1024;

/// [`resolve`] on each section of the text (see [`SECTION_BYTES`]), joined into one
/// resolution with offsets into the whole text.
pub fn resolve_in_sections(
    text: &str,
    candidates: Vec<Candidate>,
    entities: &[Entity],
    options: &ResolveOptions,
) -> Resolution {
    if text.len() <= SECTION_BYTES {
        return resolve(text, candidates, entities, options);
    }
    let known = entities.len();
    let mut whole = Resolution::default();
    let mut rest = candidates.into_iter().peekable();
    let mut start = 0;
    while start < text.len() {
        let mut end = section_end(text, start);
        let mut section = Vec::new();
        // A candidate across the cut moves the cut to its end.
        while let Some(mut c) = rest.next_if(|c| c.start < end) {
            end = end.max(c.end);
            c.start -= start;
            c.end -= start;
            section.push(c);
        }
        let part = resolve(&text[start..end], section, entities, options);
        // Entities found in this section are numbered after those of earlier ones.
        let renumber = |i: usize| if i >= known { i + whole.found.len() } else { i };
        let mentions: Vec<Resolved> = part
            .mentions
            .into_iter()
            .map(|m| Resolved {
                start: m.start + start,
                end: m.end + start,
                entity: renumber(m.entity),
                candidates: m.candidates.into_iter().map(renumber).collect(),
            })
            .collect();
        whole.mentions.extend(mentions);
        whole.found.extend(part.found);
        start = end;
    }
    whole
}

/// Where the section starting at `start` ends: after the last line break in the
/// second half of its span, else after the last space there, else at the span's end
/// (on a character boundary).
fn section_end(text: &str, start: usize) -> usize {
    let limit = start + SECTION_BYTES;
    if limit >= text.len() {
        return text.len();
    }
    let window = &text.as_bytes()[start + SECTION_BYTES / 2..limit];
    let after = |i: usize| start + SECTION_BYTES / 2 + i + 1;
    if let Some(i) = memchr::memrchr(b'\n', window) {
        return after(i);
    }
    if let Some(i) = memchr::memrchr(b' ', window) {
        return after(i);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

pub fn resolve(
    text: &str,
    candidates: Vec<Candidate>,
    entities: &[Entity],
    options: &ResolveOptions,
) -> Resolution {
    let mut candidates: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| !options.stop.stops(&text[c.start..c.end]))
        .map(|c| strip_leading_the(text, c))
        .map(|c| strip_leading_title(text, c, entities))
        .collect();
    // Only discovery and disambiguation look at headlines.
    let headlines = if options.discovery || options.disambiguation {
        Headlines::new(text)
    } else {
        Headlines::default()
    };
    let discovered = if options.discovery {
        // Given names of the gazetteer's own people may be words ("Great", "Mother"):
        // trusted like the lexicon's word-like names.
        let given = |w: &str| options.people.given.contains(w).then_some(true);
        discover(text, &headlines, &candidates, entities, &given)
    } else {
        Vec::new()
    };
    candidates.retain(|c| {
        discovered
            .iter()
            .all(|f| c.end <= f.start || c.start >= f.end)
    });
    let mut mentions = choose(text, &headlines, candidates, entities, options);
    let mut found: Vec<Entity> = Vec::new();
    for f in discovered {
        if mentions.iter().any(|m| m.start < f.end && f.start < m.end) {
            continue;
        }
        let name = text[f.start..f.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let index = match found
            .iter()
            .position(|e| e.name == name && e.kind == f.kind)
        {
            Some(i) => i,
            None => {
                found.push(Entity {
                    id: discovered_id(&name),
                    name,
                    kind: f.kind.clone(),
                    aliases: Vec::new(),
                    attrs: BTreeMap::new(),
                    prior: None,
                });
                found.len() - 1
            }
        };
        mentions.push(Resolved {
            start: f.start,
            end: f.end,
            entity: entities.len() + index,
            candidates: Vec::new(),
        });
    }
    mentions.sort_by_key(|m| m.start);
    if options.coref {
        let all = AllEntities {
            known: entities,
            found: &found,
        };
        link_short_forms(text, &mut mentions, &all);
    }
    Resolution { mentions, found }
}

/// "the United Nations" → "United Nations": the article is outside the span.
fn strip_leading_the(text: &str, mut c: Candidate) -> Candidate {
    let surface = &text[c.start..c.end];
    let article = surface
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("the "));
    if article && surface.len() > 4 {
        c.start += 4;
    }
    c
}

/// "King Abdullah II" → "Abdullah II": titles are outside person spans (CoNLL).
fn strip_leading_title(text: &str, mut c: Candidate, entities: &[Entity]) -> Candidate {
    if c.entities.iter().all(|&e| entities[e].kind == Kind::Per) {
        let surface = &text[c.start..c.end];
        if let Some((first, rest)) = surface.split_once(' ')
            && PERSON_TITLES.contains(first)
            && !rest.trim().is_empty()
        {
            c.start += first.len() + 1;
        }
    }
    c
}

fn choose(
    text: &str,
    headlines: &Headlines,
    candidates: Vec<Candidate>,
    entities: &[Entity],
    options: &ResolveOptions,
) -> Vec<Resolved> {
    let disambiguation = options.disambiguation;
    let starts: HashSet<usize> = candidates.iter().map(|c| c.start).collect();
    let ends: HashSet<usize> = candidates.iter().map(|c| c.end).collect();
    let org_ends: HashSet<usize> = candidates
        .iter()
        .filter(|c| c.entities.iter().all(|&e| entities[e].kind == Kind::Org))
        .map(|c| c.end)
        .collect();
    // Context: entities named unambiguously in the document, and their countries.
    let mut sure: HashMap<usize, usize> = HashMap::new();
    let mut countries: HashMap<&str, usize> = HashMap::new();
    for c in candidates.iter().filter(|c| c.entities.len() == 1) {
        *sure.entry(c.entities[0]).or_default() += 1;
        if let Some(country) = entities[c.entities[0]].attrs.get("country") {
            *countries.entry(country.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<Resolved> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let word = token_before(text, c.start);
        let person_cue = PERSON_TITLES.contains(word);
        let no_person = c.entities.iter().all(|&e| entities[e].kind != Kind::Per);
        if no_person && STRONG_TITLES.contains(word) {
            continue; // "Mr Jordan", "Dr Chad": a person the gazetteer does not know
        }
        if disambiguation && inside_unknown_name(text, headlines, &c, entities, &starts, &org_ends)
        {
            continue; // "University of Tokyo", "Melbourne Airport", "Victoria Nguyen"
        }
        let one_word = !text[c.start..c.end].contains(char::is_whitespace);
        let people = &options.people;
        if disambiguation
            && no_person
            && one_word
            && (people.given.contains(word) || people.family.contains(word_after(text, c.end)))
        {
            continue; // "Michael Jordan", "Paris Hilton": part of a person's name
        }
        if c.entities.len() == 1 || !disambiguation {
            let candidates = if c.entities.len() > 1 {
                c.entities.clone()
            } else {
                Vec::new()
            };
            out.push(Resolved {
                start: c.start,
                end: c.end,
                entity: c.entities[0],
                candidates,
            });
            continue;
        }
        let place_cue = PLACE_CUES.contains(word);
        let score = |e: usize| {
            let entity = &entities[e];
            let mut s = entity.prior_score();
            s += NAMED_ELSEWHERE * sure.get(&e).copied().unwrap_or(0).min(1) as f64;
            if let Some(country) = entity.attrs.get("country") {
                let seen = countries.get(country.as_str()).copied().unwrap_or(0);
                s += SAME_COUNTRY * seen.min(SAME_COUNTRY_CAP) as f64;
            }
            if person_cue && entity.kind == Kind::Per || place_cue && entity.kind == Kind::Loc {
                s += TYPE_CUE;
            }
            s
        };
        let best = c
            .entities
            .iter()
            .copied()
            .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
            .unwrap_or(c.entities[0]);
        out.push(Resolved {
            start: c.start,
            end: c.end,
            entity: best,
            candidates: c.entities,
        });
    }
    if disambiguation {
        out = out
            .into_iter()
            .map(|r| extend_person_span(text, headlines, r, entities, &ends))
            .collect();
    }
    out
}

/// Adds (or relinks) mentions of surnames of people named in full, and of acronyms
/// introduced in parentheses after an organization's name, from their introduction on.
fn link_short_forms(text: &str, mentions: &mut Vec<Resolved>, entities: &AllEntities) {
    // short form → (entity, byte offset from which it applies, may relink another
    // entity's match); None when two entities claim it.
    let mut short: HashMap<String, Option<(usize, usize, bool)>> = HashMap::new();
    let mut add = |form: &str, entity: usize, from: usize, relink: bool| {
        short
            .entry(form.to_string())
            .and_modify(|v| {
                if v.is_some_and(|(e, _, _)| e != entity) {
                    *v = None;
                }
            })
            .or_insert(Some((entity, from, relink)));
    };
    let usable = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() > 2
            && !PERSON_TITLES.contains(w)
    };
    for m in mentions.iter() {
        let e = &entities[m.entity];
        let surface = &text[m.start..m.end];
        if e.kind == Kind::Per {
            let words: Vec<&str> = surface.split_whitespace().collect();
            if words.len() >= 2 {
                // The surname takes its particles: "De Zerbi", "Abu al-Saud".
                let mut from = words.len() - 1;
                while from > 1 && SURNAME_PARTICLES.contains(&words[from - 1].to_lowercase()) {
                    from -= 1;
                }
                let surname = words[from..].join(" ");
                if usable(&surname) {
                    add(&surname, m.entity, m.end, true);
                }
                // A given name links too, but never takes over another entity's
                // match ("Victoria" the state stays a place).
                if usable(words[0]) {
                    add(words[0], m.entity, m.end, false);
                }
            }
        }
        if e.kind == Kind::Org
            && let Some(acronym) = parenthesised_acronym(&text[m.end..])
        {
            add(acronym, m.entity, m.end, true);
        }
    }
    let mut added: Vec<Resolved> = Vec::new();
    // In a fixed order (longest form first, so "Abu al-Saud" is tried before
    // "al-Saud"): the result must not depend on hash order.
    let mut short: Vec<_> = short.into_iter().collect();
    short.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    for (form, target) in short {
        let Some((entity, from, relink)) = target.filter(|_| !form.is_empty()) else {
            continue;
        };
        // memmem: the same non-overlapping matches as `str::match_indices`, found with
        // SIMD; every surname introduced is searched for in the whole document.
        for at in memchr::memmem::find_iter(text.as_bytes(), form.as_bytes()) {
            let end = at + form.len();
            let before = text[..at].chars().next_back();
            let after = text[end..].chars().next();
            if at < from || before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
                continue;
            }
            let word_before = token_before(text, at).to_lowercase();
            let number_after = text[end..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit());
            let is_person = entities[entity].kind == Kind::Per;
            if is_person && (NOT_BEFORE_SHORT_FORM.contains(&word_before) || number_after) {
                continue;
            }
            // "Beauden Barrett" after "Scott Barrett": another person of that name.
            if is_person && after_other_name(text, at) {
                continue;
            }
            // "May", "June": a surname that is a month needs a title ("Mrs May").
            let titled = PERSON_TITLES.contains(token_before(text, at));
            if is_person && MONTHS_AND_DAYS.contains(form.as_str()) && !titled {
                continue;
            }
            if added.iter().any(|m| m.start < end && at < m.end) {
                continue; // another short form took this place already
            }
            match mentions.iter_mut().find(|m| m.start < end && at < m.end) {
                None => added.push(Resolved {
                    start: at,
                    end,
                    entity,
                    candidates: Vec::new(),
                }),
                // The same word matched another entity's alias: the document's own
                // introduction wins ("Johnson" after "Boris Johnson").
                Some(m) if relink && m.start == at && m.end == end && m.entity != entity => {
                    if !m.candidates.contains(&m.entity) {
                        m.candidates.push(m.entity);
                    }
                    if !m.candidates.contains(&entity) {
                        m.candidates.push(entity);
                    }
                    m.entity = entity;
                }
                Some(_) => {}
            }
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.start);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heuristics before discovery, which has its own tests.
    fn resolve(
        text: &str,
        candidates: Vec<Candidate>,
        entities: &[Entity],
        options: &ResolveOptions,
    ) -> Vec<Resolved> {
        let options = ResolveOptions {
            discovery: false,
            ..options.clone()
        };
        super::resolve(text, candidates, entities, &options).mentions
    }
    use std::collections::BTreeMap;

    fn entity(id: &str, name: &str, kind: &str, country: &str, prior: Option<f64>) -> Entity {
        let mut attrs = BTreeMap::new();
        if !country.is_empty() {
            attrs.insert("country".to_string(), country.to_string());
        }
        Entity {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            aliases: vec![],
            attrs,
            prior,
        }
    }

    fn span(text: &str, needle: &str, entities: &[usize]) -> Candidate {
        let start = text.find(needle).unwrap();
        Candidate {
            start,
            end: start + needle.len(),
            entities: entities.to_vec(),
        }
    }

    fn ids(text: &str, resolved: &[Resolved], entities: &[Entity]) -> Vec<(String, String)> {
        resolved
            .iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    entities[m.entity].id.clone(),
                )
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn overlapping_short_forms_never_both_tag_and_the_longest_wins() {
        let es = vec![
            entity("raed", "Raed Abu al-Saud", "PER", "", None),
            entity("faisal", "Faisal al-Saud", "PER", "", None),
        ];
        let text = "Raed Abu al-Saud met Faisal al-Saud, and later Abu al-Saud spoke.";
        let cands = vec![
            span(text, "Raed Abu al-Saud", &[0]),
            span(text, "Faisal al-Saud", &[1]),
        ];
        for _ in 0..20 {
            let r = resolve(text, cands.clone(), &es, &ResolveOptions::default());
            for pair in r.windows(2) {
                assert!(pair[0].end <= pair[1].start, "overlap: {r:?}");
            }
            let last = r.last().unwrap();
            assert_eq!(&text[last.start..last.end], "Abu al-Saud");
            assert_eq!(last.entity, 0);
        }
    }

    #[test]
    fn document_context_picks_among_candidates() {
        let es = vec![
            entity("georgia", "Georgia", "LOC", "GE", Some(6.5)),
            entity("georgia-us", "Georgia", "LOC", "US", Some(6.0)),
            entity("atlanta", "Atlanta", "LOC", "US", None),
            entity("tbilisi", "Tbilisi", "LOC", "GE", None),
        ];
        let text = "Voters in Georgia and Atlanta.";
        let cands = vec![span(text, "Georgia", &[0, 1]), span(text, "Atlanta", &[2])];
        let r = resolve(text, cands.clone(), &es, &ResolveOptions::default());
        assert_eq!(
            ids(text, &r, &es),
            pairs(&[("Georgia", "georgia-us"), ("Atlanta", "atlanta")])
        );
        assert_eq!(r[0].candidates, [0, 1]);
        let off = ResolveOptions {
            disambiguation: false,
            ..ResolveOptions::default()
        };
        assert_eq!(resolve(text, cands, &es, &off)[0].entity, 0);
        let text = "Talks in Georgia.";
        let r = resolve(
            text,
            vec![span(text, "Georgia", &[0, 1])],
            &es,
            &ResolveOptions::default(),
        );
        assert_eq!(
            es[r[0].entity].id, "georgia",
            "the prior decides without context"
        );
    }

    #[test]
    fn titles_and_prepositions_are_type_cues() {
        let es = vec![
            entity("jordan", "Jordan", "LOC", "JO", Some(7.0)),
            entity("michael-jordan", "Michael Jordan", "PER", "US", None),
        ];
        let text = "President Jordan flew in to Jordan.";
        let first = Candidate {
            start: 10,
            end: 16,
            entities: vec![0, 1],
        };
        let second = span(text, "Jordan.", &[0, 1]);
        let second = Candidate {
            end: second.end - 1,
            ..second
        };
        let r = resolve(text, vec![first, second], &es, &ResolveOptions::default());
        assert_eq!(
            ids(text, &r, &es),
            pairs(&[("Jordan", "michael-jordan"), ("Jordan", "jordan")])
        );
        let text = "Mr Jordan said.";
        let r = resolve(
            text,
            vec![span(text, "Jordan", &[0])],
            &es,
            &ResolveOptions::default(),
        );
        assert!(r.is_empty(), "a place never follows Mr");
    }

    #[test]
    fn places_inside_person_names_are_dropped() {
        let es = vec![
            entity("jordan", "Jordan", "LOC", "JO", None),
            entity("paris", "Paris", "LOC", "FR", None),
            entity("mj", "Michael Jordan", "PER", "US", None),
            entity("ph", "Paris Hilton", "PER", "US", None),
            entity("ms", "Michael Sata", "PER", "ZM", None),
            entity("kh", "Conrad Hilton", "PER", "US", None),
        ];
        let options = ResolveOptions {
            people: PersonNames::from_entities(&es),
            ..ResolveOptions::default()
        };
        let text = "Michael Jordan and Paris Hilton went to Jordan and Paris.";
        let cands = vec![
            Candidate {
                start: 8,
                end: 14,
                entities: vec![0],
            },
            Candidate {
                start: 19,
                end: 24,
                entities: vec![1],
            },
            Candidate {
                start: 40,
                end: 46,
                entities: vec![0],
            },
            Candidate {
                start: 51,
                end: 56,
                entities: vec![1],
            },
        ];
        let r = resolve(text, cands, &es, &options);
        assert_eq!(
            ids(text, &r, &es),
            pairs(&[("Jordan", "jordan"), ("Paris", "paris")])
        );
        assert_eq!(r[0].start, 40);
    }

    #[test]
    fn spans_inside_longer_unknown_names() {
        let es = vec![
            entity("georgia", "Georgia", "LOC", "GE", None),
            entity("ti", "Transparency International", "ORG", "", None),
            entity("gw", "George Washington", "PER", "US", None),
            entity("gusmao", "Kay Rala Xanana Gusmao", "PER", "TL", None),
        ];
        let opts = ResolveOptions::default();
        let text = "Watchdog Transparency International Georgia said so.";
        let cands = vec![
            span(text, "Transparency International", &[1]),
            span(text, "Georgia", &[0]),
        ];
        assert_eq!(
            ids(text, &resolve(text, cands, &es, &opts), &es),
            pairs(&[("Transparency International", "ti")])
        );
        let text = "Researchers at George Washington University said.";
        assert!(
            resolve(
                text,
                vec![span(text, "George Washington", &[2])],
                &es,
                &opts
            )
            .is_empty()
        );
        let text =
            "Prime Minister Xanana Gusmão wept as the flag rose, and on Monday Gusmão spoke again.";
        let first = span(text, "Gusmão", &[3]);
        let second = Candidate {
            start: text.rfind("Gusmão").unwrap(),
            end: text.rfind("Gusmão").unwrap() + "Gusmão".len(),
            entities: vec![3],
        };
        let r = resolve(text, vec![first, second], &es, &opts);
        assert_eq!(&text[r[0].start..r[0].end], "Xanana Gusmão");
        assert_eq!(
            &text[r[1].start..r[1].end],
            "Gusmão",
            "a day name is not a given name"
        );
    }

    #[test]
    fn a_person_span_never_takes_in_a_word_holding_another_mention() {
        let es = vec![
            entity("moscow", "Moscow", "LOC", "RU", None),
            entity("putin", "Vladimir Putin", "PER", "RU", None),
        ];
        let text = "Officials said that the Moscow-born Putin was not in the city that day.";
        let r = resolve(
            text,
            vec![span(text, "Moscow", &[0]), span(text, "Putin", &[1])],
            &es,
            &ResolveOptions::default(),
        );
        let spans: Vec<&str> = r.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(spans, ["Moscow", "Putin"]);
    }

    #[test]
    fn month_surnames_need_a_title() {
        let es = vec![entity("tm", "Theresa May", "PER", "GB", None)];
        let text = "Theresa May spoke. Its May decision was due. May is busy. Mrs May left.";
        let r = resolve(
            text,
            vec![span(text, "Theresa May", &[0])],
            &es,
            &ResolveOptions::default(),
        );
        let found: Vec<(usize, &str)> =
            r.iter().map(|m| (m.start, &text[m.start..m.end])).collect();
        assert_eq!(
            found,
            [(0, "Theresa May"), (text.rfind("May").unwrap(), "May")]
        );
        assert_eq!(r[1].start, text.rfind("May").unwrap());
    }

    #[test]
    fn surnames_and_acronyms_introduced_in_the_document() {
        let es = vec![
            entity("kjt", "Kassym-Jomart Tokayev", "PER", "KZ", None),
            entity(
                "csto",
                "Collective Security Treaty Organization",
                "ORG",
                "",
                None,
            ),
            entity("tokayev-other", "Tokayev", "PER", "", None),
        ];
        let text = "Tokayev early. Kassym-Jomart Tokayev asked the Collective Security Treaty Organization (CSTO) for help. Mr Tokayev thanked the CSTO.";
        let cands = vec![
            span(text, "Kassym-Jomart Tokayev", &[0]),
            span(text, "Collective Security Treaty Organization", &[1]),
        ];
        let r = resolve(text, cands.clone(), &es, &ResolveOptions::default());
        assert_eq!(
            ids(text, &r, &es),
            pairs(&[
                ("Kassym-Jomart Tokayev", "kjt"),
                ("Collective Security Treaty Organization", "csto"),
                ("CSTO", "csto"),
                ("Tokayev", "kjt"),
                ("CSTO", "csto"),
            ])
        );
        let off = ResolveOptions {
            coref: false,
            ..ResolveOptions::default()
        };
        assert_eq!(resolve(text, cands, &es, &off).len(), 2);
        // A surname matched to another entity is relinked to the one introduced.
        let text = "Kassym-Jomart Tokayev spoke. Tokayev left.";
        let cands = vec![
            span(text, "Kassym-Jomart Tokayev", &[0]),
            Candidate {
                start: 29,
                end: 36,
                entities: vec![2],
            },
        ];
        let r = resolve(text, cands, &es, &ResolveOptions::default());
        assert_eq!(es[r[1].entity].id, "kjt");
        assert_eq!(r[1].candidates, [2, 0]);
    }

    #[test]
    fn leading_the_and_stop_list() {
        let es = vec![
            entity("un", "United Nations", "ORG", "", None),
            entity("may", "May", "PER", "", None),
        ];
        let text = "The United Nations met in May.";
        let cands = vec![
            span(text, "The United Nations", &[0]),
            span(text, "May", &[1]),
        ];
        let mut options = ResolveOptions::default();
        options.stop.append("may\n".parse().unwrap());
        let r = resolve(text, cands, &es, &options);
        assert_eq!(ids(text, &r, &es), pairs(&[("United Nations", "un")]));
        // Spans starting with a multi-byte character are left alone.
        let text = "Adré and Ñuñoa";
        let kept = resolve(
            text,
            vec![span(text, "Adré", &[0])],
            &es,
            &ResolveOptions::default(),
        );
        assert_eq!((kept[0].start, kept[0].end), (0, 5));
        let exact = "US\texact\n".parse::<StopList>().unwrap();
        assert!(exact.stops("Us") && !exact.stops("US"));
    }
}
