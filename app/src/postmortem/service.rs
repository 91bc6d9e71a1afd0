//! Reading, saving, reviewing, publishing and exporting post-mortems. Every change is one
//! write transaction with its event: `drafts` saves sections (and `remediation` the action
//! items a save names), `review` submits and approves, `addenda` corrects a published one;
//! `queries` reads and `row` turns what is stored into the wire `PostMortem`.

mod addenda;
mod drafts;
mod queries;
mod remediation;
mod review;
mod row;
mod write;

pub use addenda::add_addendum;
pub use drafts::save;
pub use queries::{get, index, markdown};
pub use review::{approve, submit};
