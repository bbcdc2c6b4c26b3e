//! The pattern language of spec files and `#[vexora(pattern = "...")]`:
//! one parser, which the derive runs at compile time (so an invalid pattern
//! is a compile error at the attribute), and one matcher, which the SDK
//! runs on the compiled items.
//!
//! The subset: `^` body `$`, where the body is a sequence of atoms (a literal,
//! an escape, `\d` `\w` `\s`, `.`, or a set `[...]` / `[^...]`), each with at
//! most one quantifier `?` `*` `+` `{n}` `{n,}` `{n,m}`. Anything else is
//! refused with a message naming it, never guessed at. It covers field
//! formats without a regex engine in every merchant's build; the sandbox
//! judges the same spec patterns with a full regex engine, so the two
//! implementations check each other.
//!
//! ```
//! use vexora_spec::pattern::{self, Pattern};
//!
//! let items = pattern::parse(r"^0\d{9}$")?;
//! assert!(pattern::matches(&items, "0912345678"));
//! assert!(!pattern::matches(&items, "091234567"));
//!
//! // What the derive emits for it: the same items, in a constant.
//! use vexora_spec::pattern::{CharClass, PatternItem};
//! const MOBILE: Pattern = Pattern {
//!     source: r"^0\d{9}$",
//!     items: &[
//!         PatternItem { class: CharClass::Literal('0'), min: 1, max: 1 },
//!         PatternItem { class: CharClass::Digit, min: 9, max: 9 },
//!     ],
//! };
//! assert!(MOBILE.is_match("0912345678"));
//!
//! let error = pattern::parse("^a|b$").unwrap_err();
//! assert!(error.to_string().contains("alternation `|` is not supported"));
//! # Ok::<(), pattern::PatternError>(())
//! ```

use std::fmt;
use std::iter::Peekable;
use std::str::CharIndices;

/// A compiled pattern in a constant: the whole text must match the items
/// in sequence.
#[derive(Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written, e.g. `^0\d{9}$`.
    pub source: &'static str,
    /// The compiled items.
    pub items: &'static [PatternItem],
}

impl Pattern {
    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        matches(self.items, text)
    }
}

/// One character class and how often it repeats. `R` holds a set's
/// ranges: a `&'static` slice in a constant, a `Vec` as [`parse`] returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternItem<R = &'static [(char, char)]> {
    /// Which characters match.
    pub class: CharClass<R>,
    /// Fewest repetitions.
    pub min: u32,
    /// Most repetitions; `u32::MAX` means unbounded.
    pub max: u32,
}

/// An item as [`parse`] returns it, owning its sets.
pub type ParsedItem = PatternItem<Vec<(char, char)>>;

/// A set of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass<R = &'static [(char, char)]> {
    /// Exactly this character.
    Literal(char),
    /// Any character but a line feed, as in regex engines.
    Any,
    /// `\d`: ASCII digits.
    Digit,
    /// `\w`: ASCII letters, digits and `_`.
    Word,
    /// `\s`: ASCII white space.
    Space,
    /// `[...]` or `[^...]`: inclusive ranges (a single character is
    /// `(c, c)`), in source order.
    Set {
        /// `[^...]`: matches what is not in the ranges.
        negated: bool,
        /// Inclusive ranges.
        ranges: R,
    },
}

impl<R: AsRef<[(char, char)]>> CharClass<R> {
    /// Whether `c` is in the class.
    pub fn contains(&self, c: char) -> bool {
        match self {
            CharClass::Literal(literal) => c == *literal,
            CharClass::Any => c != '\n',
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Word => c.is_ascii_alphanumeric() || c == '_',
            CharClass::Space => c.is_ascii_whitespace(),
            CharClass::Set { negated, ranges } => {
                ranges.as_ref().iter().any(|&(low, high)| (low..=high).contains(&c)) != *negated
            }
        }
    }
}

