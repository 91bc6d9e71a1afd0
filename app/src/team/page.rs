//! `/launches/{id}/team`: the escalation team — who is on duty now and next in each
//! functional role, and (for facilitators) the rotation that decides it.

use super::api::{TeamPageData, load_team, save_rotation};
use super::model::{FunctionalRole, Rotation};
use crate::auth::Person;
use crate::components::LocalTime;
use crate::components::{LoadError, Loading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TeamPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id(), reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_team(id).await,
                None => Err(AppError::not_found("There is no such launch.")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match (data.await, id()) {
                    (Ok(data), Some(id)) => view! { <Team data launch_id=id reload /> }.into_any(),
                    (Err(error), _) => view! { <LoadError error /> }.into_any(),
                    (Ok(_), None) => view! { <LoadError error=AppError::not_found("There is no such launch.") /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Team(data: TeamPageData, launch_id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let TeamPageData {
        launch_name,
        team,
        people,
        can_edit,
    } = data;
    let changes_at = team.changes_at;
    view! {
        <Title text=format!("Escalation team · {launch_name}") />
        <h1>"Escalation team for " <A href=format!("/launches/{launch_id}")>{launch_name.clone()}</A></h1>
        <p>"Who fills each seat of the escalation team rotates, so the same people do not carry every escalation. A new escalation gets the team on duty when it is raised; its engineering lead is suggested as owner."</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="On duty, scrollable">
            <table>
                <caption>"On duty now and next"</caption>
                <thead><tr><th scope="col">"Role"</th><th scope="col">"Now"</th><th scope="col">"Next"</th></tr></thead>
                <tbody>
                    {team.seats.iter().map(|seat| view! {
                        <tr>
                            <th scope="row">{seat.label.clone()}</th>
                            <td>{seat.now.as_ref().map_or("Nobody yet".to_string(), |p| p.name.clone())}</td>
                            <td>{seat.next.as_ref().map_or("Nobody yet".to_string(), |p| p.name.clone())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="meta">"The turn changes " <LocalTime at=changes_at />
            {format!(" (every {} days).", team.rotation.period_days)}</p>
        {can_edit.then(|| view! { <RotationEditor rotation=team.rotation.clone() people launch_id reload /> })}
    }
}

#[component]
fn RotationEditor(
    rotation: Rotation,
    people: Vec<Person>,
    launch_id: i64,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let work = RwSignal::new(rotation);
    let people = StoredValue::new(people);
    let status = RwSignal::new(String::new());
    let name = move |id: i64| {
        people.with_value(|p| {
            p.iter()
                .find(|p| p.id.0 == id)
                .map_or_else(|| format!("User {id}"), |p| p.name.clone())
        })
    };
    let save = move |_| {
        let Ok(body) = serde_json::to_string(&work.get_untracked()) else {
            return;
        };
        status.set("Saving…".into());
        spawn_local(async move {
            match save_rotation(launch_id, body).await {
                Ok(team) => {
                    status.set(format!("Saved version {}.", team.rotation.version));
                    work.set(team.rotation);
                    reload.update(|n| *n += 1);
                }
                Err(error) => status.set(error.to_string()),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="rotation-h">
            <h2 id="rotation-h">"Rotation"</h2>
            <div class="field">
                <label for="rotation-period">"Turn length (days)"</label>
                <input id="rotation-period" type="number" min="1" max="90"
                    prop:value=move || work.with(|w| w.period_days.to_string())
                    on:change=move |ev| if let Ok(days) = event_target_value(&ev).parse() {
                        work.update(|w| w.period_days = days);
                    } />
            </div>
            {FunctionalRole::ALL.into_iter().map(|role| {
                let select_id = format!("rotation-add-{}", role.as_str());
                let choice = RwSignal::new(String::new());
                view! {
                    <fieldset class="rotation-role">
                        <legend>{role.label()}</legend>
                        <ol>
                            {move || work.with(|w| w.roles.get(&role).cloned().unwrap_or_default()).into_iter().enumerate().map(|(i, id)| {
                                let who = name(id);
                                view! {
                                    <li>
                                        {who.clone()}
                                        " "
                                        <button type="button" class="icon" aria-label=format!("Move {who} earlier in {}", role.label()) disabled=i == 0
                                            on:click=move |_| work.update(|w| if let Some(list) = w.roles.get_mut(&role) { list.swap(i, i - 1) })>"▲"</button>
                                        <button type="button" class="icon" aria-label=format!("Take {who} off {}", role.label())
                                            on:click=move |_| work.update(|w| if let Some(list) = w.roles.get_mut(&role) { list.remove(i); })>"✕"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        <div class="inline-form">
                            <div class="field">
                                <label for=select_id.clone()>{format!("Person for {}", role.label())}</label>
                                <select id=select_id on:change=move |ev| choice.set(event_target_value(&ev)) prop:value=move || choice.get()>
                                    <option value="">"Choose a person"</option>
                                    {people.get_value().into_iter().map(|p| view! { <option value=p.id.0>{p.name}</option> }).collect_view()}
                                </select>
                            </div>
                            <button type="button" aria-label=format!("Add to {}", role.label()) on:click=move |_| {
                                if let Ok(id) = choice.get_untracked().parse::<i64>() {
                                    work.update(|w| {
                                        let list = w.roles.entry(role).or_default();
                                        if !list.contains(&id) { list.push(id); }
                                    });
                                    choice.set(String::new());
                                }
                            }>"Add"</button>
                        </div>
                    </fieldset>
                }
            }).collect_view()}
            <p><button type="button" class="primary" on:click=save>"Save rotation"</button></p>
            <p class="announce" role="status" aria-live="polite">{move || status.get()}</p>
        </section>
    }
}
