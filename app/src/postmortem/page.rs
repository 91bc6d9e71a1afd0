//! `/escalations/{id}/postmortem`: the blameless post-mortem — autosaved as you type, kept in
//! the browser while the network is down, live with other editors — with its computed times,
//! its timeline, owned remediation, review and export.

mod autosave;
mod form;
mod live;
mod remediation;
mod review;
mod timeline;
mod times;
mod written;

use super::api::{PostMortemPage as PageData, load_postmortem};
use super::model::{PostMortemDraft, Section, Status};
use crate::components::host;
use crate::components::{LoadError, Loading};
use crate::error::AppError;
use crate::escalation::Stage;
use autosave::{Autosave, Conflict, SaveState};
use form::values_of;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use remediation::RemediationSection;
use review::ReviewSection;
use std::collections::BTreeSet;
use timeline::TimelineSection;
use times::TimesSection;
use written::{ImpactSection, WrittenSections};

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
    let autosave = Autosave::new(id, &postmortem);
    let pm = autosave.pm;
    let people = StoredValue::new(people);
    let started = postmortem.version > 0 || matches!(stage, Stage::Resolved | Stage::Closed);
    let editable =
        Memo::new(move |_| can_edit && started && pm.with(|p| p.status != Status::Published));
    autosave.start(editable);
    let clock = RwSignal::new(host::now_ms());
    host::every(1_000, move || clock.set(host::now_ms()));
    live::follow_others(autosave, id, me);
    let send = move |draft: PostMortemDraft, done: &'static str| autosave.send(draft, done);
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
        {(postmortem.outcome.is_some() || postmortem.risk_posture.is_some()).then(|| view! {
            <dl class="facts">
                {postmortem.outcome.clone().map(|o| view! { <dt>"Outcome"</dt><dd class="prose">{o}</dd> })}
                {postmortem.risk_posture.as_ref().map(|p| view! { <dt>"Risk posture"</dt><dd class="prose">{p.text()}</dd> })}
            </dl>
        })}
        <div class="pm-tools no-print">
            <a href=format!("/api/v1/escalations/{id}/postmortem.md") download=format!("postmortem-{id}.md")>"Export Markdown"</a>
            <button type="button" class="link" on:click=move |_| host::print_page()>"Print or save as PDF"</button>
            {move || editable.get().then(|| view! {
                <span class=move || format!("save-state {}", if autosave.is_unsaved() { "bad" } else { "" })>{move || autosave.status_text(clock)}</span>
            })}
        </div>
        <p class="sr-only" role="status" aria-live="polite">{move || autosave.announce.get()}</p>
        {(!started).then(|| view! {
            <p class="notice">{format!("A post-mortem starts once the escalation is Resolved; it is {} now.", stage.label())}</p>
        })}
        {move || autosave.conflict.get().map(|conflict| view! { <ConflictBanner autosave conflict /> })}

        <ImpactSection autosave editable />
        <TimesSection pm editable send />
        <WrittenSections autosave editable />
        <RemediationSection pm editable people send errors=autosave.errors />
        <TimelineSection pm can_annotate send />
        <ReviewSection pm me id can_edit started people />
    }
}

/// Someone else saved a section being edited here: keep mine (save over theirs, knowingly)
/// or take theirs.
#[component]
fn ConflictBanner(autosave: Autosave, conflict: Conflict) -> impl IntoView {
    let Conflict {
        message,
        theirs,
        mut clash,
    } = conflict;
    // In the order of the sections' keys, as the page has always listed them.
    clash.sort_by_key(|s| s.key());
    let names = clash
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ");
    let theirs_keep = theirs.clone();
    view! {
        <div class="banner conflict" role="alert">
            <p>{message} {(!names.is_empty()).then(|| format!(" ({names})"))}</p>
            <button type="button" on:click=move |_| {
                let theirs = theirs_keep.clone();
                autosave.pm.update(|p| { p.version = theirs.version; p.changed = theirs.changed.clone(); });
                autosave.conflict.set(None);
                autosave.save_soon();
            }>"Keep mine"</button>
            <button type="button" on:click=move |_| {
                let theirs = theirs.clone();
                autosave.dirty.set(BTreeSet::<Section>::new());
                autosave.values.set(values_of(&theirs));
                autosave.pm.set(theirs);
                autosave.conflict.set(None);
                autosave.state.set(SaveState::Idle);
            }>"Take theirs"</button>
        </div>
    }
}
