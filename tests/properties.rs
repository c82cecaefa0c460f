//! Invariants that must hold for any text: offsets, thread-count independence, and
//! locality (text around a name never changes whether the name is found).

use gaztag::batch::{ChunkLimits, tag_batch};
use gaztag::input::{Document, InputError};
use gaztag::{Gazetteer, Tagger};
use proptest::prelude::*;

const GAZETTEER: &str = "type: LOC
entities:
  - {id: sao-paulo, name: São Paulo}
  - {id: new-york, name: New York}
  - {id: york, name: York}
  - {id: turkey, name: Turkey, aliases: [Türkiye]}
  - {id: putin, name: Vladimir Putin, aliases: [Putin], type: PER}
  - {id: who, name: WHO, type: ORG}
  - {id: cote-divoire, name: Côte d'Ivoire}
  - {id: kj, name: Kassym-Jomart Tokayev, type: PER}
";

const NAMES: &[(&str, &str)] = &[
    ("São Paulo", "sao-paulo"),
    ("Sao Paulo", "sao-paulo"),
    ("New York", "new-york"),
    ("York", "york"),
    ("TURKEY", "turkey"),
    ("Türkiye", "turkey"),
    ("Vladimir Putin", "putin"),
    ("Putin", "putin"),
    ("WHO", "who"),
    ("Côte d’Ivoire", "cote-divoire"),
    ("Kassym–Jomart Tokayev", "kj"),
];

fn tagger() -> Tagger {
    Tagger::new(Gazetteer::from_yaml_str("props.yaml", GAZETTEER).unwrap()).unwrap()
}

/// Arbitrary Unicode, biased towards the characters the normalizer treats specially.
fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(|c| c.to_string()),
        Just("York".to_string()),
        Just("Putin".to_string()),
        Just("São Paulo".to_string()),
        Just("\u{301}".to_string()),
        Just("İ".to_string()),
        Just("ﬁ".to_string()),
        Just("\r\n".to_string()),
        Just("\u{a0}".to_string()),
        Just("’s ".to_string()),
        Just(". ".to_string()),
        Just("\n\n".to_string()),
        "[a-zA-Z ]{1,8}",
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// Text that contains no name: lowercase words, digits, punctuation and whitespace,
/// ending and starting with a non-word character so it cannot glue onto a name.
fn filler() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("the".to_string()),
            Just("talks".to_string()),
            Just("1999".to_string()),
            Just(",".to_string()),
            Just("—".to_string()),
            Just("“".to_string()),
            Just("é".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("said.".to_string()),
        ],
        0..12,
    )
    .prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn offsets_slice_to_the_mention(text in any_text()) {
        let t = tagger();
        let mut previous_end = 0;
        for m in t.tag(&text) {
            prop_assert!(m.start < m.end);
            prop_assert!(m.start >= previous_end, "mentions overlap or are out of order");
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert_eq!(m.char_start, text[..m.start].chars().count());
            prop_assert_eq!(m.char_end, text[..m.end].chars().count());
            let words_before = text[..m.start].split_whitespace().count();
            let inside_word = text[..m.start].chars().next_back().is_some_and(|c| !c.is_whitespace());
            prop_assert_eq!(m.token, if inside_word { words_before - 1 } else { words_before });
            let before = text[..m.start].chars().next_back();
            let after = text[m.end..].chars().next();
            prop_assert!(!before.is_some_and(char::is_alphanumeric));
            prop_assert!(!after.is_some_and(char::is_alphanumeric));
            previous_end = m.end;
        }
    }

    #[test]
    fn a_name_is_found_whatever_surrounds_it(
        left in filler(),
        right in filler(),
        which in 0..NAMES.len(),
    ) {
        let (name, id) = NAMES[which];
        let text = format!("{left} {name} {right}");
        let t = tagger();
        let mentions = t.tag(&text);
        let start = left.len() + 1;
        let hit = mentions.iter().find(|m| m.start == start);
        prop_assert!(hit.is_some(), "{:?} not found in {:?}", name, text);
        let hit = hit.unwrap();
        prop_assert_eq!(&text[hit.start..hit.end], name);
        prop_assert_eq!(&t.entity(&hit.entity).id, id);
        prop_assert_eq!(mentions.len(), 1, "filler produced a mention in {:?}", text);
    }
}

proptest! {
    // Each case starts two thread pools: fewer cases keep the suite fast.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn output_is_identical_for_one_and_two_threads(
        texts in prop::collection::vec(any_text(), 0..24),
        chunk in 1usize..6,
    ) {
        let t = tagger();
        let run = |threads: usize| {
            let docs: Vec<Result<Document, InputError>> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| Ok(Document { name: format!("d{i}"), text: text.clone(), meta: None, warnings: vec![] }))
                .collect();
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut out = Vec::new();
            let limits = ChunkLimits { max_documents: chunk, max_bytes: 1 << 20 };
            pool.install(|| tag_batch(&t, docs.into_iter(), limits, &mut out, |_| {}, |_| {})).unwrap();
            out
        };
        prop_assert_eq!(run(1), run(2));
    }
}
