//! The escalation page's sections, each with the form members and deciders use.

use super::api::EscalationDetail;
use crate::action::api::{AddAction, SetActionDone};
use crate::auth::Person;
use crate::auth::model::Permission;
use crate::components::can;
use crate::components::{
    Form, FormMessage, LocalTime, NumberField, SelectField, Submit, TextArea, TextField, TzOffset,
};
use crate::decision::api::RecordDecision;
use crate::decision::views::{DecisionForm, RequestSummary};
use crate::escalation::api::{MoveEscalation, SetWorkaround, TriageEscalation};
use crate::escalation::{EscalationId, RiskLevel, Stage};
use crate::update::api::PostUpdate;
use leptos::prelude::*;

fn people_options(people: &[Person], empty: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), empty.to_string()))
        .chain(people.iter().map(|p| (p.id.0.to_string(), p.name.clone())))
        .collect()
}

/// Calls `refresh` after each successful submission of `action`.
pub(super) fn refresh_after<S, O>(action: ServerAction<S>, refresh: Callback<()>)
where
    S: leptos::server_fn::ServerFn<Output = O> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    Effect::new(move |previous: Option<usize>| {
        let version = action.version().get();
        if previous.is_some_and(|p| p != version)
            && matches!(action.value().get_untracked(), Some(Ok(_)))
        {
            refresh.run(());
        }
        version
    });
}

/// Triage (while Triggered) and moving between stages.
#[component]
pub fn ManageSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let member = can(Permission::WorkEscalations);
    let triage = ServerAction::<TriageEscalation>::new();
    let moving = ServerAction::<MoveEscalation>::new();
    refresh_after(triage, refresh);
    refresh_after(moving, refresh);
    let e = detail.escalation.clone();
    let triggered = e.stage == Stage::Triggered;
    let resolvable = !matches!(e.stage, Stage::Resolved | Stage::Closed);
    let major = e.tier.is_major();
    let stages: Vec<(String, String)> = Stage::ALL
        .iter()
        .filter(|s| **s != e.stage && **s != Stage::Resolved)
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect();
    view! {
        {member.get_untracked().then(|| view! {
            <section class="card" aria-labelledby="manage-h">
                <h2 id="manage-h">{if triggered { "Triage" } else { "Move" }}</h2>
                {triggered.then(|| view! {
                    <Form action=triage label="Triage" class="stack" id_prefix="t-">
                        <FormMessage />
                        <p class="hint">"Set the tier, impact, an owner with authority and a deadline; the escalation moves to Triaged."</p>
                        <input type="hidden" name="id" value=e.id.0 />
                        <input type="hidden" name="version" value=e.version />
                        <SelectField label="Tier" name="tier" selected=e.tier.get().to_string()
                            options=(1..=4).map(|t| (t.to_string(), format!("Tier {t}"))).collect() />
                        <fieldset class="impact">
                            <legend>"Impact, 0 (none) to 5 (severe)"</legend>
                            <NumberField label="Customer journey" name="impact_customer" error_key="impact.customer" value=e.impact.customer.to_string() min=0 max=5 />
                            <NumberField label="Revenue" name="impact_revenue" error_key="impact.revenue" value=e.impact.revenue.to_string() min=0 max=5 />
                            <NumberField label="Compliance" name="impact_compliance" error_key="impact.compliance" value=e.impact.compliance.to_string() min=0 max=5 />
                        </fieldset>
                        <SelectField label="Owner" name="owner_id" options=people_options(&detail.owners, "Choose someone with authority")
                            selected=e.owner_id.or(detail.suggested_owner).map(|o| o.0.to_string()).unwrap_or_default()
                            hint="People who hold authority to commit resources for this launch." />
                        <TextField label="Deadline" name="deadline" kind="datetime-local" hint="In your time zone." />
                        <TzOffset />
                        <Submit label="Triage" busy="Triaging…" />
                    </Form>
                })}
                <Form action=moving label="Move to another stage" class="stack inline-form" id_prefix="mv-">
                    <FormMessage />
                    <input type="hidden" name="id" value=e.id.0 />
                    <input type="hidden" name="version" value=e.version />
                    <SelectField label="Move to" name="stage" options=stages />
                    <TextField label="Reason (needed to close tiers 3–4 without a post-mortem)" name="reason" />
                    <Submit label="Move" busy="Moving…" />
                </Form>
                {resolvable.then(|| view! {
                    <ResolveForm id=e.id version=e.version tier=e.tier.to_string() major refresh />
                })}
            </section>
        })}
    }
}

