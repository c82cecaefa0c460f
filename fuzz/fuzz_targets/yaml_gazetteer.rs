//! Loads arbitrary text as a YAML gazetteer, because users hand-edit these files: a
//! malformed one must give an error, never a panic, and a well-formed one, however
//! odd its names, must build a tagger that tags a news sentence cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let yaml = String::from_utf8_lossy(data);
    let Ok(gazetteer) = gaztag::Gazetteer::from_yaml_str("fuzz.yaml", &yaml) else {
        return;
    };
    let Ok(tagger) = gaztag::Tagger::new(gazetteer) else {
        return;
    };
    let mentions = tagger.tag(gaztag_fuzz::SENTENCE);
    gaztag_fuzz::check_mentions(&tagger, gaztag_fuzz::SENTENCE, &mentions);
});
