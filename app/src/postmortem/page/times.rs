//! The post-mortem's four times, computed from the event log, and their correction with a
//! reason (saved at once).

use crate::postmortem::model::{
    CorrectionDraft, Measure, PostMortem, PostMortemDraft, Section, TimesDraft, format_minutes,
};
use leptos::prelude::*;

#[component]
pub(super) fn TimesSection(
    pm: RwSignal<PostMortem>,
    editable: Memo<bool>,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let section = Section::Times;
    view! {
        <section class="card pm-section" aria-labelledby=format!("pm-{}-h", section.key())>
            <h2 id=format!("pm-{}-h", section.key())>{section.label()}</h2>
            <p class="hint">{section.prompt()}</p>
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
