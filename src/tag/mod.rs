//! Tagging one document: the alias trie, the matcher that walks it over the text, and
//! resolution (stop-entities, disambiguation, discovery of unknown names, coreference)
//! that turns the matcher's candidates into mentions.

pub(crate) mod builder;
pub(crate) mod candidate;
pub(crate) mod discover;
pub(crate) mod matcher;
pub(crate) mod resolve;
pub mod trie;
