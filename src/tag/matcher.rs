//! Matching: finds every gazetteer mention in a text with its offsets.
//!
//! A [`Trie`] holds the normalized form of every alias, each word marked at its start, so
//! an alias can only start at a word start. From each word start of a text the trie is
//! walked over the text folded on the fly; every alias the walk passes is a candidate,
//! checked in the *original* text for word boundaries and case, longest first. Checking
//! before choosing is what guarantees that a rejected long candidate never hides a valid
//! shorter one at the same place or inside it.

use rayon::prelude::*;

use std::sync::Arc;

use crate::gazetteer::{Entity, Gazetteer};
use unicode_normalization::char::is_combining_mark;

use crate::tag::candidate::Candidate;
use crate::tag::resolve::{PersonNames, ResolveOptions, resolve_in_sections};
use crate::tag::trie::Trie;
use crate::text::normalize::{
    FOLD_ASCII, Normalized, WORD_MARK, fold_ascii, fold_non_ascii, normalize_marked,
    normalize_marked_into,
};
use crate::text::segment::Locator;
use crate::text::words::{WORD_ASCII, is_word_char};

/// A mention of an entity in a text. Offsets refer to the original text, end exclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The entity; [`Tagger::entity`] looks it up.
    pub entity: EntityRef,
    /// UTF-8 byte offset of the first byte: `&text[start..end]` is the mention.
    pub start: usize,
    /// UTF-8 byte offset just past the last byte.
    pub end: usize,
    /// Unicode code point offset of the first character, for tools that count
    /// characters (spaCy, brat, Python strings).
    pub char_start: usize,
    /// Unicode code point offset just past the last character.
    pub char_end: usize,
    /// 0-based sentence number.
    pub sentence: usize,
    /// 0-based number of the whitespace-separated word where the mention starts.
    pub token: usize,
    /// When several entities fit this mention: all of them, the chosen one included;
    /// empty when the choice was trivial.
    pub candidates: Vec<EntityRef>,
}

/// Which entity a mention names: one of the gazetteer's, or one discovered in this
/// document (shared by its mentions).
#[derive(Debug, Clone, PartialEq)]
pub enum EntityRef {
    /// Index in [`Tagger::entities`].
    Gazetteer(usize),
    /// A name no gazetteer holds, found by its shape in this document; its id is made
    /// up from the name.
    Discovered(Arc<Entity>),
}

/// Why a tagger could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// More distinct folded aliases than the matcher can number.
    #[error("too many distinct aliases: {0} (the matcher numbers them with 32 bits)")]
    TooManyAliases(usize),
}

/// An immutable, thread-safe tagger: build it once, share it by reference across threads.
#[derive(Debug)]
pub struct Tagger {
    entities: Vec<Entity>,
    trie: Trie,
    /// The trie node after the word mark, where every walk from a word start begins
    /// (`None` when no alias starts with a word character).
    after_mark: Option<u32>,
    /// The aliases that can match where a word starts with a character that is not
    /// uppercase; `None` when that is all of them. Most words in prose are lowercase and
    /// most names need a capital first, so most walks take this small trie and stop
    /// after a step or two, instead of wandering deep into the big one ("the", "new").
    uncapitalised: Option<SubTrie>,
    /// Whether some alias starts with a character that is not a word character
    /// ("'s-Hertogenbosch"): only then are walks started outside word starts.
    keys_off_word_start: bool,
    /// The aliases (with their case rules) that fold to trie key `p` are
    /// `variants[first_variant[p]..first_variant[p + 1]]`, in gazetteer order.
    first_variant: Vec<u32>,
    variants: Vec<Variant>,
    /// Every variant's `must_upper` offsets, end to end (see [`Variant::upper`]).
    upper: Vec<u32>,
    options: ResolveOptions,
}

/// One alias of one entity, as matched: which entity, which of its surface forms (0 is
/// the name), and which of its characters must be uppercase in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Variant {
    entity: u32,
    form: u32,
    /// `upper[upper_start..upper_end]`: byte offsets, relative to the match start in the
    /// normalized text, of characters that must be uppercase in the original text.
    upper_start: u32,
    upper_end: u32,
}

/// A trie of some of the keys of [`Tagger::trie`].
#[derive(Debug)]
struct SubTrie {
    trie: Trie,
    after_mark: Option<u32>,
    /// Key `i` of this trie is key `pattern[i]` of the full one.
    pattern: Vec<u32>,
}

