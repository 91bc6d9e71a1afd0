//! The RACI matrix: activities (rows) × columns (a person, `"<user_id>"`, or a functional
//! role, `"role:<name>"`), each cell R, A, C or I. The rules — exactly one A and at least one
//! R per activity (refused otherwise), gaps and overlaps (warned, never refused) — are pure
//! functions shared by the editor, which shows them live, and the server, which enforces them.

use crate::auth::Person;
use crate::error::FieldErrors;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use crate::team::model::FunctionalRole;
use crate::validate::{Checker, MAX_NAME, is_clean_line};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many activities and columns: a matrix a person can read.
pub const MAX_ACTIVITIES: usize = 100;
pub const MAX_COLUMNS: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Letter {
    R,
    A,
    C,
    I,
}

impl Letter {
    pub const ALL: [Self; 4] = [Self::R, Self::A, Self::C, Self::I];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::R => "R",
            Self::A => "A",
            Self::C => "C",
            Self::I => "I",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::R => "Responsible",
            Self::A => "Accountable",
            Self::C => "Consulted",
            Self::I => "Informed",
        }
    }

    /// A typed letter, either case.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "R" | "r" => Some(Self::R),
            "A" | "a" => Some(Self::A),
            "C" | "c" => Some(Self::C),
            "I" | "i" => Some(Self::I),
            _ => None,
        }
    }
}

/// A column: one person, or a functional role resolved to whoever is on duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnKey {
    Person(i64),
    Role(FunctionalRole),
}

impl ColumnKey {
    pub fn parse(key: &str) -> Option<Self> {
        match key.strip_prefix("role:") {
            Some(role) => FunctionalRole::parse(role).map(Self::Role),
            None => key.parse().ok().filter(|id| *id > 0).map(Self::Person),
        }
    }

    pub fn key(self) -> String {
        match self {
            Self::Person(id) => id.to_string(),
            Self::Role(role) => format!("role:{}", role.as_str()),
        }
    }
}

/// One row: the activity and its letters by column key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub name: String,
    pub cells: BTreeMap<String, Letter>,
    /// Responsible and accountable should be different people (approvals, go/no-go).
    #[serde(default)]
    pub separate_duties: bool,
}

impl Activity {
    fn with(name: &str, separate_duties: bool, cells: &[(FunctionalRole, Letter)]) -> Self {
        Self {
            name: name.to_string(),
            cells: cells
                .iter()
                .map(|(role, letter)| (ColumnKey::Role(*role).key(), *letter))
                .collect(),
            separate_duties,
        }
    }

    fn count(&self, letter: Letter) -> usize {
        self.cells.values().filter(|l| **l == letter).count()
    }

    /// Why this activity cannot be saved, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let accountable = self.count(Letter::A);
        let responsible = self.count(Letter::R);
        let mut why = Vec::new();
        match accountable {
            1 => {}
            0 => why.push("needs one A (accountable)".to_string()),
            n => why.push(format!("has {n} A's; exactly one person is accountable")),
        }
        if responsible == 0 {
            why.push("needs at least one R (responsible)".to_string());
        }
        (!why.is_empty()).then(|| why.join(" and "))
    }

    /// The column accountable for it, when there is exactly one.
    pub fn accountable(&self) -> Option<&str> {
        let mut a = self.cells.iter().filter(|(_, l)| **l == Letter::A);
        match (a.next(), a.next()) {
            (Some((key, _)), None) => Some(key),
            _ => None,
        }
    }

    /// Whether this is the activity where decisions are made (requests go to its A).
    pub fn is_decision(&self) -> bool {
        let name = self.name.to_lowercase();
        name.contains("decision") || name.contains("decide")
    }
}

/// A launch's (or an escalation's) matrix, as stored, read and saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Raci {
    pub activities: Vec<Activity>,
    /// Column keys in display order (`"<user_id>"` or `"role:<name>"`).
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub version: i64,
    /// Gaps and overlaps: shown, returned with a save, never refused.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// An escalation's matrix that is still the launch's (not yet adjusted).
    #[serde(default)]
    pub inherited: bool,
}

