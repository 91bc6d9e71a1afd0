//! `/escalations/{id}/postmortem`: the blameless post-mortem — autosaved as you type, kept in
//! the browser while the network is down, live with other editors — with its computed times,
//! its timeline, owned remediation, review and export.

use super::api::{PostMortemPage as PageData, load_postmortem, save_postmortem};
use super::model::{ImpactDraft, PostMortem, PostMortemDraft, Status, conflicts, section_label};
use super::sections::{RemediationSection, ReviewSection, TimelineSection, TimesSection};
use crate::app::{LoadError, Loading};
use crate::components::LocalTime;
use crate::error::{AppError, FieldErrors};
use crate::escalation::Stage;
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::collections::{BTreeMap, BTreeSet};

/// How long typing pauses before a draft is saved, and how soon a failed save is retried.
const SAVE_AFTER_MS: u32 = 1_500;
const RETRY_AFTER_MS: u32 = 3_000;

/// The written sections: key, label, the blameless prompt.
const WRITTEN: [(&str, &str, &str); 7] = [
    (
        "summary",
        "Summary",
        "What happened, in a few sentences. Describe systems and process, not people.",
    ),
    (
        "root_causes",
        "Root causes",
        "One per line. Ask why until you reach a cause in a system or a process.",
    ),
    (
        "contributing_factors",
        "Contributing factors",
        "Conditions that made it worse or more likely: load, timing, missing alerts, unclear ownership.",
    ),
    (
        "went_well",
        "What went well",
        "What helped: tools, runbooks, decisions that paid off.",
    ),
    (
        "went_poorly",
        "What went poorly",
        "Where the process or the systems slowed us down.",
    ),
    (
        "got_lucky",
        "Where we got lucky",
        "What went right by chance and should not be relied on next time.",
    ),
    (
        "learnings",
        "Learnings",
        "What we now know, and what the process should change.",
    ),
];

/// The section a field belongs to (`impact.revenue` → `impact`).
fn section(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// The fields as the form shows them, from the saved post-mortem.
fn values_of(pm: &PostMortem) -> BTreeMap<String, String> {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    BTreeMap::from([
        ("summary".into(), pm.summary.clone()),
        ("root_causes".into(), pm.root_causes.join("\n")),
        (
            "contributing_factors".into(),
            pm.contributing_factors.clone(),
        ),
        ("went_well".into(), pm.went_well.clone()),
        ("went_poorly".into(), pm.went_poorly.clone()),
        ("got_lucky".into(), pm.got_lucky.clone()),
        ("learnings".into(), pm.learnings.clone()),
        (
            "impact.customers_affected".into(),
            number(pm.impact.customers_affected),
        ),
        ("impact.revenue".into(), number(pm.impact.revenue)),
        ("impact.segments".into(), pm.impact.segments.join(", ")),
        (
            "impact.started_at".into(),
            pm.impact_started_at.format("%Y-%m-%dT%H:%M").to_string(),
        ),
    ])
}

/// The save of the `dirty` sections from the form's values; a number that is not one is
/// that field's error.
fn draft_of(
    values: &BTreeMap<String, String>,
    dirty: &BTreeSet<String>,
    version: i64,
) -> Result<PostMortemDraft, FieldErrors> {
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let text = |k: &str| dirty.contains(k).then(|| get(k));
    let mut errors = FieldErrors::new();
    let mut number = |k: &str| {
        let raw = get(k);
        let raw = raw.trim().replace(',', "");
        if raw.is_empty() {
            None
        } else {
            raw.parse::<i64>().map_or_else(
                |_| {
                    errors.insert(k.to_string(), "must be a whole number".into());
                    None
                },
                Some,
            )
        }
    };
    let impact = dirty.contains("impact").then(|| ImpactDraft {
        customers_affected: number("impact.customers_affected"),
        revenue: number("impact.revenue"),
        segments: Some(
            get("impact.segments")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        started_at: Some(get("impact.started_at"))
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("{}:00Z", s.trim())),
    });
    let draft = PostMortemDraft {
        summary: text("summary"),
        root_causes: text("root_causes").map(|t| t.lines().map(str::to_string).collect()),
        contributing_factors: text("contributing_factors"),
        went_well: text("went_well"),
        went_poorly: text("went_poorly"),
        got_lucky: text("got_lucky"),
        learnings: text("learnings"),
        impact,
        version: Some(version),
        ..Default::default()
    };
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors)
    }
}