/// An alias folded for matching, before the patterns are indexed.
struct Folded {
    key: String,
    entity: u32,
    form: u32,
    rule: CaseRule,
}

/// How an alias's case must show in the text (see [`fold_alias`]).
struct CaseRule {
    /// Offsets into the folded alias of characters that must be uppercase (or, flagged
    /// with [`LOWER`], lowercase).
    must_upper: Vec<u32>,
    /// Whether the alias's first character must be uppercase.
    capital_first: bool,
}

impl Tagger {
    /// Compiles the gazetteer's aliases with the case rule `case`; the resolution
    /// heuristics are `options`, checking person names from this gazetteer. Users build
    /// through [`crate::TaggerBuilder`], which owns the defaults.
    pub(crate) fn compile(
        gazetteer: Gazetteer,
        case: Case,
        options: ResolveOptions,
    ) -> Result<Tagger, BuildError> {
        // Folding is independent per alias: do it on all cores. Sorting by key then
        // groups the aliases that fold alike (each group is one trie key)
        // without a hash map holding a second copy of every key.
        let mut folded: Vec<Folded> = gazetteer
            .entities
            .par_iter()
            .enumerate()
            .flat_map_iter(|(entity, e)| {
                e.surface_forms().enumerate().map(move |(form, alias)| {
                    let (key, rule) = fold_alias(alias, case);
                    Folded {
                        key,
                        entity: entity as u32,
                        form: form as u32,
                        rule,
                    }
                })
            })
            .filter(|f| !f.key.is_empty())
            .collect();
        folded.par_sort_unstable_by(|a, b| {
            (a.key.as_str(), a.entity, a.form).cmp(&(b.key.as_str(), b.entity, b.form))
        });
        let mut first_variant: Vec<u32> = Vec::new();
        let mut variants: Vec<Variant> = Vec::with_capacity(folded.len());
        let mut upper: Vec<u32> = Vec::new();
        // The keys of which some alias may start uncapitalised, by key number.
        let mut uncapitalised: Vec<u32> = Vec::new();
        for (i, f) in folded.iter().enumerate() {
            let new_key = i == 0 || folded[i - 1].key != f.key;
            if new_key {
                first_variant.push(variants.len() as u32);
            }
            let key = first_variant.len() - 1;
            if !f.rule.capital_first && uncapitalised.last() != Some(&(key as u32)) {
                uncapitalised.push(key as u32);
            }
            let must_upper = &f.rule.must_upper;
            let group = &variants[first_variant[key] as usize..];
            let same = group.iter().any(|v| {
                v.entity == f.entity
                    && upper[v.upper_start as usize..v.upper_end as usize] == must_upper[..]
            });
            if same {
                continue; // one entity, two forms folding alike with the same case rule
            }
            let upper_start = upper.len() as u32;
            upper.extend_from_slice(must_upper);
            variants.push(Variant {
                entity: f.entity,
                form: f.form,
                upper_start,
                upper_end: upper.len() as u32,
            });
        }
        first_variant.push(variants.len() as u32);
        // The distinct keys end to end in one buffer, in sorted order, and the folded
        // aliases freed: the trie build sweeps the keys once per depth, which is fast
        // over one buffer and slow over strings scattered on the heap by the sort.
        let mut bytes: Vec<u8> = Vec::new();
        let mut ends: Vec<usize> = Vec::with_capacity(first_variant.len());
        for (i, f) in folded.iter().enumerate() {
            if i == 0 || folded[i - 1].key != f.key {
                bytes.extend_from_slice(f.key.as_bytes());
                ends.push(bytes.len());
            }
        }
        drop(folded);
        let keys: Vec<&[u8]> = ends
            .iter()
            .scan(0, |start, &end| {
                let key = &bytes[*start..end];
                *start = end;
                Some(key)
            })
            .collect();
        if keys.len() >= u32::MAX as usize {
            return Err(BuildError::TooManyAliases(keys.len()));
        }
        let trie = Trie::from_sorted(&keys);
        let uncapitalised = (uncapitalised.len() < keys.len()).then(|| {
            let sub: Vec<&[u8]> = uncapitalised.iter().map(|&k| keys[k as usize]).collect();
            let trie = Trie::from_sorted(&sub);
            SubTrie {
                after_mark: trie.step(Trie::ROOT, WORD_MARK),
                trie,
                pattern: uncapitalised,
            }
        });
        let keys_off_word_start = keys.iter().any(|k| k.first() != Some(&WORD_MARK));
        let options = ResolveOptions {
            people: PersonNames::from_entities(&gazetteer.entities),
            ..options
        };
        Ok(Tagger {
            entities: gazetteer.entities,
            after_mark: trie.step(Trie::ROOT, WORD_MARK),
            trie,
            uncapitalised,
            keys_off_word_start,
            first_variant,
            variants,
            upper,
            options,
        })
    }

