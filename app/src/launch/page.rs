//! `/launches/{id}`: a launch, its escalations by priority, and forms to raise one and to
//! edit the launch.

use super::api::{UpdateLaunch, get_launch};
use super::form::LaunchFields;
use super::model::{Launch, LaunchId};
use crate::auth::api::list_users;
use crate::auth::model::Permission;
use crate::components::{Form, FormMessage, Submit};
use crate::components::{LoadError, Loading, can};
use crate::escalation::api::launch_escalations;
use crate::escalation::form::RaiseEscalationForm;
use crate::escalation::list::{EscalationTable, open_and_closed};
use crate::measure::api::load_daily_review;
use crate::measure::model::SinceYesterday;
use crate::measure::page::DailyReview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LaunchPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(LaunchId));
    let update = ServerAction::<UpdateLaunch>::new();
    let launch = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_launch(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such launch.",
                )),
            }
        },
    );
    // The escalations and the daily review load together, in one resource.
    let escalations = Resource::new(id, |id| async move {
        match id {
            Some(id) => Ok((launch_escalations(id).await?, load_daily_review(id).await?)),
            None => Ok((Vec::new(), SinceYesterday::default())),
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match launch.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(launch) => view! { <LaunchDetail launch update escalations /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LaunchDetail(
    launch: Launch,
    update: ServerAction<UpdateLaunch>,
    escalations: Resource<
        Result<(Vec<crate::escalation::Escalation>, SinceYesterday), crate::error::AppError>,
    >,
) -> impl IntoView {
    let member = can(Permission::WorkEscalations);
    let facilitator = can(Permission::Facilitate);
    let users = Resource::new(|| (), |_| list_users());
    let id = launch.id;
    let edit_launch = launch.clone();
    view! {
        <Title text=launch.name.clone() />
        <h1>{launch.name.clone()}</h1>
        <p class="meta">
            <span class="status">{launch.status.label()}</span>
            " · target " <time datetime=launch.target_date.to_string()>{launch.target_date.to_string()}</time>
            {launch.sponsor.as_ref().map(|p| format!(" · sponsor {}", p.name))}
            {launch.lead.as_ref().map(|p| format!(" · lead {}", p.name))}
        </p>
        {(!launch.description.is_empty()).then(|| view! { <p class="prose">{launch.description.clone()}</p> })}
        <p class="actions">
            <A href=format!("/launches/{id}/board") attr:class="button">"Open the board"</A>
            " "<A href=format!("/launches/{id}/dashboard") attr:class="button secondary">"Dashboard"</A>
            " "<A href=format!("/launches/{id}/raci") attr:class="button secondary">"RACI matrix"</A>
            " "<A href=format!("/launches/{id}/team") attr:class="button secondary">"Escalation team"</A>
            " "<A href=format!("/launches/{id}/criteria") attr:class="button secondary">"Success criteria"</A>
            " "<A href=format!("/launches/{id}/meetings") attr:class="button secondary">"Meetings"</A>
            " "<A href=format!("/postmortems?launch={id}") attr:class="button secondary">"Post-mortems"</A>
        </p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match escalations.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok((all, review)) => {
                        let (open, closed) = open_and_closed(all);
                        view! {
                            <DailyReview review />
                            <EscalationTable escalations=open caption="Open escalations, highest priority first" />
                            <EscalationTable escalations=closed caption="Closed escalations" />
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <Show when=move || member.get()>
            <section class="card narrow" aria-labelledby="raise-h">
                <h2 id="raise-h">"Raise an escalation"</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let users = users.await.unwrap_or_default();
                        view! { <RaiseEscalationForm launch_id=id users /> }
                    })}
                </Transition>
            </section>
        </Show>
        <Show when=move || facilitator.get()>
            {
                let launch = edit_launch.clone();
                view! {
                    <details class="card narrow">
                        <summary>"Edit launch"</summary>
                        <Form action=update label="Edit launch" class="stack">
                            <FormMessage />
                            <input type="hidden" name="id" value=launch.id.0 />
                            <input type="hidden" name="version" value=launch.version />
                            <Transition fallback=Loading>
                                {
                                    let launch = launch.clone();
                                    move || {
                                        let launch = launch.clone();
                                        Suspend::new(async move {
                                            let users = users.await.unwrap_or_default();
                                            view! { <LaunchFields users launch /> }
                                        })
                                    }
                                }
                            </Transition>
                            <Submit label="Save launch" />
                        </Form>
                    </details>
                }
            }
        </Show>
    }
}
