use super::*;
use crate::gazetteer::Gazetteer;

fn tagger(yaml: &str) -> Tagger {
    Tagger::new(Gazetteer::from_yaml_str("test.yaml", yaml).unwrap()).unwrap()
}

fn moscow() -> Tagger {
    tagger("type: LOC\nentities:\n  - id: moscow\n    name: Moscow\n")
}

/// The candidates of one text, as (form, key) in order; without the common words that
/// open a sentence alone ("He", "Mass"), which only the corpus can confirm as names
/// (see `common_words_need_the_corpus_to_confirm_them`).
fn found(t: &Tagger, text: &str) -> Vec<(String, String)> {
    let known = KnownParts::new(t);
    candidates(t, &known, "d", text)
        .found
        .into_iter()
        .filter(|f| !f.common || f.mid_sentence)
        .map(|f| (f.form, f.key))
        .collect()
}

fn forms(t: &Tagger, text: &str) -> Vec<String> {
    found(t, text).into_iter().map(|(f, _)| f).collect()
}

fn suggest(t: &Tagger, texts: &[&str]) -> Vec<Suggestion> {
    let known = KnownParts::new(t);
    let mut s = Suggester::default();
    for (i, text) in texts.iter().enumerate() {
        s.add(candidates(t, &known, &format!("d{i}"), text));
    }
    s.finish(&SuggestOptions {
        min_docs: 1,
        ..SuggestOptions::default()
    })
}

fn kind_of<'a>(suggestions: &'a [Suggestion], id: &str) -> &'a str {
    &suggestions
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no suggestion {id}: {suggestions:?}"))
        .kind
}

#[test]
fn runs_of_capitalised_words_with_connectors_inside() {
    let t = moscow();
    assert_eq!(
        forms(
            &t,
            "He met the Bank of England and Osama bin Laden in Moscow today."
        ),
        ["Bank of England", "Osama bin Laden"]
    );
    // A connector never ends a name; "the" and "and" are no connectors.
    assert_eq!(
        forms(
            &t,
            "the talks between Gazprom of the Novatek group, Rosneft and Lukoil went on"
        ),
        ["Gazprom", "Novatek", "Rosneft", "Lukoil"]
    );
}

#[test]
fn acronyms_hyphens_and_diacritics_make_names() {
    let t = moscow();
    assert_eq!(
        forms(
            &t,
            "the NATO summit with Kassym-Jomart Tokayev and Tarcísio de Freitas"
        ),
        ["NATO", "Kassym-Jomart Tokayev", "Tarcísio de Freitas"]
    );
}

#[test]
fn sentence_initial_common_words_titles_and_dates_are_cut_off() {
    let t = moscow();
    assert_eq!(
        forms(&t, "Units of CSTO arrived. Mass protests began."),
        ["CSTO"]
    );
    assert_eq!(
        forms(
            &t,
            "the Russian President Vladimir Putin spoke to them on January 10 and left."
        ),
        ["Russian", "Vladimir Putin"]
    );
    // A lone English word waits for the corpus; one inside a name is a name.
    assert_eq!(
        forms(&t, "Leave a Reply to the Red Cross."),
        ["Reply", "Red Cross"]
    );
}

#[test]
fn tagged_words_and_parts_of_known_names_are_no_candidates() {
    let t = tagger(
        "type: ORG\nentities:\n  - id: csto\n    name: Collective Security Treaty Organization\n    aliases: [CSTO]\n",
    );
    assert_eq!(
        forms(
            &t,
            "the CSTO met in Almaty. Then the Collective Security Treaty Organization agreed to the Security Treaty talks"
        ),
        ["Almaty"]
    );
}

#[test]
fn a_surname_joins_the_full_name_and_an_acronym_its_long_form() {
    let t = moscow();
    let keys: Vec<String> = found(
        &t,
        "Kassym-Jomart Tokayev asked the Collective Security Treaty Organization (CSTO) for help. Tokayev said the CSTO agreed.",
    )
    .into_iter()
    .map(|(_, k)| k)
    .collect();
    let full = "kassym-jomart-tokayev";
    let org = "collective-security-treaty-organization";
    assert_eq!(keys, [full, org, org, full, org]);
}

#[test]
fn an_acronym_defined_elsewhere_joins_its_long_form_across_documents() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "the leaders of the Shanghai Cooperation Organisation (SCO) met on the day.",
            "the SCO said it would meet again, and the SCO agreed to it.",
        ],
    );
    let sco = s
        .iter()
        .find(|s| s.id == "shanghai-cooperation-organisation")
        .unwrap();
    assert_eq!((sco.mentions, sco.documents), (4, 2));
    assert_eq!(sco.aliases, ["SCO"]);
    assert!(s.iter().all(|s| s.id != "sco"));
}

