//! Where the page runs: the few things that differ between the server's render and the live
//! page in the browser, each behind one small named function, so components carry no `cfg`.
//! On the server these do nothing (or answer from the server's clock); in the browser they
//! use its APIs.

use crate::auth::model::Actor;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

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

/// Milliseconds on the browser's clock; 0 while rendering on the server.
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// A clock that starts at the server's `from` (so both renders agree) and, once the page is
/// live, advances every `every_ms` by the time elapsed in the browser.
pub fn ticking_clock(from: DateTime<Utc>, every_ms: u32) -> RwSignal<DateTime<Utc>> {
    let now = RwSignal::new(from);
    let started = now_ms();
    every(every_ms, move || {
        let elapsed = chrono::Duration::milliseconds((now_ms() - started) as i64);
        now.set(from + elapsed);
    });
    now
}

/// Runs `tick` every `ms` while the calling component lives (never on the server).
pub fn every(ms: u32, tick: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let handle = gloo_timers::callback::Interval::new(ms, tick);
        let handle = send_wrapper::SendWrapper::new(handle);
        on_cleanup(move || drop(handle));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ms, tick);
}

/// A pending one-shot timer; dropping it cancels the call.
pub struct Timer {
    #[cfg(feature = "hydrate")]
    _timeout: gloo_timers::callback::Timeout,
}

/// Calls `then` once after `ms` (never on the server, where nothing waits).
pub fn after(ms: u32, then: impl FnOnce() + 'static) -> Timer {
    #[cfg(feature = "hydrate")]
    {
        Timer {
            _timeout: gloo_timers::callback::Timeout::new(ms, then),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ms, then);
        Timer {}
    }
}

/// The signed-in caller as the server knows it while rendering; `None` in the browser, which
/// receives the server's answer with the page.
pub fn caller() -> Option<Actor> {
    #[cfg(feature = "ssr")]
    {
        crate::state::caller()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Gives the server's response the status of a failed load (404, 403, …).
pub fn set_status_for(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// Gives the server's response a 404 status.
pub fn set_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// Moves keyboard focus to the element with this id, if it is on the page and focusable.
pub fn focus_by_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Puts `text` on the clipboard; false where the browser does not allow it (then the text
/// stays selectable on the page).
pub fn copy_text(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
        true
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// Opens the browser's print dialog.
pub fn print_page() {
    #[cfg(feature = "hydrate")]
    let _ = window().print();
}

/// Text kept in the browser's local storage under `key` (`None` on the server or when absent).
pub fn stored_text(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        window().local_storage().ok()??.get_item(key).ok()?
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Keeps `text` in the browser's local storage under `key`; `None` removes it.
pub fn store_text(key: &str, text: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = match text {
            Some(text) => storage.set_item(key, text),
            None => storage.remove_item(key),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, text);
}

/// The browser's offset from UTC in minutes (JavaScript's sign); `None` on the server.
pub fn timezone_offset_minutes() -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        Some(js_sys::Date::new_0().get_timezone_offset() as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The browser's offset from UTC in minutes (JavaScript's sign) at a `datetime-local` value,
/// which may differ from today's across a daylight-saving change; `None` on the server or
/// for a value the browser cannot read.
pub fn timezone_offset_at(local: &str) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
        let offset = date.get_timezone_offset();
        (!offset.is_nan()).then_some(offset as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = local;
        None
    }
}

/// The instant in the browser's zone, e.g. "27 Nov 2026, 15:30 CET"; `None` on the server.
pub fn local_time_text(at: DateTime<Utc>) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
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
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = at;
        None
    }
}

/// Runs `then` once, just before the browser draws its next frame (after a re-render has
/// settled); never on the server.
pub fn next_frame(then: impl FnOnce() + 'static) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(then);
    #[cfg(not(feature = "hydrate"))]
    let _ = then;
}

/// Runs `then` each time the browser comes back online, while the calling component lives
/// (never on the server).
pub fn on_online(then: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener(leptos::ev::online, move |_| then());
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = then;
}
