//! Documents in and records out: reading files, folders, JSONL and stdin; the tagged
//! record and the export formats; output files that are replaced only when a run
//! succeeds; and the batch that tags in parallel while writing in input order.

#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod export;
pub mod input;
#[doc(hidden)]
pub mod output;
pub(crate) mod record;
