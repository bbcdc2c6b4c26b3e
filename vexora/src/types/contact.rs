//! Text fields whose form belongs to the type: an email address and an
//! http(s) URL. A request field of these types is checked by the type's
//! rule, so no struct repeats it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::spec::{Format, Rule};
use crate::wire::WireValue;

macro_rules! checked_text {
    ($(#[$doc:meta])* $name:ident, $format:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps the text (checked when the request is validated).
            pub fn new(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            /// The text as sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl WireValue for $name {
            const TYPE_RULES: &'static [Rule] = &[Rule::Format($format)];

            fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
                self.0.with_wire_text(f)
            }
        }
    };
}

checked_text!(
    /// An email address: one `@`, a local part and a dotted domain, no
    /// spaces.
    ///
    /// ```
    /// use vexora::types::Email;
    ///
    /// let email: Email = "mei.lin@example.com".into();
    /// assert_eq!(email.as_str(), "mei.lin@example.com");
    /// ```
    Email,
    Format::Email
);

checked_text!(
    /// An absolute `http://` or `https://` URL with a host, such as a
    /// `notifyUrl` or a `returnUrl`.
    ///
    /// ```
    /// use vexora::types::HttpUrl;
    ///
    /// let url = HttpUrl::new("https://merchant.example/vexora/notify");
    /// assert_eq!(url.to_string(), "https://merchant.example/vexora/notify");
    /// ```
    HttpUrl,
    Format::HttpUrl
);
