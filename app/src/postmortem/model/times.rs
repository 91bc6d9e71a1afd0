//! The four times of a post-mortem — detect, acknowledge, mitigate, resolve — as figures:
//! computed (by `postmortem::timeline`), corrected by hand with a reason, and written out.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The four durations of the post-mortem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Detect,
    Acknowledge,
    Mitigate,
    Resolve,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Self::Detect,
        Self::Acknowledge,
        Self::Mitigate,
        Self::Resolve,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detect => "detect",
            Self::Acknowledge => "acknowledge",
            Self::Mitigate => "mitigate",
            Self::Resolve => "resolve",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Detect => "Time to detect",
            Self::Acknowledge => "Time to acknowledge",
            Self::Mitigate => "Time to mitigate",
            Self::Resolve => "Time to resolve",
        }
    }

    /// What the computed figure measures.
    pub fn span(self) -> &'static str {
        match self {
            Self::Detect => "from customers first affected to the escalation being raised",
            Self::Acknowledge => "from raised to first leaving Triggered",
            Self::Mitigate => {
                "from customers first affected to the first workaround in place (or resolution)"
            }
            Self::Resolve => "from customers first affected to Resolved",
        }
    }
}

/// A computed time replaced by hand, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Correction {
    pub minutes: i64,
    pub reason: String,
}

/// One of the four times: computed from the events, and the correction if someone made one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Timing {
    /// The figure that counts: the correction's if there is one, else the computed one.
    pub minutes: Option<i64>,
    pub computed_minutes: Option<i64>,
    pub correction: Option<Correction>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Times {
    pub detect: Timing,
    pub acknowledge: Timing,
    pub mitigate: Timing,
    pub resolve: Timing,
}

impl Times {
    pub fn get(&self, measure: Measure) -> &Timing {
        match measure {
            Measure::Detect => &self.detect,
            Measure::Acknowledge => &self.acknowledge,
            Measure::Mitigate => &self.mitigate,
            Measure::Resolve => &self.resolve,
        }
    }

    /// The four figures from what was computed and what was corrected.
    pub fn new(computed: [Option<i64>; 4], corrections: &BTreeMap<Measure, Correction>) -> Self {
        let timing = |i: usize| {
            let correction = corrections.get(&Measure::ALL[i]).cloned();
            Timing {
                minutes: correction.as_ref().map(|c| c.minutes).or(computed[i]),
                computed_minutes: computed[i],
                correction,
            }
        };
        Self {
            detect: timing(0),
            acknowledge: timing(1),
            mitigate: timing(2),
            resolve: timing(3),
        }
    }
}

/// "45 min", "3 h 20 min", "2 d 4 h".
pub fn format_minutes(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}