#[test]
fn type_evidence_from_titles_roles_speech_and_given_names() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "President Kassym Tokayev met spokesman Dmitry Peskov. Kuanysh Sultanbayev said nothing. Grace Wanjiru ran.",
        ],
    );
    assert_eq!(kind_of(&s, "kassym-tokayev"), "PER");
    assert_eq!(kind_of(&s, "dmitry-peskov"), "PER");
    assert_eq!(kind_of(&s, "kuanysh-sultanbayev"), "PER");
    assert_eq!(kind_of(&s, "grace-wanjiru"), "PER");
}

#[test]
fn type_evidence_for_places() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "Protests in Zhanaozen spread. The residents of Aktau and an Almaty-based group marched down Rustaveli Avenue.",
        ],
    );
    assert_eq!(kind_of(&s, "zhanaozen"), "LOC");
    assert_eq!(kind_of(&s, "aktau"), "LOC");
    assert_eq!(kind_of(&s, "almaty"), "LOC");
    assert_eq!(kind_of(&s, "rustaveli-avenue"), "LOC");
}

#[test]
fn type_evidence_for_organizations() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "REGNUM news agency reported that shares of Acme Holdings Ltd fell and the Popular Front joined the Rossa Primavera News Agency. Officials of the Eurasian Development Bank (EDB) came; the EDB said so.",
        ],
    );
    assert_eq!(kind_of(&s, "regnum"), "ORG");
    assert_eq!(kind_of(&s, "acme-holdings-ltd"), "ORG");
    assert_eq!(kind_of(&s, "popular-front"), "ORG");
    let front = s.iter().find(|s| s.id == "popular-front").unwrap();
    assert!(
        front
            .evidence
            .iter()
            .any(|(e, _)| e == "an organization word ends it")
    );
    assert_eq!(kind_of(&s, "rossa-primavera-news-agency"), "ORG");
    assert_eq!(kind_of(&s, "eurasian-development-bank"), "ORG");
    assert!(
        s.iter().all(|s| s.id != "edb"),
        "the acronym joins its long form"
    );
}

#[test]
fn names_listed_with_tagged_entities_take_their_type() {
    let t = moscow();
    let s = suggest(&t, &["Flights to Moscow, Novosibirsk and Omsk resumed."]);
    assert_eq!(kind_of(&s, "novosibirsk"), "LOC");
    let n = s.iter().find(|s| s.id == "novosibirsk").unwrap();
    assert!(
        n.evidence.iter().any(|(e, _)| e == "listed with a LOC"),
        "{:?}",
        n.evidence
    );
}

#[test]
fn adjectives_of_nationality_are_dropped() {
    let t = moscow();
    let s = suggest(
        &t,
        &["Kazakh authorities said the Kazakh leader met Tokayev. Kazakh troops left."],
    );
    assert!(s.iter().all(|s| s.id != "kazakh"), "{s:?}");
}

#[test]
fn suggestions_are_sorted_filtered_and_named_by_their_longest_form() {
    let t = moscow();
    let known = KnownParts::new(&t);
    let mut s = Suggester::default();
    let texts = [
        "Vladimir Putin said. Putin agreed. Zhanaozen burned.",
        "Putin said it again in Zhanaozen.",
        "Putin was in Omsk.",
    ];
    for (i, text) in texts.iter().enumerate() {
        s.add(candidates(&t, &known, &format!("d{i}"), text));
    }
    let out = s.finish(&SuggestOptions::default());
    let ids: Vec<&str> = out.iter().map(|s| s.id.as_str()).collect();
    // "Putin" alone in d1 and d2 is the "Putin" that stood for Vladimir Putin in d0.
    assert_eq!(ids, ["vladimir-putin", "zhanaozen"]);
    let putin = &out[0];
    assert_eq!(
        (putin.name.as_str(), putin.aliases.as_slice()),
        ("Vladimir Putin", &["Putin".to_string()][..])
    );
    assert_eq!((putin.documents, putin.mentions), (3, 4));
    assert_eq!(putin.contexts.len(), 2);
    assert_eq!(
        putin.contexts[1].text,
        "[Putin] said it again in Zhanaozen."
    );
}

