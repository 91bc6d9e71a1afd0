//! `/launches/{id}/meetings`: a launch's meetings (upcoming soonest first, then past ones),
//! its cadences and setting one up, and the caller's calendar address; `/meetings/{id}` is
//! `one`, a meeting with its agenda, minutes and decisions.

mod one;

pub use one::MeetingPage;

use super::api::{AddCadence, CalendarAddress, MeetingsView, RevokeCalendar, load_meetings};
use super::model::{Cadence, Meeting, MeetingStatus};
use crate::auth::model::Permission;
use crate::components::{
    CheckField, Form, FormMessage, LoadError, Loading, LocalTime, NumberField, SelectField, Submit,
    TextField, can,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LaunchMeetingsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let add = ServerAction::<AddCadence>::new();
    let address = ServerAction::<CalendarAddress>::new();
    let revoke = ServerAction::<RevokeCalendar>::new();
    let changed = move || add.version().get() + address.version().get() + revoke.version().get();
    let view_of = Resource::new(
        move || (id(), changed()),
        |(id, _)| async move {
            match id {
                Some(id) => load_meetings(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such launch.",
                )),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match view_of.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! { <Meetings view add address revoke /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Meetings(
    view: MeetingsView,
    add: ServerAction<AddCadence>,
    address: ServerAction<CalendarAddress>,
    revoke: ServerAction<RevokeCalendar>,
) -> impl IntoView {
    let MeetingsView {
        launch_id,
        launch_name,
        cadences,
        meetings,
        calendar,
    } = view;
    let title = format!("Meetings · {launch_name}");
    let (coming, past): (Vec<Meeting>, Vec<Meeting>) = meetings
        .into_iter()
        .partition(|m| m.status != MeetingStatus::Ended);
    view! {
        <Title text=title.clone() />
        <p class="crumbs"><a href=format!("/launches/{launch_id}")>{format!("← {launch_name}")}</a></p>
        <h1>{title}</h1>
        <section aria-labelledby="coming-h">
            <h2 id="coming-h">"Coming up"</h2>
            <MeetingList meetings=coming empty="No meeting booked. Set up a cadence below." />
        </section>
        <section aria-labelledby="cadences-h">
            <h2 id="cadences-h">"Cadences"</h2>
            {if cadences.is_empty() {
                view! { <p class="empty">"No cadence yet. A launch gets a daily stand-up when it goes live."</p> }.into_any()
            } else {
                view! { <ul>{cadences.into_iter().map(|c| view! { <li>{cadence_line(&c)}</li> }).collect_view()}</ul> }.into_any()
            }}
            {can(Permission::Facilitate).get_untracked().then(|| view! { <CadenceForm launch_id add /> })}
        </section>
        <CalendarSection calendar address revoke />
        <section aria-labelledby="past-h">
            <h2 id="past-h">"Past meetings"</h2>
            <MeetingList meetings=past empty="None yet." />
        </section>
    }
}

fn cadence_line(c: &Cadence) -> String {
    let every = match c.every {
        super::model::Every::Day => "every day",
        super::model::Every::Weekday => "every weekday",
        super::model::Every::Week => "every week",
    };
    format!(
        "{}: {every} at {} ({}), {} minutes",
        c.name, c.at, c.timezone, c.minutes_long
    )
}

#[component]
fn MeetingList(meetings: Vec<Meeting>, empty: &'static str) -> impl IntoView {
    if meetings.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="meetings">
            {meetings.into_iter().map(|m| view! {
                <li>
                    <a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a>
                    " · " <LocalTime at=m.starts_at />
                    {(m.status == MeetingStatus::InProgress).then(|| view! { " · " <strong>"In progress"</strong> })}
                    {format!(" · {} agenda items", m.agenda.len())}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn CadenceForm(launch_id: i64, add: ServerAction<AddCadence>) -> impl IntoView {
    let kinds = [
        ("standup", "Stand-up"),
        ("review", "Review"),
        ("workshop", "Workshop"),
    ];
    let every = [
        ("weekday", "Every weekday"),
        ("day", "Every day"),
        ("week", "Every week"),
    ];
    let options = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(v, l)| ((*v).to_string(), (*l).to_string()))
            .collect::<Vec<_>>()
    };
    view! {
        <Form action=add label="Set up a recurring meeting" class="card narrow stack" id_prefix="cadence-">
            <h3>"Set up a recurring meeting"</h3>
            <FormMessage />
            <input type="hidden" name="launch_id" value=launch_id />
            <TextField label="Name" name="name" required=true max_length=200 />
            <SelectField label="Kind" name="kind" options=options(&kinds) />
            <SelectField label="How often" name="every" options=options(&every) />
            <TextField label="Time of day" name="at" kind="time" value="09:00" required=true />
            <TextField label="Time zone" name="timezone" value="UTC" required=true
                hint="An IANA zone, e.g. Europe/Berlin: the meeting keeps its wall-clock time across daylight-saving changes." />
            <NumberField label="Minutes long" name="minutes_long" value="15" min=5 max=480 />
            <fieldset>
                <legend>"Who takes part"</legend>
                <CheckField label="Members" name="members" checked=true />
                <CheckField label="Facilitators" name="facilitators" checked=true />
                <CheckField label="Executives" name="executives" />
            </fieldset>
            <Submit label="Set it up" busy="Booking the meetings…" />
        </Form>
    }
}

#[component]
fn CalendarSection(
    calendar: Option<String>,
    address: ServerAction<CalendarAddress>,
    revoke: ServerAction<RevokeCalendar>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="calendar-h" class="card narrow">
            <h2 id="calendar-h">"Your calendar"</h2>
            <p>"Subscribe to this secret address in your calendar app to see every meeting you are in, with a link to its agenda. Anyone with the address can read it: revoke it if it leaks."</p>
            {match calendar {
                Some(url) => view! {
                    <label for="calendar-url">"Calendar address"</label>
                    <input id="calendar-url" type="text" readonly value=url />
                    <ActionForm action=revoke attr:aria-label="Revoke the calendar address">
                        <button type="submit" class="secondary">"Revoke this address"</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=address attr:aria-label="Get a calendar address">
                        <button type="submit">"Get my calendar address"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}
