//! `/escalations/{id}`: one escalation in full.

use super::api::get_escalation;
use super::model::{Escalation, EscalationId};
use crate::app::{LoadError, Loading};
use crate::components::LocalTime;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EscalationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(EscalationId));
    let escalation = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_escalation(id).await,
            None => Err(crate::error::AppError::not_found(
                "There is no such escalation.",
            )),
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match escalation.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(e) => view! { <EscalationDetail escalation=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EscalationDetail(escalation: Escalation) -> impl IntoView {
    let e = escalation;
    view! {
        <Title text=e.title.clone() />
        <p class="crumbs"><A href=format!("/launches/{}", e.launch_id)>"← Launch"</A></p>
        <h1>{e.title.clone()}</h1>
        <p class="meta">
            <span class=format!("tier tier-{}", e.tier.get())>{e.tier.to_string()}</span>
            " · " {e.trigger.label()}
            " · priority " {e.priority}
            " · " <span class="stage">{e.stage.label()}</span>
        </p>
        <dl class="facts">
            <dt>"Owner"</dt>
            <dd>{e.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "Nobody yet".into())}</dd>
            <dt>"Deadline"</dt>
            <dd>{e.deadline.map(|at| view! { <LocalTime at /> }.into_any()).unwrap_or_else(|| "None set".into_any())}</dd>
            <dt>"Impact"</dt>
            <dd>{format!("customer {} · revenue {} · compliance {}", e.impact.customer, e.impact.revenue, e.impact.compliance)}</dd>
            <dt>"Raised"</dt>
            <dd><LocalTime at=e.created_at /></dd>
            <dt>"Version"</dt>
            <dd>{e.version}</dd>
        </dl>
        {(!e.description.is_empty()).then(|| view! { <section><h2>"Description"</h2><p class="prose">{e.description.clone()}</p></section> })}
    }
}
