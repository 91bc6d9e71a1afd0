//! A stored runbook version as the client sees it: its JSON body, with the row's version. A
//! body that does not read back is an internal error naming the version.

use crate::entity::runbook_version as row;
use crate::error::AppError;
use crate::runbook::model::Runbook;

impl TryFrom<&row::Model> for Runbook {
    type Error = AppError;

    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        stored(r.version, &r.body)
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

fn stored(version: i64, body: &str) -> Result<Runbook, AppError> {
    let mut book: Runbook = serde_json::from_str(body)
        .map_err(|_| AppError::corrupt("runbook_version", version, "body", body))?;
    book.version = version;
    Ok(book)
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
        }
    }

    #[test]
    fn a_stored_body_reads_back_with_the_rows_version_or_is_an_internal_error() {
        let body = serde_json::to_string(&Runbook::default()).unwrap();
        let book = Runbook::try_from(&version(&body)).unwrap();
        assert_eq!(book.version, 4);
        assert_eq!(from_row(Some((4, body))), Ok(book));
        assert_eq!(from_row(None), Ok(Runbook::default()));
        assert_eq!(
            Runbook::try_from(&version("{\"tiers\": 3}")),
            Err(AppError::Internal)
        );
    }
}