/// Where the autosave stands.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    Idle,
    Saving,
    /// Saved at this browser time (ms).
    Saved(f64),
    /// The network failed; the text is kept here and sent again.
    Retrying,
    /// Refused (a field is invalid); the text is kept until it is fixed.
    Refused(String),
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Unsaved text kept in the browser, per post-mortem, until the server has it.
mod stash {
    use std::collections::BTreeMap;

    #[cfg(feature = "hydrate")]
    fn key(id: i64) -> String {
        format!("flare.postmortem.{id}.unsaved")
    }

    pub fn write(id: i64, unsaved: &BTreeMap<String, String>) {
        #[cfg(feature = "hydrate")]
        if let Ok(Some(storage)) = leptos::prelude::window().local_storage() {
            if unsaved.is_empty() {
                let _ = storage.remove_item(&key(id));
            } else if let Ok(json) = serde_json::to_string(unsaved) {
                let _ = storage.set_item(&key(id), &json);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, unsaved);
    }

    pub fn read(id: i64) -> BTreeMap<String, String> {
        #[cfg(feature = "hydrate")]
        if let Ok(Some(storage)) = leptos::prelude::window().local_storage()
            && let Ok(Some(json)) = storage.get_item(&key(id))
        {
            return serde_json::from_str(&json).unwrap_or_default();
        }
        let _ = id;
        BTreeMap::new()
    }
}

#[component]
pub fn PostMortemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_postmortem(id).await,
            None => Err(AppError::not_found("There is no such escalation.")),
        }
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match (data.await, id()) {
                    (Ok(data), Some(id)) => view! { <Editor data id /> }.into_any(),
                    (Err(error), _) => view! { <LoadError error /> }.into_any(),
                    (Ok(_), None) => view! { <LoadError error=AppError::not_found("There is no such escalation.") /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(data: PageData, id: i64) -> impl IntoView {
    let PageData {
        postmortem,
        stage,
        people,
        me,
        can_edit,
        can_annotate,
    } = data;
    let title = postmortem.escalation_title.clone();
    let launch_id = postmortem.launch_id;
    let pm = RwSignal::new(postmortem.clone());
    let values = RwSignal::new(values_of(&postmortem));
    let dirty = RwSignal::new(BTreeSet::<String>::new());
    let state = RwSignal::new(SaveState::Idle);
    let errors = RwSignal::new(FieldErrors::new());
    let conflict = RwSignal::new(None::<(String, PostMortem, Vec<String>)>);
    let announce = RwSignal::new(String::new());
    let clock = RwSignal::new(now_ms());
    let people = StoredValue::new(people);
    let started = postmortem.version > 0 || matches!(stage, Stage::Resolved | Stage::Closed);
    let editable =
        Memo::new(move |_| can_edit && started && pm.with(|p| p.status != Status::Published));

    // Autosave: typing schedules a save; a failed save is retried; one save at a time.
    let save_now = RwSignal::new(0u64);
    let in_flight = StoredValue::new(false);
    let again = StoredValue::new(false);
    #[cfg(feature = "hydrate")]
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let schedule = move |ms: u32| {
        #[cfg(feature = "hydrate")]
        timer.set_value(Some(gloo_timers::callback::Timeout::new(ms, move || {
            save_now.update(|n| *n += 1)
        })));
        #[cfg(not(feature = "hydrate"))]
        let _ = ms;
    };
    // Takes a fresh copy from the server, keeping what is being edited here.
    let adopt = move |fresh: PostMortem| {
        let fresh_values = values_of(&fresh);
        let editing = dirty.get_untracked();
        values.update(|v| {
            for (key, value) in fresh_values {
                if !editing.contains(section(&key)) {
                    v.insert(key, value);
                }
            }
        });
        pm.set(fresh);
    };
    let save = move || {
        let sections = dirty.get_untracked();
        if sections.is_empty() {
            return;
        }
        if in_flight.get_value() {
            again.set_value(true);
            return;
        }
        let sent = values.get_untracked();
        let draft = match draft_of(&sent, &sections, pm.with_untracked(|p| p.version)) {
            Ok(draft) => draft,
            Err(invalid) => {
                errors.set(invalid);
                state.set(SaveState::Refused("a number is not a number".into()));
                return;
            }
        };
        let Ok(body) = serde_json::to_string(&draft) else {
            return;
        };
        in_flight.set_value(true);
        state.set(SaveState::Saving);
        spawn_local(async move {
            let result = save_postmortem(id, body).await;
            in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    // Sections typed into since this save went out stay unsaved.
                    let now = values.get_untracked();
                    dirty.update(|d| {
                        d.retain(|s| {
                            now.iter()
                                .any(|(k, v)| section(k) == s && sent.get(k) != Some(v))
                        })
                    });
                    errors.set(FieldErrors::new());
                    adopt(saved);
                    state.set(SaveState::Saved(now_ms()));
                    announce.set("Saved.".into());
                }
                Err(AppError::Transport { .. } | AppError::Internal) => {
                    state.set(SaveState::Retrying);
                    announce.set("Not saved — retrying.".into());
                    schedule(RETRY_AFTER_MS);
                }
                Err(AppError::Conflict { message, current }) => {
                    let theirs = current.and_then(|c| serde_json::from_value::<PostMortem>(c).ok());
                    match theirs {
                        Some(theirs) => {
                            let base = pm.with_untracked(|p| p.version);
                            let clash: Vec<String> = conflicts(
                                &theirs.changed,
                                &sections.iter().map(String::as_str).collect::<Vec<_>>(),
                                base,
                            );
                            conflict.set(Some((message, theirs, clash)));
                            state.set(SaveState::Refused(
                                "someone else saved the same section".into(),
                            ));
                        }
                        None => state.set(SaveState::Refused(message)),
                    }
                }
                Err(AppError::Validation { message, fields }) => {
                    errors.set(fields);
                    state.set(SaveState::Refused(message));
                }
                Err(other) => state.set(SaveState::Refused(other.to_string())),
            }
            if again.get_value() {
                again.set_value(false);
                save_now.update(|n| *n += 1);
            }
        });
    };
    Effect::watch(move || save_now.get(), move |_, _, _| save(), false);
    // Every keystroke is kept in the browser until the server has it.
    Effect::new(move |_| {
        let editing = dirty.get();
        let unsaved: BTreeMap<String, String> = values.with(|v| {
            v.iter()
                .filter(|(k, _)| editing.contains(section(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        });
        stash::write(id, &unsaved);
    });
    // Text left unsaved by an earlier visit (or a closed tab) is restored and sent.
    Effect::new(move |_| {
        let unsaved = stash::read(id);
        if unsaved.is_empty() || !editable.get_untracked() {
            return;
        }
        values.update(|v| v.extend(unsaved.clone()));
        dirty.update(|d| d.extend(unsaved.keys().map(|k| section(k).to_string())));
        announce.set("Restored text that was not saved yet.".into());
        save_now.update(|n| *n += 1);
    });
    #[cfg(feature = "hydrate")]
    {
        let tick = gloo_timers::callback::Interval::new(1_000, move || clock.set(now_ms()));
        let tick = send_wrapper::SendWrapper::new(tick);
        on_cleanup(move || drop(tick));
        // Back online: send at once instead of waiting for the next retry.
        let online = window_event_listener(leptos::ev::online, move |_| {
            if state.get_untracked() == SaveState::Retrying {
                save_now.update(|n| *n += 1);
            }
        });
        on_cleanup(move || online.remove());
    }
    let edit = move |key: &str, value: String| {
        values.update(|v| {
            v.insert(key.to_string(), value);
        });
        dirty.update(|d| {
            d.insert(section(key).to_string());
        });
        if state.get_untracked() != SaveState::Retrying {
            schedule(SAVE_AFTER_MS);
        }
    };

    // Other people's saves, live.
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        let ServerMessage::Event { event } = message else {
            return;
        };
        if event.escalation_id.map(|e| e.0) != Some(id) || event.actor.id.map(|a| a.0) == Some(me) {
            return;
        }
        let who = event.actor.name.clone();
        spawn_local(async move {
            let Ok(fresh) = load_postmortem(id).await else {
                return;
            };
            let fresh = fresh.postmortem;
            let base = pm.with_untracked(|p| p.version);
            if fresh.version < base {
                return;
            }
            let editing: Vec<String> = dirty.get_untracked().into_iter().collect();
            let clash = conflicts(
                &fresh.changed,
                &editing.iter().map(String::as_str).collect::<Vec<_>>(),
                base,
            );
            if clash.is_empty() {
                if fresh.version > base {
                    announce.set(format!("{who} saved changes."));
                }
                adopt(fresh);
            } else {
                let message = format!("{who} saved the same section while you were editing.");
                conflict.set(Some((message, fresh, clash)));
            }
        });
    });
    Effect::new(move |_| live.start());

    // Immediate saves (times, remediation, timeline marks): same rules as the autosave.
    let send = move |draft: PostMortemDraft, done: &'static str| {
        let Ok(body) = serde_json::to_string(&PostMortemDraft {
            version: Some(pm.with_untracked(|p| p.version)),
            ..draft
        }) else {
            return;
        };
        spawn_local(async move {
            match save_postmortem(id, body).await {
                Ok(saved) => {
                    errors.set(FieldErrors::new());
                    adopt(saved);
                    announce.set(done.into());
                }
                Err(AppError::Validation { message, fields }) => {
                    errors.set(fields);
                    announce.set(message);
                }
                Err(error) => announce.set(error.to_string()),
            }
        });
    };

    let status_text = move || match state.get() {
        SaveState::Idle if pm.with(|p| p.version > 0) => "All changes saved".to_string(),
        SaveState::Idle => String::new(),
        SaveState::Saving => "Saving…".to_string(),
        SaveState::Saved(at) => {
            let secs = ((clock.get() - at) / 1_000.0).max(0.0) as i64;
            if secs < 5 {
                "Saved just now".to_string()
            } else if secs < 60 {
                format!("Saved {} s ago", secs / 5 * 5)
            } else {
                format!("Saved {} min ago", secs / 60)
            }
        }
        SaveState::Retrying => "Not saved — retrying".to_string(),
        SaveState::Refused(why) => format!("Not saved — {why}"),
    };
    let error = move |key: &'static str| {
        move || {
            errors.with(|e| e.get(key).cloned()).map(|message| {
                view! { <p class="field-error" id=format!("pm-{key}-error")>{message}</p> }
            })
        }
    };
    let value =
        move |key: &'static str| move || values.with(|v| v.get(key).cloned().unwrap_or_default());
    let status_badge = move || pm.with(|p| p.status);

    view! {
        <Title text=format!("Post-mortem · {title}") />
        <p class="crumbs no-print">
            <A href=format!("/escalations/{id}")>{format!("← {title}")}</A>
            " · " <A href=format!("/postmortems?launch={launch_id}")>"Post-mortems of this launch"</A>
        </p>
        <h1>"Post-mortem: " {title.clone()}</h1>
        <p class="meta">
            <span class=move || format!("pm-status pm-{}", status_badge().as_str())>{move || status_badge().label()}</span>
            {format!(" · Tier {}", postmortem.tier)}
        </p>
        <div class="pm-tools no-print">
            <a href=format!("/api/v1/escalations/{id}/postmortem.md") download=format!("postmortem-{id}.md")>"Export Markdown"</a>
            <button type="button" class="link" on:click=move |_| { let _ = window().print(); }>"Print or save as PDF"</button>
            {move || editable.get().then(|| view! {
                <span class=move || format!("save-state {}", if state.with(|s| matches!(s, SaveState::Retrying | SaveState::Refused(_))) { "bad" } else { "" })>{status_text}</span>
            })}
        </div>
        <p class="sr-only" role="status" aria-live="polite">{move || announce.get()}</p>
        {(!started).then(|| view! {
            <p class="notice">{format!("A post-mortem starts once the escalation is Resolved; it is {} now.", stage.label())}</p>
        })}
        {move || conflict.get().map(|(message, theirs, clash)| {
            let names = clash.iter().map(|s| section_label(s)).collect::<Vec<_>>().join(", ");
            let theirs_keep = theirs.clone();
            view! {
                <div class="banner conflict" role="alert">
                    <p>{message} {(!names.is_empty()).then(|| format!(" ({names})"))}</p>
                    <button type="button" on:click=move |_| {
                        // Keep mine: save over theirs, knowingly.
                        let theirs = theirs_keep.clone();
                        pm.update(|p| { p.version = theirs.version; p.changed = theirs.changed.clone(); });
                        conflict.set(None);
                        save_now.update(|n| *n += 1);
                    }>"Keep mine"</button>
                    <button type="button" on:click=move |_| {
                        let theirs = theirs.clone();
                        dirty.set(BTreeSet::new());
                        values.set(values_of(&theirs));
                        pm.set(theirs);
                        conflict.set(None);
                        state.set(SaveState::Idle);
                    }>"Take theirs"</button>
                </div>
            }
        })}

        <section class="card pm-section" aria-labelledby="pm-impact-h">
            <h2 id="pm-impact-h">"Customer impact"</h2>
            <p class="hint">"Measure it: the numbers drive what we fix first."</p>
            {move || if editable.get() {
                view! {
                    <div class="pm-grid">
                        {[("impact.customers_affected", "Customers affected", "number"), ("impact.revenue", "Revenue at risk or lost", "number")].into_iter().map(|(key, label, _)| view! {
                            <div class="field">
                                <label for=format!("pm-{key}")>{label}</label>
                                <input id=format!("pm-{key}") inputmode="numeric" prop:value=value(key)
                                    aria-invalid=move || errors.with(|e| e.contains_key(key)).to_string()
                                    on:input=move |ev| edit(key, event_target_value(&ev)) />
                                {error(key)}
                            </div>
                        }).collect_view()}
                        <div class="field">
                            <label for="pm-impact.segments">"Regions or segments"</label>
                            <input id="pm-impact.segments" aria-describedby="pm-impact.segments-hint" prop:value=value("impact.segments")
                                on:input=move |ev| edit("impact.segments", event_target_value(&ev)) />
                            <p class="hint" id="pm-impact.segments-hint">"Separated by commas."</p>
                        </div>
                        <div class="field">
                            <label for="pm-impact.started_at">"Customers first affected (UTC)"</label>
                            <input id="pm-impact.started_at" type="datetime-local" prop:value=value("impact.started_at")
                                on:input=move |ev| edit("impact.started_at", event_target_value(&ev)) />
                            {error("impact.started_at")}
                        </div>
                    </div>
                }.into_any()
            } else {
                let p = pm.get();
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

        <TimesSection pm editable send />

        {WRITTEN.into_iter().map(|(key, label, prompt)| view! {
            <section class="card pm-section" aria-labelledby=format!("pm-{key}-h")>
                <h2 id=format!("pm-{key}-h")>{label}</h2>
                {move || if editable.get() {
                    view! {
                        <div class="field">
                            <label class="sr-only" for=format!("pm-{key}")>{label}</label>
                            <p class="hint" id=format!("pm-{key}-hint")>{prompt}</p>
                            <textarea id=format!("pm-{key}") rows="4" aria-describedby=format!("pm-{key}-hint")
                                prop:value=value(key) on:input=move |ev| edit(key, event_target_value(&ev))></textarea>
                            {error(key)}
                        </div>
                    }.into_any()
                } else {
                    view! { <p class="prose">{move || { let text = value(key)(); if text.is_empty() { "—".to_string() } else { text } }}</p> }.into_any()
                }}
            </section>
        }).collect_view()}

        <RemediationSection pm editable people send errors />
        <TimelineSection pm can_annotate send />
        <ReviewSection pm me id can_edit started people />
    }
}
