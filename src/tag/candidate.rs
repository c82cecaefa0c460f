//! What the matcher hands to resolution: a span of the text and every gazetteer entity
//! whose alias it matches. Its own module because both resolution and discovery read
//! candidates, and neither should depend on the other for it.

/// A matched span and every entity that fits it, in gazetteer order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub entities: Vec<usize>,
}
