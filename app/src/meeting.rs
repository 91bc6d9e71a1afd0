//! Meeting cadences: a launch's recurring convenings (daily stand-up, review, workshop), when
//! each next meets in its own time zone across daylight-saving changes (`clock`), the short
//! agenda generated for each meeting (`model::agenda`), and the iCalendar feed (`ical`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod ical;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod service;
