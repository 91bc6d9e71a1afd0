//! What a success criterion read when its breach raised an escalation, and how its numbers
//! read.

use serde::{Deserialize, Serialize};

/// A success criterion's breach as it stood when it raised an escalation, kept as it was
/// then whatever later becomes of the criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Breach {
    /// The criterion's name.
    pub criterion: String,
    /// The criterion's comparator, as criteria write it: `<=`, `>=`, `<` or `>`.
    pub comparator: String,
    pub threshold: f64,
    /// The value that breached it (the mean over the criterion's window, if it has one).
    pub value: f64,
    pub unit: Option<String>,
}

impl Breach {
    /// `Checkout p95: 1010 ms, needs ≤ 800 ms`.
    pub fn text(&self) -> String {
        let unit = self
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let symbol = match self.comparator.as_str() {
            "<=" => "≤",
            ">=" => "≥",
            other => other,
        };
        format!(
            "{}: {}{unit}, needs {symbol} {}{unit}",
            self.criterion,
            number(self.value),
            number(self.threshold),
        )
    }
}

/// A measured value as people read it, without trailing zeros: 800, 4.2, 843.33.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    match text.trim_end_matches('0').trim_end_matches('.') {
        "-0" => "0".to_string(),
        short => short.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breach_reads_as_criterion_value_and_threshold() {
        let breach = Breach {
            criterion: "Checkout p95".into(),
            comparator: "<=".into(),
            threshold: 800.0,
            value: 1010.0,
            unit: Some("ms".into()),
        };
        assert_eq!(breach.text(), "Checkout p95: 1010 ms, needs ≤ 800 ms");
        let csat = Breach {
            criterion: "CSAT".into(),
            comparator: ">=".into(),
            threshold: 4.2,
            value: 3.875,
            unit: None,
        };
        assert_eq!(csat.text(), "CSAT: 3.88, needs ≥ 4.2");
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        let shown: Vec<String> = [800.0, 4.2, 843.333, 0.001, -0.001, 100.0]
            .into_iter()
            .map(number)
            .collect();
        assert_eq!(shown, ["800", "4.2", "843.33", "0", "0", "100"]);
    }
}
