//! `/dashboard` (every launch in planning or live, readiness first: what an executive opens
//! on a phone) and `/launches/{id}/dashboard` (the team's view). Both update live as events
//! arrive; every bar drills down to the board filtered to what it counts.

use super::api::{load_dashboard, load_overview};
use super::chart::{Bar, BarChart};
use super::model::{Dashboard, Verdict};
use crate::components::{LoadError, Loading};
use crate::escalation::{Tier, Trigger};
use crate::launch::LaunchId;
use crate::measure::page::status_class;
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A counter that moves whenever an event that can change a figure arrives: of the launch
/// shown only, if the page shows one (an event that names no launch counts everywhere).
fn changes(shown: impl Fn() -> Option<LaunchId> + 'static) -> ReadSignal<u32> {
    let (changed, set_changed) = signal(0u32);
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        if let ServerMessage::Event { event } = message
            && shown().is_none_or(|l| event.launch_id.is_none_or(|e| e == l))
            && [
                "escalation",
                "criterion",
                "metrics",
                "decision",
                "action_item",
                "postmortem",
            ]
            .iter()
            .any(|k| event.kind.starts_with(k))
        {
            set_changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| live.start());
    changed
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NoGo => "badge health-critical",
        Verdict::AtRisk => "badge health-risk",
        Verdict::Go => "badge health-ok",
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let changed = changes(|| None);
    let data = Resource::new(move || changed.get(), |_| load_overview());
    view! {
        <Title text="Launch readiness" />
        <h1>"Launch readiness"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(all) if all.is_empty() => view! { <p class="empty">"No launch is in planning or live."</p> }.into_any(),
                    Ok(all) => all.into_iter().map(|d| view! { <LaunchReadiness dashboard=d /> }).collect_view().into_any(),
                }
            })}
        </Transition>
    }
}

/// A launch's verdict, reasons and open defects by tier: one card of the overview.
#[component]
fn LaunchReadiness(dashboard: Dashboard) -> impl IntoView {
    let id = dashboard.launch_id;
    let heading = format!("readiness-{id}");
    let labelled = heading.clone();
    let name = dashboard.launch_name.clone();
    let bars = tier_bars(&dashboard);
    view! {
        <section class="card readiness" aria-labelledby=labelled>
            <h2 id=heading>
                <A href=format!("/launches/{id}/dashboard")>{name}</A>
            </h2>
            <VerdictLine dashboard />
            <BarChart caption="Open escalations by tier".to_string() what="open" bars />
        </section>
    }
}

