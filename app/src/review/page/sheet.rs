//! `/reviews/{id}`: one governance review — its figures beside target and last quarter,
//! participants (with the functional areas nobody speaks for), findings, adjustments to
//! propose and adopt, the executive's sign-off, and the Markdown export. Read-only once
//! signed off; prints cleanly.

use crate::auth::model::{Permission, Role};
use crate::components::{
    CurrentUser, Form, FormMessage, LoadError, Loading, NumberField, SelectField, Submit, TextArea,
    TextField, can,
};
use crate::review::api::{
    AdoptAdjustment, ProposeCadenceChange, ProposeRaciChange, ProposeRunbookChange, ReviewView,
    SaveFindings, SetParticipant, SignOffReview, load_review,
};
use crate::review::model::{Adjustment, Figure, Figures, Review, tier_label};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let participant = ServerAction::<SetParticipant>::new();
    let findings = ServerAction::<SaveFindings>::new();
    let propose = ServerAction::<ProposeRunbookChange>::new();
    let propose_cadence = ServerAction::<ProposeCadenceChange>::new();
    let propose_raci = ServerAction::<ProposeRaciChange>::new();
    let adopt = ServerAction::<AdoptAdjustment>::new();
    let sign = ServerAction::<SignOffReview>::new();
    // Any action of the page reloads the review.
    let changed = move || {
        participant.version().get()
            + findings.version().get()
            + propose.version().get()
            + propose_cadence.version().get()
            + propose_raci.version().get()
            + adopt.version().get()
            + sign.version().get()
    };
    let review = Resource::new(
        move || (id(), changed()),
        |(id, _)| async move {
            match id {
                Some(id) => load_review(id).await,
                None => Err(crate::error::AppError::not_found(
                    "There is no such review.",
                )),
            }
        },
    );
    let actions = Actions {
        participant,
        findings,
        propose,
        propose_cadence,
        propose_raci,
        adopt,
        sign,
    };
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match review.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! { <Sheet view actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The page's actions, shared by its sections.
#[derive(Clone, Copy)]
struct Actions {
    participant: ServerAction<SetParticipant>,
    findings: ServerAction<SaveFindings>,
    propose: ServerAction<ProposeRunbookChange>,
    propose_cadence: ServerAction<ProposeCadenceChange>,
    propose_raci: ServerAction<ProposeRaciChange>,
    adopt: ServerAction<AdoptAdjustment>,
    sign: ServerAction<SignOffReview>,
}

#[component]
fn Sheet(view: ReviewView, actions: Actions) -> impl IntoView {
    let ReviewView {
        review,
        people,
        cadences,
    } = view;
    let open = !review.is_signed_off();
    let edit = open && can(Permission::Facilitate).get_untracked();
    let executive = use_context::<CurrentUser>().is_some_and(|u| {
        u.with_untracked(|u| u.as_ref().is_some_and(|a| a.role == Role::Executive))
    });
    let id = review.id;
    let title = format!("Governance review {}", review.period);
    view! {
        <Title text=title.clone() />
        <p class="crumbs"><a href="/reviews">"← Governance reviews"</a></p>
        <h1>{title}</h1>
        {match review.sign_off_text() {
            Some(text) => view! { <p class="ok signed" role="status"><strong>{text}</strong>". Read-only."</p> }.into_any(),
            None => view! { <p class="meta">"Open: not yet signed off."</p> }.into_any(),
        }}
        <p class="actions">
            <a href=format!("/api/v1/reviews/{id}.md") download=format!("governance-review-{}.md", review.period)>"Export Markdown"</a>
        </p>
        <FiguresSection figures=review.figures.clone() period=review.period.to_string() />
        <Participants review=review.clone() people edit action=actions.participant />
        <Findings review=review.clone() edit action=actions.findings />
        <Adjustments review=review.clone() edit actions cadences />
        {(open && executive).then(|| view! {
            <section aria-labelledby="sign-h" class="card narrow">
                <h2 id="sign-h">"Sign-off"</h2>
                <p>"Signing off makes the review read-only, with its figures as they stand now."</p>
                <ActionForm action=actions.sign attr:aria-label="Sign off the review">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="primary">"Sign off"</button>
                </ActionForm>
                {move || match actions.sign.value().get() {
                    Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                    _ => None,
                }}
            </section>
        })}
    }
}

#[component]
fn FiguresSection(figures: Figures, period: String) -> impl IntoView {
    view! {
        <section aria-labelledby="figures-h">
            <h2 id="figures-h">"Figures"</h2>
            {figures.no_data.then(|| view! {
                <p class="flag" role="note">{format!("No data for {period}: nothing was escalated, decided or due in it. The figures are empty, not zero.")}</p>
            })}
            <p>{format!("{} escalations raised in {period}, drills apart.", figures.escalations)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Figures, scrollable">
                <table>
                    <caption>{format!("Figures for {period} beside the runbook's targets and the quarter before")}</caption>
                    <thead><tr>
                        <th scope="col">"Figure"</th>
                        <th scope="col">"This quarter"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Last quarter"</th>
                        <th scope="col">"Change"</th>
                    </tr></thead>
                    <tbody>
                        {figures.lines.iter().map(|f| view! {
                            <tr>
                                <th scope="row">{f.label.clone()}</th>
                                <td>{Figure::value_text(f.value, &f.unit)}</td>
                                <td>{f.target.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{Figure::value_text(f.previous, &f.unit)}</td>
                                <td>{f.change_text()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!figures.by_tier.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Escalations by tier and trigger, scrollable">
                    <table>
                        <caption>"Escalations by tier and by trigger"</caption>
                        <thead><tr><th scope="col">"Tier or trigger"</th><th scope="col">"Escalations"</th></tr></thead>
                        <tbody>
                            {figures.by_tier.iter().map(|(k, n)| view! { <tr><th scope="row">{tier_label(k)}</th><td>{*n}</td></tr> }).collect_view()}
                            {figures.by_trigger.iter().map(|(k, n)| view! { <tr><th scope="row">{k.replace('_', " ")}</th><td>{*n}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn Participants(
    review: Review,
    people: Vec<crate::review::model::Participant>,
    edit: bool,
    action: ServerAction<SetParticipant>,
) -> impl IntoView {
    let id = review.id;
    let others: Vec<(String, String)> = people
        .iter()
        .filter(|p| !review.participants.iter().any(|q| q.id == p.id))
        .map(|p| {
            (
                p.id.to_string(),
                format!("{} ({})", p.name, p.functional_area.label()),
            )
        })
        .collect();
    view! {
        <section aria-labelledby="people-h">
            <h2 id="people-h">"Participants"</h2>
            {review.participants.is_empty().then(|| view! { <p class="empty">"No one named yet."</p> })}
            <ul>
                {review.participants.clone().into_iter().map(|p| view! {
                    <li>
                        {format!("{} · {}", p.name, p.functional_area.label())}
                        {edit.then(|| view! {
                            <ActionForm action attr:class="inline" attr:aria-label=format!("Remove {}", p.name)>
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="user_id" value=p.id />
                                <input type="hidden" name="taking_part" value="false" />
                                <button type="submit">"Remove"</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {review.warnings.clone().into_iter().map(|w| view! { <p class="warning">{format!("Warning: {w}")}</p> }).collect_view()}
            {(edit && !others.is_empty()).then(|| view! {
                <Form action label="Add a participant" class="filters" id_prefix="p-">
                    <FormMessage />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="taking_part" value="true" />
                    <SelectField label="Person" name="user_id" options=others />
                    <Submit label="Add participant" />
                </Form>
            })}
        </section>
    }
}

#[component]
fn Findings(review: Review, edit: bool, action: ServerAction<SaveFindings>) -> impl IntoView {
    view! {
        <section aria-labelledby="findings-h">
            <h2 id="findings-h">"Findings"</h2>
            {if edit {
                view! {
                    <Form action label="Findings" class="stack" id_prefix="f-">
                        <FormMessage />
                        <input type="hidden" name="id" value=review.id />
                        <input type="hidden" name="version" value=review.version />
                        <TextArea label="Findings" name="findings" value=review.findings.clone() rows=6
                            hint="Markdown. What worked, what did not, and why." />
                        <Submit label="Save findings" />
                    </Form>
                }.into_any()
            } else if review.findings.trim().is_empty() {
                view! { <p class="empty">"None recorded."</p> }.into_any()
            } else {
                view! { <p class="prose">{review.findings.clone()}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Adjustments(
    review: Review,
    edit: bool,
    actions: Actions,
    cadences: Vec<(i64, String)>,
) -> impl IntoView {
    let id = review.id;
    let cadences: Vec<(String, String)> = cadences
        .into_iter()
        .map(|(id, label)| (id.to_string(), label))
        .collect();
    view! {
        <section aria-labelledby="adjust-h">
            <h2 id="adjust-h">"Adjustments"</h2>
            {review.adjustments.is_empty().then(|| view! { <p class="empty">"None proposed."</p> })}
            <ul class="adjustments">
                {review.adjustments.into_iter().map(|a| view! { <AdjustmentItem a edit action=actions.adopt /> }).collect_view()}
            </ul>
            {move || match actions.adopt.value().get() {
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                _ => None,
            }}
            {edit.then(|| view! {
                <details class="card narrow">
                    <summary>"Propose a runbook change"</summary>
                    <Form action=actions.propose label="Propose a runbook change" class="stack" id_prefix="adj-">
                        <FormMessage />
                        <input type="hidden" name="id" value=id />
                        <SelectField label="Tier" name="tier" error_key="change.tier"
                            options=(1..=4).map(|t| (t.to_string(), format!("Tier {t}"))).collect() />
                        <p class="meta">"Leave a field empty to keep it as it is."</p>
                        <NumberField label="Acknowledge within (minutes)" name="acknowledge_minutes" error_key="change.acknowledge_minutes" value=String::new() min=1 max=crate::runbook::model::MAX_MINUTES />
                        <NumberField label="Update every (minutes)" name="update_minutes" error_key="change.update_minutes" value=String::new() min=1 max=crate::runbook::model::MAX_MINUTES />
                        <NumberField label="Decide within (minutes)" name="decide_minutes" error_key="change.decide_minutes" value=String::new() min=1 max=crate::runbook::model::MAX_MINUTES />
                        <SelectField label="Notify executives" name="notify_executives"
                            options=vec![("".into(), "Unchanged".into()), ("yes".into(), "Yes".into()), ("no".into(), "No".into())] />
                        <TextArea label="Escalation steps" name="steps" rows=3 hint="One per line; empty keeps the tier's steps." />
                        <TextArea label="Reason" name="reason" rows=2 />
                        <Submit label="Propose" />
                    </Form>
                </details>
            })}
            {edit.then(|| view! { <RaciChangeForm id action=actions.propose_raci /> })}
            {(edit && !cadences.is_empty()).then(|| view! {
                <details class="card narrow">
                    <summary>"Propose a cadence change"</summary>
                    <Form action=actions.propose_cadence label="Propose a cadence change" class="stack" id_prefix="cad-">
                        <FormMessage />
                        <input type="hidden" name="id" value=id />
                        <SelectField label="Cadence" name="cadence_id" error_key="change.cadence_id" options=cadences />
                        <p class="meta">"Leave a field empty to keep it as it is."</p>
                        <SelectField label="How often" name="every" error_key="change.every"
                            options=vec![("".into(), "Unchanged".into()), ("day".into(), "Every day".into()),
                                ("weekday".into(), "Every weekday".into()), ("week".into(), "Every week".into())] />
                        <TextField label="Time of day (HH:MM)" name="at" error_key="change.at" />
                        <TextField label="Time zone" name="timezone" error_key="change.timezone" />
                        <NumberField label="Minutes long" name="minutes_long" error_key="change.minutes_long" value=String::new() min=5 max=480 />
                        <TextArea label="Reason" name="reason" rows=2 />
                        <Submit label="Propose" />
                    </Form>
                </details>
            })}
        </section>
    }
}

#[component]
fn AdjustmentItem(
    a: Adjustment,
    edit: bool,
    action: ServerAction<AdoptAdjustment>,
) -> impl IntoView {
    let adopted = a.status == "adopted";
    view! {
        <li class="card">
            <p><strong>{a.kind.label()}</strong> ": " {a.summary.clone()}</p>
            <p class="meta">"Reason: " {a.reason.clone()}</p>
            <p>{match (&a.result, adopted) {
                (Some(result), true) => format!("Adopted: {result}"),
                _ if adopted => "Adopted".to_string(),
                _ => "Proposed, not adopted".to_string(),
            }}</p>
            {(edit && !adopted).then(|| view! {
                <ActionForm action attr:class="inline" attr:aria-label=format!("Adopt: {}", a.summary)>
                    <input type="hidden" name="id" value=a.id />
                    <button type="submit">"Adopt"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// "Propose a RACI template change": one activity's row, a letter or none per seat.
#[component]
fn RaciChangeForm(id: i64, action: ServerAction<ProposeRaciChange>) -> impl IntoView {
    use crate::team::model::FunctionalRole;
    let letters = || {
        [("", "—"), ("R", "R"), ("A", "A"), ("C", "C"), ("I", "I")]
            .iter()
            .map(|(v, l)| ((*v).to_string(), (*l).to_string()))
            .collect::<Vec<_>>()
    };
    view! {
        <details class="card narrow">
            <summary>"Propose a RACI template change"</summary>
            <Form action label="Propose a RACI template change" class="stack" id_prefix="raci-">
                <FormMessage />
                <input type="hidden" name="id" value=id />
                <TextField label="Activity" name="activity" error_key="change.activity"
                    hint="An activity of the template to change, or a new one. Exactly one A and at least one R." />
                {FunctionalRole::ALL.into_iter().map(|role| view! {
                    <SelectField label=role.label() name=role.as_str() error_key="change.cells" options=letters() />
                }).collect_view()}
                <TextArea label="Reason" name="reason" rows=2 />
                <Submit label="Propose" />
            </Form>
        </details>
    }
}