    /// The variants of trie key `pattern`.
    fn variants_of(&self, pattern: usize) -> &[Variant] {
        let from = self.first_variant[pattern] as usize;
        let to = self.first_variant[pattern + 1] as usize;
        &self.variants[from..to]
    }

    /// Things in the gazetteer worth a look, though not errors: aliases that several
    /// entities share (each use is ambiguous) and one-letter aliases (they fire often).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for pattern in 0..self.first_variant.len() - 1 {
            // Each entity of this key with its first form of it.
            let mut uses: Vec<(&str, &str)> = Vec::new();
            for v in self.variants_of(pattern) {
                let entity = &self.entities[v.entity as usize];
                if !uses.iter().any(|(id, _)| *id == entity.id) {
                    let form = entity.surface_forms().nth(v.form as usize);
                    uses.push((&entity.id, form.unwrap_or_default()));
                }
            }
            let Some(&(_, form)) = uses.first() else {
                continue;
            };
            if uses.len() < 2 {
                continue;
            }
            if uses.iter().all(|(_, f)| *f == form) {
                let ids: Vec<&str> = uses.iter().map(|(id, _)| *id).collect();
                out.push(format!("alias {form:?} is shared by {}", ids.join(", ")));
            } else {
                let list: Vec<String> =
                    uses.iter().map(|(id, f)| format!("{f:?} ({id})")).collect();
                let how = if uses
                    .iter()
                    .all(|(_, f)| f.to_lowercase() == form.to_lowercase())
                {
                    "differ only by case: where the text fits several, the one whose capitals it \
                     has wins"
                } else {
                    "match the same text (case, accents and dashes are folded)"
                };
                out.push(format!("aliases {} {how}", list.join(", ")));
            }
        }
        for e in &self.entities {
            for form in e.surface_forms() {
                if form.chars().filter(|c| c.is_alphanumeric()).count() == 1 {
                    out.push(format!("one-letter alias {form:?} of {}", e.id));
                }
            }
        }
        out
    }

    /// The gazetteer's entities, in the order [`EntityRef::Gazetteer`] indexes them.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entity a mention (or one of its candidates) refers to.
    pub fn entity<'a>(&'a self, r: &'a EntityRef) -> &'a Entity {
        match r {
            EntityRef::Gazetteer(i) => &self.entities[*i],
            EntityRef::Discovered(e) => e,
        }
    }

    /// Finds every mention in `text`, in text order, never overlapping.
    ///
    /// ```
    /// use gaztag::{Gazetteer, Tagger};
    ///
    /// let tagger = Tagger::new(Gazetteer::embedded()?)?;
    /// let text = "Kazakh President Kassym-Jomart Tokayev asked the CSTO for help.";
    /// let mentions = tagger.tag(text);
    /// let found: Vec<(&str, &str)> = mentions
    ///     .iter()
    ///     .map(|m| (&text[m.start..m.end], tagger.entity(&m.entity).id.as_str()))
    ///     .collect();
    /// assert!(found.contains(&("Kassym-Jomart Tokayev", "kassym-jomart-tokayev")));
    /// assert!(found.iter().any(|&(surface, _)| surface == "CSTO"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tag(&self, text: &str) -> Vec<Mention> {
        let mut resolution =
            resolve_in_sections(text, self.candidates(text), &self.entities, &self.options);
        // Resolution promises mentions in text order that never overlap, and positions
        // are found in one forward walk that relies on it. Should a heuristic ever
        // break that, the later mention goes (and debug builds, the tests and the
        // fuzzers, stop), rather than a record with offsets that lie.
        let mut last_end = 0;
        resolution.mentions.retain(|m| {
            let in_order = m.start >= last_end;
            debug_assert!(in_order, "overlapping mentions at {}..{}", m.start, m.end);
            if in_order {
                last_end = m.end;
            }
            in_order
        });
        let found: Vec<Arc<Entity>> = resolution.found.into_iter().map(Arc::new).collect();
        let known = self.entities.len();
        let link = |i: usize| match i.checked_sub(known) {
            Some(j) => EntityRef::Discovered(Arc::clone(&found[j])),
            None => EntityRef::Gazetteer(i),
        };
        let mut locator = Locator::new(text);
        resolution
            .mentions
            .into_iter()
            .map(|m| {
                let at_start = locator.locate(m.start);
                let char_end = locator.char_offset(m.end);
                Mention {
                    entity: link(m.entity),
                    start: m.start,
                    end: m.end,
                    char_start: at_start.char_offset,
                    char_end,
                    sentence: at_start.sentence,
                    token: at_start.token,
                    candidates: m.candidates.into_iter().map(link).collect(),
                }
            })
            .collect()
    }

    /// The leftmost-longest spans that pass the boundary and case checks, each with
    /// every entity whose alias fits it, before any document-level resolution.
    ///
    /// One pass over the text: at each word start (the only place an alias can start)
    /// the trie is walked over the text folded on the fly, exactly as
    /// [`normalize_marked`] would fold it, and the longest alias found there that passes
    /// its checks is kept. Starts inside a kept span are skipped, which gives the
    /// leftmost-longest choice among *accepted* candidates: a rejected long alias never
    /// hides a shorter valid one ("New York Timesx" still gives "New York").
    #[doc(hidden)]
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        thread_local! {
            /// Each thread walks document after document with the same small buffers,
            /// instead of allocating them for every document.
            static WALK: std::cell::RefCell<Walk> = Default::default();
        }
        WALK.with(|walk| match walk.try_borrow_mut() {
            Ok(mut walk) => self.candidates_with(text, &mut walk),
            // Only if a caller nests tagging inside tagging on one thread.
            Err(_) => self.candidates_with(text, &mut Walk::default()),
        })
    }

    fn candidates_with(&self, text: &str, walk: &mut Walk) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = Vec::new();
        let bytes = text.as_bytes();
        let mut covered_until = 0;
        let mut in_word = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (len, word) = if b < 0x80 {
                (1, WORD_ASCII[b as usize])
            } else {
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                if is_combining_mark(c) {
                    i += c.len_utf8(); // belongs to the character before it
                    continue;
                }
                (c.len_utf8(), is_word_char(c))
            };
            let start_here = if word {
                !in_word
            } else {
                self.keys_off_word_start && (b >= 0x80 || FOLD_ASCII[b as usize] != b' ')
            };
            in_word = word;
            if start_here && i >= covered_until {
                self.walk(text, i, word, walk);
                if let Some(c) = self.longest_accepted(text, i, walk) {
                    covered_until = c.end;
                    found.push(c);
                }
            }
            i += len;
            if word {
                // The rest of an ASCII word starts nothing: skip it in one run.
                i += bytes[i..]
                    .iter()
                    .take_while(|&&b| WORD_ASCII[b as usize])
                    .count();
            }
        }
        found
    }

    /// Walks the trie from `start`, folding the text on the way; leaves in `walk.hits`
    /// every alias that ends there, shortest first, with the original offset where it
    /// ends.
    fn walk(&self, text: &str, start: usize, at_word_start: bool, walk: &mut Walk) {
        walk.hits.clear();
        let bytes = text.as_bytes();
        let (mut trie, mut pattern) = (&self.trie, None);
        let mut node = Trie::ROOT;
        let (mut in_word, mut in_space) = (false, false);
        if at_word_start {
            let mut after_mark = self.after_mark;
            if let Some(sub) = &self.uncapitalised
                && !starts_capitalised(&text[start..])
            {
                (trie, pattern, after_mark) = (&sub.trie, Some(&sub.pattern), sub.after_mark);
            }
            // Every walk from a word starts with the mark: one step saved per word.
            let Some(after_mark) = after_mark else {
                return;
            };
            (node, in_word) = (after_mark, true);
        }
        let key = |node: u32| {
            trie.key(node)
                .map(|k| pattern.map_or(k, |pattern| pattern[k as usize]))
        };
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let Some(next) = enter_word(trie, node, WORD_ASCII[b as usize], &mut in_word)
                else {
                    return;
                };
                node = next;
                let Some(folded) = fold_ascii(b, &mut in_space) else {
                    i += 1;
                    continue;
                };
                let Some(next) = trie.step(node, folded) else {
                    return;
                };
                node = next;
                i += 1;
                if let Some(key) = key(node) {
                    walk.hits.push((key, i));
                }
                continue;
            }
            let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
            let end = i + c.len_utf8();
            // A combining mark belongs to the character before it.
            if !is_combining_mark(c) {
                let Some(next) = enter_word(trie, node, is_word_char(c), &mut in_word) else {
                    return;
                };
                node = next;
            }
            walk.folded.clear();
            fold_non_ascii(c, &mut in_space, &mut walk.folded);
            for &f in walk.folded.as_bytes() {
                let Some(next) = trie.step(node, f) else {
                    return;
                };
                node = next;
                if let Some(key) = key(node) {
                    walk.hits.push((key, end));
                }
            }
            i = end;
        }
    }

    /// The longest of the walk's aliases that lies on word boundaries and whose case
    /// rule holds for some entity.
    fn longest_accepted(&self, text: &str, start: usize, walk: &mut Walk) -> Option<Candidate> {
        let Walk { hits, span, .. } = walk;
        let mut span_end = None; // `span` holds text[start..span_end] folded
        for &(pattern, end) in hits.iter().rev() {
            let end = end_with_marks(text, end);
            if !on_word_boundaries(text, start, end) {
                continue;
            }
            let mut entities: Vec<usize> = Vec::new();
            // Aliases that differ only by case ("WHO" the organization, "Who" the band)
            // share a key: where the text fits several, the one whose rule asks most of
            // the text's case fits it best ("WHO" is the organization).
            let mut most_specific = 0;
            for v in self.variants_of(pattern as usize) {
                let entity = v.entity as usize;
                let must_upper = &self.upper[v.upper_start as usize..v.upper_end as usize];
                if entities.contains(&entity) || must_upper.len() < most_specific {
                    continue;
                }
                if !must_upper.is_empty() && span_end != Some(end) {
                    // The case rule's offsets are into the folded alias.
                    normalize_marked_into(&text[start..end], span);
                    span_end = Some(end);
                }
                if case_matches(&text[start..], span, must_upper) {
                    if must_upper.len() > most_specific {
                        most_specific = must_upper.len();
                        entities.clear();
                    }
                    entities.push(entity);
                }
            }
            if !entities.is_empty() {
                return Some(Candidate {
                    start,
                    end,
                    entities,
                });
            }
        }
        None
    }
}