#[component]
fn VerdictLine(dashboard: Dashboard) -> impl IntoView {
    let verdict = dashboard.readiness.verdict;
    view! {
        <p class="verdict">
            <span class=verdict_class(verdict) data-verdict=format!("{verdict:?}")>{verdict.label()}</span>
            " · " {dashboard.status.label()}
        </p>
        <ul class="reasons">
            {dashboard.readiness.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
        </ul>
    }
}

fn tier_bars(d: &Dashboard) -> Vec<Bar> {
    const CLASSES: [&str; 4] = ["tier-1", "tier-2", "tier-3", "tier-4"];
    Tier::ALL
        .iter()
        .zip(CLASSES)
        .map(|(tier, class)| Bar {
            label: format!("Tier {}", tier.get()),
            value: d
                .defects
                .open_by_tier
                .get(&tier.get().to_string())
                .copied()
                .unwrap_or(0),
            href: format!("/launches/{}/board?tier={}", d.launch_id, tier.get()),
            class,
        })
        .collect()
}

fn trigger_bars(d: &Dashboard) -> Vec<Bar> {
    Trigger::ALL
        .iter()
        .map(|trigger| Bar {
            label: trigger.label().to_string(),
            value: d
                .defects
                .open_by_trigger
                .get(trigger.as_str())
                .copied()
                .unwrap_or(0),
            href: format!(
                "/launches/{}/board?trigger={}",
                d.launch_id,
                trigger.as_str()
            ),
            class: "tier-3",
        })
        .collect()
}

#[component]
pub fn LaunchDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(LaunchId));
    let changed = changes(move || {
        params.with_untracked(|p| p.get("id").and_then(|v| v.parse().ok()).map(LaunchId))
    });
    let data = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_dashboard(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such launch.",
                )),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(d) => view! { <TeamDashboard d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Minutes as hours and minutes: `2 h 05 min`.
fn minutes(m: Option<i64>) -> String {
    match m {
        None => "—".into(),
        Some(m) if m < 60 => format!("{m} min"),
        Some(m) => format!("{} h {:02} min", m / 60, m % 60),
    }
}

#[component]
fn TeamDashboard(d: Dashboard) -> impl IntoView {
    let id = d.launch_id;
    let fix = d.time_to_fix.by_tier.clone();
    let impact = d.customer_impact.clone();
    view! {
        <Title text=format!("Dashboard · {}", d.launch_name) />
        <h1>{format!("Dashboard · {}", d.launch_name)}</h1>
        <p class="actions">
            <A href=format!("/launches/{id}/board") attr:class="button secondary">"Board"</A>
            " "<A href=format!("/launches/{id}/criteria") attr:class="button secondary">"Success criteria"</A>
        </p>
        <section class="card" aria-labelledby="ready-h">
            <h2 id="ready-h">"Readiness"</h2>
            <VerdictLine dashboard=d.clone() />
        </section>
        <div class="panels">
            <section class="card" aria-labelledby="defects-h">
                <h2 id="defects-h">"Defects"</h2>
                <BarChart caption="Open escalations by tier".to_string() what="open" bars=tier_bars(&d) />
                <BarChart caption="Open escalations by trigger".to_string() what="open" bars=trigger_bars(&d) />
                <div class="table-wrap" tabindex="0" role="region" aria-label="Defects per day, scrollable">
                    <table>
                        <caption>"Opened, resolved and open per day (UTC)"</caption>
                        <thead><tr><th scope="col">"Day"</th><th scope="col">"Opened"</th><th scope="col">"Resolved"</th><th scope="col">"Open"</th></tr></thead>
                        <tbody>
                            {d.defects.series.iter().rev().map(|s| view! {
                                <tr><th scope="row">{s.day.format("%a %d %b").to_string()}</th><td>{s.opened}</td><td>{s.resolved}</td><td>{s.open}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="card" aria-labelledby="fix-h">
                <h2 id="fix-h">"Time to fix"</h2>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Time to fix by tier, scrollable">
                    <table>
                        <caption>"From raised to resolved, by tier"</caption>
                        <thead><tr><th scope="col">"Tier"</th><th scope="col">"Median"</th><th scope="col">"p90"</th><th scope="col">"Resolved"</th><th scope="col">"Ack target"</th></tr></thead>
                        <tbody>
                            {fix.into_iter().map(|(tier, t)| view! {
                                <tr>
                                    <th scope="row">{format!("Tier {tier}")}</th>
                                    <td>{minutes(t.median_minutes)}</td>
                                    <td>{minutes(t.p90_minutes)}</td>
                                    <td>{t.count}</td>
                                    <td>{minutes(t.acknowledge_target_minutes)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="card" aria-labelledby="impact-h">
                <h2 id="impact-h">"Customer impact"</h2>
                <p>
                    <strong>{impact.customers_affected}</strong>" customers affected · "
                    <strong>{impact.revenue}</strong>" revenue at risk (from post-mortems)"
                </p>
            </section>
            <section class="card" aria-labelledby="criteria-h">
                <h2 id="criteria-h">"Criteria"</h2>
                {if d.criteria.is_empty() {
                    view! { <p>"No criteria yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="reasons">
                            {d.criteria.iter().map(|c| view! {
                                <li><span class=status_class(c.status)>{c.status.label()}</span>" "{c.name.clone()}" · "{c.rule_text()}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