/// A gap or an overlap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Warning {
    /// `gap` or `overlap`.
    pub kind: String,
    pub message: String,
    pub activity: Option<String>,
    pub column: Option<String>,
}

impl Raci {
    /// The template a new launch starts from: the common activities of an escalation and one
    /// column per seat of the escalation team.
    pub fn template() -> Self {
        use FunctionalRole::*;
        use Letter::*;
        Self {
            columns: FunctionalRole::ALL
                .into_iter()
                .map(|r| ColumnKey::Role(r).key())
                .collect(),
            activities: vec![
                Activity::with(
                    "Triage and assign an owner",
                    false,
                    &[
                        (EngineeringLead, A),
                        (Support, R),
                        (ProductOwner, C),
                        (Marketing, I),
                        (Sales, I),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Go/no-go decision",
                    true,
                    &[
                        (ProductOwner, A),
                        (EngineeringLead, R),
                        (Marketing, C),
                        (Sales, C),
                        (CustomerSuccess, I),
                        (Support, I),
                    ],
                ),
                Activity::with(
                    "Approve workaround",
                    true,
                    &[
                        (EngineeringLead, A),
                        (Support, R),
                        (ProductOwner, C),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Hotfix release",
                    false,
                    &[
                        (ProductOwner, A),
                        (EngineeringLead, R),
                        (Support, C),
                        (CustomerSuccess, I),
                        (Marketing, I),
                        (Sales, I),
                    ],
                ),
                Activity::with(
                    "Customer communication",
                    false,
                    &[
                        (Marketing, A),
                        (CustomerSuccess, R),
                        (Support, C),
                        (ProductOwner, C),
                        (Sales, I),
                        (EngineeringLead, I),
                    ],
                ),
                Activity::with(
                    "Executive briefing",
                    false,
                    &[
                        (ProductOwner, A),
                        (Marketing, R),
                        (EngineeringLead, C),
                        (Sales, I),
                        (CustomerSuccess, I),
                    ],
                ),
                Activity::with(
                    "Sales and partner communication",
                    false,
                    &[
                        (Marketing, A),
                        (Sales, R),
                        (CustomerSuccess, C),
                        (ProductOwner, I),
                    ],
                ),
                Activity::with(
                    "Support macros and help centre",
                    false,
                    &[
                        (CustomerSuccess, A),
                        (Support, R),
                        (Marketing, C),
                        (EngineeringLead, I),
                    ],
                ),
            ],
            version: 0,
            warnings: Vec::new(),
            inherited: false,
        }
    }

    /// Activities that cannot be saved, by row index, with the reason.
    pub fn problems(&self) -> BTreeMap<usize, String> {
        let mut problems = BTreeMap::new();
        for (i, activity) in self.activities.iter().enumerate() {
            let mut why = Vec::new();
            if activity.name.trim().is_empty() {
                why.push("needs a name".to_string());
            } else if self.activities[..i]
                .iter()
                .any(|a| a.name.trim().eq_ignore_ascii_case(activity.name.trim()))
            {
                why.push("has the same name as another activity".to_string());
            }
            why.extend(activity.problem());
            if !why.is_empty() {
                problems.insert(i, why.join("; "));
            }
        }
        problems
    }

    /// The activity decisions are made in, if the matrix has one.
    pub fn decision_activity(&self) -> Option<&Activity> {
        self.activities.iter().find(|a| a.is_decision())
    }

    /// Gaps and overlaps. `resolve` turns a column into the person it means now (a role's
    /// on-duty member); `label` names a column for people.
    pub fn warnings(
        &self,
        resolve: impl Fn(ColumnKey) -> Option<i64>,
        label: impl Fn(&str) -> String,
    ) -> Vec<Warning> {
        let mut out = Vec::new();
        for column in &self.columns {
            let used = self.activities.iter().any(|a| a.cells.contains_key(column));
            if !used {
                out.push(Warning {
                    kind: "gap".into(),
                    message: format!("{} has no role in any activity.", label(column)),
                    activity: None,
                    column: Some(column.clone()),
                });
            }
        }
        for activity in &self.activities {
            if activity.count(Letter::I) == 0 {
                out.push(Warning {
                    kind: "gap".into(),
                    message: format!(
                        "No one is informed about \u{201c}{}\u{201d}.",
                        activity.name
                    ),
                    activity: Some(activity.name.clone()),
                    column: None,
                });
            }
        }
        let person = |key: &str| ColumnKey::parse(key).and_then(&resolve);
        for activity in self.activities.iter().filter(|a| a.separate_duties) {
            let Some(accountable) = activity.accountable() else {
                continue;
            };
            let Some(who) = person(accountable) else {
                continue;
            };
            let also_responsible = activity
                .cells
                .iter()
                .any(|(key, letter)| *letter == Letter::R && person(key) == Some(who));
            if also_responsible {
                out.push(Warning {
                    kind: "overlap".into(),
                    message: format!(
                        "{} is both responsible and accountable for \u{201c}{}\u{201d}, which wants them separate.",
                        label(accountable),
                        activity.name
                    ),
                    activity: Some(activity.name.clone()),
                    column: Some(accountable.to_string()),
                });
            }
        }
        let total = self.activities.len();
        if total >= 3 {
            let mut load: BTreeMap<i64, (usize, String)> = BTreeMap::new();
            for key in self.activities.iter().filter_map(Activity::accountable) {
                if let Some(who) = person(key) {
                    load.entry(who).or_insert_with(|| (0, key.to_string())).0 += 1;
                }
            }
            for (count, key) in load.into_values() {
                if count * 2 > total {
                    out.push(Warning {
                        kind: "overlap".into(),
                        message: format!(
                            "{} is accountable for {count} of {total} activities.",
                            label(&key)
                        ),
                        activity: None,
                        column: Some(key),
                    });
                }
            }
        }
        out
    }
}

/// Whose matrix: a launch's, or one escalation's adjusted copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Launch(LaunchId),
    Escalation(EscalationId),
}

impl Scope {
    pub fn key(self) -> String {
        match self {
            Self::Launch(id) => format!("launch:{id}"),
            Self::Escalation(id) => format!("escalation:{id}"),
        }
    }
}

/// Who the roles mean and what to call every column, for one scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub launch_id: LaunchId,
    pub escalation_id: Option<EscalationId>,
    /// Each role's person: the escalation's team, or whoever is on duty now.
    pub on_duty: BTreeMap<FunctionalRole, Person>,
    /// Every active person (columns that can be added, names for person columns).
    pub people: Vec<Person>,
}