#[test]
fn yaml_output_loads_as_a_gazetteer() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "President Vladimir Putin said: \"yes\". Putin met the Collective Security Treaty Organization (CSTO) in Almaty.",
        ],
    );
    let yaml = to_yaml(&s, 1);
    let g =
        Gazetteer::from_yaml_str("suggested.yaml", &yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let putin = g
        .entities
        .iter()
        .find(|e| e.id == "vladimir-putin")
        .unwrap();
    assert_eq!(
        (putin.kind.as_str(), putin.aliases.as_slice()),
        ("PER", &["Putin".to_string()][..])
    );
    let csto = g
        .entities
        .iter()
        .find(|e| e.id == "collective-security-treaty-organization")
        .unwrap();
    assert_eq!(
        (csto.kind.as_str(), csto.aliases.as_slice()),
        ("ORG", &["CSTO".to_string()][..])
    );
    assert!(yaml.contains("  #   …"), "contexts are comments:\n{yaml}");
    let empty = to_yaml(&[], 3);
    assert!(
        Gazetteer::from_yaml_str("empty.yaml", &empty).is_ok(),
        "{empty}"
    );
}

#[test]
fn yaml_scalars_are_quoted_when_needed() {
    assert_eq!(yaml_scalar("Vladimir Putin"), "Vladimir Putin");
    assert_eq!(yaml_scalar("O'Brien"), "O'Brien");
    assert_eq!(yaml_scalar("Yes"), "\"Yes\"");
    assert_eq!(yaml_scalar("AT&T"), "\"AT&T\"");
    assert_eq!(yaml_scalar("#1: x"), "\"#1: x\"");
}

#[test]
fn contexts_bracket_the_mention() {
    let text = format!("{}said Putin on  Monday", "x ".repeat(40));
    let start = text.find("Putin").unwrap();
    let c = context(&text, start, start + 5);
    assert!(
        c.starts_with('…') && c.ends_with("said [Putin] on Monday"),
        "{c}"
    );
}

#[test]
fn datelines_are_places_and_heads_before_of_make_organizations() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "TASHKENT, May 2 — A Hamas delegation met officials of the Central Bank of Brazil there.\nNAIROBI — the rains came to the town.",
        ],
    );
    assert_eq!(kind_of(&s, "tashkent"), "LOC");
    assert_eq!(kind_of(&s, "nairobi"), "LOC");
    assert_eq!(kind_of(&s, "central-bank-of-brazil"), "ORG");
    assert!(s.iter().any(|s| s.id == "hamas"));
    assert!(
        s.iter().all(|s| s.id != "a-hamas"),
        "a sentence starts after a dateline's dash"
    );
}

#[test]
fn common_words_need_the_corpus_to_confirm_them() {
    let t = moscow();
    let s = suggest(
        &t,
        &[
            "Japan said the missile landed. Officials in Japan and Moscow agreed. He left.",
            "the talks with Japan went on, and the envoy wrote a reply. Leave a Reply here. Then he went home.",
        ],
    );
    // "Japan" is written capitalised inside sentences twice and never in lowercase;
    // "Reply" once, and "reply" too; "He" and "Then" only open sentences.
    assert_eq!(kind_of(&s, "japan"), "LOC");
    for id in ["reply", "he", "then", "leave"] {
        assert!(s.iter().all(|s| s.id != id), "{id}");
    }
}

proptest::proptest! {
    /// Whatever the text: no panic, every candidate is the text at its offsets (on
    /// character boundaries), its key is the slug of its form, and contexts bracket it.
    #[test]
    fn candidates_are_the_text_at_their_offsets(
        text in "([A-Z][a-z]{0,6}|[A-Z]{2,5}|of|the|in|said|’s|-based|[a-zé]{1,5}|É[a-z]{1,3}|[ ,.()\n—“]){0,40}"
    ) {
        let t = moscow();
        let known = KnownParts::new(&t);
        let doc = candidates(&t, &known, "d", &text);
        for f in &doc.found {
            proptest::prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            proptest::prop_assert_eq!(&text[f.start..f.end], f.form.as_str());
        }
        for c in doc.contexts.values() {
            proptest::prop_assert!(c.contains('[') && c.contains(']'));
        }
        let mut s = Suggester::default();
        s.add(doc);
        for sug in s.finish(&SuggestOptions { min_docs: 1, ..SuggestOptions::default() }) {
            proptest::prop_assert!(!sug.id.is_empty());
            let yaml = to_yaml(std::slice::from_ref(&sug), 1);
            proptest::prop_assert!(Gazetteer::from_yaml_str("s.yaml", &yaml).is_ok(), "{}", yaml);
        }
    }
}

#[test]
fn name_starts_stay_at_sentence_start_and_for_follows_an_organization_head() {
    let t = moscow();
    assert_eq!(
        forms(
            &t,
            "SEOUL — South Korea renewed its offer. It thanked Smith for Acme and the United States Agency for International Development."
        ),
        [
            "SEOUL",
            "South Korea",
            "Smith",
            "Acme",
            "United States Agency for International Development"
        ]
    );
}