/// Resolving: what was done and the risk that remains (required for tiers 1–2), which
/// every stakeholder is then told.
#[component]
fn ResolveForm(
    id: EscalationId,
    version: i64,
    tier: String,
    major: bool,
    refresh: Callback<()>,
) -> impl IntoView {
    let resolving = ServerAction::<MoveEscalation>::new();
    refresh_after(resolving, refresh);
    let levels = std::iter::once((String::new(), "Choose a level".to_string()))
        .chain(RiskLevel::ALL.map(|l| (l.as_str().to_string(), l.label().to_string())))
        .collect();
    let needed = if major {
        format!(
            "A {tier} escalation resolves with its outcome and the updated risk posture; every stakeholder is told."
        )
    } else {
        "Outcome and risk posture are optional for tiers 3–4; every stakeholder is told."
            .to_string()
    };
    view! {
        <Form action=resolving label="Resolve" class="stack resolve" id_prefix="rs-">
            <h3 id="resolve">"Resolve"</h3>
            <FormMessage />
            <p class="hint">{needed}</p>
            <input type="hidden" name="id" value=id.0 />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="stage" value="resolved" />
            <TextArea label="Outcome: what was done" name="outcome" rows=3 />
            <SelectField label="Risk posture" name="risk_level" error_key="risk_posture.level" options=levels />
            <TextField label="Risk note: what remains" name="risk_note" />
            <Submit label="Resolve" busy="Resolving…" />
        </Form>
    }
}

