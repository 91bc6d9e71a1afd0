//! The review bar: sending the post-mortem to reviewers, their approvals, and once
//! published, the read-only notice and its addenda.

use crate::auth::Person;
use crate::components::LocalTime;
use crate::error::{AppError, FieldErrors};
use crate::postmortem::api::{add_addendum, approve_postmortem, submit_postmortem};
use crate::postmortem::model::{PostMortem, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

#[component]
pub(super) fn ReviewSection(
    pm: RwSignal<PostMortem>,
    me: i64,
    id: i64,
    can_edit: bool,
    started: bool,
    people: StoredValue<Vec<Person>>,
) -> impl IntoView {
    let chosen = RwSignal::new(BTreeSet::<i64>::new());
    let message = RwSignal::new(String::new());
    let missing = RwSignal::new(FieldErrors::new());
    let addendum = RwSignal::new(String::new());
    let finish = move |result: Result<PostMortem, AppError>, done: &str| match result {
        Ok(saved) => {
            pm.set(saved);
            missing.set(FieldErrors::new());
            message.set(done.to_string());
        }
        Err(AppError::Validation { message: m, fields }) => {
            missing.set(fields);
            message.set(m);
        }
        Err(error) => message.set(error.to_string()),
    };
    let submit = move |_| {
        let reviewers: Vec<i64> = chosen.get_untracked().into_iter().collect();
        spawn_local(async move {
            finish(submit_postmortem(id, reviewers).await, "Sent for review.");
        });
    };
    let approve = move |_| {
        spawn_local(async move {
            finish(approve_postmortem(id).await, "Approved.");
        });
    };
    let add = move |_| {
        let text = addendum.get_untracked();
        spawn_local(async move {
            let result = add_addendum(id, text).await;
            if result.is_ok() {
                addendum.set(String::new());
            }
            finish(result, "Addendum added.");
        });
    };
    view! {
        <section class="card pm-section" aria-labelledby="pm-review-h">
            <h2 id="pm-review-h">"Review"</h2>
            {move || {
                let p = pm.get();
                let reviewers = (!p.reviewers.is_empty()).then(|| view! {
                    <ul class="reviewers">
                        {p.reviewers.iter().map(|r| view! {
                            <li>{r.name.clone()} " — " {if r.approved { "approved" } else { "waiting" }}</li>
                        }).collect_view()}
                    </ul>
                });
                match p.status {
                    Status::Draft => view! {
                        <p>"Draft. When it is written, send it to reviewers; it is published once all of them approve."</p>
                        {(can_edit && started).then(|| view! {
                            <fieldset class="no-print">
                                <legend>"Reviewers"</legend>
                                {people.get_value().into_iter().filter(|p| p.id.0 != me).map(|person| {
                                    let pid = person.id.0;
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&pid))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| { if on { c.insert(pid); } else { c.remove(&pid); } });
                                                } />
                                            " " {person.name}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <p class="no-print"><button type="button" class="primary" on:click=submit>"Submit for review"</button></p>
                        })}
                    }.into_any(),
                    Status::InReview => {
                        let mine = p.reviewers.iter().any(|r| r.id == me && !r.approved);
                        view! {
                            <p>"In review. It is published once every reviewer approves; a change to the text asks them to look again."</p>
                            {reviewers}
                            {mine.then(|| view! { <p class="no-print"><button type="button" class="primary" on:click=approve>"Approve"</button></p> })}
                        }.into_any()
                    }
                    Status::Published => view! {
                        <p>"Published "{p.published_at.map(|at| view! { <LocalTime at /> })}". It is read-only; later corrections are addenda."</p>
                        {reviewers}
                        {(!p.addenda.is_empty()).then(|| view! {
                            <h3>"Addenda"</h3>
                            <ul class="addenda">
                                {p.addenda.iter().map(|a| view! { <li><LocalTime at=a.at /> " — " {a.author.clone()} ": " {a.text.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                        {can_edit.then(|| view! {
                            <div class="field no-print">
                                <label for="pm-addendum">"Add an addendum"</label>
                                <textarea id="pm-addendum" rows="3" prop:value=move || addendum.get() on:input=move |ev| addendum.set(event_target_value(&ev))></textarea>
                            </div>
                            <p class="no-print"><button type="button" on:click=add>"Add addendum"</button></p>
                        })}
                    }.into_any(),
                }
            }}
            {move || (!missing.with(FieldErrors::is_empty)).then(|| view! {
                <ul class="field-error" aria-label="Sections still needed">
                    {missing.get().into_iter().map(|(field, why)| view! { <li>{format!("{}: {why}", field.replace(['_', '.'], " "))}</li> }).collect_view()}
                </ul>
            })}
            <p role="status" aria-live="polite" class="announce">{move || message.get()}</p>
        </section>
    }
}
