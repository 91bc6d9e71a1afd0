//! `/launches/{id}/raci` and `/escalations/{id}/raci`: the two routed RACI pages. Each loads
//! its matrix (a launch's, or an escalation's adjusted copy) and hands it to the editor.

use super::api::load_raci;
use super::editor::RaciEditor;
use crate::components::{LoadError, Loading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LaunchRaciPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    view! { <RaciLoader launch=Signal::derive(id) escalation=Signal::derive(|| None) /> }
}

#[component]
pub fn EscalationRaciPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    view! { <RaciLoader launch=Signal::derive(|| Some(0)) escalation=Signal::derive(id) /> }
}

#[component]
fn RaciLoader(launch: Signal<Option<i64>>, escalation: Signal<Option<i64>>) -> impl IntoView {
    let data = Resource::new(
        move || (launch.get(), escalation.get()),
        |(launch, escalation)| async move {
            match launch {
                Some(launch) => load_raci(launch, escalation).await,
                None => Err(AppError::not_found("There is no such launch.")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(data) => view! { <RaciEditor data /> }.into_any(),
                }
            })}
        </Transition>
    }
}
