//! The post-mortem form's values: each field's text as the page shows it, from a saved
//! post-mortem, and back into a save of the sections typed into — both read from the
//! sections' declaration.

use crate::error::FieldErrors;
use crate::postmortem::model::{Body, ImpactDraft, PostMortem, PostMortemDraft, Section};
use std::collections::{BTreeMap, BTreeSet};

/// The form's text by field (`summary`, `impact.revenue`, …).
pub(super) type Values = BTreeMap<String, String>;

/// The fields as the form shows them, from the saved post-mortem.
pub(super) fn values_of(pm: &PostMortem) -> Values {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut values = Values::new();
    for section in Section::ALL {
        let key = section.key().to_string();
        match section.declared().body {
            Body::Prose(prose) => {
                values.insert(key, (prose.shown)(pm).clone());
            }
            Body::Lines => {
                values.insert(key, pm.root_causes.join("\n"));
            }
            Body::Impact => values.extend([
                (
                    "impact.customers_affected".to_string(),
                    number(pm.impact.customers_affected),
                ),
                ("impact.revenue".to_string(), number(pm.impact.revenue)),
                ("impact.segments".to_string(), pm.impact.segments.join(", ")),
                (
                    "impact.started_at".to_string(),
                    pm.impact_started_at.format("%Y-%m-%dT%H:%M").to_string(),
                ),
            ]),
            // Saved at once from their own controls, never typed into the form.
            Body::Times | Body::Remediation | Body::Timeline => {}
        }
    }
    values
}

/// The save of the `dirty` sections from the form's values; a number that is not one is
/// that field's error.
pub(super) fn draft_of(
    values: &Values,
    dirty: &BTreeSet<Section>,
    version: i64,
) -> Result<PostMortemDraft, FieldErrors> {
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let mut errors = FieldErrors::new();
    let mut draft = PostMortemDraft {
        version: Some(version),
        ..Default::default()
    };
    for section in dirty {
        match section.declared().body {
            Body::Prose(prose) => *(prose.send)(&mut draft) = Some(get(section.key())),
            Body::Lines => {
                draft.root_causes = Some(get(section.key()).lines().map(str::to_string).collect());
            }
            Body::Impact => draft.impact = Some(impact_of(&get, &mut errors)),
            Body::Times | Body::Remediation | Body::Timeline => {}
        }
    }
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors)
    }
}

/// The impact fields as a save sends them.
fn impact_of(get: &impl Fn(&str) -> String, errors: &mut FieldErrors) -> ImpactDraft {
    let mut number = |k: &str| {
        let raw = get(k);
        let raw = raw.trim().replace(',', "");
        if raw.is_empty() {
            None
        } else {
            raw.parse::<i64>().map_or_else(
                |_| {
                    errors.insert(k.to_string(), "must be a whole number".into());
                    None
                },
                Some,
            )
        }
    };
    ImpactDraft {
        customers_affected: number("impact.customers_affected"),
        revenue: number("impact.revenue"),
        segments: Some(
            get("impact.segments")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        started_at: Some(get("impact.started_at"))
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("{}:00Z", s.trim())),
    }
}
