//! `/runbook/versions`: every runbook version with who saved it, when and why, and any two
//! side by side with what changed marked (`?a=2&b=5`).

use super::api::{VersionsView, load_versions};
use super::model::{Comparison, VersionEntry};
use crate::components::time::LocalTime;
use crate::components::{LoadError, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VersionsPage() -> impl IntoView {
    let query = use_query_map();
    let pick = move |key: &str| {
        query
            .with(|q| q.get(key))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let versions = Resource::new(move || (pick("a"), pick("b")), |(a, b)| load_versions(a, b));
    view! {
        <Title text="Runbook versions" />
        <h1>"Runbook versions"</h1>
        <p><a href="/runbook">"Back to the runbook"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match versions.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(VersionsView { entries, comparison }) => view! {
                        <CompareForm entries=entries.clone() before=comparison.before.version after=comparison.after.version />
                        <ComparisonTable comparison />
                        <History entries />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// "Version 4 (default runbook)" or "Version 6 (launch 3's own)".
fn label(entry: &VersionEntry) -> String {
    match entry.launch_id {
        Some(launch) => format!("Version {} (launch {}'s own)", entry.version, launch.0),
        None => format!("Version {}", entry.version),
    }
}

#[component]
fn CompareForm(entries: Vec<VersionEntry>, before: i64, after: i64) -> impl IntoView {
    let select = |id: &'static str, name: &'static str, chosen: i64| {
        view! {
            <select id=id name=name>
                {entries.iter().map(|e| {
                    let selected = e.version == chosen;
                    view! { <option value=e.version selected=selected>{label(e)}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <form method="get" action="/runbook/versions" class="filters" aria-label="Compare two versions">
            <div class="field">
                <label for="cmp-a">"Compare"</label>
                {select("cmp-a", "a", before)}
            </div>
            <div class="field">
                <label for="cmp-b">"with"</label>
                {select("cmp-b", "b", after)}
            </div>
            <button type="submit">"Compare"</button>
        </form>
    }
}

#[component]
fn ComparisonTable(comparison: Comparison) -> impl IntoView {
    let Comparison {
        before,
        after,
        lines,
    } = comparison;
    let changes = lines.iter().filter(|l| l.changed()).count();
    let summary = match changes {
        0 => "No differences.".to_string(),
        1 => "1 line differs, marked “Changed”.".to_string(),
        n => format!("{n} lines differ, marked “Changed”."),
    };
    view! {
        <h2>{format!("{} and {}", label(&before), label(&after))}</h2>
        <p>{summary}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="The two versions side by side, scrollable">
            <table class="compare">
                <caption>{format!("{} (left) and {} (right), tier by tier", label(&before), label(&after))}</caption>
                <thead><tr>
                    <th scope="col">"Tier"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">{label(&before)}</th>
                    <th scope="col">{label(&after)}</th>
                    <th scope="col">"Change"</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let changed = line.changed();
                        view! {
                            <tr class:changed=changed>
                                <td>{line.tier.to_string()}</td>
                                <th scope="row">{line.field}</th>
                                <td>{line.before}</td>
                                <td>{line.after}</td>
                                <td>{if changed { "Changed" } else { "" }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn History(entries: Vec<VersionEntry>) -> impl IntoView {
    view! {
        <h2>"History"</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Every version, scrollable">
            <table>
                <caption>"Every version, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Version"</th>
                    <th scope="col">"Saved"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Why"</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <th scope="row">{label(&e)}</th>
                            <td>{e.at.map(|at| view! { <LocalTime at /> })}</td>
                            <td>{e.author.map_or_else(|| "Flare".to_string(), |a| a.name)}</td>
                            <td>{e.reason}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