impl Resolution {
    pub fn resolve(&self, key: ColumnKey) -> Option<i64> {
        match key {
            ColumnKey::Person(id) => Some(id),
            ColumnKey::Role(role) => self.on_duty.get(&role).map(|p| p.id.0),
        }
    }

    /// "Priya Natarajan", or "Engineering lead (Sam Okafor)" for a role on duty.
    pub fn label(&self, key: &str) -> String {
        match ColumnKey::parse(key) {
            Some(ColumnKey::Person(id)) => self
                .people
                .iter()
                .find(|p| p.id.0 == id)
                .map_or_else(|| format!("User {id}"), |p| p.name.clone()),
            Some(ColumnKey::Role(role)) => match self.on_duty.get(&role) {
                Some(p) => format!("{} ({})", role.label(), p.name),
                None => role.label().to_string(),
            },
            None => key.to_string(),
        }
    }

    pub fn warnings(&self, raci: &Raci) -> Vec<super::model::Warning> {
        raci.warnings(|k| self.resolve(k), |k| self.label(k))
    }
}

/// One row of "who does what" on the escalation page: the activity and the people per
/// letter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    pub activity: String,
    pub responsible: Vec<String>,
    pub accountable: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
}

/// `PUT …/raci`: every part optional until checked; letters and keys as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaciDraft {
    pub activities: Option<Vec<ActivityDraft>>,
    /// Column order; columns used by cells but not listed are added in order of use.
    pub columns: Option<Vec<String>>,
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityDraft {
    pub name: Option<String>,
    #[serde(default)]
    pub cells: BTreeMap<String, String>,
    #[serde(default)]
    pub separate_duties: bool,
}

