//! Tagging one document: the alias trie, the matcher that walks it over the text, and
//! resolution (stop-entities, disambiguation, discovery of unknown names, coreference)
//! that turns the matcher's candidates into mentions.

pub mod builder;
pub mod candidate;
pub mod discover;
pub mod matcher;
pub mod resolve;
pub mod trie;
