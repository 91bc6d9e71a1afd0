//! The post-mortem's sections, each declared once — key, label, blameless prompt, where its
//! text lives, what publishing needs of it — and the stored document that holds them. What a
//! save touches, the page's fields, the Markdown export and the review check all read
//! [`Section::declared`].
//!
//! Adding a section: add a `Section` variant, list it in `Section::ALL` (the page's and the
//! export's order) and give it its arm in `Section::declared`; add its field to `Sections`
//! (stored), `PostMortem` (wire) and `PostMortemDraft` (a save). A free-text section needs
//! nothing else (`prose!(field)` wires it everywhere); a new shape of `Body` needs its arm
//! wherever the compiler asks (the save's checks, the export, the page). Storage: the
//! sections are one JSON document in `postmortems.body` (missing fields read as empty), so a
//! section needs no migration; only a value kept outside it, as `impact_started_at` is on
//! the escalation, needs a column (a migration in `migrations/` and the field in
//! `crate::entity`).

use super::{Addendum, Correction, Impact, Measure, Note, PostMortem, PostMortemDraft};
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A section of the post-mortem, as a save names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Summary,
    Impact,
    Times,
    RootCauses,
    ContributingFactors,
    WentWell,
    WentPoorly,
    GotLucky,
    Learnings,
    Remediation,
    Timeline,
}

/// What is declared about one section.
#[derive(Clone, Copy)]
pub struct Declared {
    /// Its name in a save, in `changed`, in events and in field errors.
    pub key: &'static str,
    /// Its heading on the page and in the export.
    pub label: &'static str,
    /// The blameless prompt under its heading.
    pub prompt: &'static str,
    pub body: Body,
    /// What publishing needs of it, if anything.
    pub required: Option<Required>,
}

/// What a section holds.
#[derive(Clone, Copy)]
pub enum Body {
    /// Free text.
    Prose(Prose),
    /// One entry per line (the root causes).
    Lines,
    /// The customer-impact figures.
    Impact,
    /// The four times and their corrections.
    Times,
    /// Remediation action items.
    Remediation,
    /// The facilitators' marks on timeline entries.
    Timeline,
}

/// Where a free-text section lives: a field of the same name in the stored document, the
/// wire type and a save.
#[derive(Clone, Copy)]
pub struct Prose {
    pub stored: fn(&mut Sections) -> &mut String,
    pub shown: fn(&PostMortem) -> &String,
    pub sent: fn(&PostMortemDraft) -> &Option<String>,
    pub send: fn(&mut PostMortemDraft) -> &mut Option<String>,
}

/// A free-text section stored, shown and sent as the field `$field`.
macro_rules! prose {
    ($field:ident) => {
        Body::Prose(Prose {
            stored: |s| &mut s.$field,
            shown: |p| &p.$field,
            sent: |d| &d.$field,
            send: |d| &mut d.$field,
        })
    };
}

/// What publishing needs of a section.
#[derive(Clone, Copy)]
pub struct Required {
    /// The field the refusal names (`impact.customers_affected`).
    pub field: &'static str,
    pub why: &'static str,
    pub missing: fn(&Sections) -> bool,
}

impl Section {
    /// Every section, in the order the export shows them and a save lists them.
    pub const ALL: [Section; 11] = [
        Self::Summary,
        Self::Impact,
        Self::Times,
        Self::RootCauses,
        Self::ContributingFactors,
        Self::WentWell,
        Self::WentPoorly,
        Self::GotLucky,
        Self::Learnings,
        Self::Remediation,
        Self::Timeline,
    ];

