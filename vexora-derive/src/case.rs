//! serde's `rename_all` rules, applied to snake_case Rust field names, so the
//! wire name the derive signs is the one serde reads and writes.

/// A `#[serde(rename_all = "...")]` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

/// Every rule with the name serde gives it.
const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    /// The rule serde calls `name`, if any.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        RULES.iter().find(|(rule_name, _)| *rule_name == name).map(|&(_, rule)| rule)
    }

    /// The names serde accepts, for the "unknown rule" error.
    pub(crate) fn names() -> String {
        let names: Vec<String> = RULES.iter().map(|(name, _)| format!("\"{name}\"")).collect();
        names.join(", ")
    }

    /// The wire name of a snake_case field, as serde derives it.
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => pascal_case(field),
            RenameRule::Camel => {
                let pascal = pascal_case(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// Drops each `_` and upper-cases the letter after it (and the first).
fn pascal_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut word_start = true;
    for c in field.chars() {
        if c == '_' {
            word_start = true;
        } else if word_start {
            out.push(c.to_ascii_uppercase());
            word_start = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(rule: &str, field: &str) -> String {
        match RenameRule::from_name(rule) {
            Some(rule) => rule.apply_to_field(field),
            None => format!("<no rule {rule}>"),
        }
    }

    #[test]
    fn every_serde_rule_on_a_multi_word_field() {
        let expected = [
            ("lowercase", "plat_form_trade_no"),
            ("UPPERCASE", "PLAT_FORM_TRADE_NO"),
            ("PascalCase", "PlatFormTradeNo"),
            ("camelCase", "platFormTradeNo"),
            ("snake_case", "plat_form_trade_no"),
            ("SCREAMING_SNAKE_CASE", "PLAT_FORM_TRADE_NO"),
            ("kebab-case", "plat-form-trade-no"),
            ("SCREAMING-KEBAB-CASE", "PLAT-FORM-TRADE-NO"),
        ];
        for (rule, wire) in expected {
            assert_eq!(apply(rule, "plat_form_trade_no"), wire, "{rule}");
        }
    }

    #[test]
    fn single_words_digits_and_edge_underscores() {
        assert_eq!(apply("camelCase", "amount"), "amount");
        assert_eq!(apply("PascalCase", "amount"), "Amount");
        assert_eq!(apply("camelCase", "ip_address_v4"), "ipAddressV4");
        assert_eq!(apply("camelCase", "line_2"), "line2");
        assert_eq!(apply("camelCase", "_private"), "private");
        assert_eq!(apply("PascalCase", "trailing_"), "Trailing");
        assert_eq!(apply("camelCase", ""), "");
    }

    #[test]
    fn unknown_names_are_not_rules() {
        assert_eq!(RenameRule::from_name("camelcase"), None);
        assert_eq!(RenameRule::from_name("Train-Case"), None);
        assert!(RenameRule::names().contains("\"SCREAMING-KEBAB-CASE\""));
    }
}
