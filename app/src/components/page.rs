//! What every routed page shares: the signed-in user, permission checks, the "page is live"
//! mark the browser tests wait for, and how a page shows loading and a failed load.

use super::host;
use crate::auth::model::{Actor, Permission};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

/// The signed-in user, shared by every page (`None` on the sign-in page).
pub type CurrentUser = Signal<Option<Actor>>;

/// Marks the document once the routed page is live in the browser (effects never run on the
/// server); browser tests wait for it before using client-side behaviour. Called by every
/// route's view, so a page whose code is loaded lazily is marked only once it has arrived.
pub fn page_ready() {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

/// Whether the signed-in user may do something; controls a role cannot use are not shown.
pub fn can(permission: Permission) -> Signal<bool> {
    let user = use_context::<CurrentUser>();
    Signal::derive(move || {
        user.is_some_and(|u| u.with(|u| u.as_ref().is_some_and(|a| a.can(permission))))
    })
}

/// How a failed load is shown in place of the page's content (with the error's status on
/// the server).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    host::set_status_for(&error);
    view! {
        <div class="load-error" role="alert">
            <h1>{match &error {
                AppError::NotFound { .. } => "Not found",
                AppError::Forbidden { .. } => "Not allowed",
                _ => "Could not load this page",
            }}</h1>
            <p>{error.to_string()}</p>
            <p><A href="/">"Back to launches"</A></p>
        </div>
    }
}

/// Shown while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">"Loading…"</p> }
}
