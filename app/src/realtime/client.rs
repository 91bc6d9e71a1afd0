//! The browser's live connection: one WebSocket per page, opened once the page has painted,
//! resumed from the last event id seen, reconnecting with jittered back-off, handing each
//! message to the components that subscribed.

use super::model::{ClientMessage, ConnState, ServerMessage, backoff_ms};
use crate::event::model::EventId;
use crate::launch::LaunchId;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::wasm_bindgen::closure::Closure;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

type Subscriber = Rc<dyn Fn(&ServerMessage)>;

#[derive(Default)]
pub struct Client {
    socket: Option<WebSocket>,
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    /// The id of the last event received (replay starts after it).
    cursor: Option<i64>,
    subscribers: Vec<(u64, Subscriber)>,
    next_subscriber: u64,
    attempt: u32,
    viewing: Option<LaunchId>,
    retry: Option<gloo_timers::callback::Timeout>,
    /// An open is scheduled for after the next paint (every start in the meantime shares it).
    pending: bool,
}

pub type Shared = Rc<RefCell<Client>>;

fn url(after: Option<i64>) -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    Some(match after {
        Some(after) => format!("{scheme}://{host}/ws?after={after}"),
        None => format!("{scheme}://{host}/ws"),
    })
}

fn send(client: &Client, message: &ClientMessage) {
    if let (Some(socket), Ok(text)) = (&client.socket, serde_json::to_string(message))
        && socket.ready_state() == WebSocket::OPEN
    {
        let _ = socket.send_with_str(&text);
    }
}

fn dispatch(shared: &Shared, message: &ServerMessage) {
    let subscribers: Vec<Subscriber> = shared
        .borrow()
        .subscribers
        .iter()
        .map(|(_, s)| s.clone())
        .collect();
    for subscriber in subscribers {
        subscriber(message);
    }
}

/// Opens (or reopens) the socket from the client's cursor.
pub fn open(shared: &Shared, state: RwSignal<ConnState>) {
    let after = {
        let mut client = shared.borrow_mut();
        if let Some(old) = client.socket.take() {
            old.set_onclose(None);
            let _ = old.close();
        }
        client.handlers.clear();
        client.retry = None;
        client.cursor
    };
    let Some(address) = url(after) else { return };
    let Ok(socket) = WebSocket::new(&address) else {
        schedule_retry(shared, state);
        return;
    };
    state.set(if shared.borrow().attempt == 0 {
        ConnState::Connecting
    } else {
        ConnState::Reconnecting
    });

    let on_open = {
        let shared = shared.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let client = shared.borrow();
            send(
                &client,
                &ClientMessage::Viewing {
                    launch_id: client.viewing,
                },
            );
        })
    };
    let on_message = {
        let shared = shared.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(text) = ev
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            let Ok(message) = serde_json::from_str::<ServerMessage>(&text) else {
                return;
            };
            match &message {
                ServerMessage::Hello { last_event_id } => {
                    let mut client = shared.borrow_mut();
                    client.attempt = 0;
                    client.cursor = Some(client.cursor.unwrap_or(0).max(last_event_id.0));
                    drop(client);
                    state.set(ConnState::Live);
                }
                ServerMessage::Event { event } => {
                    let mut client = shared.borrow_mut();
                    client.cursor = Some(client.cursor.unwrap_or(0).max(event.id.0));
                }
                ServerMessage::Reload { .. } => {
                    let _ = window().location().reload();
                    return;
                }
                ServerMessage::Presence { .. } => {}
            }
            dispatch(&shared, &message);
        })
    };
    let on_close = {
        let shared = shared.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let _ = ev.dyn_ref::<CloseEvent>();
            shared.borrow_mut().socket = None;
            schedule_retry(&shared, state);
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut client = shared.borrow_mut();
    client.socket = Some(socket);
    client.handlers = vec![on_open, on_message, on_close];
}

fn schedule_retry(shared: &Shared, state: RwSignal<ConnState>) {
    state.set(ConnState::Reconnecting);
    let delay = {
        let mut client = shared.borrow_mut();
        let delay = backoff_ms(client.attempt, js_sys::Math::random());
        client.attempt = client.attempt.saturating_add(1);
        delay
    };
    let again = shared.clone();
    let timer = gloo_timers::callback::Timeout::new(delay, move || open(&again, state));
    shared.borrow_mut().retry = Some(timer);
}

/// Opens the socket after the next frame has painted: the first paint never waits on it, and
/// every component that starts the connection while the page hydrates shares the one socket,
/// opened from the earliest cursor any of them asked for.
fn open_after_paint(shared: &Shared, state: RwSignal<ConnState>) {
    if std::mem::replace(&mut shared.borrow_mut().pending, true) {
        return;
    }
    let shared = shared.clone();
    // An animation frame callback runs just before its frame paints; a task queued from it
    // runs after that paint.
    request_animation_frame(move || {
        set_timeout(
            move || {
                shared.borrow_mut().pending = false;
                open(&shared, state);
            },
            std::time::Duration::ZERO,
        );
    });
}

fn running(client: &Client) -> bool {
    client.socket.is_some() || client.retry.is_some()
}

/// Streams from `after`; a socket already streaming from later on is reopened from `after`.
pub fn start_from(shared: &Shared, state: RwSignal<ConnState>, after: EventId) {
    let (running, behind) = {
        let mut client = shared.borrow_mut();
        let behind = client.cursor.is_none_or(|c| c > after.0);
        if behind {
            client.cursor = Some(after.0);
        }
        (running(&client), behind)
    };
    if !running {
        open_after_paint(shared, state);
    } else if behind {
        open(shared, state);
    }
}

/// Streams live events from now on, unless already streaming.
pub fn start(shared: &Shared, state: RwSignal<ConnState>) {
    if !running(&shared.borrow()) {
        open_after_paint(shared, state);
    }
}

pub fn subscribe(shared: &Shared, subscriber: Subscriber) -> u64 {
    let mut client = shared.borrow_mut();
    client.next_subscriber += 1;
    let id = client.next_subscriber;
    client.subscribers.push((id, subscriber));
    id
}

pub fn unsubscribe(shared: &Shared, id: u64) {
    shared.borrow_mut().subscribers.retain(|(s, _)| *s != id);
}

pub fn view(shared: &Shared, launch: Option<LaunchId>) {
    let mut client = shared.borrow_mut();
    client.viewing = launch;
    send(&client, &ClientMessage::Viewing { launch_id: launch });
}
