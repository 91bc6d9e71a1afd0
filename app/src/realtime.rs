//! Real time: one hub per process delivers every committed event to every client that may
//! see it. Browsers use a WebSocket (`/ws`), integrations Server-Sent Events
//! (`/api/v1/stream`); both resume from the last event id they saw, replaying from the events
//! table. With PostgreSQL every process LISTENs and writers NOTIFY, so several app servers
//! share one live board.

#[cfg(feature = "hydrate")]
pub mod client;
pub mod model;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;

pub use model::{ConnState, ServerMessage};

use crate::event::model::EventId;
use crate::launch::LaunchId;
use leptos::prelude::*;

/// The page's live connection, provided by the app shell. On the server it is inert.
#[derive(Clone, Copy)]
pub struct Live {
    pub state: RwSignal<ConnState>,
    #[cfg(feature = "hydrate")]
    client: StoredValue<client::Shared, LocalStorage>,
}

impl Live {
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(ConnState::Idle),
            #[cfg(feature = "hydrate")]
            client: StoredValue::new_local(Default::default()),
        }
    }

    /// Streams events after `after` (reconnecting from there if it already runs from later).
    pub fn start_from(&self, after: EventId) {
        #[cfg(feature = "hydrate")]
        client::start_from(&self.client.get_value(), self.state, after);
        #[cfg(not(feature = "hydrate"))]
        let _ = after;
    }

    /// Streams live events from now on, unless already streaming.
    pub fn start(&self) {
        #[cfg(feature = "hydrate")]
        client::start(&self.client.get_value(), self.state);
    }

    /// Calls `handler` with every message until the calling component is gone.
    pub fn on_message(&self, handler: impl Fn(&ServerMessage) + 'static) {
        #[cfg(feature = "hydrate")]
        {
            let shared = self.client.get_value();
            let id = client::subscribe(&shared, std::rc::Rc::new(handler));
            let shared = send_wrapper::SendWrapper::new(shared);
            on_cleanup(move || client::unsubscribe(&shared, id));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = handler;
    }

    /// Tells the server which board this page shows (for "also viewing").
    pub fn viewing(&self, launch: Option<LaunchId>) {
        #[cfg(feature = "hydrate")]
        client::view(&self.client.get_value(), launch);
        #[cfg(not(feature = "hydrate"))]
        let _ = launch;
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}
