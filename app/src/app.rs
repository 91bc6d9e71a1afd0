//! The HTML shell, the application frame (header, navigation) and the route table.

use crate::action::my_work::MyWorkPage;
use crate::auth::admin::AdminPage;
use crate::auth::login::{AccountPage, LoginPage};
use crate::auth::model::Permission;
use crate::board::page::BoardPage;
use crate::components::hydration::Hydration;
use crate::components::{CurrentUser, can, host, page_ready};
use crate::decision::page::DecisionsPage;
use crate::detail::page::EscalationPage;
use crate::event::audit::AuditPage;
use crate::home::HomePage;
use crate::launch::page::LaunchPage;
use crate::notification::page::{NotificationsLink, NotificationsPage};
use crate::runbook::page::RunbookPage;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

/// The document around every page. Its inline scripts carry the request's nonce, which the
/// response's Content-Security-Policy names (`auth::service::guard::security_headers`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href="/pkg/flare.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <Hydration options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document title for a page's own title: "Board · Launch · Flare".
fn page_title(page: String) -> String {
    let title = if page.is_empty() {
        "Flare".to_string()
    } else {
        format!("{page} · Flare")
    };
    crate::components::raw_text::rcdata(title)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The caller is known synchronously on the server and travels to the browser with the
    // page, so every page can decide what to show without waiting for a request.
    let me = SharedValue::new(host::caller).into_inner();
    let user: CurrentUser = Signal::stored(me);
    provide_context(user);
    provide_context(crate::realtime::Live::new());
    view! {
        <Title formatter=page_title />
        <Router>
            <a class="skip" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| { page_ready(); HomePage() } ssr=SsrMode::Async />
                    <Route path=path!("/login") view=|| { page_ready(); LoginPage() } ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/board") view=|| { page_ready(); BoardPage() } ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id") view={Lazy::<LaunchRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/raci") view={Lazy::<LaunchRaciRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/criteria") view={Lazy::<CriteriaRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/dashboard") view={Lazy::<LaunchDashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/launches/:id/meetings") view={Lazy::<LaunchMeetingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/escalations/:id/raci") view={Lazy::<EscalationRaciRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/escalations/:id/postmortem") view={Lazy::<PostMortemRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/escalations/:id") view={Lazy::<EscalationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/postmortems") view={Lazy::<PostMortemIndexRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/decisions") view={Lazy::<DecisionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/my-work") view={Lazy::<MyWorkRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/runbook") view={Lazy::<RunbookRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/runbook/versions") view={Lazy::<RunbookVersionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/reviews") view={Lazy::<ReviewsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/reviews/:id") view={Lazy::<ReviewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks") view={Lazy::<WebhooksRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings/notifications") view={Lazy::<EmailSettingsRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// Pages off the critical path of the board and the home page: in the browser their code is
/// split out of the main wasm module and fetched when a page first needs it (preloaded with
/// the server-rendered page, so hydration does not wait on a second round trip). The server
/// renders them in full as before.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_route: Self) -> AnyView {
                page_ready();
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    AccountRoute => AccountPage,
    LaunchRoute => LaunchPage,
    LaunchRaciRoute => crate::raci::page::LaunchRaciPage,
    TeamRoute => crate::team::page::TeamPage,
    CriteriaRoute => crate::measure::page::CriteriaPage,
    LaunchDashboardRoute => crate::dashboard::page::LaunchDashboardPage,
    LaunchMeetingsRoute => crate::meeting::page::LaunchMeetingsPage,
    MeetingRoute => crate::meeting::page::MeetingPage,
    DashboardRoute => crate::dashboard::page::DashboardPage,
    EscalationRaciRoute => crate::raci::page::EscalationRaciPage,
    PostMortemRoute => crate::postmortem::page::PostMortemPage,
    EscalationRoute => EscalationPage,
    PostMortemIndexRoute => crate::postmortem::index::PostMortemIndex,
    AuditRoute => AuditPage,
    DecisionsRoute => DecisionsPage,
    MyWorkRoute => MyWorkPage,
    RunbookRoute => RunbookPage,
    RunbookVersionsRoute => crate::runbook::versions::VersionsPage,
    ReviewsRoute => crate::review::page::ReviewsPage,
    ReviewRoute => crate::review::page::ReviewPage,
    NotificationsRoute => NotificationsPage,
    AdminRoute => AdminPage,
    WebhooksRoute => crate::webhook::page::WebhooksPage,
    EmailSettingsRoute => crate::mail::page::EmailSettingsPage,
}

#[component]
fn Header() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let audit = can(Permission::ViewAudit);
    let admin = can(Permission::Administer);
    view! {
        <header class="top">
            <A href="/" attr:class="brand">
                <span class="flame" aria-hidden="true">"▲"</span>
                "Flare"
            </A>
            {move || {
                    user.get()
                        .map(|me| {
                            view! {
                                <nav aria-label="Main">
                                    <ul>
                                        <li><A href="/">"Launches"</A></li>
                                        <li><A href="/dashboard">"Readiness"</A></li>
                                        <li><A href="/decisions">"Needs decision"</A></li>
                                        <li><A href="/my-work">"My work"</A></li>
                                        <li><A href="/postmortems">"Post-mortems"</A></li>
                                        <li><A href="/runbook">"Runbook"</A></li>
                                        <li><NotificationsLink /></li>
                                        <Show when=move || audit.get()>
                                            <li><A href="/audit">"Audit"</A></li>
                                        </Show>
                                        <Show when=move || admin.get()>
                                            <li><A href="/admin">"Admin"</A></li>
                                        </Show>
                                    </ul>
                                </nav>
                                <div class="who">
                                    <A href="/account" attr:class="me">
                                        {me.name.clone()}
                                        <span class="role">{me.role.label()}</span>
                                    </A>
                                    <form method="post" action="/logout">
                                        <button type="submit" class="link">"Sign out"</button>
                                    </form>
                                </div>
                            }
                        })
                }}
        </header>
    }
}

/// Shown for unknown paths (with a 404 status on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    page_ready();
    host::set_not_found();
    view! {
        <Title text="Not found" />
        <h1>"Not found"</h1>
        <p>"There is nothing at this address. " <A href="/">"Back to launches"</A></p>
    }
}
