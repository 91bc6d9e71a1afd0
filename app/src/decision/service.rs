//! Decision requests, the decision log and urgent meetings.
//!
//! Asking for a decision (`requests`), recording or correcting one (`record`), calling a
//! meeting (`meetings`) and the "Needs decision" reads (`queries`) each have a file under
//! `service/`; `row` turns stored rows into what the client sees.

mod meetings;
mod queries;
mod record;
mod requests;
mod row;

pub use meetings::call_meeting;
pub use queries::{for_escalation, get, open_request_of, open_requests};
pub use record::record;
pub use requests::{AddressTo, open_request_in};