/// Whether the whole of `text` matches `items` in sequence.
///
/// Backtracking over the items: each takes its longest run first, then
/// gives back one repetition at a time (no allocation: a run is contiguous).
pub fn matches<R: AsRef<[(char, char)]>>(items: &[PatternItem<R>], text: &str) -> bool {
    let Some((item, rest)) = items.split_first() else {
        return text.is_empty();
    };
    let max = usize::try_from(item.max).unwrap_or(usize::MAX);
    let min = usize::try_from(item.min).unwrap_or(usize::MAX);
    // Repetitions taken, and the byte where they end.
    let (mut taken, mut end) = (0, 0);
    for c in text.chars() {
        if taken == max || !item.class.contains(c) {
            break;
        }
        end += c.len_utf8();
        taken += 1;
    }
    if taken < min {
        return false;
    }
    if rest.is_empty() {
        // The last item must end the text: no run length but the longest can.
        return end == text.len();
    }
    loop {
        if matches(rest, &text[end..]) {
            return true;
        }
        if taken == min {
            return false;
        }
        taken -= 1;
        end -= text[..end].chars().next_back().map_or(0, char::len_utf8);
    }
}

/// Why a pattern cannot be compiled: what is wrong and what to write
/// instead, with the position (in characters, from 1) where it can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// Characters that `\` may escape to stand for themselves.
const ESCAPABLE: &str = "\\.-+*?()[]{}^$|/";

/// What `\d`, `\w` and `\s` stand for inside a set.
const DIGIT_RANGES: &[(char, char)] = &[('0', '9')];
const WORD_RANGES: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE_RANGES: &[(char, char)] = &[(' ', ' '), ('\t', '\r')];

/// Compiles a whole pattern, or says what is wrong with it.
pub fn parse(source: &str) -> Result<Vec<ParsedItem>, PatternError> {
    if !source.starts_with('^') || !ends_with_unescaped_dollar(source) {
        return Err(not_anchored());
    }
    let mut parser = Parser { source, chars: source.char_indices().peekable() };
    parser.chars.next(); // the leading `^`
    parser.body()
}

fn not_anchored() -> PatternError {
    PatternError { message: "patterns are whole-value matches: start with ^ and end with $".to_owned() }
}

/// Whether the last `$` is not itself escaped (`\$`), counting backslashes.
fn ends_with_unescaped_dollar(source: &str) -> bool {
    let Some(before) = source.strip_suffix('$') else {
        return false;
    };
    let backslashes = before.chars().rev().take_while(|&c| c == '\\').count();
    backslashes % 2 == 0
}

struct Parser<'a> {
    source: &'a str,
    chars: Peekable<CharIndices<'a>>,
}

type Class = CharClass<Vec<(char, char)>>;

