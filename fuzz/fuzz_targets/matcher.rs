//! Feeds arbitrary text to a tagger over a small fixed gazetteer, because the matcher
//! folds text on the fly and slices it by byte offsets: this checks that whatever the
//! text (broken UTF-8, combining marks, odd quotes and dashes), tagging never panics
//! and every mention's byte, character, sentence and word offsets are consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let tagger = gaztag_fuzz::tagger();
    let mentions = tagger.tag(&text);
    gaztag_fuzz::check_mentions(tagger, &text, &mentions);
});
