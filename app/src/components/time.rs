//! Instants shown in the viewer's own time zone, with the zone named.
//!
//! The server does not know the viewer's zone, so it renders UTC ("27 Nov 2026, 14:30 UTC");
//! once the page is live in the browser the text switches to the local zone
//! ("27 Nov 2026, 15:30 CET"). Hydration sees identical markup on both sides.

use crate::escalation::model::time_ago;
use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::*;

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

/// The same instant in the browser's zone, e.g. "27 Nov 2026, 15:30 CET".
#[cfg(feature = "hydrate")]
pub fn local_text(at: DateTime<Utc>) -> Option<String> {
    use leptos::wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    for (key, value) in [
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format
        .format()
        .call1(&JsValue::NULL, &date)
        .ok()?
        .as_string()
}

/// An instant, in the viewer's zone once the page is live.
#[component]
pub fn LocalTime(at: DateTime<Utc>) -> impl IntoView {
    let text = RwSignal::new(utc_text(at));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(local) = local_text(at) {
            text.set(local);
        }
    });
    view! { <time datetime=at.to_rfc3339()>{move || text.get()}</time> }
}

/// "2 h ago", from the server's clock at render time; ticks once the page is live.
#[component]
pub fn Relative(at: DateTime<Utc>, now: DateTime<Utc>) -> impl IntoView {
    let now = RwSignal::new(now);
    #[cfg(feature = "hydrate")]
    {
        let started = js_sys::Date::now();
        let base = now.get_untracked();
        let handle = gloo_timers::callback::Interval::new(30_000, move || {
            let elapsed = chrono::Duration::milliseconds((js_sys::Date::now() - started) as i64);
            now.set(base + elapsed);
        });
        let handle = send_wrapper::SendWrapper::new(handle);
        on_cleanup(move || drop(handle));
    }
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

/// The current instant, on either side (the browser has no system clock in wasm).
pub fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Utc::now()
    }
}

/// A hidden `tz_offset` field holding the browser's offset from UTC in minutes (JavaScript's
/// sign), so `datetime-local` values are read in the viewer's zone. Without scripts it stays
/// empty and times are read as UTC.
#[component]
pub fn TzOffset() -> impl IntoView {
    let offset = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        offset.set((js_sys::Date::new_0().get_timezone_offset() as i64).to_string());
    });
    view! { <input type="hidden" name="tz_offset" value=move || offset.get() /> }
}
