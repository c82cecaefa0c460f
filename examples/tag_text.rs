//! gaztag as a library: build a tagger once, tag texts, print each mention with its
//! entity. Run with `cargo run --example tag_text -- [FILE...]` (stdin without files).

use std::io::Read;

use gaztag::{Case, Gazetteer, Tagger};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The built-in gazetteers; Gazetteer::load(&["my-names.tsv"]) reads your own.
    // Tagger::new(gazetteer) takes the same defaults as this builder.
    let tagger = Tagger::builder()
        .case(Case::Smart)
        .discovery(true)
        .build(Gazetteer::embedded()?)?;
    let files: Vec<String> = std::env::args().skip(1).collect();
    let texts = if files.is_empty() {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        vec![("-".to_string(), text)]
    } else {
        files
            .into_iter()
            .map(|f| std::fs::read_to_string(&f).map(|t| (f, t)))
            .collect::<Result<_, _>>()?
    };
    for (name, text) in &texts {
        for m in tagger.tag(text) {
            let e = tagger.entity(&m.entity);
            println!(
                "{name}\t{}..{}\t{}\t{}\t{}",
                m.start,
                m.end,
                e.kind,
                e.id,
                &text[m.start..m.end]
            );
        }
    }
    Ok(())
}
