//! The escalation's checklist: its tier's runbook steps, in order, each ticked by its owner
//! (or a facilitator) with who and when; every tick is an event on its timeline.

use super::api::{EscalationDetail, TickStep};
use super::sections::refresh_after;
use crate::components::LocalTime;
use leptos::prelude::*;

#[component]
pub fn StepsSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let tick = ServerAction::<TickStep>::new();
    refresh_after(tick, refresh);
    let id = detail.escalation.id;
    let can_tick = detail.can_tick;
    let done = detail.steps.iter().filter(|s| s.done_at.is_some()).count();
    let total = detail.steps.len();
    (total > 0).then(|| view! {
        <section aria-labelledby="steps-h">
            <h2 id="steps-h">"Escalation steps"</h2>
            <p class="meta">{format!(
                "{done} of {total} done · from runbook version {}",
                detail.escalation.runbook_version
            )}</p>
            <ol class="checklist">
                {detail.steps.into_iter().enumerate().map(|(i, step)| {
                    let is_done = step.done_at.is_some();
                    let label = if is_done { format!("Reopen step {}", i + 1) } else { format!("Mark step {} done", i + 1) };
                    view! {
                        <li class:done=is_done>
                            <p>
                                <span class="check" aria-hidden="true">{if is_done { "☑ " } else { "☐ " }}</span>
                                {step.text}
                                {is_done.then_some(" · done")}
                            </p>
                            {step.done_by.zip(step.done_at).map(|(who, at)| view! {
                                <p class="meta">{who.name} " · " <LocalTime at /></p>
                            })}
                            {can_tick.then(|| view! {
                                <ActionForm action=tick attr:class="inline" attr:aria-label=label>
                                    <input type="hidden" name="id" value=id.0 />
                                    <input type="hidden" name="step" value=i />
                                    <input type="hidden" name="done" value=(!is_done).to_string() />
                                    <button type="submit">{if is_done { "Reopen" } else { "Mark done" }}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    })
}
