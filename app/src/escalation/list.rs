//! A launch's escalations as a table, highest priority first.

use super::model::{Escalation, Stage};
use crate::components::LocalTime;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn EscalationTable(
    escalations: Vec<Escalation>,
    #[prop(into)] caption: String,
) -> impl IntoView {
    if escalations.is_empty() {
        return view! { <p class="empty">{format!("{caption}: none.")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="escalations">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Escalation"</th>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Deadline"</th>
                    </tr>
                </thead>
                <tbody>
                    {escalations.into_iter().map(|e| view! {
                        <tr>
                            <th scope="row"><A href=format!("/escalations/{}", e.id)>{e.title.clone()}</A>
                                <span class="sub">{e.trigger.label()}</span></th>
                            <td>{e.priority}</td>
                            <td><span class=format!("tier tier-{}", e.tier.get())>{e.tier.to_string()}</span></td>
                            <td>{e.stage.label()}</td>
                            <td>{e.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "—".into())}</td>
                            <td>{e.deadline.map(|at| view! { <LocalTime at /> }.into_any()).unwrap_or_else(|| "—".into_any())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Splits a list into open and closed escalations.
pub fn open_and_closed(all: Vec<Escalation>) -> (Vec<Escalation>, Vec<Escalation>) {
    all.into_iter().partition(|e| e.stage != Stage::Closed)
}
