//! `/runbook`: the tiers, their red flags, response times and escalation steps; the default
//! runbook or, picked by `?launch=`, the one a launch runs on. Facilitators edit either, each
//! save a new version with a reason.

use super::api::{RunbookView, SaveTier, get_runbook};
use super::model::{Runbook, TierPolicy, span_text};
use crate::auth::model::Permission;
use crate::components::time::LocalTime;
use crate::components::{CheckField, Form, FormMessage, NumberField, Submit, TextArea, TextField};
use crate::components::{LoadError, Loading, can};
use crate::launch::LaunchId;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RunbookPage() -> impl IntoView {
    let save = ServerAction::<SaveTier>::new();
    let query = use_query_map();
    let launch = move || {
        query
            .with(|q| q.get("launch"))
            .and_then(|l| l.parse().ok())
            .map(LaunchId)
    };
    let runbook = Resource::new(
        move || (launch(), save.version().get()),
        |(launch, _)| get_runbook(launch),
    );
    let facilitator = can(Permission::Facilitate);
    view! {
        <Title text="Runbook" />
        <h1>"Runbook"</h1>
        <p>"How fast each tier is acknowledged, updated and decided, and the steps its owner takes. Every change is a new version, with who made it and why."</p>
        <p><a href="/runbook/versions">"Versions and what changed"</a> " · " <a href="/reviews">"Quarterly governance reviews"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match runbook.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! { <RunbookBody view save facilitator /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RunbookBody(
    view: RunbookView,
    save: ServerAction<SaveTier>,
    facilitator: Signal<bool>,
) -> impl IntoView {
    let RunbookView {
        book,
        launch,
        launches,
    } = view;
    let chosen = launch.map(|l| l.0.to_string()).unwrap_or_default();
    let whose = match (launch, book.launch_id) {
        (None, _) => "The default runbook: every launch runs on it unless it has its own.".to_string(),
        (Some(_), Some(_)) => "This launch runs on its own runbook (a pilot).".to_string(),
        (Some(_), None) => "This launch runs on the default runbook. Saving a tier here gives it its own runbook (a pilot), starting from the default.".to_string(),
    };
    view! {
        <form method="get" action="/runbook" class="filters" aria-label="Choose a runbook">
            <div class="field">
                <label for="rb-launch">"Runbook of"</label>
                <select id="rb-launch" name="launch">
                    <option value="" selected=chosen.is_empty()>"Every launch (the default)"</option>
                    {launches.into_iter().map(|(id, name, own)| {
                        let value = id.0.to_string();
                        let selected = value == chosen;
                        let text = if own { format!("{name} (own runbook)") } else { name };
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Show"</button>
        </form>
        <p>{whose}</p>
        <VersionLine book=book.clone() />
        <TierTable book=book.clone() />
        <Show when=move || facilitator.get()>
            {book.tiers.clone().into_iter().map(|policy| view! { <TierForm policy version=book.version launch save /> }).collect_view()}
        </Show>
    }
}

/// "Version 4 · saved by Ada on … · Tier 2 updates every two hours".
#[component]
fn VersionLine(book: Runbook) -> impl IntoView {
    view! {
        <p class="meta">
            {format!("Version {}", book.version)}
            {book.author.map(|a| format!(" · saved by {}", a.name))}
            {book.at.map(|at| view! { " on " <LocalTime at /> })}
            {(!book.reason.is_empty()).then(|| format!(" · {}", book.reason))}
        </p>
    }
}

#[component]
fn TierTable(book: Runbook) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Response times and steps per tier, scrollable">
            <table>
                <caption>"Response times and escalation steps per tier"</caption>
                <thead><tr>
                    <th scope="col">"Tier"</th>
                    <th scope="col">"Red flags"</th>
                    <th scope="col">"Acknowledge within"</th>
                    <th scope="col">"Update every"</th>
                    <th scope="col">"Decide within"</th>
                    <th scope="col">"Executives told"</th>
                    <th scope="col">"Escalation steps"</th>
                </tr></thead>
                <tbody>
                    {book.tiers.iter().map(|p| view! {
                        <tr>
                            <th scope="row"><span class=format!("tier tier-{}", p.tier.get())>{p.tier.to_string()}</span></th>
                            <td>{p.red_flags.clone()}</td>
                            <td>{span_text(p.acknowledge_within())}</td>
                            <td>{span_text(p.update_every())}</td>
                            <td>{span_text(p.decide_within())}</td>
                            <td>{if p.notify_executives { "Yes" } else { "No" }}</td>
                            <td><ol class="steps">{p.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ol></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TierForm(
    policy: TierPolicy,
    version: i64,
    launch: Option<LaunchId>,
    save: ServerAction<SaveTier>,
) -> impl IntoView {
    let tier = policy.tier.get();
    view! {
        <details class="card narrow">
            <summary>{format!("Edit tier {tier}")}</summary>
            <Form action=save label=format!("Edit tier {tier}") class="stack" id_prefix=format!("tier{tier}-")>
                <FormMessage />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="tier" value=tier />
                {launch.map(|l| view! { <input type="hidden" name="launch" value=l.0 /> })}
                <TextArea label="Red flags" name="red_flags" value=policy.red_flags.clone() rows=2 />
                <NumberField label="Acknowledge within (minutes)" name="acknowledge_minutes" value=policy.acknowledge_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <NumberField label="Update every (minutes)" name="update_minutes" value=policy.update_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <NumberField label="Decide within (minutes)" name="decide_minutes" value=policy.decide_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <CheckField label="Notify executives" name="notify_executives" checked=policy.notify_executives />
                <TextArea label="Escalation steps" name="steps" value=policy.steps.join("\n") rows=5 hint="One step per line, in order." />
                <TextField label="Why this change" name="reason" required=true hint="Shown in the runbook's history." />
                <Submit label=format!("Save tier {tier}") />
            </Form>
        </details>
    }
}
