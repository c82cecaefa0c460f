//! gaztag: fast gazetteer-based named-entity tagging for news.
//!
//! Gazetteers (YAML lists of entities with a canonical id, a name and aliases) are
//! compiled into one trie of folded aliases; [`Tagger::tag`] finds every mention in a
//! text with byte, character, sentence and word offsets into the original text.
//!
//! ```
//! use gaztag::{Case, Gazetteer, Tagger};
//!
//! let gazetteer = Gazetteer::from_yaml_str("people.yaml", "
//! type: PER
//! entities:
//!   - id: vladimir-putin
//!     name: Vladimir Putin
//!     aliases: [Putin]
//! ")?;
//! // Build once (the defaults: `Tagger::new`), then share by reference across threads.
//! let tagger = Tagger::builder()
//!     .case(Case::Smart)
//!     .coreference(true)
//!     .discovery(true)
//!     .disambiguation(true)
//!     .build(gazetteer)?;
//! let text = "Russian President Vladimir Putin said. Putin’s aides agreed.";
//! let mentions = tagger.tag(text);
//! assert_eq!(mentions.len(), 2);
//! assert_eq!(&text[mentions[1].start..mentions[1].end], "Putin");
//! assert_eq!(tagger.entity(&mentions[1].entity).id, "vladimir-putin");
//! assert_eq!((mentions[1].sentence, mentions[1].token), (1, 5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Matching rules, in short: whole words only; leftmost-longest, with shorter
//! candidates still tried when a longer one is rejected; an alias's capital letters
//! must be capitals in the text (all-caps acronyms of up to 5 letters match only
//! all-caps text; lowercase aliases match any case); diacritics, typographic quotes and
//! dashes, and whitespace runs are folded. See README.md for the full rules.
//!
//! The folders follow the pipeline: `text` (folding, sentence and word positions) →
//! `gazetteer` (entities and their aliases) → `tag` (the matcher and the per-document
//! resolution of what it finds) → `io` (documents in, records and exports out, the
//! parallel batch) → `analyze` (counts, reports, suggestions, evaluation). The command
//! line lives in the binary (`src/cli`), which only parses and wires.
//!
//! What is public, and why: the API for embedding gaztag is what this root re-exports,
//! plus the [`gazetteer`] module (loading and writing gazetteers) and [`io::input`]
//! (reading documents); all of it is documented and kept stable. The binary's command
//! line, the tests, the benchmarks and the fuzz targets are separate crates, so what
//! they reach into (the batch, exports, output files, the `analyze` commands, the trie
//! for the benchmarks) must be `pub` too: it is `#[doc(hidden)]`, absent from these
//! docs and free to change. Everything else is `pub(crate)`, so the compiler names
//! dead code and the seams between stages stay where DESIGN.md draws them.

// Nothing a user feeds in may panic the library: errors are returned, never unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod analyze;
pub mod gazetteer;
pub mod io;
pub(crate) mod lexicon;
pub(crate) mod tag;
pub(crate) mod text;

/// What the benchmarks measure below the public API: the alias trie and the folding
/// that feeds it. Not for embedding; free to change.
#[doc(hidden)]
pub mod bench {
    pub use crate::tag::trie::Trie;
    pub use crate::text::normalize::{WORD_MARK, normalize_marked};
}

pub use gazetteer::{Dialect, Entity, FileFormat, Gazetteer, GazetteerError, Kind};
pub use io::input::{Document, Documents, InputError, InputFormat, InputOptions, JsonlDocuments};
pub use tag::builder::TaggerBuilder;
pub use tag::matcher::{BuildError, Case, EntityRef, Mention, Tagger};
pub use tag::resolve::StopList;
