//! Shared by the fuzz targets: one small fixed gazetteer, a tagger built from it once
//! per process, and the checks every list of mentions must pass whatever the text.

use std::sync::OnceLock;

use gaztag::{Gazetteer, Mention, Tagger};

/// A small gazetteer with the hard cases of matching: diacritics, hyphens, apostrophes,
/// an all-caps acronym, multi-word names and aliases, and a name inside another
/// (York in New York).
pub const YAML: &str = r#"
type: LOC
entities:
  - id: sao-paulo
    name: São Paulo
  - id: new-york
    name: New York
  - id: york
    name: York
  - id: kazakhstan
    name: Kazakhstan
    aliases: [Qazaqstan, Republic of Kazakhstan]
  - id: almaty
    name: Almaty
    aliases: [Alma-Ata]
  - id: cote-divoire
    name: Côte d'Ivoire
    aliases: [Ivory Coast]
  - id: vladimir-putin
    type: PER
    name: Vladimir Putin
    aliases: [Putin]
  - id: recep-tayyip-erdogan
    type: PER
    name: Recep Tayyip Erdoğan
    aliases: [Erdoğan]
  - id: al-qaeda
    type: ORG
    name: al-Qaeda
    aliases: [al-Qa'ida, Al Qaeda]
  - id: csto
    type: ORG
    name: Collective Security Treaty Organization
    aliases: [CSTO]
  - id: o-reilly
    type: ORG
    name: O'Reilly Media
"#;

/// A sentence for targets that fuzz the gazetteer rather than the text.
pub const SENTENCE: &str = "ALMATY — Vladimir Putin met CSTO chiefs in São Paulo; \
    al-Qaeda’s threat to New York and Côte d’Ivoire was discussed. Putin left for Kazakhstan.";

/// The tagger over [`YAML`], built on first use and kept for the whole process.
pub fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| {
        let gazetteer = Gazetteer::from_yaml_str("fuzz.yaml", YAML).expect("fixed gazetteer");
        Tagger::new(gazetteer).expect("fixed tagger")
    })
}

/// Panics (which the fuzzer reports as a crash) unless `mentions` are well formed for
/// `text`: offsets in range and on character boundaries, sorted and never overlapping,
/// character offsets that count the same characters as the byte offsets, sentence and
/// word numbers that never go backwards, and entities the tagger knows.
pub fn check_mentions(tagger: &Tagger, text: &str, mentions: &[Mention]) {
    let mut prev: Option<&Mention> = None;
    for m in mentions {
        assert!(
            m.start <= m.end && m.end <= text.len(),
            "offsets out of range: {m:?} in a text of {} bytes",
            text.len()
        );
        assert!(m.start < m.end, "empty mention: {m:?}");
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "offsets not on char boundaries: {m:?}"
        );
        // Order first: the character offsets come from a forward-only cursor, so a
        // mention out of order also shows as wrong offsets; report the cause.
        if let Some(p) = prev {
            assert!(
                p.start < m.start,
                "mentions not sorted by start: {p:?} then {m:?}"
            );
            assert!(m.start >= p.end, "mentions overlap: {p:?} and {m:?}");
            assert!(
                (p.sentence, p.token) <= (m.sentence, m.token),
                "sentence/token numbers go backwards: {p:?} then {m:?}"
            );
        }
        let char_start = text[..m.start].chars().count();
        let char_end = char_start + text[m.start..m.end].chars().count();
        assert_eq!(m.char_start, char_start, "char_start wrong for {m:?}");
        assert_eq!(m.char_end, char_end, "char_end wrong for {m:?}");
        // Every entity (the chosen one and each candidate) must resolve.
        let _ = tagger.entity(&m.entity);
        for c in &m.candidates {
            let _ = tagger.entity(c);
        }
        prev = Some(m);
    }
}
