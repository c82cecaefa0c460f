//! gaztag: fast gazetteer-based named-entity tagging for news.
//!
//! Gazetteers (YAML lists of entities with a canonical id, a name and aliases) are
//! compiled into one trie of folded aliases; [`Tagger::tag`] finds every mention in a
//! text with byte, character, sentence and word offsets into the original text.
//!
//! ```
//! use gaztag::{Gazetteer, Tagger};
//!
//! let gazetteer = Gazetteer::from_yaml_str("people.yaml", "
//! type: PER
//! entities:
//!   - id: vladimir-putin
//!     name: Vladimir Putin
//!     aliases: [Putin]
//! ").unwrap();
//! let tagger = Tagger::new(gazetteer).unwrap();
//! let text = "Russian President Vladimir Putin said. Putin’s aides agreed.";
//! let mentions = tagger.tag(text);
//! assert_eq!(mentions.len(), 2);
//! assert_eq!(&text[mentions[1].start..mentions[1].end], "Putin");
//! assert_eq!(tagger.entity(&mentions[1].entity).id, "vladimir-putin");
//! assert_eq!((mentions[1].sentence, mentions[1].token), (1, 5));
//! ```
//!
//! Matching rules, in short: whole words only; leftmost-longest, with shorter
//! candidates still tried when a longer one is rejected; an alias's capital letters
//! must be capitals in the text (all-caps acronyms of up to 5 letters match only
//! all-caps text; lowercase aliases match any case); diacritics, typographic quotes and
//! dashes, and whitespace runs are folded. See README.md for the full rules.
//!
//! A document flows read ([`input`]) → normalize ([`normalize`]) → match ([`matcher`],
//! positions from [`segment`]) → write ([`output`]); [`batch`] runs that in parallel
//! with ordered output and [`report`] counts what was found.

// Nothing a user feeds in may panic the library: errors are returned, never unwrapped.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod aggregate;
pub mod batch;
pub mod cli;
pub mod discover;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod graph;
pub mod html_report;
pub mod input;
pub mod matcher;
pub mod measures;
pub mod normalize;
pub mod output;
pub mod report;
pub mod resolve;
pub mod segment;
pub mod suggest;
pub mod trie;

pub use gazetteer::{Entity, Gazetteer, GazetteerError};
pub use input::{Document, Documents, InputOptions, JsonlDocuments};
pub use matcher::{EntityRef, Mention, Tagger};
