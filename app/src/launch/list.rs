//! Launch tiles with their health, and the form that starts a new launch.

use super::api::{CreateLaunch, launches_with_health};
use super::form::LaunchFields;
use super::model::LaunchStatus;
use crate::auth::api::list_users;
use crate::auth::model::Permission;
use crate::components::{Form, FormMessage, Submit};
use crate::components::{LoadError, Loading, can};
use leptos::prelude::*;
use leptos_router::components::A;

/// Every launch with its health, and (for facilitators) the form to start one.
#[component]
pub fn Launches() -> impl IntoView {
    let create = ServerAction::<CreateLaunch>::new();
    let launches = Resource::new(move || create.version().get(), |_| launches_with_health());
    let facilitator = can(Permission::Facilitate);
    let validate = Callback::new(|input: CreateLaunch| {
        super::api::draft(
            input.name,
            input.target_date,
            input.description,
            None,
            input.sponsor_id,
            input.lead_id,
        )
        .map_err(|e| match e {
            crate::error::AppError::Validation { fields, .. } => fields,
            _ => Default::default(),
        })?
        .validate()
        .map(|_| ())
    });
    view! {
        <h2 class="section-title">"Launches"</h2>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match launches.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"No launches yet."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="launch-grid" aria-label="Launches">
                            {list.into_iter().map(|h| {
                                let health = h.health();
                                let archived = h.launch.status == LaunchStatus::Archived;
                                view! {
                                    <li class="launch-tile" class:archived=archived>
                                        <h3><A href=format!("/launches/{}", h.launch.id)>{h.launch.name.clone()}</A></h3>
                                        <p class="meta">
                                            <span class=format!("badge {}", health.class())>{health.label()}</span>
                                            " "<span class="status">{h.launch.status.label()}</span>
                                            " · target " <time datetime=h.launch.target_date.to_string()>{h.launch.target_date.to_string()}</time>
                                        </p>
                                        <p class="counts">
                                            {format!("{} open", h.open)}
                                            {(h.major > 0).then(|| format!(" · {} tier 1–2", h.major))}
                                            {(h.overdue > 0).then(|| format!(" · {} overdue", h.overdue))}
                                            {(h.stalled > 0).then(|| format!(" · {} stalled decision{}", h.stalled, if h.stalled == 1 { "" } else { "s" }))}
                                        </p>
                                        <p><A href=format!("/launches/{}/board", h.launch.id)>"Open the board"</A></p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
        <Show when=move || facilitator.get()>
            <NewLaunch create validate />
        </Show>
    }
}

#[component]
fn NewLaunch(
    create: ServerAction<CreateLaunch>,
    validate: Callback<CreateLaunch, Result<(), crate::error::FieldErrors>>,
) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    view! {
        <section class="card narrow" aria-labelledby="new-launch-h">
            <h2 id="new-launch-h">"New launch"</h2>
            <Form action=create validate label="New launch" class="stack">
                <FormMessage />
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let users = users.await.unwrap_or_default();
                        view! { <LaunchFields users /> }
                    })}
                </Transition>
                <Submit label="Create launch" busy="Creating…" />
            </Form>
        </section>
    }
}