/// Per-call scratch space of [`Tagger::candidates`].
#[derive(Default)]
struct Walk {
    /// (pattern, original end offset) of each alias the walk passed.
    hits: Vec<(u32, usize)>,
    /// One non-ASCII character, folded.
    folded: String,
    /// The text of a candidate span, folded, for its case check.
    span: Normalized,
}

/// Steps over the word mark when a word starts at this character (the fold puts one
/// there); `None` when the trie has no such edge.
#[inline]
fn enter_word(trie: &Trie, node: u32, word: bool, in_word: &mut bool) -> Option<u32> {
    let starts = word && !*in_word;
    *in_word = word;
    if starts {
        trie.step(node, WORD_MARK)
    } else {
        Some(node)
    }
}

/// Whether `text` starts with an uppercase letter, by the test the case rules apply.
#[inline]
fn starts_capitalised(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
        _ => text.chars().next().is_some_and(char::is_uppercase),
    }
}

/// Folds an alias the way documents are folded and derives its case rule:
/// - an alias without uppercase letters matches any case;
/// - an all-caps alias of up to 5 letters (an acronym: UN, WHO, CSTO) needs every letter
///   uppercase in the text, so "who" and "us" never match;
/// - a longer all-caps alias (REGNUM, UNESCO) needs each word's first letter uppercase,
///   so "Regnum" matches too;
/// - any other alias needs its uppercase letters uppercase in the text; its lowercase
///   letters may be either case, which lets "Almaty" match the dateline "ALMATY".
///
/// That is [`Case::Smart`]; [`Case::Insensitive`] gives no rule at all, and
/// [`Case::Sensitive`] requires every letter in the alias's own case (flagged with
/// [`LOWER`] where it must be lowercase).
fn fold_alias(alias: &str, case: Case) -> (String, CaseRule) {
    let trimmed = alias.trim();
    let norm = normalize_marked(trimmed);
    if case == Case::Insensitive {
        let rule = CaseRule {
            must_upper: Vec::new(),
            capital_first: false,
        };
        return (norm.text, rule);
    }
    let (mut letters, mut upper, mut lower) = (0, 0, 0);
    for c in trimmed.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    let long_all_caps = upper > 0 && lower == 0 && letters > 5;
    let mut must_upper = Vec::new();
    let mut previous_origin = None;
    for (pos, &origin) in norm.origin.iter().enumerate() {
        if previous_origin == Some(origin) {
            continue; // several normalized bytes from one original char: check it once
        }
        previous_origin = Some(origin);
        let origin = origin as usize;
        let Some(c) = trimmed[origin..].chars().next() else {
            continue;
        };
        if case == Case::Sensitive {
            if c.is_uppercase() {
                must_upper.push(pos as u32);
            } else if c.is_lowercase() {
                must_upper.push(pos as u32 | LOWER);
            }
            continue;
        }
        if !c.is_uppercase() {
            continue;
        }
        let word_initial = trimmed[..origin]
            .chars()
            .next_back()
            .is_none_or(|p| !is_word_char(p));
        if !long_all_caps || word_initial {
            must_upper.push(pos as u32);
        }
    }
    let capital_first = must_upper
        .iter()
        .any(|&rule| rule & LOWER == 0 && norm.origin[rule as usize] == 0);
    let rule = CaseRule {
        must_upper,
        capital_first,
    };
    (norm.text, rule)
}