    /// The one declaration of each section.
    pub fn declared(self) -> Declared {
        match self {
            Self::Summary => Declared {
                key: "summary",
                label: "Summary",
                prompt: "What happened, in a few sentences. Describe systems and process, not people.",
                body: prose!(summary),
                required: Some(Required {
                    field: "summary",
                    why: "is required to publish: what happened, in a few sentences",
                    missing: |s| s.summary.is_empty(),
                }),
            },
            Self::Impact => Declared {
                key: "impact",
                label: "Customer impact",
                prompt: "Measure it: the numbers drive what we fix first.",
                body: Body::Impact,
                required: Some(Required {
                    field: "impact.customers_affected",
                    why: "is required to publish: how many customers were affected (0 if none)",
                    missing: |s| s.impact.customers_affected.is_none(),
                }),
            },
            Self::Times => Declared {
                key: "times",
                label: "Times",
                prompt: "Computed from the event log. Correct one only with a reason.",
                body: Body::Times,
                required: None,
            },
            Self::RootCauses => Declared {
                key: "root_causes",
                label: "Root causes",
                prompt: "One per line. Ask why until you reach a cause in a system or a process.",
                body: Body::Lines,
                required: Some(Required {
                    field: "root_causes",
                    why: "is required to publish: at least one root cause",
                    missing: |s| s.root_causes.is_empty(),
                }),
            },
            Self::ContributingFactors => Declared {
                key: "contributing_factors",
                label: "Contributing factors",
                prompt: "Conditions that made it worse or more likely: load, timing, missing alerts, unclear ownership.",
                body: prose!(contributing_factors),
                required: None,
            },
            Self::WentWell => Declared {
                key: "went_well",
                label: "What went well",
                prompt: "What helped: tools, runbooks, decisions that paid off.",
                body: prose!(went_well),
                required: None,
            },
            Self::WentPoorly => Declared {
                key: "went_poorly",
                label: "What went poorly",
                prompt: "Where the process or the systems slowed us down.",
                body: prose!(went_poorly),
                required: None,
            },
            Self::GotLucky => Declared {
                key: "got_lucky",
                label: "Where we got lucky",
                prompt: "What went right by chance and should not be relied on next time.",
                body: prose!(got_lucky),
                required: None,
            },
            Self::Learnings => Declared {
                key: "learnings",
                label: "Learnings",
                prompt: "What we now know, and what the process should change.",
                body: prose!(learnings),
                required: Some(Required {
                    field: "learnings",
                    why: "is required to publish: what we learned",
                    missing: |s| s.learnings.is_empty(),
                }),
            },
            Self::Remediation => Declared {
                key: "remediation",
                label: "Remediation",
                prompt: "Permanent fixes, each with an owner and a due date. They are ordinary action items: they appear in My work and are flagged when overdue.",
                body: Body::Remediation,
                required: None,
            },
            Self::Timeline => Declared {
                key: "timeline",
                label: "Timeline",
                prompt: "Built from the escalation's events, updates and decisions, in order.",
                body: Body::Timeline,
                required: None,
            },
        }
    }

    pub fn key(self) -> &'static str {
        self.declared().key
    }

    /// The section's name as the page and the export show it.
    pub fn label(self) -> &'static str {
        self.declared().label
    }

    pub fn prompt(self) -> &'static str {
        self.declared().prompt
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The section a form field belongs to (`impact.revenue` → `Impact`).
    pub fn of_field(field: &str) -> Option<Self> {
        Self::parse(field.split('.').next().unwrap_or(field))
    }

    /// Whether `draft` names this section (sends it, even empty).
    pub fn is_in(self, draft: &PostMortemDraft) -> bool {
        match self.declared().body {
            Body::Prose(prose) => (prose.sent)(draft).is_some(),
            Body::Lines => draft.root_causes.is_some(),
            Body::Impact => draft.impact.is_some(),
            Body::Times => draft.times.is_some(),
            Body::Remediation => draft.remediation.is_some(),
            Body::Timeline => draft.timeline.is_some(),
        }
    }
}

/// The written sections, stored as one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sections {
    pub summary: String,
    pub impact: Impact,
    pub corrections: BTreeMap<Measure, Correction>,
    pub root_causes: Vec<String>,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_poorly: String,
    pub got_lucky: String,
    pub learnings: String,
    pub notes: BTreeMap<i64, Note>,
    pub addenda: Vec<Addendum>,
    /// The version at which each section last changed (for section-level conflicts), by key.
    pub changed: BTreeMap<String, i64>,
}

/// The sections of a save that someone else changed after `base` (the version the saver
/// last saw): a save touching any of them is stale.
pub fn conflicts(changed: &BTreeMap<String, i64>, touched: &[Section], base: i64) -> Vec<Section> {
    touched
        .iter()
        .filter(|s| changed.get(s.key()).is_some_and(|v| *v > base))
        .copied()
        .collect()
}

/// What must be written before a post-mortem can go to review or be published.
pub fn missing_for_review(sections: &Sections) -> FieldErrors {
    Section::ALL
        .into_iter()
        .filter_map(|s| s.declared().required)
        .filter(|required| (required.missing)(sections))
        .map(|required| (required.field.to_string(), required.why.to_string()))
        .collect()
}
