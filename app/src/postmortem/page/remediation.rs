//! The remediation items: ordinary action items with an owner and a due date, added and
//! ticked off from the post-mortem (saved at once).

use crate::auth::Person;
use crate::components::LocalTime;
use crate::error::FieldErrors;
use crate::postmortem::model::{PostMortem, PostMortemDraft, RemediationDraft, Section};
use leptos::prelude::*;

#[component]
pub(super) fn RemediationSection(
    pm: RwSignal<PostMortem>,
    editable: Memo<bool>,
    people: StoredValue<Vec<Person>>,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let section = Section::Remediation;
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
        <section class="card pm-section" aria-labelledby=format!("pm-{}-h", section.key())>
            <h2 id=format!("pm-{}-h", section.key())>{section.label()}</h2>
            <p class="hint">{section.prompt()}</p>
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