/// The open decision request, the form to decide it, and the decision log.
#[component]
pub fn DecisionSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let record = ServerAction::<RecordDecision>::new();
    refresh_after(record, refresh);
    let open = detail
        .requests
        .iter()
        .find(|r| r.answered_at.is_none())
        .cloned();
    let now = detail.now;
    let id = detail.escalation.id;
    let can_decide = detail.can_decide;
    view! {
        <section aria-labelledby="decisions-h">
            <h2 id="decisions-h">"Decisions"</h2>
            {open.clone().map(|request| view! { <div class="card"><RequestSummary request now /></div> })}
            {can_decide.then(|| view! {
                <details class="card" open=open.is_some()>
                    <summary>{if open.is_some() { "Record the decision" } else { "Record a decision" }}</summary>
                    <DecisionForm action=record escalation_id=id id_prefix="d-" meeting_id=open.as_ref().and_then(|r| r.meeting.as_ref().map(|m| m.id)) />
                </details>
            })}
            {if detail.decisions.is_empty() {
                view! { <p class="empty">"No decisions recorded yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="log" aria-label="Decision log">
                        {detail.decisions.iter().rev().map(|d| view! {
                            <li class="log-entry">
                                <p class="decision"><strong>{d.decision.clone()}</strong></p>
                                <p class="prose">{d.rationale.clone()}</p>
                                <p class="meta">
                                    "Decided by " {d.decided_by.name.clone()}
                                    {(d.participants.len() > 1).then(|| format!(" with {}", d.participants.iter().filter(|p| p.id != d.decided_by.id).map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")))}
                                    " · " <LocalTime at=d.created_at />
                                    {d.corrects_id.map(|c| format!(" · corrects decision #{c}"))}
                                </p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// Stand-up updates: the form and the list, newest first.
#[component]
pub fn UpdatesSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let member = can(Permission::WorkEscalations);
    let post = ServerAction::<PostUpdate>::new();
    refresh_after(post, refresh);
    let validate = Callback::new(|input: PostUpdate| {
        crate::update::api::draft_of(&input).validate().map(|_| ())
    });
    let id = detail.escalation.id;
    let has_sponsor = detail.launch.sponsor.is_some();
    view! {
        <section aria-labelledby="updates-h">
            <h2 id="updates-h">"Stand-up updates"</h2>
            {member.get_untracked().then(|| view! {
                <details class="card">
                    <summary>"Post an update"</summary>
                    <Form action=post validate label="Post an update" class="stack" id_prefix="u-">
                        <FormMessage />
                        <input type="hidden" name="escalation_id" value=id.0 />
                        <TextArea label="Problem" name="problem" rows=2 />
                        <TextArea label="Current impact" name="impact" rows=2 />
                        <TextArea label="Proposed mitigation" name="mitigation" rows=2 />
                        <TextArea label="Decision required (optional)" name="decision_required" rows=2
                            hint="Filling this in asks for a decision; the escalation then awaits it." />
                        {has_sponsor.then(|| view! {
                            <SelectField label="Who decides" name="address_to"
                                options=vec![("owner".into(), "The owner".into()), ("sponsor".into(), "The senior sponsor".into())] />
                        })}
                        <Submit label="Post update" busy="Posting…" />
                    </Form>
                </details>
            })}
            {if detail.updates.is_empty() {
                view! { <p class="empty">"No updates yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="log" aria-label="Updates, newest first">
                        {detail.updates.iter().map(|u| view! {
                            <li class="log-entry">
                                <p class="meta">{u.author.name.clone()} " · " <LocalTime at=u.created_at /></p>
                                <dl class="standup">
                                    <dt>"Problem"</dt><dd class="prose">{u.problem.clone()}</dd>
                                    <dt>"Current impact"</dt><dd class="prose">{u.impact.clone()}</dd>
                                    <dt>"Proposed mitigation"</dt><dd class="prose">{u.mitigation.clone()}</dd>
                                    {u.decision_required.clone().map(|d| view! { <dt>"Decision required"</dt><dd class="prose">{d}</dd> })}
                                </dl>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The workaround, its time-box and root-cause follow-up.
#[component]
pub fn WorkaroundSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let member = can(Permission::WorkEscalations);
    let set = ServerAction::<SetWorkaround>::new();
    refresh_after(set, refresh);
    let e = detail.escalation.clone();
    let people = detail.people.clone();
    view! {
        <section aria-labelledby="workaround-h">
            <h2 id="workaround-h">"Workaround"</h2>
            {match e.workaround.clone() {
                Some(w) => view! {
                    <div class="card">
                        <p class="prose">{w.description}</p>
                        <p class="meta">"Time-boxed until " <LocalTime at=w.expires_at />
                            {w.expired_at.map(|_| view! { " · " <span class="flag">"Expired"</span> })}</p>
                    </div>
                }.into_any(),
                None => view! { <p class="empty">"No workaround."</p> }.into_any(),
            }}
            {member.get_untracked().then(|| view! {
                <details class="card">
                    <summary>"Set a workaround"</summary>
                    <Form action=set label="Set a workaround" class="stack" id_prefix="w-">
                        <FormMessage />
                        <input type="hidden" name="id" value=e.id.0 />
                        <input type="hidden" name="version" value=e.version />
                        <TextArea label="Workaround" name="description" rows=2 />
                        <TextField label="Acceptable until" name="expires_at" kind="datetime-local" hint="The time-box; in your time zone." />
                        <TextField label="Root-cause follow-up" name="root_cause_title" error_key="root_cause_title" />
                        <SelectField label="Follow-up owner" name="root_cause_owner_id" options=people_options(&people, "Choose an owner") error_key="root_cause_owner_id" />
                        <TextField label="Follow-up due" name="root_cause_due" kind="datetime-local" />
                        <TzOffset />
                        <Submit label="Set workaround" />
                    </Form>
                </details>
            })}
        </section>
    }
}

/// Action items, overdue first, with done toggles and a form to add one.
#[component]
pub fn ActionsSection(detail: EscalationDetail, refresh: Callback<()>) -> impl IntoView {
    let member = can(Permission::WorkEscalations);
    let add = ServerAction::<AddAction>::new();
    let toggle = ServerAction::<SetActionDone>::new();
    refresh_after(add, refresh);
    refresh_after(toggle, refresh);
    let now = detail.now;
    let id = detail.escalation.id;
    let people = detail.people.clone();
    view! {
        <section aria-labelledby="actions-h">
            <h2 id="actions-h">"Action items"</h2>
            {if detail.actions.is_empty() {
                view! { <p class="empty">"No action items."</p> }.into_any()
            } else {
                view! {
                    <ul class="actions-list">
                        {detail.actions.clone().into_iter().map(|a| {
                            let overdue = a.is_overdue(now);
                            let label = if a.done { format!("Reopen {}", a.title) } else { format!("Mark {} done", a.title) };
                            view! {
                                <li class="action" class:overdue=overdue class:done=a.done>
                                    <p><strong>{a.title.clone()}</strong> " · " {a.kind.label()}</p>
                                    <p class="meta">{a.owner.name.clone()} " · due " <LocalTime at=a.due_at />
                                        {overdue.then(|| view! { " · " <span class="flag">"Overdue"</span> })}
                                        {a.done.then_some(" · done")}</p>
                                    {member.get_untracked().then(|| view! {
                                        <ActionForm action=toggle attr:class="inline" attr:aria-label=label.clone()>
                                            <input type="hidden" name="id" value=a.id />
                                            <input type="hidden" name="version" value=a.version />
                                            <input type="hidden" name="done" value=(!a.done).to_string() />
                                            <button type="submit">{if a.done { "Reopen" } else { "Mark done" }}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {member.get_untracked().then(|| view! {
                <details class="card">
                    <summary>"Add an action item"</summary>
                    <Form action=add label="Add an action item" class="stack" id_prefix="a-">
                        <FormMessage />
                        <input type="hidden" name="escalation_id" value=id.0 />
                        <TextField label="Title" name="title" />
                        <SelectField label="Owner" name="owner_id" options=people_options(&people, "Choose an owner") />
                        <TextField label="Due" name="due" kind="datetime-local" hint="In your time zone." />
                        <TzOffset />
                        <Submit label="Add action item" />
                    </Form>
                </details>
            })}
        </section>
    }
}

/// The escalation team on duty when it was raised, and who is R, A, C and I for it.
#[component]
pub fn TeamSection(detail: EscalationDetail) -> impl IntoView {
    let id = detail.escalation.id;
    let facilitator = can(Permission::Facilitate);
    let names = |people: &[String]| {
        if people.is_empty() {
            "—".to_string()
        } else {
            people.join(", ")
        }
    };
    view! {
        <section class="card" aria-labelledby="team-h">
            <h2 id="team-h">"Team and responsibilities"</h2>
            {if detail.team.is_empty() {
                view! { <p class="empty">"No rotation was set when this was raised."</p> }.into_any()
            } else {
                view! {
                    <dl class="facts">
                        {detail.team.iter().map(|(role, person)| view! {
                            <dt>{role.label()}</dt><dd>{person.name.clone()}</dd>
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
            <div class="table-wrap" tabindex="0" role="region" aria-label="Responsibilities, scrollable">
                <table class="duties">
                    <caption>{if detail.raci_inherited { "RACI (the launch's)" } else { "RACI (adjusted for this escalation)" }}</caption>
                    <thead><tr>
                        <th scope="col">"Activity"</th>
                        <th scope="col">"Responsible"</th>
                        <th scope="col">"Accountable"</th>
                        <th scope="col">"Consulted"</th>
                        <th scope="col">"Informed"</th>
                    </tr></thead>
                    <tbody>
                        {detail.duties.iter().map(|d| view! {
                            <tr>
                                <th scope="row">{d.activity.clone()}</th>
                                <td>{names(&d.responsible)}</td>
                                <td>{names(&d.accountable)}</td>
                                <td>{names(&d.consulted)}</td>
                                <td>{names(&d.informed)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p><leptos_router::components::A href=format!("/escalations/{id}/raci")>
                {move || if facilitator.get() { "Adjust the RACI for this escalation" } else { "Open the RACI matrix" }}
            </leptos_router::components::A></p>
        </section>
    }
}
