//! Widgets shared by features: forms and fields, times, status messages, and user text
//! for the elements the renderer writes raw.

pub mod form;
pub mod raw_text;
pub mod time;

pub use form::{
    CheckField, Form, FormMessage, NumberField, SelectField, Submit, TextArea, TextField,
};
pub use time::{LocalTime, Relative, TzOffset};
