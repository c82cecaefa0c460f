//! Loads arbitrary text as a TSV or CSV gazetteer (the first byte picks which), because
//! big name lists arrive as tables from other tools: a bad table must give an error,
//! never a panic, and a good one must build a tagger that tags a sentence cleanly.
#![no_main]

use gaztag::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let dialect = if first % 2 == 0 {
        Dialect::Tsv
    } else {
        Dialect::Csv
    };
    let text = String::from_utf8_lossy(rest);
    let Ok(gazetteer) = gaztag::Gazetteer::from_table_str("fuzz.tsv", &text, dialect) else {
        return;
    };
    let Ok(tagger) = gaztag::Tagger::new(gazetteer) else {
        return;
    };
    let mentions = tagger.tag(gaztag_fuzz::SENTENCE);
    gaztag_fuzz::check_mentions(&tagger, gaztag_fuzz::SENTENCE, &mentions);
});
