//! `/notifications`, and the unread count in the header (live).

use super::api::{MarkRead, my_notifications, unread_count};
use crate::components::LocalTime;
use crate::components::{LoadError, Loading};
use crate::event::Payload;
use crate::event::change::NotificationsRead;
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The header's link to notifications with the unread count, updated live.
#[component]
pub fn NotificationsLink() -> impl IntoView {
    let bump = RwSignal::new(0u32);
    let count = Resource::new(move || bump.get(), |_| unread_count());
    let me = use_context::<crate::components::CurrentUser>();
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        if let ServerMessage::Event { event } = message {
            let mine = me
                .and_then(|m| m.get_untracked())
                .is_some_and(|m| event.recipient() == Some(m.id));
            if mine || event.kind == NotificationsRead::KIND {
                bump.update(|n| *n += 1);
            }
        }
    });
    Effect::new(move |_| live.start());
    view! {
        <A href="/notifications">
            "Notifications"
            <Transition fallback=|| ()>
                {move || count.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| view! {
                    <span class="badge-count" aria-label=format!("{n} unread")>{n}</span>
                })}
            </Transition>
        </A>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkRead>::new();
    let list = Resource::new(move || mark.version().get(), |_| my_notifications());
    view! {
        <Title text="Notifications" />
        <h1>"Notifications"</h1>
        <p><A href="/settings/notifications">"Choose what Flare emails you"</A></p>
        <ActionForm action=mark attr:class="inline" attr:aria-label="Mark all read">
            <button type="submit">"Mark all read"</button>
        </ActionForm>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="empty">"Nothing yet."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notifications">
                            {items.into_iter().map(|n| view! {
                                <li class:unread=!n.read>
                                    <p>{n.text.clone()}</p>
                                    <p class="meta"><LocalTime at=n.created_at />
                                        {n.escalation_id.map(|e| view! { " · " <A href=format!("/escalations/{e}")>"Open the escalation"</A> })}
                                        {(!n.read).then_some(" · unread")}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
