//! `/launches/{id}/criteria`: a launch's success criteria with their status, current value
//! and last day; facilitators add, adopt from the starter set and retire criteria; members
//! record a value by hand.

use super::api::{AddCriterion, AdoptStarter, RecordValue, RetireCriterion, load_criteria};
use super::model::{Comparator, CriteriaView, CriterionKind, CriterionTrend, Status, number};
use crate::auth::model::Permission;
use crate::components::{
    CheckField, Form, FormMessage, LoadError, Loading, SelectField, Submit, TextField, can,
};
use crate::launch::LaunchId;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CriteriaPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(LaunchId));
    let add = ServerAction::<AddCriterion>::new();
    let adopt = ServerAction::<AdoptStarter>::new();
    let retire = ServerAction::<RetireCriterion>::new();
    let record = ServerAction::<RecordValue>::new();
    let view = Resource::new(
        move || {
            (
                id(),
                add.version().get(),
                adopt.version().get(),
                retire.version().get(),
                record.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_criteria(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such launch.",
                )),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match view.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! { <Criteria view add adopt retire record /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Criteria(
    view: CriteriaView,
    add: ServerAction<AddCriterion>,
    adopt: ServerAction<AdoptStarter>,
    retire: ServerAction<RetireCriterion>,
    record: ServerAction<RecordValue>,
) -> impl IntoView {
    let facilitator = can(Permission::Facilitate);
    let member = can(Permission::WorkEscalations);
    let launch = view.launch_id;
    let empty = view.criteria.is_empty();
    let metrics: Vec<(String, String)> = view
        .criteria
        .iter()
        .map(|t| (t.criterion.metric.clone(), t.criterion.metric.clone()))
        .filter(|(m, _)| !super::model::is_builtin(m))
        .collect();
    let starters = view.starters.clone();
    let review = view.review.clone();
    let (has_starters, has_metrics) = (!starters.is_empty(), !metrics.is_empty());
    let metrics = StoredValue::new(metrics);
    view! {
        <Title text=format!("Success criteria · {}", view.launch_name) />
        <h1>"Success criteria"</h1>
        <p class="meta">
            <A href=format!("/launches/{launch}")>{view.launch_name.clone()}</A>
            " · what the launch must meet; a breach raises an escalation"
        </p>
        <DailyReview review />
        {if empty {
            view! { <p>"No criteria yet."</p> }.into_any()
        } else {
            view! {
                <ul class="criteria">
                    {view.criteria.into_iter().map(|trend| view! { <CriterionItem trend retire facilitator /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Show when=move || facilitator.get() && has_starters>
            <section class="card narrow" aria-labelledby="starters-h">
                <h2 id="starters-h">"Suggested criteria"</h2>
                <p class="hint">"A starting point most launches need; adopt one, then change its threshold."</p>
                <ul class="starters">
                    {starters.clone().into_iter().map(|(index, name)| view! {
                        <li>
                            <ActionForm action=adopt attr:class="inline">
                                <input type="hidden" name="launch" value=launch.0 />
                                <input type="hidden" name="index" value=index />
                                <button type="submit" class="secondary">{format!("Adopt “{name}”")}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || member.get() && has_metrics>
            <section class="card narrow" aria-labelledby="record-h">
                <h2 id="record-h">"Record a value"</h2>
                <Form action=record label="Record a value" class="stack">
                    <FormMessage />
                    <input type="hidden" name="launch" value=launch.0 />
                    <SelectField label="Metric" name="metric" options=metrics.get_value() error_key="samples[0].metric" />
                    <TextField label="Value" name="value" kind="text" required=true error_key="samples[0].value" />
                    <Submit label="Record" />
                </Form>
            </section>
        </Show>
        <Show when=move || facilitator.get()>
            <details class="card narrow">
                <summary>"Add a criterion"</summary>
                <Form action=add label="Add a criterion" class="stack">
                    <FormMessage />
                    <input type="hidden" name="launch" value=launch.0 />
                    <TextField label="Name" name="name" required=true max_length=200 />
                    <SelectField label="Kind" name="kind" options=options(CriterionKind::ALL.iter().map(|k| k.as_str())) />
                    <TextField label="Metric" name="metric" required=true hint="Such as checkout.p95_ms, or a built-in one: escalations.open.tier1" />
                    <SelectField label="Passes when the value is" name="comparator" options=comparators() />
                    <TextField label="Threshold" name="threshold" required=true />
                    <TextField label="Unit" name="unit" max_length=20 />
                    <TextField label="Average over (minutes)" name="window_minutes" hint="Blank: the latest value counts" />
                    <SelectField label="A breach raises" name="breach_tier" selected="2" options=(1..=4).map(|t| (t.to_string(), format!("Tier {t}"))).collect() />
                    <CheckField label="Raise an escalation on breach" name="auto_escalate" checked=true />
                    <Submit label="Add criterion" />
                </Form>
            </details>
        </Show>
    }
}

fn options<'a>(values: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    values
        .map(|v| (v.to_string(), v.replace('_', " ")))
        .collect()
}

fn comparators() -> Vec<(String, String)> {
    [
        (Comparator::AtMost, "at most (≤)"),
        (Comparator::AtLeast, "at least (≥)"),
        (Comparator::Below, "below (<)"),
        (Comparator::Above, "above (>)"),
    ]
    .into_iter()
    .map(|(c, label)| (c.as_str().to_string(), label.to_string()))
    .collect()
}

/// The badge class of a status.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Met => "badge health-ok",
        Status::AtRisk => "badge health-risk",
        Status::Breached => "badge health-critical",
        Status::NoData => "badge tier-4",
    }
}

#[component]
fn CriterionItem(
    trend: CriterionTrend,
    retire: ServerAction<RetireCriterion>,
    facilitator: Signal<bool>,
) -> impl IntoView {
    let c = trend.criterion;
    let current = c
        .current
        .map(|v| {
            format!(
                "{}{}",
                number(v),
                c.unit
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "no data".into());
    let id = c.id;
    view! {
        <li class="card criterion">
            <h2>{c.name.clone()}</h2>
            <p>
                <span class=status_class(c.status)>{c.status.label()}</span>
                " now " <strong>{current}</strong>
            </p>
            <p class="meta">{c.rule_text()} {format!(" · a breach raises tier {}", c.breach_tier.get())}</p>
            <Sparkline values=trend.values />
            <Show when=move || facilitator.get()>
                <ActionForm action=retire attr:class="inline">
                    <input type="hidden" name="id" value=id.0 />
                    <button type="submit" class="secondary">"Retire"</button>
                </ActionForm>
            </Show>
        </li>
    }
}

/// The last day's values as a small line, described in words for screen readers.
#[component]
fn Sparkline(values: Vec<f64>) -> impl IntoView {
    if values.len() < 2 {
        return view! { <p class="hint">"Too few values in the last 24 hours for a trend."</p> }
            .into_any();
    }
    let (low, high) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if high > low { high - low } else { 1.0 };
    let step = 100.0 / (values.len() - 1) as f64;
    let points = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                22.0 - (v - low) / span * 20.0
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let label = format!(
        "Last 24 hours: {} values from {} to {}",
        values.len(),
        number(low),
        number(high)
    );
    view! {
        <svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" aria-label=label>
            <polyline points=points fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" />
        </svg>
    }
    .into_any()
}

/// The daily review: the criteria whose status moved since this time yesterday and the
/// breaches of the last day, so the team can decide to escalate or de-escalate. Its data
/// rides on a resource its page already has.
#[component]
pub fn DailyReview(review: super::model::SinceYesterday) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="review-h">
            <h2 id="review-h">"Since yesterday"</h2>
            <p>{match review.breaches {
                0 => "No breach in the last 24 hours.".to_string(),
                1 => "One breach in the last 24 hours.".to_string(),
                n => format!("{n} breaches in the last 24 hours."),
            }}</p>
            {if review.changes.is_empty() {
                view! { <p>"No criterion changed status."</p> }.into_any()
            } else {
                view! {
                    <ul class="reasons">
                        {review.changes.into_iter().map(|c| {
                            let value = c.current.map(|v| format!(" ({}{})", number(v), c.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default())).unwrap_or_default();
                            view! {
                                <li>
                                    {format!("“{}”: {} → ", c.name, c.before.label().to_lowercase())}
                                    <span class=status_class(c.now)>{c.now.label()}</span>
                                    {value}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
