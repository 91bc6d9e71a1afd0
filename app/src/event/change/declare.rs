//! `changes!`: how each event kind is declared once — its payload struct, its `Payload::KIND`
//! and its variant of `Change`, with `Change`'s kind, payload and decoding.

/// Declares each kind once: its payload struct (public fields, in the JSON's names), its
/// `Payload::KIND`, and its variant of `Change`.
macro_rules! changes {
    ($(
        $(#[$meta:meta])*
        $kind:literal => $name:ident { $( $(#[$field_meta:meta])* $field:ident: $ty:ty ),* $(,)? }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            pub struct $name { $( $(#[$field_meta])* pub $field: $ty, )* }

            impl Payload for $name {
                const KIND: &'static str = $kind;
            }

            impl From<$name> for Change {
                fn from(payload: $name) -> Self {
                    Self::$name(payload)
                }
            }
        )*

        /// Every change the event log records, as `{"kind": …, "payload": {…}}`.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "payload")]
        pub enum Change {
            $( #[serde(rename = $kind)] $name($name), )*
        }

        impl Change {
            /// Every kind, in declaration order.
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            /// The event's `kind`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $( Self::$name(_) => $kind, )*
                }
            }

            /// The event's `payload` (an object whose keys serde_json keeps sorted).
            pub fn payload(&self) -> Result<Value, serde_json::Error> {
                match self {
                    $( Self::$name(payload) => serde_json::to_value(payload), )*
                }
            }

            /// The change a stored event records: its `kind` picks the struct its `payload`
            /// must decode as.
            pub fn from_parts(kind: &str, payload: &Value) -> Result<Self, serde_json::Error> {
                match kind {
                    $( $kind => $name::deserialize(payload).map(Self::$name), )*
                    other => Err(serde::de::Error::unknown_variant(other, Self::KINDS)),
                }
            }
        }
    };
}