impl From<&Raci> for RaciDraft {
    fn from(raci: &Raci) -> Self {
        Self {
            activities: Some(
                raci.activities
                    .iter()
                    .map(|a| ActivityDraft {
                        name: Some(a.name.clone()),
                        cells: a
                            .cells
                            .iter()
                            .map(|(k, l)| (k.clone(), l.as_str().to_string()))
                            .collect(),
                        separate_duties: a.separate_duties,
                    })
                    .collect(),
            ),
            columns: Some(raci.columns.clone()),
            version: Some(raci.version),
        }
    }
}

impl RaciDraft {
    /// Checks a draft into a matrix. Each broken activity is named under
    /// `activities[<row>]`; `known` says whether a person column is an active user.
    pub fn validate(&self, known: impl Fn(i64) -> bool) -> Result<Raci, FieldErrors> {
        let mut check = Checker::default();
        let drafts = self.activities.clone().unwrap_or_default();
        if drafts.is_empty() {
            check.fail("activities", "needs at least one activity");
        }
        if drafts.len() > MAX_ACTIVITIES {
            check.fail(
                "activities",
                format!("must be at most {MAX_ACTIVITIES} activities"),
            );
        }
        // Bound the work before looking at any cell: a flood of activities, columns or
        // cells is refused whole.
        if self.columns.as_ref().is_some_and(|c| c.len() > MAX_COLUMNS) {
            check.fail("columns", format!("must be at most {MAX_COLUMNS} columns"));
        }
        for (i, draft) in drafts.iter().enumerate().take(MAX_ACTIVITIES) {
            if draft.cells.len() > MAX_COLUMNS {
                check.fail(
                    &format!("activities[{i}]"),
                    format!("Activity {}: must have at most {MAX_COLUMNS} cells", i + 1),
                );
            }
        }
        if check.has_failed() {
            return check.finish(Raci::default());
        }
        let mut columns: Vec<String> = Vec::new();
        let mut add_column = |key: &str, check: &mut Checker, field: &str| -> bool {
            match ColumnKey::parse(key) {
                Some(ColumnKey::Person(id)) if !known(id) => {
                    check.fail(field, format!("{key} is not an active user"));
                    false
                }
                Some(parsed) => {
                    let canonical = parsed.key();
                    if !columns.contains(&canonical) {
                        columns.push(canonical);
                    }
                    true
                }
                None => {
                    check.fail(
                        field,
                        format!("\u{201c}{key}\u{201d} is neither a user id nor role:<name>"),
                    );
                    false
                }
            }
        };
        for key in self.columns.iter().flatten() {
            add_column(key, &mut check, "columns");
        }
        let mut activities = Vec::new();
        for (i, draft) in drafts.iter().enumerate() {
            let field = format!("activities[{i}]");
            let name = draft.name.clone().unwrap_or_default().trim().to_string();
            let title = if name.is_empty() {
                format!("Activity {}", i + 1)
            } else {
                name.clone()
            };
            if name.chars().count() > MAX_NAME {
                check.fail(
                    &field,
                    format!("{title}: the name must be at most {MAX_NAME} characters"),
                );
            }
            if !is_clean_line(&name) {
                check.fail(
                    &field,
                    format!(
                        "Activity {}: the name must not contain control characters or line breaks",
                        i + 1
                    ),
                );
            }
            let mut cells = BTreeMap::new();
            for (key, letter) in &draft.cells {
                if letter.trim().is_empty() {
                    continue;
                }
                let Some(letter) = Letter::parse(letter) else {
                    check.fail(
                        &field,
                        format!("{title}: \u{201c}{letter}\u{201d} is not R, A, C or I"),
                    );
                    continue;
                };
                if add_column(key, &mut check, &field)
                    && let Some(parsed) = ColumnKey::parse(key)
                {
                    cells.insert(parsed.key(), letter);
                }
            }
            activities.push(Activity {
                name,
                cells,
                separate_duties: draft.separate_duties,
            });
        }
        if columns.len() > MAX_COLUMNS {
            check.fail("columns", format!("must be at most {MAX_COLUMNS} columns"));
        }
        let raci = Raci {
            activities,
            columns,
            version: self.version.unwrap_or_default(),
            warnings: Vec::new(),
            inherited: false,
        };
        for (i, why) in raci.problems() {
            let name = &raci.activities[i].name;
            let title = if name.is_empty() {
                format!("Activity {}", i + 1)
            } else {
                name.clone()
            };
            check.fail(&format!("activities[{i}]"), format!("{title}: {why}"));
        }
        check.finish(raci)
    }
}

