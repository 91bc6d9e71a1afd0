//! Widgets shared by features: forms and fields, times, status messages.

pub mod form;
pub mod time;

pub use form::{
    CheckField, Form, FormMessage, NumberField, SelectField, Submit, TextArea, TextField,
};
pub use time::{LocalTime, Relative, TzOffset};
