//! The status maths: a criterion's current value and status from its samples at an instant,
//! and when a breach has recovered. Pure; the clock is passed in.

use super::{Comparator, Status};
use chrono::{DateTime, Duration, Utc};

/// The rule part of a criterion: what the status maths needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub comparator: Comparator,
    pub threshold: f64,
    pub window_minutes: Option<u32>,
}

/// A criterion's value and status at an instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub current: Option<f64>,
    pub status: Status,
}

/// How many passing samples in a row count as recovered for a criterion without a window.
pub const RECOVERY_SAMPLES: usize = 3;

impl Rule {
    /// The samples (oldest first) this rule reads at `now`: with a window, those in the last
    /// `window_minutes`; without, the last `RECOVERY_SAMPLES`. Later samples are ignored.
    pub fn relevant<'a>(&self, samples: &'a [Sample], now: DateTime<Utc>) -> &'a [Sample] {
        let upto = samples.partition_point(|s| s.at <= now);
        let samples = &samples[..upto];
        match self.window_minutes {
            Some(minutes) => {
                let since = now - Duration::minutes(i64::from(minutes));
                &samples[samples.partition_point(|s| s.at <= since)..]
            }
            None => &samples[samples.len().saturating_sub(RECOVERY_SAMPLES)..],
        }
    }

    /// The current value (the latest sample, or the mean over the window) and the status:
    /// `breached` on the failing side, `at_risk` on the passing side but closer to the
    /// threshold than 10 % of it, `no_data` without a sample (in the window).
    pub fn read(&self, samples: &[Sample], now: DateTime<Utc>) -> Reading {
        let relevant = self.relevant(samples, now);
        let current = match (self.window_minutes, relevant) {
            (_, []) => None,
            (Some(_), all) => Some(all.iter().map(|s| s.value).sum::<f64>() / all.len() as f64),
            (None, [.., last]) => Some(last.value),
        };
        let status = match current {
            None => Status::NoData,
            Some(value) if !self.comparator.passes(value, self.threshold) => Status::Breached,
            Some(value) if (self.threshold - value).abs() < 0.1 * self.threshold.abs() => {
                Status::AtRisk
            }
            Some(_) => Status::Met,
        };
        Reading { current, status }
    }

    /// Whether a breached criterion has recovered at `now`: met again over its window, or
    /// (without a window) its last three samples all pass.
    pub fn recovered(&self, samples: &[Sample], now: DateTime<Utc>) -> bool {
        match self.window_minutes {
            Some(_) => matches!(self.read(samples, now).status, Status::Met | Status::AtRisk),
            None => {
                let last = self.relevant(samples, now);
                last.len() == RECOVERY_SAMPLES
                    && last
                        .iter()
                        .all(|s| self.comparator.passes(s.value, self.threshold))
            }
        }
    }
}

/// A sample of a known metric (what the status maths reads).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub at: DateTime<Utc>,
    pub value: f64,
}