/// The end of a match that ends at `end`, taking in any combining marks that follow
/// (they belong to its last character).
fn end_with_marks(text: &str, end: usize) -> usize {
    let marks: usize = text[end..]
        .chars()
        .take_while(|&c| unicode_normalization::char::is_combining_mark(c))
        .map(char::len_utf8)
        .sum();
    end + marks
}

/// A mention must not have a letter or digit immediately before or after it.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Whether the uppercase (and, when flagged, lowercase) letters of a case rule are so in
/// `text`, which starts where the match starts; `folded` is the match folded.
fn case_matches(text: &str, folded: &Normalized, must_upper: &[u32]) -> bool {
    must_upper.iter().all(|&rule| {
        let rel = (rule & !LOWER) as usize;
        let Some(&origin) = folded.origin.get(rel) else {
            return false;
        };
        let origin = origin as usize;
        let c = text[origin..].chars().next();
        if rule & LOWER != 0 {
            c.is_some_and(char::is_lowercase)
        } else {
            c.is_some_and(char::is_uppercase)
        }
    })
}

/// Flag on a case-rule offset: the character must be lowercase (only in
/// [`Case::Sensitive`]).
const LOWER: u32 = 1 << 31;

/// How the case of an alias must show in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Case {
    /// The README's matching rules: capitals of names must be capitals, acronyms must be
    /// all-caps, lowercase aliases match any case; lowercase letters may be capitals
    /// ("ALMATY").
    #[default]
    Smart,
    /// Any case matches any case: a plain case-insensitive tagger.
    Insensitive,
    /// Every letter as in the alias.
    Sensitive,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger(yaml: &str) -> Tagger {
        Tagger::new(Gazetteer::from_yaml_str("t.yaml", yaml).unwrap()).unwrap()
    }

    fn found(t: &Tagger, text: &str) -> Vec<(String, String)> {
        t.tag(text)
            .into_iter()
            .map(|m| {
                (
                    t.entity(&m.entity).id.clone(),
                    text[m.start..m.end].to_string(),
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
    fn a_text_longer_than_a_section_is_tagged_whole() {
        use crate::tag::resolve::SECTION_BYTES;
        let t = tagger(
            "type: PER\nentities:\n  - {id: putin, name: Vladimir Putin, aliases: [Putin]}\n",
        );
        // One line, no line breaks: sections are cut at spaces. "Vladimir Putin" falls
        // across some cuts and must still be found whole.
        let unit = "Vladimir Putin went to Sao Paulo and back. ";
        let copies = 3 * SECTION_BYTES / unit.len();
        let text = unit.repeat(copies);
        let mentions = t.tag(&text);
        assert_eq!(mentions.len(), copies);
        for (i, m) in mentions.iter().enumerate() {
            assert_eq!(&text[m.start..m.end], "Vladimir Putin", "mention {i}");
            assert_eq!(m.start, i * unit.len());
            assert_eq!(m.sentence, i);
        }
        // No space at all: cut on a character boundary.
        let text = format!("{} Putin", "é".repeat(SECTION_BYTES));
        assert_eq!(found(&t, &text), pairs(&[("putin", "Putin")]));
    }

    const GAZ: &str = "type: LOC
entities:
  - {id: turkey, name: Turkey, aliases: [Türkiye]}
  - {id: new-york, name: New York}
  - {id: york, name: York}
  - {id: new-york-times, name: New York Times, type: ORG}
  - {id: who, name: World Health Organization, aliases: [WHO], type: ORG}
  - {id: regnum, name: REGNUM, type: ORG}
  - {id: putin, name: Vladimir Putin, aliases: [Putin], type: PER}
  - {id: sao-paulo, name: São Paulo}
  - {id: opec, name: OPEC, type: ORG}
  - {id: opec-plus, name: OPEC+, type: ORG}
  - {id: al-qaeda, name: al-Qaeda, type: ORG}
  - {id: iphone, name: apple iphone, type: PRODUCT}
";

    #[test]
    fn whole_words_only() {
        let t = tagger(GAZ);
        assert!(found(&t, "Yorkshire and NewYork").is_empty());
        assert_eq!(found(&t, "(York)"), pairs(&[("york", "York")]));
        assert!(found(&t, "York2").is_empty());
    }

    #[test]
    fn capitalised_alias_needs_capitals() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "TURKEY votes"), pairs(&[("turkey", "TURKEY")]));
        assert!(found(&t, "roast turkey").is_empty());
    }

    #[test]
    fn acronyms_need_all_caps() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "the WHO said"), pairs(&[("who", "WHO")]));
        assert!(found(&t, "people who said").is_empty());
        assert!(found(&t, "Who said").is_empty());
    }

    #[test]
    fn long_all_caps_alias_matches_title_case() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "Regnum reported"), pairs(&[("regnum", "Regnum")]));
        assert!(found(&t, "regnum reported").is_empty());
    }

    #[test]
    fn lowercase_alias_matches_any_case() {
        let t = tagger(GAZ);
        assert_eq!(
            found(&t, "An APPLE iPhone"),
            pairs(&[("iphone", "APPLE iPhone")])
        );
    }

    #[test]
    fn lowercase_letters_of_alias_may_be_capitalised() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "Al-Qaeda"), pairs(&[("al-qaeda", "Al-Qaeda")]));
        assert!(found(&t, "al-qaeda").is_empty());
    }

    #[test]
    fn case_modes() {
        let yaml = "type: ORG\nentities:\n  - {id: who, name: WHO}\n  - {id: almaty, name: Almaty, type: LOC}\n";
        let text = "WHO, Who, who; ALMATY, almaty, Almaty.";
        let surfaces = |case: Case| -> Vec<String> {
            let g = Gazetteer::from_yaml_str("t.yaml", yaml).unwrap();
            let t = Tagger::builder().case(case).build(g).unwrap();
            t.tag(text)
                .iter()
                .map(|m| text[m.start..m.end].to_string())
                .collect()
        };
        assert_eq!(surfaces(Case::Smart), ["WHO", "ALMATY", "Almaty"]);
        assert_eq!(
            surfaces(Case::Insensitive),
            ["WHO", "Who", "who", "ALMATY", "almaty", "Almaty"]
        );
        assert_eq!(surfaces(Case::Sensitive), ["WHO", "Almaty"]);
    }

    #[test]
    fn leftmost_longest_wins() {
        let t = tagger(GAZ);
        assert_eq!(
            found(&t, "the New York Times said"),
            pairs(&[("new-york-times", "New York Times")])
        );
    }

    #[test]
    fn rejected_longest_falls_back_to_shorter_and_inner() {
        let t = tagger(GAZ);
        // "New York Timesx" fails its boundary: New York must still be found.
        assert_eq!(
            found(&t, "New York Timesx"),
            pairs(&[("new-york", "New York")])
        );
        // "new York" fails the case rule for "New York": York inside is still found.
        assert_eq!(found(&t, "new York"), pairs(&[("york", "York")]));
        assert_eq!(
            found(&t, "OPEC+1 and OPEC+"),
            pairs(&[("opec", "OPEC"), ("opec-plus", "OPEC+")])
        );
    }

    #[test]
    fn folding_both_directions_and_whitespace() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "Sao Paulo"), pairs(&[("sao-paulo", "Sao Paulo")]));
        assert_eq!(
            found(&t, "São\n  Paulo"),
            pairs(&[("sao-paulo", "São\n  Paulo")])
        );
        assert_eq!(found(&t, "Turkiye"), pairs(&[("turkey", "Turkiye")]));
    }

    #[test]
    fn possessives_exclude_the_s() {
        let t = tagger(GAZ);
        assert_eq!(found(&t, "Putin's"), pairs(&[("putin", "Putin")]));
        assert_eq!(found(&t, "Putin’s"), pairs(&[("putin", "Putin")]));
    }

    #[test]
    fn offsets_char_sentence_and_token() {
        let t = tagger(GAZ);
        let text = "Élan in São Paulo. Then Putin spoke.";
        let ms = t.tag(text);
        assert_eq!(ms.len(), 2);
        assert_eq!((ms[0].char_start, ms[0].char_end), (8, 17));
        assert_eq!((ms[0].sentence, ms[0].token), (0, 2));
        assert_eq!(&text[ms[1].start..ms[1].end], "Putin");
        assert_eq!((ms[1].sentence, ms[1].token), (1, 5));
    }

    #[test]
    fn trailing_combining_mark_belongs_to_the_mention() {
        let t = tagger("type: LOC\nentities:\n  - {id: x, name: Paulo}\n");
        let text = "Paulo\u{301} here";
        let ms = t.tag(text);
        assert_eq!(&text[ms[0].start..ms[0].end], "Paulo\u{301}");
    }

    /// The matcher as it was specified before the trie: fold the whole text, find every
    /// occurrence of every folded alias, map it back, check it, keep the leftmost-longest
    /// accepted spans. Slow and obvious; the trie walk must agree with it.
    fn reference_candidates(gazetteer: &Gazetteer, text: &str) -> Vec<Candidate> {
        let norm = normalize_marked(text);
        let mut accepted: Vec<Candidate> = Vec::new();
        for (entity, e) in gazetteer.entities.iter().enumerate() {
            for alias in e.surface_forms() {
                let (key, rule) = fold_alias(alias, Case::Smart);
                let must_upper = rule.must_upper;
                for (at, _) in norm.text.match_indices(key.as_str()) {
                    let start = norm.origin[at] as usize;
                    let last = norm.origin[at + key.len() - 1] as usize;
                    let end = end_with_marks(
                        text,
                        last + text[last..].chars().next().unwrap().len_utf8(),
                    );
                    let case_ok = must_upper.iter().all(|&rule| {
                        let origin = norm.origin[at + rule as usize] as usize;
                        text[origin..].chars().next().unwrap().is_uppercase()
                    });
                    if on_word_boundaries(text, start, end) && case_ok {
                        match accepted
                            .iter_mut()
                            .find(|c| (c.start, c.end) == (start, end))
                        {
                            Some(c) if !c.entities.contains(&entity) => c.entities.push(entity),
                            Some(_) => {}
                            None => accepted.push(Candidate {
                                start,
                                end,
                                entities: vec![entity],
                            }),
                        }
                    }
                }
            }
        }
        accepted.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut chosen: Vec<Candidate> = Vec::new();
        for mut c in accepted {
            if chosen.last().is_none_or(|last| c.start >= last.end) {
                c.entities.sort_unstable();
                chosen.push(c);
            }
        }
        chosen
    }

    const PIECES: &[&str] = &[
        "New",
        "new",
        "NEW",
        "York",
        "york",
        "YORK",
        "Times",
        "Timesx",
        "Yorkshire",
        "WHO",
        "Who",
        "who",
        "São",
        "Sao",
        "Paulo",
        "Putin",
        "Vladimir",
        "OPEC",
        "OPEC+",
        "al-Qaeda",
        "Al-Qaeda",
        "’s-Hertogenbosch",
        "'s-Hertogenbosch",
        "Côte",
        "Cote",
        "Émile",
        "émile",
        "ÉMILE",
        "d’Ivoire",
        "d'Ivoire",
        "é",
        "\u{301}",
        "x",
        "1",
        " ",
        "  ",
        "\n",
        "\u{a0}",
        ".",
        ",",
        "\"",
        "-",
        "(",
        "“",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Walking the trie over text folded on the fly finds exactly what matching on
        /// the folded copy of the whole text finds.
        #[test]
        fn trie_walk_agrees_with_matching_the_folded_text(
            picks in proptest::collection::vec(0..PIECES.len(), 0..24),
            gaps in proptest::collection::vec(proptest::bool::ANY, 24),
        ) {
            let mut text = String::new();
            for (i, &p) in picks.iter().enumerate() {
                text.push_str(PIECES[p]);
                if gaps[i] {
                    text.push(' ');
                }
            }
            let yaml = format!("{GAZ}  - {{id: den-bosch, name: \"'s-Hertogenbosch\"}}\n  - {{id: ci, name: Côte d’Ivoire}}\n  - {{id: emile, name: Émile}}\n");
            let gazetteer = Gazetteer::from_yaml_str("t.yaml", &yaml).unwrap();
            let t = Tagger::new(gazetteer.clone()).unwrap();
            proptest::prop_assert_eq!(t.candidates(&text), reference_candidates(&gazetteer, &text));
        }
    }
}
