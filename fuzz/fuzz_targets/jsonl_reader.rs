//! Reads arbitrary bytes as a JSONL stream of documents, because corpora come from
//! scrapers and pipes: bad lines, bad UTF-8 and odd JSON must give error items, never
//! a panic, and every document read must tag with offsets that slice its text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = std::io::Cursor::new(data.to_vec());
    let documents =
        gaztag::JsonlDocuments::new("fuzz.jsonl", reader, gaztag::InputOptions::default());
    let tagger = gaztag_fuzz::tagger();
    for document in documents.flatten() {
        let mentions = tagger.tag(&document.text);
        gaztag_fuzz::check_mentions(tagger, &document.text, &mentions);
    }
});
