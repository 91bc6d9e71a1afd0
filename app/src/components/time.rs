//! Instants shown in the viewer's own time zone, with the zone named.
//!
//! The server does not know the viewer's zone, so it renders UTC ("27 Nov 2026, 14:30 UTC");
//! once the page is live in the browser the text switches to the local zone
//! ("27 Nov 2026, 15:30 CET"). Hydration sees identical markup on both sides.

use super::host;
use crate::escalation::model::time_ago;
use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::*;

pub use super::host::now;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "27 Nov 2026, 14:30 UTC".
pub fn utc_text(at: DateTime<Utc>) -> String {
    format!(
        "{} {} {}, {:02}:{:02} UTC",
        at.day(),
        MONTHS[at.month0() as usize],
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// An instant, in the viewer's zone once the page is live.
#[component]
pub fn LocalTime(at: DateTime<Utc>) -> impl IntoView {
    let text = RwSignal::new(utc_text(at));
    Effect::new(move |_| {
        if let Some(local) = host::local_time_text(at) {
            text.set(local);
        }
    });
    view! { <time datetime=at.to_rfc3339()>{move || text.get()}</time> }
}

/// "2 h ago", from the server's clock at render time; ticks once the page is live.
#[component]
pub fn Relative(at: DateTime<Utc>, now: DateTime<Utc>) -> impl IntoView {
    let now = host::ticking_clock(now, 30_000);
    view! {
        <time datetime=at.to_rfc3339() title=utc_text(at)>
            {move || time_ago(at, now.get())}
        </time>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_text_names_the_zone() {
        let at = DateTime::parse_from_rfc3339("2026-11-27T09:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(utc_text(at), "27 Nov 2026, 09:05 UTC");
    }
}

/// A hidden `tz_offset` field holding the browser's offset from UTC in minutes (JavaScript's
/// sign), so `datetime-local` values are read in the viewer's zone. Without scripts it stays
/// empty and times are read as UTC.
#[component]
pub fn TzOffset() -> impl IntoView {
    let offset = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(minutes) = host::timezone_offset_minutes() {
            offset.set(minutes.to_string());
        }
    });
    view! { <input type="hidden" name="tz_offset" value=move || offset.get() /> }
}
