//! `/meetings/{id}`: one meeting — when, who, the agenda (generated until it starts, then kept
//! as it stood), the minutes typed during it, and the decisions recorded in it.

use crate::auth::model::Permission;
use crate::components::{Form, FormMessage, LoadError, Loading, LocalTime, Submit, TextArea, can};
use crate::meeting::api::{SaveMinutes, load_meeting};
use crate::meeting::model::{Meeting, MeetingStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let save = ServerAction::<SaveMinutes>::new();
    let meeting = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_meeting(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such meeting.",
                )),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match meeting.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(meeting) => view! { <Sheet meeting save /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sheet(meeting: Meeting, save: ServerAction<SaveMinutes>) -> impl IntoView {
    let Meeting {
        id,
        launch_id,
        title,
        starts_at,
        ends_at,
        agenda,
        minutes,
        status,
        participants,
        decisions,
        version,
        ..
    } = meeting;
    let agenda_note = if status == MeetingStatus::Upcoming {
        "Generated from the launch as it stands now; kept as it stands when the meeting starts."
    } else {
        "As it stood when the meeting started."
    };
    let writer = can(Permission::WorkEscalations).get_untracked();
    view! {
        <Title text=title.clone() />
        <p class="crumbs"><a href=format!("/launches/{launch_id}/meetings")>"← Meetings"</a></p>
        <h1>{title}</h1>
        <p class="meta">
            <LocalTime at=starts_at />" to "<LocalTime at=ends_at />" · "<strong>{status.label()}</strong>
        </p>
        <p>{format!("With {}.", if participants.is_empty() {
            "nobody named yet".to_string()
        } else {
            participants.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")
        })}</p>
        <section aria-labelledby="agenda-h">
            <h2 id="agenda-h">"Agenda"</h2>
            <p class="hint">{agenda_note}</p>
            {if agenda.is_empty() {
                view! { <p class="empty">"Nothing open: no escalation, decision, overdue action or breach."</p> }.into_any()
            } else {
                view! {
                    <ol class="agenda">
                        {agenda.into_iter().map(|item| match item.escalation_id {
                            Some(e) => view! { <li><a href=format!("/escalations/{e}")>{item.text}</a></li> }.into_any(),
                            None => view! { <li>{item.text}</li> }.into_any(),
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="minutes-h">
            <h2 id="minutes-h">"Minutes"</h2>
            {if writer {
                view! {
                    <Form action=save label="Minutes" class="stack" id_prefix="minutes-">
                        <FormMessage />
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <TextArea label="Minutes" name="minutes" value=minutes rows=8 />
                        <Submit label="Save the minutes" busy="Saving…" />
                    </Form>
                }.into_any()
            } else if minutes.is_empty() {
                view! { <p class="empty">"No minutes yet."</p> }.into_any()
            } else {
                view! { <p class="prose">{minutes}</p> }.into_any()
            }}
        </section>
        <section aria-labelledby="decisions-h">
            <h2 id="decisions-h">"Decisions recorded in it"</h2>
            {if decisions.is_empty() {
                view! { <p class="empty">"None."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {decisions.into_iter().map(|d| view! {
                            <li><a href=format!("/escalations/{}", d.escalation_id)>{d.decision}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
