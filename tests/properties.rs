//! Invariants that must hold for any text: offsets, thread-count independence, and
//! locality (text around a name never changes whether the name is found).

use gaztag::io::batch::{ChunkLimits, tag_batch};
use gaztag::io::export::{Format, RecordWriter};
use gaztag::io::input::{Document, InputError};
use gaztag::{Gazetteer, Tagger};
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;

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
        Just("’ ".to_string()),
        Just("Paulo’".to_string()),
        Just("York-born ".to_string()),
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

    #[test]
    fn a_name_is_found_unless_a_letter_or_digit_touches_it(
        left in filler(),
        right in filler(),
        before in neighbour(),
        after in neighbour(),
        which in 0..NAMES.len(),
    ) {
        let (name, id) = NAMES[which];
        let text = format!("{left} {before}{name}{after} {right}");
        let start = left.len() + 1 + before.len_utf8();
        let t = tagger();
        let mentions = t.tag(&text);
        let hit = mentions.iter().find(|m| m.start == start && t.entity(&m.entity).id == id);
        if before.is_alphanumeric() || after.is_alphanumeric() {
            prop_assert!(hit.is_none(), "{:?} found in {:?}", name, text);
        } else {
            prop_assert!(hit.is_some(), "{:?} not found in {:?}", name, text);
            let hit = hit.unwrap();
            // A combining mark belongs to the letter before it, so to the name.
            let end = start + name.len() + if is_combining_mark(after) { after.len_utf8() } else { 0 };
            prop_assert_eq!(hit.end, end, "in {:?}", text);
        }
    }
}

/// Any character, but mostly ASCII and the marks the normalizer folds.
fn neighbour() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        proptest::char::range(' ', '~'),
        prop::sample::select(vec![
            '’', '‐', '—', '\u{301}', '\u{a0}', 'é', '日', '\u{200b}'
        ]),
    ]
}

proptest! {
    // Each case starts two thread pools: fewer cases keep the suite fast.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn output_is_identical_for_any_thread_count_and_chunking(
        texts in prop::collection::vec(any_text(), 0..24),
        chunk in 1usize..6,
        chunk_bytes in 1usize..200,
    ) {
        let t = tagger();
        let run = |threads: usize, limits: ChunkLimits| {
            let docs: Vec<Result<Document, InputError>> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| Ok(Document { name: format!("d{i}"), text: text.clone(), ..Document::default() }))
                .collect();
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut out = Vec::new();
            pool.install(|| tag_batch(&t, docs.into_iter(), limits, &mut RecordWriter::new(Format::Jsonl, &mut out), |_| {}, |_| {})).unwrap();
            out
        };
        // One thread, everything in one chunk: the reference.
        let whole = ChunkLimits { max_documents: usize::MAX, max_bytes: usize::MAX };
        let reference = run(1, whole);
        let by_count = ChunkLimits { max_documents: chunk, max_bytes: usize::MAX };
        let by_bytes = ChunkLimits { max_documents: usize::MAX, max_bytes: chunk_bytes };
        prop_assert_eq!(&run(2, by_count), &reference);
        prop_assert_eq!(&run(2, by_bytes), &reference);
        prop_assert_eq!(&run(1, by_count), &reference);
    }
}