impl Parser<'_> {
    fn body(&mut self) -> Result<Vec<ParsedItem>, PatternError> {
        let mut items = Vec::new();
        while let Some((at, c)) = self.chars.next() {
            let class = match c {
                '$' if at + 1 == self.source.len() => return Ok(items),
                '$' => return Err(self.error(at, "`$` may only end the pattern; escape it as `\\$` for a literal $")),
                '^' => return Err(self.error(at, "`^` may only start the pattern; escape it as `\\^` for a literal ^")),
                '|' => {
                    return Err(self.error(
                        at,
                        "alternation `|` is not supported; use a set like `[ab]` or the `one_of(...)` rule",
                    ));
                }
                '(' | ')' => {
                    return Err(
                        self.error(at, "groups `(...)` are not supported; escape it as `\\(` or `\\)` for a literal")
                    );
                }
                '?' | '*' | '+' => {
                    let message = format!("quantifier `{c}` has nothing to repeat; escape it as `\\{c}` for a literal");
                    return Err(self.error(at, &message));
                }
                '{' => {
                    return Err(
                        self.error(at, "repetition `{...}` has nothing to repeat; escape it as `\\{` for a literal")
                    );
                }
                ']' | '}' => {
                    let message = format!("unmatched `{c}`; escape it as `\\{c}` for a literal");
                    return Err(self.error(at, &message));
                }
                '.' => CharClass::Any,
                '[' => self.set(at)?,
                '\\' => self.escape(at)?,
                c => CharClass::Literal(c),
            };
            let (min, max) = self.quantifier()?;
            items.push(PatternItem { class, min, max });
        }
        // `parse` checked the pattern ends with an unescaped `$`, which the
        // loop returns on; reaching here means it was consumed as an escape.
        Err(not_anchored())
    }

    /// After `\`: a class or an escaped literal.
    fn escape(&mut self, at: usize) -> Result<Class, PatternError> {
        match self.chars.next() {
            Some((_, 'd')) => Ok(CharClass::Digit),
            Some((_, 'w')) => Ok(CharClass::Word),
            Some((_, 's')) => Ok(CharClass::Space),
            Some((_, c)) if ESCAPABLE.contains(c) => Ok(CharClass::Literal(c)),
            Some((_, c)) => Err(self.unsupported_escape(at, c)),
            None => Err(self.error(at, "the pattern ends with a lone `\\`")),
        }
    }

    fn unsupported_escape(&self, at: usize, c: char) -> PatternError {
        let what = match c {
            '1'..='9' => "backreferences are not supported".to_owned(),
            'D' | 'W' | 'S' => format!("`\\{c}` is not supported; use a negated set like `[^...]`"),
            'b' | 'B' | 'A' | 'z' | 'Z' => "anchors other than ^ and $ are not supported".to_owned(),
            _ => format!(
                "`\\{c}` is not supported; the escapes are `\\d` `\\w` `\\s` and `\\` before one of {}",
                ESCAPABLE.chars().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(" ")
            ),
        };
        self.error(at, &format!("unsupported escape `\\{c}`: {what}"))
    }

    /// After `[`: ranges up to the closing `]`.
    fn set(&mut self, open: usize) -> Result<Class, PatternError> {
        let negated = self.chars.next_if(|&(_, c)| c == '^').is_some();
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some((at, c)) = self.chars.next() else {
                return Err(self.error(open, "unclosed set `[`; close it with `]`"));
            };
            let low = match c {
                ']' if ranges.is_empty() => {
                    return Err(self.error(open, "empty set `[]` matches nothing; list characters like `[a-z]`"));
                }
                ']' => return Ok(CharClass::Set { negated, ranges }),
                '[' => return Err(self.error(at, "`[` inside a set is not supported; escape it as `\\[`")),
                '&' | '~' | '-' if self.chars.peek().map(|&(_, next)| next) == Some(c) => {
                    return Err(self.error(at, "set operations (`&&`, `--`, `~~`) are not supported"));
                }
                '-' if first => '-',
                '\\' => match self.set_escape(at)? {
                    SetAtom::Char(c) => c,
                    SetAtom::Ranges(class) => {
                        if matches!(self.chars.peek(), Some(&(_, '-')))
                            && !matches!(self.peek_second(), Some(']') | None)
                        {
                            return Err(
                                self.error(at, "a range cannot start at a class like `\\d`; list it separately")
                            );
                        }
                        ranges.extend_from_slice(class);
                        first = false;
                        continue;
                    }
                },
                c => c,
            };
            first = false;
            // A `-` followed by `]` is a literal at the end of the set.
            let is_range =
                matches!(self.chars.peek(), Some(&(_, '-'))) && !matches!(self.peek_second(), Some(']') | None);
            if !is_range {
                ranges.push((low, low));
                continue;
            }
            let Some((dash, _)) = self.chars.next() else {
                return Err(self.error(open, "unclosed set `[`; close it with `]`"));
            };
            let high = match self.chars.next() {
                Some((at, '\\')) => match self.set_escape(at)? {
                    SetAtom::Char(c) => c,
                    SetAtom::Ranges(_) => {
                        return Err(self.error(at, "a range cannot end in a class like `\\d`; list it separately"));
                    }
                },
                Some((at, '[')) => return Err(self.error(at, "`[` inside a set is not supported; escape it as `\\[`")),
                Some((_, c)) => c,
                None => return Err(self.error(open, "unclosed set `[`; close it with `]`")),
            };
            if high < low {
                let message = format!("reversed range `{low}-{high}`; write it low to high: `{high}-{low}`");
                return Err(self.error(dash, &message));
            }
            ranges.push((low, high));
        }
    }

    /// The character after the next one, without consuming anything.
    fn peek_second(&self) -> Option<char> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next().map(|(_, c)| c)
    }

    /// After `\` inside a set.
    fn set_escape(&mut self, at: usize) -> Result<SetAtom, PatternError> {
        match self.chars.next() {
            Some((_, 'd')) => Ok(SetAtom::Ranges(DIGIT_RANGES)),
            Some((_, 'w')) => Ok(SetAtom::Ranges(WORD_RANGES)),
            Some((_, 's')) => Ok(SetAtom::Ranges(SPACE_RANGES)),
            Some((_, c)) if ESCAPABLE.contains(c) => Ok(SetAtom::Char(c)),
            Some((_, c)) => Err(self.unsupported_escape(at, c)),
            None => Err(self.error(at, "the pattern ends with a lone `\\`")),
        }
    }

    /// An optional quantifier after an atom, as `(min, max)`.
    fn quantifier(&mut self) -> Result<(u32, u32), PatternError> {
        let Some(&(at, c)) = self.chars.peek() else {
            return Ok((1, 1));
        };
        let bounds = match c {
            '?' => (0, 1),
            '*' => (0, u32::MAX),
            '+' => (1, u32::MAX),
            '{' => {
                self.chars.next();
                return self.repetition(at).and_then(|bounds| self.no_second_quantifier().map(|()| bounds));
            }
            _ => return Ok((1, 1)),
        };
        self.chars.next();
        self.no_second_quantifier()?;
        Ok(bounds)
    }

    /// Refuses `*?`, `++`, `{2}?` and the like right after a quantifier.
    fn no_second_quantifier(&mut self) -> Result<(), PatternError> {
        match self.chars.peek() {
            Some(&(at, c @ ('?' | '+'))) => {
                let message = format!(
                    "lazy or possessive quantifiers (a quantifier followed by `{c}`) are not supported; use one quantifier"
                );
                Err(self.error(at, &message))
            }
            Some(&(at, c @ ('*' | '{'))) => {
                let message = format!("quantifier `{c}` follows another quantifier; use one quantifier");
                Err(self.error(at, &message))
            }
            _ => Ok(()),
        }
    }

    /// After `{`: `n}`, `n,}` or `n,m}`.
    fn repetition(&mut self, open: usize) -> Result<(u32, u32), PatternError> {
        const SHAPE: &str = "a repetition is `{n}`, `{n,}` or `{n,m}`; escape `{` as `\\{` for a literal";
        let min = self.number(open)?.ok_or_else(|| self.error(open, SHAPE))?;
        match self.chars.next() {
            Some((_, '}')) => Ok((min, min)),
            Some((_, ',')) => match self.number(open)? {
                None => match self.chars.next() {
                    Some((_, '}')) => Ok((min, u32::MAX)),
                    _ => Err(self.error(open, SHAPE)),
                },
                Some(max) => match self.chars.next() {
                    Some((_, '}')) if min <= max => Ok((min, max)),
                    Some((_, '}')) => {
                        let message = format!("repetition `{{{min},{max}}}` has its minimum above its maximum");
                        Err(self.error(open, &message))
                    }
                    _ => Err(self.error(open, SHAPE)),
                },
            },
            _ => Err(self.error(open, SHAPE)),
        }
    }

    /// Decimal digits, if any. `u32::MAX` is reserved for "unbounded".
    fn number(&mut self, open: usize) -> Result<Option<u32>, PatternError> {
        let mut value: Option<u32> = None;
        while let Some((_, digit)) = self.chars.next_if(|(_, c)| c.is_ascii_digit()) {
            let next = value
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit.to_digit(10).unwrap_or(0)))
                .filter(|&v| v < u32::MAX);
            match next {
                Some(v) => value = Some(v),
                None => return Err(self.error(open, "repetition count is too large")),
            }
        }
        Ok(value)
    }

    /// A message naming the position (in characters, from 1) of the problem.
    fn error(&self, at: usize, message: &str) -> PatternError {
        let column = self.source[..at].chars().count() + 1;
        PatternError { message: format!("invalid pattern: {message} (at character {column} of \"{}\")", self.source) }
    }
}

