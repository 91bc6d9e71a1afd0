//! The post-mortem page's sections that save at once (times, remediation, timeline marks)
//! and its review step.

use super::api::{add_addendum, approve_postmortem, submit_postmortem};
use super::model::{
    CorrectionDraft, Measure, NoteDraft, PostMortem, PostMortemDraft, RemediationDraft, Status,
    TimelineEntry, TimesDraft, format_minutes,
};
use crate::auth::Person;
use crate::components::LocalTime;
use crate::error::{AppError, FieldErrors};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

#[component]
pub(super) fn TimesSection(
    pm: RwSignal<PostMortem>,
    editable: Memo<bool>,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <section class="card pm-section" aria-labelledby="pm-times-h">
            <h2 id="pm-times-h">"Times"</h2>
            <p class="hint">"Computed from the event log. Correct one only with a reason."</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Times, scrollable">
                <table>
                    <thead><tr><th scope="col">"Measure"</th><th scope="col">"Time"</th><th scope="col">"How"</th></tr></thead>
                    <tbody>
                        {Measure::ALL.into_iter().map(|m| {
                            let timing = move || pm.with(|p| p.times.get(m).clone());
                            view! {
                                <tr>
                                    <th scope="row">{m.label()}</th>
                                    <td>{move || timing().minutes.map_or("Not reached".to_string(), format_minutes)}</td>
                                    <td>{move || match timing().correction {
                                        Some(c) => format!("Corrected from {}: {}", timing().computed_minutes.map_or("not reached".to_string(), format_minutes), c.reason),
                                        None => format!("Computed {}", m.span()),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || editable.get().then(|| {
                let measure = RwSignal::new("detect".to_string());
                let minutes = RwSignal::new(String::new());
                let reason = RwSignal::new(String::new());
                let correct = move |clear: bool| {
                    let draft = CorrectionDraft {
                        minutes: if clear { None } else { minutes.get_untracked().trim().parse().ok() },
                        reason: Some(reason.get_untracked()),
                    };
                    let mut times = TimesDraft::default();
                    match measure.get_untracked().as_str() {
                        "acknowledge" => times.acknowledge = Some(draft),
                        "mitigate" => times.mitigate = Some(draft),
                        "resolve" => times.resolve = Some(draft),
                        _ => times.detect = Some(draft),
                    }
                    send(PostMortemDraft { times: Some(times), ..Default::default() }, "Times saved.");
                };
                view! {
                    <details class="correct">
                        <summary>"Correct a time"</summary>
                        <div class="pm-grid">
                            <div class="field">
                                <label for="pm-correct-measure">"Measure"</label>
                                <select id="pm-correct-measure" on:change=move |ev| measure.set(event_target_value(&ev))>
                                    {Measure::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{m.label()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="pm-correct-minutes">"Minutes"</label>
                                <input id="pm-correct-minutes" inputmode="numeric" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
                            </div>
                            <div class="field">
                                <label for="pm-correct-reason">"Reason"</label>
                                <input id="pm-correct-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                            </div>
                        </div>
                        <p>
                            <button type="button" on:click=move |_| correct(false)>"Save correction"</button>
                            " "
                            <button type="button" class="link" on:click=move |_| correct(true)>"Use the computed time"</button>
                        </p>
                    </details>
                }
            })}
        </section>
    }
}

#[component]
pub(super) fn RemediationSection(
    pm: RwSignal<PostMortem>,
    editable: Memo<bool>,
    people: StoredValue<Vec<Person>>,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let add = move |_| {
        let item = RemediationDraft {
            title: Some(title.get_untracked()),
            owner_id: owner.get_untracked().parse().ok(),
            due: Some(due.get_untracked()).filter(|d| !d.is_empty()),
            ..Default::default()
        };
        send(
            PostMortemDraft {
                remediation: Some(vec![item]),
                ..Default::default()
            },
            "Remediation item added.",
        );
        title.set(String::new());
    };
    let error = move |field: &'static str| {
        move || {
            errors
                .with(|e| e.get(&format!("remediation[0].{field}")).cloned())
                .map(|m| view! { <p class="field-error">{m}</p> })
        }
    };
    view! {
        <section class="card pm-section" aria-labelledby="pm-remediation-h">
            <h2 id="pm-remediation-h">"Remediation"</h2>
            <p class="hint">"Permanent fixes, each with an owner and a due date. They are ordinary action items: they appear in My work and are flagged when overdue."</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Remediation items, scrollable">
                <table>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Done"</th></tr></thead>
                    <tbody>
                        {move || pm.with(|p| p.remediation.clone()).into_iter().map(|item| {
                            let toggle = {
                                let item = item.clone();
                                move |_| send(PostMortemDraft {
                                    remediation: Some(vec![RemediationDraft {
                                        id: Some(item.id),
                                        title: Some(item.title.clone()),
                                        owner_id: Some(item.owner_id),
                                        done: Some(!item.done),
                                        ..Default::default()
                                    }]),
                                    ..Default::default()
                                }, "Remediation item updated.")
                            };
                            view! {
                                <tr class:overdue=item.overdue>
                                    <td>{item.title.clone()} {item.overdue.then(|| view! { <span class="flag">" Overdue"</span> })}</td>
                                    <td>{item.owner_name.clone()}</td>
                                    <td><LocalTime at=item.due /></td>
                                    <td>
                                        <input type="checkbox" prop:checked=item.done disabled=move || !editable.get()
                                            aria-label=format!("Done: {}", item.title) on:change=toggle />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || editable.get().then(|| view! {
                <div class="pm-grid">
                    <div class="field">
                        <label for="pm-rem-title">"New item"</label>
                        <input id="pm-rem-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                        {error("title")}
                    </div>
                    <div class="field">
                        <label for="pm-rem-owner">"Owner"</label>
                        <select id="pm-rem-owner" prop:value=move || owner.get() on:change=move |ev| owner.set(event_target_value(&ev))>
                            <option value="">"Choose an owner"</option>
                            {people.get_value().into_iter().map(|p| view! { <option value=p.id.0>{p.name}</option> }).collect_view()}
                        </select>
                        {error("owner_id")}
                    </div>
                    <div class="field">
                        <label for="pm-rem-due">"Due date"</label>
                        <input id="pm-rem-due" type="date" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) />
                        {error("due")}
                    </div>
                </div>
                <p><button type="button" on:click=add>"Add remediation item"</button></p>
            })}
        </section>
    }
}

#[component]
pub(super) fn TimelineSection(
    pm: RwSignal<PostMortem>,
    can_annotate: bool,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let mark = move |entry: &TimelineEntry, pinned: bool, hidden: bool, note: String| {
        send(
            PostMortemDraft {
                timeline: Some(vec![NoteDraft {
                    event_id: entry.event_id,
                    pinned: Some(pinned),
                    hidden: Some(hidden),
                    note: Some(note),
                }]),
                ..Default::default()
            },
            "Timeline saved.",
        )
    };
    view! {
        <section class="card pm-section" aria-labelledby="pm-timeline-h">
            <h2 id="pm-timeline-h">"Timeline"</h2>
            <p class="hint">"Built from the escalation's events, updates and decisions, in order."
                {can_annotate.then_some(" Pin what mattered, add notes, hide noise (hidden entries stay in the log).")}</p>
            <ol class="timeline">
                {move || pm.with(|p| p.timeline.clone()).into_iter().filter(|e| can_annotate || !e.hidden).map(|entry| {
                    let note = RwSignal::new(entry.note.clone());
                    let (e1, e2, e3) = (entry.clone(), entry.clone(), entry.clone());
                    view! {
                        <li class:pinned=entry.pinned class:hidden-entry=entry.hidden>
                            <span class="when"><LocalTime at=entry.at /></span>
                            " " <span class="who">{entry.actor.clone()}</span>
                            {entry.pinned.then(|| view! { <span class="badge">" Pinned"</span> })}
                            {entry.hidden.then(|| view! { <span class="badge">" Hidden from the export"</span> })}
                            <p>{entry.text.clone()}</p>
                            {(!entry.note.is_empty()).then(|| view! { <p class="note">{format!("Note: {}", entry.note)}</p> })}
                            {can_annotate.then(|| view! {
                                <div class="timeline-tools no-print">
                                    <button type="button" class="link" on:click=move |_| mark(&e1, !e1.pinned, e1.hidden, e1.note.clone())>
                                        {if entry.pinned { "Unpin" } else { "Pin" }}<span class="sr-only">{format!(" entry {}", entry.event_id)}</span>
                                    </button>
                                    <button type="button" class="link" on:click=move |_| mark(&e2, e2.pinned, !e2.hidden, e2.note.clone())>
                                        {if entry.hidden { "Show" } else { "Hide" }}<span class="sr-only">{format!(" entry {}", entry.event_id)}</span>
                                    </button>
                                    <label class="sr-only" for=format!("pm-note-{}", entry.event_id)>{format!("Note on entry {}", entry.event_id)}</label>
                                    <input id=format!("pm-note-{}", entry.event_id) placeholder="Note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                                    <button type="button" on:click=move |_| mark(&e3, e3.pinned, e3.hidden, note.get_untracked())>
                                        "Save note"<span class="sr-only">{format!(" on entry {}", entry.event_id)}</span>
                                    </button>
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

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
