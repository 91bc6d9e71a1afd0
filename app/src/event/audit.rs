//! `/audit`: the event log with filters by entity, actor and time (facilitators, admins).

use super::api::{AUDIT_PAGE, audit_events};
use super::model::EventFilter;
use crate::auth::model::Permission;
use crate::components::LocalTime;
use crate::components::{LoadError, Loading, can};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const ENTITIES: [(&str, &str); 5] = [
    ("", "Everything"),
    ("launch", "Launches"),
    ("escalation", "Escalations"),
    ("user", "Users"),
    ("api_token", "API tokens"),
];

/// A filter from the page's query string (`?entity=&actor_id=&since=&until=&before=`).
fn filter_from_query(q: &leptos_router::params::ParamsMap) -> EventFilter {
    let date = |key: &str| {
        q.get(key)
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
    };
    EventFilter {
        entity: q.get("entity").filter(|e| !e.is_empty()),
        actor_id: q.get("actor_id").and_then(|a| a.parse().ok()),
        since: date("since"),
        until: date("until").map(|d| d + chrono::Duration::days(1)),
        before: q.get("before").and_then(|b| b.parse().ok()),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let allowed = can(Permission::ViewAudit);
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let events = Resource::new(move || filter.get(), audit_events);
    let users = Resource::new(|| (), |_| crate::auth::api::list_users());
    view! {
        <Title text="Audit log" />
        <h1>"Audit log"</h1>
        <Show when=move || allowed.get() fallback=|| view! { <p>"Only facilitators and admins read the audit log."</p> }>
            <form method="get" action="/audit" class="filters" aria-label="Filter events">
                <div class="field">
                    <label for="entity">"What changed"</label>
                    <select id="entity" name="entity">
                        {ENTITIES.iter().map(|(v, l)| {
                            let selected = move || filter.with(|f| f.entity.as_deref().unwrap_or("") == *v);
                            view! { <option value=*v selected=selected>{*l}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="actor_id">"Who"</label>
                    <select id="actor_id" name="actor_id">
                        <option value="">"Anyone"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                users.await.unwrap_or_default().into_iter().map(|u| {
                                    let id = u.id.0;
                                    let selected = move || filter.with(|f| f.actor_id == Some(id));
                                    view! { <option value=id selected=selected>{u.name}</option> }
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </div>
                <div class="field">
                    <label for="since">"From"</label>
                    <input id="since" name="since" type="date" value=move || query.with(|q| q.get("since")) />
                </div>
                <div class="field">
                    <label for="until">"To"</label>
                    <input id="until" name="until" type="date" value=move || query.with(|q| q.get("until")) />
                </div>
                <button type="submit">"Filter"</button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match events.await {
                        Err(error) => view! { <LoadError error /> }.into_any(),
                        Ok(list) => {
                            let older = (list.len() as u64 == AUDIT_PAGE).then(|| list.last().map(|e| e.id.0)).flatten();
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label="Events, scrollable">
                                    <table class="audit">
                                        <caption>"Newest first"</caption>
                                        <thead><tr><th scope="col">"#"</th><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Changed"</th></tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|e| view! {
                                                <tr>
                                                    <td>{e.id.0}</td>
                                                    <td><LocalTime at=e.at /></td>
                                                    <td>{e.actor.name.clone()}</td>
                                                    <td>{format!("{} {}", e.kind, e.entity_id)}</td>
                                                    <td><code class="payload">{e.payload.to_string()}</code></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {older.map(|before| {
                                    let href = query.with(|q| {
                                        let mut parts: Vec<String> = q.clone().into_iter()
                                            .filter(|(k, _)| k != "before")
                                            .map(|(k, v)| format!("{k}={v}"))
                                            .collect();
                                        parts.push(format!("before={before}"));
                                        format!("/audit?{}", parts.join("&"))
                                    });
                                    view! { <p><a href=href>"Older events"</a></p> }
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </Show>
    }
}
