//! `/admin/webhooks`: add a webhook (its secret shown once), send a test, read the delivery
//! log, remove one.

use super::api::{AddWebhook, RemoveWebhook, SendTestWebhook, list_webhooks, webhook_log};
use super::model::{Delivery, Webhook};
use crate::auth::model::Permission;
use crate::components::{Form, FormMessage, LoadError, Loading, LocalTime, SelectField, Submit};
use crate::components::{TextField, can};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let allowed = can(Permission::Administer);
    let add = ServerAction::<AddWebhook>::new();
    let remove = ServerAction::<RemoveWebhook>::new();
    let test = ServerAction::<SendTestWebhook>::new();
    let hooks = Resource::new(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                test.version().get(),
            )
        },
        |_| list_webhooks(),
    );
    view! {
        <Title text="Webhooks" />
        <p class="crumbs"><a href="/admin">"← Admin"</a></p>
        <h1>"Webhooks"</h1>
        <Show when=move || allowed.get() fallback=|| view! { <p>"Only admins manage webhooks."</p> }>
            <p>"Flare POSTs every matching event to each webhook, in order, signed "
               <code>"X-Flare-Signature: sha256=…"</code>" (HMAC-SHA256 of the body with the webhook's secret). "
               "Failures are retried within seconds, then up to every 10 minutes, for 24 hours."</p>
            {move || add.value().get().map(|r| match r {
                Ok(created) => view! {
                    <p class="ok" role="status">"Webhook added. Its signing secret (copy it now, it is not shown again): "
                        <code class="secret">{created.secret}</code></p>
                }.into_any(),
                Err(_) => ().into_any(),
            })}
            <details class="card" open=true>
                <summary>"Add a webhook"</summary>
                <Form action=add label="Add a webhook" class="stack">
                    <FormMessage />
                    <TextField label="URL" name="url" kind="url" hint="http or https; Slack incoming-webhook URLs work with the Slack format." />
                    <TextField label="Events" name="events" hint="Event kinds separated by commas, e.g. escalation.created, escalation.moved. Empty: every event." />
                    <SelectField label="Format" name="format" selected="json"
                        options=vec![("json".into(), "Event JSON".into()), ("slack".into(), "Slack message".into())] />
                    <TextField label="Launch id (optional)" name="launch_id" kind="number" hint="Only this launch's events." />
                    <Submit label="Add webhook" busy="Adding…" />
                </Form>
            </details>
            {move || test.value().get().map(|r| match r {
                Ok(d) => view! { <p class="ok" role="status">{format!("Test sent: {}.", delivery_result(&d))}</p> }.into_any(),
                Err(e) => view! { <p class="form-message" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match hooks.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No webhooks yet."</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|hook| view! { <HookCard hook remove test /> }).collect_view().into_any(),
                    }
                })}
            </Transition>
        </Show>
    }
}

/// How an attempt ended, in words.
fn delivery_result(d: &Delivery) -> String {
    match (d.status_code, &d.error) {
        (Some(code), _) if d.outcome == "delivered" => format!("delivered, HTTP {code}"),
        (Some(code), _) => format!("{}, HTTP {code}", d.outcome.replace('_', " ")),
        (None, Some(error)) => format!("{}: {error}", d.outcome.replace('_', " ")),
        (None, None) => d.outcome.replace('_', " "),
    }
}

#[component]
fn HookCard(
    hook: Webhook,
    remove: ServerAction<RemoveWebhook>,
    test: ServerAction<SendTestWebhook>,
) -> impl IntoView {
    let id = hook.id;
    let log = Resource::new(move || test.version().get(), move |_| webhook_log(id));
    let heading = format!("hook-{id}-h");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading class="break">{hook.url.clone()}</h2>
            <p class="meta">
                {format!("{} · events: {}", if hook.format == super::WebhookFormat::Slack { "Slack message" } else { "Event JSON" }, hook.events.join(", "))}
                {hook.launch_id.map(|l| format!(" · launch {l}"))}
            </p>
            {hook.failing_since.map(|since| view! {
                <p class="flag">"Failing since " <LocalTime at=since />
                    {hook.next_attempt_at.map(|at| view! { " · next try " <LocalTime at /> })}</p>
            })}
            <div class="row">
                <ActionForm action=test attr:class="inline" attr:aria-label=format!("Send a test to {}", hook.url)>
                    <input type="hidden" name="id" value=id />
                    <button type="submit">"Send test"</button>
                </ActionForm>
                <ActionForm action=remove attr:class="inline" attr:aria-label=format!("Remove {}", hook.url)>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Remove"</button>
                </ActionForm>
            </div>
            <details>
                <summary>"Delivery log"</summary>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match log.await {
                            Err(e) => view! { <LoadError error=e /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">"Nothing sent yet."</p> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-wrap">
                                    <table>
                                        <thead><tr><th scope="col">"When"</th><th scope="col">"Event"</th><th scope="col">"Attempt"</th><th scope="col">"Result"</th><th scope="col">"Time"</th></tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|d| view! {
                                                <tr>
                                                    <td><LocalTime at=d.at /></td>
                                                    <td>{d.event_id.map_or_else(|| "test".to_string(), |e| format!("#{e}"))}</td>
                                                    <td>{d.attempt}</td>
                                                    <td>{delivery_result(&d)}</td>
                                                    <td>{format!("{} ms", d.duration_ms)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </details>
        </section>
    }
}
