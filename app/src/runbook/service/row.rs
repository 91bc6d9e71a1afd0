//! A stored runbook version as the client sees it: its JSON body (the tiers), with the row's
//! version, reason, launch and time. A body that does not read back is an internal error
//! naming the version.

use crate::entity::runbook_version as row;
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::runbook::model::{Runbook, Runbooks, TierPolicy};
use serde::{Deserialize, Serialize};

/// What a version's `body` column holds (older rows also hold their version, ignored).
#[derive(Serialize, Deserialize)]
struct Body {
    tiers: Vec<TierPolicy>,
}

/// The body column for a version about to be stored.
pub fn body(book: &Runbook) -> Result<String, AppError> {
    serde_json::to_string(&Body {
        tiers: book.tiers.clone(),
    })
    .map_err(AppError::internal)
}

impl TryFrom<&row::Model> for Runbook {
    type Error = AppError;

    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        let mut book = stored(r.version, &r.body)?;
        book.reason = r.reason.clone();
        book.launch_id = r.launch_id.map(LaunchId);
        book.at = Some(r.created_at);
        Ok(book)
    }
}

/// The runbook from its newest stored version and body, as a query reading only those two
/// columns finds them (`None`: nothing saved, the defaults).
pub fn from_row(newest: Option<(i64, String)>) -> Result<Runbook, AppError> {
    match newest {
        Some((version, body)) => stored(version, &body),
        None => Ok(Runbook::default()),
    }
}

/// The runbooks of several stored versions and bodies, with the built-in defaults.
pub fn runbooks_from_rows(
    rows: impl IntoIterator<Item = (i64, String)>,
) -> Result<Runbooks, AppError> {
    let mut books = vec![Runbook::default()];
    for (version, body) in rows {
        books.push(stored(version, &body)?);
    }
    Ok(Runbooks(books))
}

fn stored(version: i64, body: &str) -> Result<Runbook, AppError> {
    let Body { tiers } = serde_json::from_str(body)
        .map_err(|_| AppError::corrupt("runbook_version", version, "body", body))?;
    Ok(Runbook {
        version,
        tiers,
        reason: String::new(),
        launch_id: None,
        at: None,
        author: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn version(body: &str) -> row::Model {
        row::Model {
            version: 4,
            body: body.into(),
            created_at: Utc::now(),
            created_by: None,
            reason: "Tier 2 updates every two hours".into(),
            launch_id: Some(7),
        }
    }

    #[test]
    fn a_stored_body_reads_back_with_the_rows_version_or_is_an_internal_error() {
        // Bodies stored before versions had reasons also carry their version: still read.
        let old = r#"{"version": 2, "tiers": []}"#;
        assert_eq!(from_row(Some((4, old.into()))).unwrap().version, 4);
        let defaults = Runbook::default();
        let stored = body(&defaults).unwrap();
        let book = Runbook::try_from(&version(&stored)).unwrap();
        assert_eq!((book.version, book.launch_id), (4, Some(LaunchId(7))));
        assert_eq!(book.reason, "Tier 2 updates every two hours");
        assert_eq!(book.tiers, defaults.tiers);
        assert_eq!(from_row(None), Ok(Runbook::default()));
        assert_eq!(
            Runbook::try_from(&version("{\"tiers\": 3}")),
            Err(AppError::Internal)
        );
    }

    #[test]
    fn runbooks_answer_by_version_with_the_defaults_for_version_one() {
        let mut changed = Runbook::default();
        changed.tiers[1].update_minutes = 120;
        let books = runbooks_from_rows([(5, body(&changed).unwrap())]).unwrap();
        let tier2 = crate::escalation::Tier::ALL[1];
        assert_eq!(books.policy(5, tier2).update_minutes, 120);
        assert_eq!(books.policy(1, tier2).update_minutes, 240);
    }
}
