//! Text as gaztag reads it: the folded form that aliases and documents are matched in,
//! with a byte map back to the original, and the sentence and word positions reported
//! for every mention.

pub(crate) mod headlines;
pub mod normalize;
pub(crate) mod segment;
pub(crate) mod words;
