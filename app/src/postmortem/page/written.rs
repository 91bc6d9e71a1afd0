//! The sections written by typing, autosaved: the customer impact and every free-text
//! section the declaration names, editable while the post-mortem is, read-only after.

use super::autosave::Autosave;
use crate::components::LocalTime;
use crate::postmortem::model::{Body, Section};
use leptos::prelude::*;

/// A field's error, under it.
fn error(autosave: Autosave, key: &'static str) -> impl Fn() -> Option<AnyView> + Send + Sync {
    move || {
        autosave
            .errors
            .with(|e| e.get(key).cloned())
            .map(|message| {
                view! { <p class="field-error" id=format!("pm-{key}-error")>{message}</p> }
                    .into_any()
            })
    }
}

#[component]
pub(super) fn ImpactSection(autosave: Autosave, editable: Memo<bool>) -> impl IntoView {
    let section = Section::Impact;
    let value = move |key: &'static str| move || autosave.value(key);
    let edit = move |key: &'static str| move |ev| autosave.edit(key, event_target_value(&ev));
    view! {
        <section class="card pm-section" aria-labelledby=format!("pm-{}-h", section.key())>
            <h2 id=format!("pm-{}-h", section.key())>{section.label()}</h2>
            <p class="hint">{section.prompt()}</p>
            {move || if editable.get() {
                view! {
                    <div class="pm-grid">
                        {[("impact.customers_affected", "Customers affected"), ("impact.revenue", "Revenue at risk or lost")].into_iter().map(|(key, label)| view! {
                            <div class="field">
                                <label for=format!("pm-{key}")>{label}</label>
                                <input id=format!("pm-{key}") inputmode="numeric" prop:value=value(key)
                                    aria-invalid=move || autosave.errors.with(|e| e.contains_key(key)).to_string()
                                    on:input=edit(key) />
                                {error(autosave, key)}
                            </div>
                        }).collect_view()}
                        <div class="field">
                            <label for="pm-impact.segments">"Regions or segments"</label>
                            <input id="pm-impact.segments" aria-describedby="pm-impact.segments-hint" prop:value=value("impact.segments")
                                on:input=edit("impact.segments") />
                            <p class="hint" id="pm-impact.segments-hint">"Separated by commas."</p>
                        </div>
                        <div class="field">
                            <label for="pm-impact.started_at">"Customers first affected (UTC)"</label>
                            <input id="pm-impact.started_at" type="datetime-local" prop:value=value("impact.started_at")
                                on:input=edit("impact.started_at") />
                            {error(autosave, "impact.started_at")}
                        </div>
                    </div>
                }.into_any()
            } else {
                let p = autosave.pm.get();
                view! {
                    <dl class="facts">
                        <dt>"Customers affected"</dt><dd>{p.impact.customers_affected.map_or("Not stated".to_string(), |n| n.to_string())}</dd>
                        <dt>"Revenue at risk or lost"</dt><dd>{p.impact.revenue.map_or("Not stated".to_string(), |n| n.to_string())}</dd>
                        <dt>"Regions or segments"</dt><dd>{if p.impact.segments.is_empty() { "Not stated".to_string() } else { p.impact.segments.join(", ") }}</dd>
                        <dt>"Customers first affected"</dt><dd><LocalTime at=p.impact_started_at /></dd>
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

/// Every section written as text (free text, or one entry per line), in declared order.
#[component]
pub(super) fn WrittenSections(autosave: Autosave, editable: Memo<bool>) -> impl IntoView {
    Section::ALL
        .into_iter()
        .filter(|s| matches!(s.declared().body, Body::Prose(_) | Body::Lines))
        .map(|section| {
            let (key, label, prompt) = (section.key(), section.label(), section.prompt());
            let value = move || autosave.value(key);
            view! {
                <section class="card pm-section" aria-labelledby=format!("pm-{key}-h")>
                    <h2 id=format!("pm-{key}-h")>{label}</h2>
                    {move || if editable.get() {
                        view! {
                            <div class="field">
                                <label class="sr-only" for=format!("pm-{key}")>{label}</label>
                                <p class="hint" id=format!("pm-{key}-hint")>{prompt}</p>
                                <textarea id=format!("pm-{key}") rows="4" aria-describedby=format!("pm-{key}-hint")
                                    prop:value=value on:input=move |ev| autosave.edit(key, event_target_value(&ev))></textarea>
                                {error(autosave, key)}
                            </div>
                        }.into_any()
                    } else {
                        view! { <p class="prose">{move || { let text = value(); if text.is_empty() { "—".to_string() } else { text } }}</p> }.into_any()
                    }}
                </section>
            }
        })
        .collect_view()
}
