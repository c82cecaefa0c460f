//! What users do with tagged documents: entity counts and co-occurrences (with partial
//! files for sharded runs), association measures, reports (tables, graphs, the HTML
//! page), gazetteer suggestions from a corpus, and evaluation against gold annotations.

pub mod aggregate;
pub mod eval;
pub(crate) mod graph;
pub mod html_report;
pub(crate) mod measures;
pub mod report;
pub mod suggest;