/// What `\x` stands for inside a set.
enum SetAtom {
    Char(char),
    Ranges(&'static [(char, char)]),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(class: Class, min: u32, max: u32) -> ParsedItem {
        PatternItem { class, min, max }
    }

    fn one(class: Class) -> ParsedItem {
        item(class, 1, 1)
    }

    fn set(negated: bool, ranges: &[(char, char)]) -> Class {
        CharClass::Set { negated, ranges: ranges.to_vec() }
    }

    fn error_of(source: &str) -> String {
        match parse(source) {
            Ok(items) => format!("parsed as {items:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn taiwan_mobile() {
        assert_eq!(parse("^0\\d{9}$"), Ok(vec![one(CharClass::Literal('0')), item(CharClass::Digit, 9, 9)]));
    }

    #[test]
    fn every_quantifier() {
        let parsed = parse("^a?b*c+d{2}e{3,}f{4,5}g$");
        assert_eq!(
            parsed,
            Ok(vec![
                item(CharClass::Literal('a'), 0, 1),
                item(CharClass::Literal('b'), 0, u32::MAX),
                item(CharClass::Literal('c'), 1, u32::MAX),
                item(CharClass::Literal('d'), 2, 2),
                item(CharClass::Literal('e'), 3, u32::MAX),
                item(CharClass::Literal('f'), 4, 5),
                one(CharClass::Literal('g')),
            ])
        );
    }

    #[test]
    fn classes_escapes_and_any() {
        assert_eq!(
            parse("^\\w\\s.\\.\\/\\$\\^\\|\\\\\\-\\{\\}$"),
            Ok(vec![
                one(CharClass::Word),
                one(CharClass::Space),
                one(CharClass::Any),
                one(CharClass::Literal('.')),
                one(CharClass::Literal('/')),
                one(CharClass::Literal('$')),
                one(CharClass::Literal('^')),
                one(CharClass::Literal('|')),
                one(CharClass::Literal('\\')),
                one(CharClass::Literal('-')),
                one(CharClass::Literal('{')),
                one(CharClass::Literal('}')),
            ])
        );
        assert_eq!(parse("^台北$"), Ok(vec![one(CharClass::Literal('台')), one(CharClass::Literal('北'))]));
        assert_eq!(parse("^$"), Ok(vec![]));
    }

    #[test]
    fn sets() {
        assert_eq!(
            parse("^[A-Za-z0-9_]+$"),
            Ok(vec![item(set(false, &[('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_')]), 1, u32::MAX)])
        );
        assert_eq!(parse("^[^\\d\\s]$"), Ok(vec![one(set(true, &[('0', '9'), (' ', ' '), ('\t', '\r')]))]));
        assert_eq!(parse("^[\\w]$"), Ok(vec![one(set(false, &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]))]));
        // `-` is literal first and last; escaped characters work as range ends.
        assert_eq!(
            parse("^[-a][b-][\\--\\/][.]$"),
            Ok(vec![
                one(set(false, &[('-', '-'), ('a', 'a')])),
                one(set(false, &[('b', 'b'), ('-', '-')])),
                one(set(false, &[('-', '/')])),
                one(set(false, &[('.', '.')])),
            ])
        );
        assert_eq!(parse("^[^-]$"), Ok(vec![one(set(true, &[('-', '-')]))]));
    }

    #[test]
    fn anchors_are_required() {
        for source in ["\\d+", "^\\d+", "\\d+$", "^\\d+\\$", ""] {
            assert!(error_of(source).starts_with("patterns are whole-value matches"), "{source}: {}", error_of(source));
        }
        // An escaped backslash before the final `$` leaves the `$` an anchor.
        assert_eq!(parse("^a\\\\$"), Ok(vec![one(CharClass::Literal('a')), one(CharClass::Literal('\\'))]));
    }

    #[test]
    fn unsupported_syntax_is_named() {
        let cases = [
            ("^a|b$", "alternation `|`"),
            ("^(ab)$", "groups `(...)`"),
            ("^a)$", "groups `(...)`"),
            ("^(a)\\1$", "groups"),
            ("^a\\1$", "backreferences"),
            ("^a*?$", "lazy or possessive"),
            ("^a++$", "lazy or possessive"),
            ("^a{2}?$", "lazy or possessive"),
            ("^a**$", "follows another quantifier"),
            ("^[]$", "empty set"),
            ("^[^]$", "empty set"),
            ("^[z-a]$", "reversed range `z-a`"),
            ("^[a$", "unclosed set"),
            ("^[a-b$", "unclosed set"),
            ("^[a-$", "reversed range"),
            ("^[[:alpha:]]$", "`[` inside a set"),
            ("^[a&&b]$", "set operations"),
            ("^[\\d-z]$", "cannot start at a class"),
            ("^[a-\\d]$", "cannot end in a class"),
            ("^*a$", "nothing to repeat"),
            ("^{2}$", "nothing to repeat"),
            ("^a{$", "a repetition is"),
            ("^a{,3}$", "a repetition is"),
            ("^a{2,1}$", "minimum above its maximum"),
            ("^a{3x}$", "a repetition is"),
            ("^a{99999999999}$", "too large"),
            ("^a}$", "unmatched `}`"),
            ("^a]$", "unmatched `]`"),
            ("^a^b$", "`^` may only start"),
            ("^a$b$", "`$` may only end"),
            ("^\\D$", "negated set"),
            ("^\\bx$", "anchors other than"),
            ("^\\n$", "unsupported escape `\\n`"),
        ];
        for (source, expected) in cases {
            let message = error_of(source);
            assert!(message.contains(expected), "{source}: expected {expected:?} in {message:?}");
        }
    }

    #[test]
    fn errors_name_the_position() {
        assert_eq!(
            error_of("^ab|c$"),
            "invalid pattern: alternation `|` is not supported; use a set like `[ab]` or the `one_of(...)` rule \
             (at character 4 of \"^ab|c$\")"
        );
    }

    const fn static_item(class: CharClass, min: u32, max: u32) -> PatternItem {
        PatternItem { class, min, max }
    }

    static MOBILE: Pattern = Pattern {
        source: "^0\\d{9}$",
        items: &[static_item(CharClass::Literal('0'), 1, 1), static_item(CharClass::Digit, 9, 9)],
    };

    #[test]
    fn taiwan_mobile_matches() {
        assert!(MOBILE.is_match("0912345678"));
        assert!(!MOBILE.is_match("091234567"));
        assert!(!MOBILE.is_match("09123456789"));
        assert!(!MOBILE.is_match("1912345678"));
        assert!(!MOBILE.is_match("09123456７8"));
    }

    #[test]
    fn backtracking_gives_back_repetitions() {
        // ^\d+\d$ needs the greedy run to give one digit back.
        static P: Pattern = Pattern {
            source: "^\\d+\\d$",
            items: &[static_item(CharClass::Digit, 1, u32::MAX), static_item(CharClass::Digit, 1, 1)],
        };
        assert!(P.is_match("12"));
        assert!(!P.is_match("1"));
        static SET: Pattern = Pattern {
            source: "^[^a-c]*x?$",
            items: &[
                static_item(CharClass::Set { negated: true, ranges: &[('a', 'c')] }, 0, u32::MAX),
                static_item(CharClass::Literal('x'), 0, 1),
            ],
        };
        assert!(SET.is_match(""));
        assert!(SET.is_match("xyzx"));
        assert!(!SET.is_match("xa"));
    }

    #[test]
    fn parsed_items_match_as_their_constants_do() {
        let parsed = parse("^[^a-c]*x?$").unwrap_or_default();
        for text in ["", "xyzx", "xa", "x", "a"] {
            assert_eq!(matches(&parsed, text), matches(SET_ITEMS, text), "{text:?}");
        }
        static SET_ITEMS: &[PatternItem] = &[
            static_item(CharClass::Set { negated: true, ranges: &[('a', 'c')] }, 0, u32::MAX),
            static_item(CharClass::Literal('x'), 0, 1),
        ];
    }
}
