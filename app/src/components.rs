//! Widgets shared by features: forms and fields, times, status messages, user text for the
//! elements the renderer writes raw, what every page shares (`page`), the few things that
//! differ between server and browser (`host`), and how a page comes alive (`hydration`).

pub mod form;
pub mod host;
pub mod hydration;
pub mod page;
pub mod raw_text;
pub mod time;

pub use form::{
    CheckField, Form, FormMessage, NumberField, SelectField, Submit, TextArea, TextField,
};
pub use page::{CurrentUser, LoadError, Loading, can, page_ready};
pub use time::{LocalTime, Relative, TzOffset};