/// The matrix as CSV: a header of column labels, one row per activity.
pub fn to_csv(raci: &Raci, label: impl Fn(&str) -> String) -> String {
    fn field(value: &str) -> String {
        // Quote everything; a leading formula character is neutralised for spreadsheets.
        let value = if value.starts_with(['=', '+', '-', '@']) {
            format!("'{value}")
        } else {
            value.to_string()
        };
        format!("\"{}\"", value.replace('"', "\"\""))
    }
    let mut out = String::new();
    let header: Vec<String> = std::iter::once(field("Activity"))
        .chain(raci.columns.iter().map(|c| field(&label(c))))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for activity in &raci.activities {
        let row: Vec<String> = std::iter::once(field(&activity.name))
            .chain(
                raci.columns
                    .iter()
                    .map(|c| field(activity.cells.get(c).map(|l| l.as_str()).unwrap_or(""))),
            )
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft(rows: &[(&str, &[(&str, &str)])]) -> RaciDraft {
        RaciDraft {
            activities: Some(
                rows.iter()
                    .map(|(name, cells)| ActivityDraft {
                        name: Some(name.to_string()),
                        cells: cells
                            .iter()
                            .map(|(k, l)| (k.to_string(), l.to_string()))
                            .collect(),
                        separate_duties: false,
                    })
                    .collect(),
            ),
            columns: None,
            version: Some(3),
        }
    }

    #[test]
    fn the_template_is_valid_without_gaps_or_overlaps() {
        let t = Raci::template();
        assert!(t.problems().is_empty(), "{:?}", t.problems());
        let distinct = |key: ColumnKey| match key {
            ColumnKey::Role(r) => Some(r as i64),
            ColumnKey::Person(id) => Some(id),
        };
        assert_eq!(t.warnings(distinct, str::to_string), []);
        assert_eq!(t.decision_activity().unwrap().name, "Go/no-go decision");
        assert_eq!(
            t.decision_activity().unwrap().accountable(),
            Some("role:product_owner")
        );
    }

    #[test]
    fn every_activity_needs_exactly_one_a_and_at_least_one_r() {
        let errors = draft(&[
            ("Two A", &[("1", "A"), ("2", "A"), ("3", "R")]),
            ("No R", &[("1", "A"), ("2", "C")]),
            ("Fine", &[("1", "A"), ("2", "R"), ("3", "I")]),
            ("Nothing", &[]),
        ])
        .validate(|_| true)
        .unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["activities[0]", "activities[1]", "activities[3]"]
        );
        assert!(errors["activities[0]"].starts_with("Two A: has 2 A's"));
        assert!(errors["activities[1]"].contains("needs at least one R"));
        assert!(errors["activities[3]"].contains("needs one A"));
        assert!(errors["activities[3]"].contains("needs at least one R"));
    }

    #[test]
    fn unknown_people_roles_and_letters_are_named() {
        let errors = draft(&[
            ("Ghost", &[("99", "A"), ("1", "R")]),
            ("Role", &[("role:astronaut", "A"), ("1", "R")]),
            ("Letter", &[("1", "A"), ("2", "X")]),
        ])
        .validate(|id| id != 99)
        .unwrap_err();
        assert!(errors["activities[0]"].contains("99 is not an active user"));
        assert!(errors["activities[1]"].contains("neither a user id nor role"));
        assert!(errors["activities[2]"].contains("\u{201c}X\u{201d} is not R, A, C or I"));
    }

    #[test]
    fn names_are_required_and_unique_and_columns_keep_their_order() {
        let mut d = draft(&[
            ("Deploy", &[("2", "A"), ("1", "R")]),
            ("deploy ", &[("2", "A"), ("1", "R")]),
        ]);
        let errors = d.validate(|_| true).unwrap_err();
        assert!(errors["activities[1]"].contains("same name"));
        d.activities.as_mut().unwrap()[1].name = Some("Announce".into());
        d.columns = Some(vec!["role:sales".into(), "2".into()]);
        let raci = d.validate(|_| true).unwrap();
        assert_eq!(raci.columns, ["role:sales", "2", "1"]);
        assert_eq!(raci.version, 3);
    }

    #[test]
    fn gaps_and_overlaps_are_warnings() {
        let mut raci = draft(&[
            ("Approve", &[("1", "A"), ("role:engineering_lead", "R")]),
            ("Ship", &[("1", "A"), ("2", "R"), ("3", "I")]),
            ("Announce", &[("1", "A"), ("2", "R"), ("3", "I")]),
        ])
        .validate(|_| true)
        .unwrap();
        raci.activities[0].separate_duties = true;
        raci.columns.push("4".into());
        // The engineering lead on duty is person 1.
        let resolve = |key: ColumnKey| match key {
            ColumnKey::Person(id) => Some(id),
            ColumnKey::Role(_) => Some(1),
        };
        let warnings = raci.warnings(resolve, |k| format!("#{k}"));
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "#4 has no role in any activity.",
                "No one is informed about \u{201c}Approve\u{201d}.",
                "#1 is both responsible and accountable for \u{201c}Approve\u{201d}, which wants them separate.",
                "#1 is accountable for 3 of 3 activities.",
            ]
        );
    }

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        let raci = draft(&[("=SUM(A1) \"x\"", &[("1", "A"), ("2", "R")])])
            .validate(|_| true)
            .unwrap();
        let csv = to_csv(&raci, |k| format!("Person {k}"));
        assert_eq!(
            csv,
            "\"Activity\",\"Person 1\",\"Person 2\"\r\n\"'=SUM(A1) \"\"x\"\"\",\"A\",\"R\"\r\n"
        );
    }

    fn any_draft() -> impl Strategy<Value = RaciDraft> {
        let cell = (
            1i64..5,
            prop::sample::select(vec!["R", "A", "C", "I", "", "x"]),
        );
        let row = ("[a-z]{1,6}", prop::collection::vec(cell, 0..6));
        prop::collection::vec(row, 0..6).prop_map(|rows| RaciDraft {
            activities: Some(
                rows.into_iter()
                    .map(|(name, cells)| ActivityDraft {
                        name: Some(name),
                        cells: cells
                            .into_iter()
                            .map(|(k, l)| (k.to_string(), l.to_string()))
                            .collect(),
                        separate_duties: false,
                    })
                    .collect(),
            ),
            columns: None,
            version: None,
        })
    }

    proptest! {
        /// Whatever the validator accepts has exactly one A and at least one R per activity.
        #[test]
        fn accepted_matrices_have_one_a_and_some_r_per_activity(d in any_draft()) {
            if let Ok(raci) = d.validate(|_| true) {
                prop_assert!(!raci.activities.is_empty());
                for activity in &raci.activities {
                    prop_assert_eq!(activity.cells.values().filter(|l| **l == Letter::A).count(), 1);
                    prop_assert!(activity.cells.values().any(|l| *l == Letter::R));
                }
            }
        }

        /// And it accepts every matrix that keeps the rules (nothing valid is refused).
        #[test]
        fn matrices_that_keep_the_rules_are_accepted(d in any_draft()) {
            let keeps = d.activities.as_ref().is_some_and(|rows| !rows.is_empty() && rows.iter().enumerate().all(|(i, a)| {
                let letters: Vec<&str> = a.cells.values().map(String::as_str).collect();
                !letters.contains(&"x")
                    && letters.iter().filter(|l| **l == "A").count() == 1
                    && letters.contains(&"R")
                    && !rows[..i].iter().any(|b| b.name == a.name)
            }));
            prop_assert_eq!(d.validate(|_| true).is_ok(), keeps);
        }
    }
}
