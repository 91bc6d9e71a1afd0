//! `/postmortems` (all launches, or `?launch=<id>`): every post-mortem with its status, tier
//! and open remediation, overdue first.

use super::api::load_index;
use crate::components::{LoadError, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PostMortemIndex() -> impl IntoView {
    let query = use_query_map();
    let launch = move || query.with(|q| q.get("launch").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(launch, load_index);
    view! {
        <Title text="Post-mortems" />
        <h1>"Post-mortems"</h1>
        <p>{move || if launch().is_some() { "This launch's post-mortems. " } else { "Every launch's post-mortems. " }}
            "Open remediation items overdue come first."
            {move || launch().is_some().then(|| view! { " " <A href="/postmortems">"Show all launches"</A> })}</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <p class="empty">"No post-mortems yet. One starts from a Resolved escalation's page."</p>
                    }.into_any(),
                    Ok(items) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Post-mortems, scrollable">
                            <table>
                                <thead><tr>
                                    <th scope="col">"Escalation"</th><th scope="col">"Launch"</th><th scope="col">"Tier"</th>
                                    <th scope="col">"Status"</th><th scope="col">"Open remediation"</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|pm| view! {
                                        <tr class:overdue={pm.overdue_remediation > 0}>
                                            <td><A href=format!("/escalations/{}/postmortem", pm.escalation_id)>{pm.escalation_title}</A></td>
                                            <td><A href=format!("/postmortems?launch={}", pm.launch_id)>{pm.launch_name}</A></td>
                                            <td>{format!("Tier {}", pm.tier)}</td>
                                            <td>{pm.status.label()}</td>
                                            <td>{pm.open_remediation}
                                                {(pm.overdue_remediation > 0).then(|| view! { <span class="flag">{format!(" {} overdue", pm.overdue_remediation)}</span> })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
