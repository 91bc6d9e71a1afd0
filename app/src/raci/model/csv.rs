//! The matrix as CSV (`GET /api/v1/launches/{id}/raci.csv`): quoted fields, formulas defused.

use super::Raci;

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
