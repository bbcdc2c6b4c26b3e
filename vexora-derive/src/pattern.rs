//! Compiles `#[vexora(pattern = "...")]` at derive time into the items
//! `vexora::validation::Pattern` matches, so an invalid or unsupported pattern
//! is a compile error at the attribute instead of a surprise at run time.
//!
//! The subset: `^` body `$`, where the body is a sequence of atoms (a literal,
//! an escape, `\d` `\w` `\s`, `.`, or a set `[...]` / `[^...]`), each with at
//! most one quantifier `?` `*` `+` `{n}` `{n,}` `{n,m}`. Anything else is
//! rejected with a message naming it, never guessed at.

use std::iter::Peekable;
use std::str::CharIndices;

/// A set of characters, as `vexora::validation::CharClass`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// Exactly this character.
    Literal(char),
    /// `.`
    Any,
    /// `\d`
    Digit,
    /// `\w`
    Word,
    /// `\s`
    Space,
    /// `[...]` or `[^...]`, as inclusive ranges in source order.
    Set {
        /// `[^...]`
        negated: bool,
        /// Inclusive ranges; a single character is `(c, c)`.
        ranges: Vec<(char, char)>,
    },
}

/// One class repeated between `min` and `max` times (`u32::MAX`: unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// Which characters match.
    pub(crate) class: Class,
    /// Fewest repetitions.
    pub(crate) min: u32,
    /// Most repetitions.
    pub(crate) max: u32,
}

/// Characters that `\` may escape to stand for themselves.
const ESCAPABLE: &str = "\\.-+*?()[]{}^$|/";

/// What `\d`, `\w` and `\s` stand for inside a set.
const DIGIT_RANGES: &[(char, char)] = &[('0', '9')];
const WORD_RANGES: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE_RANGES: &[(char, char)] = &[(' ', ' '), ('\t', '\r')];

/// Parses a whole pattern, or says what is wrong with it.
pub(crate) fn parse(source: &str) -> Result<Vec<Item>, String> {
    if !source.starts_with('^') || !ends_with_unescaped_dollar(source) {
        return Err("patterns are whole-value matches: start with ^ and end with $".to_owned());
    }
    let mut parser = Parser { source, chars: source.char_indices().peekable() };
    parser.chars.next(); // the leading `^`
    parser.body()
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

impl Parser<'_> {
    fn body(&mut self) -> Result<Vec<Item>, String> {
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
                    ))
                }
                '(' | ')' => {
                    return Err(
                        self.error(at, "groups `(...)` are not supported; escape it as `\\(` or `\\)` for a literal")
                    )
                }
                '?' | '*' | '+' => {
                    let message = format!("quantifier `{c}` has nothing to repeat; escape it as `\\{c}` for a literal");
                    return Err(self.error(at, &message));
                }
                '{' => {
                    return Err(
                        self.error(at, "repetition `{...}` has nothing to repeat; escape it as `\\{` for a literal")
                    )
                }
                ']' | '}' => {
                    let message = format!("unmatched `{c}`; escape it as `\\{c}` for a literal");
                    return Err(self.error(at, &message));
                }
                '.' => Class::Any,
                '[' => self.set(at)?,
                '\\' => self.escape(at)?,
                c => Class::Literal(c),
            };
            let (min, max) = self.quantifier()?;
            items.push(Item { class, min, max });
        }
        // `parse` checked the pattern ends with an unescaped `$`, which the
        // loop returns on; reaching here means it was consumed as an escape.
        Err("patterns are whole-value matches: start with ^ and end with $".to_owned())
    }

    /// After `\`: a class or an escaped literal.
    fn escape(&mut self, at: usize) -> Result<Class, String> {
        match self.chars.next() {
            Some((_, 'd')) => Ok(Class::Digit),
            Some((_, 'w')) => Ok(Class::Word),
            Some((_, 's')) => Ok(Class::Space),
            Some((_, c)) if ESCAPABLE.contains(c) => Ok(Class::Literal(c)),
            Some((_, c)) => Err(self.unsupported_escape(at, c)),
            None => Err(self.error(at, "the pattern ends with a lone `\\`")),
        }
    }

    fn unsupported_escape(&self, at: usize, c: char) -> String {
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
    fn set(&mut self, open: usize) -> Result<Class, String> {
        let negated = self.chars.next_if(|&(_, c)| c == '^').is_some();
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some((at, c)) = self.chars.next() else {
                return Err(self.error(open, "unclosed set `[`; close it with `]`"));
            };
            let low = match c {
                ']' if ranges.is_empty() => {
                    return Err(self.error(open, "empty set `[]` matches nothing; list characters like `[a-z]`"))
                }
                ']' => return Ok(Class::Set { negated, ranges }),
                '[' => return Err(self.error(at, "`[` inside a set is not supported; escape it as `\\[`")),
                '&' | '~' | '-' if self.chars.peek().map(|&(_, next)| next) == Some(c) => {
                    return Err(self.error(at, "set operations (`&&`, `--`, `~~`) are not supported"))
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
                        return Err(self.error(at, "a range cannot end in a class like `\\d`; list it separately"))
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
    fn set_escape(&mut self, at: usize) -> Result<SetAtom, String> {
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
    fn quantifier(&mut self) -> Result<(u32, u32), String> {
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

    /// Rejects `*?`, `++`, `{2}?` and the like right after a quantifier.
    fn no_second_quantifier(&mut self) -> Result<(), String> {
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
    fn repetition(&mut self, open: usize) -> Result<(u32, u32), String> {
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
    fn number(&mut self, open: usize) -> Result<Option<u32>, String> {
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
    fn error(&self, at: usize, message: &str) -> String {
        let column = self.source[..at].chars().count() + 1;
        format!("invalid pattern: {message} (at character {column} of \"{}\")", self.source)
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

    fn item(class: Class, min: u32, max: u32) -> Item {
        Item { class, min, max }
    }

    fn one(class: Class) -> Item {
        item(class, 1, 1)
    }

    fn error_of(source: &str) -> String {
        match parse(source) {
            Ok(items) => format!("parsed as {items:?}"),
            Err(message) => message,
        }
    }

    #[test]
    fn taiwan_mobile() {
        assert_eq!(parse("^0\\d{9}$"), Ok(vec![one(Class::Literal('0')), item(Class::Digit, 9, 9)]));
    }

    #[test]
    fn every_quantifier() {
        let parsed = parse("^a?b*c+d{2}e{3,}f{4,5}g$");
        assert_eq!(
            parsed,
            Ok(vec![
                item(Class::Literal('a'), 0, 1),
                item(Class::Literal('b'), 0, u32::MAX),
                item(Class::Literal('c'), 1, u32::MAX),
                item(Class::Literal('d'), 2, 2),
                item(Class::Literal('e'), 3, u32::MAX),
                item(Class::Literal('f'), 4, 5),
                one(Class::Literal('g')),
            ])
        );
    }

    #[test]
    fn classes_escapes_and_any() {
        assert_eq!(
            parse("^\\w\\s.\\.\\/\\$\\^\\|\\\\\\-\\{\\}$"),
            Ok(vec![
                one(Class::Word),
                one(Class::Space),
                one(Class::Any),
                one(Class::Literal('.')),
                one(Class::Literal('/')),
                one(Class::Literal('$')),
                one(Class::Literal('^')),
                one(Class::Literal('|')),
                one(Class::Literal('\\')),
                one(Class::Literal('-')),
                one(Class::Literal('{')),
                one(Class::Literal('}')),
            ])
        );
        assert_eq!(parse("^台北$"), Ok(vec![one(Class::Literal('台')), one(Class::Literal('北'))]));
        assert_eq!(parse("^$"), Ok(vec![]));
    }

    #[test]
    fn sets() {
        assert_eq!(
            parse("^[A-Za-z0-9_]+$"),
            Ok(vec![item(
                Class::Set { negated: false, ranges: vec![('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_')] },
                1,
                u32::MAX
            )])
        );
        assert_eq!(
            parse("^[^\\d\\s]$"),
            Ok(vec![one(Class::Set { negated: true, ranges: vec![('0', '9'), (' ', ' '), ('\t', '\r')] })])
        );
        assert_eq!(
            parse("^[\\w]$"),
            Ok(vec![one(Class::Set { negated: false, ranges: vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')] })])
        );
        // `-` is literal first and last; escaped characters work as range ends.
        assert_eq!(
            parse("^[-a][b-][\\--\\/][.]$"),
            Ok(vec![
                one(Class::Set { negated: false, ranges: vec![('-', '-'), ('a', 'a')] }),
                one(Class::Set { negated: false, ranges: vec![('b', 'b'), ('-', '-')] }),
                one(Class::Set { negated: false, ranges: vec![('-', '/')] }),
                one(Class::Set { negated: false, ranges: vec![('.', '.')] }),
            ])
        );
        assert_eq!(parse("^[^-]$"), Ok(vec![one(Class::Set { negated: true, ranges: vec![('-', '-')] })]));
    }

    #[test]
    fn anchors_are_required() {
        for source in ["\\d+", "^\\d+", "\\d+$", "^\\d+\\$", ""] {
            assert!(error_of(source).starts_with("patterns are whole-value matches"), "{source}: {}", error_of(source));
        }
        // An escaped backslash before the final `$` leaves the `$` an anchor.
        assert_eq!(parse("^a\\\\$"), Ok(vec![one(Class::Literal('a')), one(Class::Literal('\\'))]));
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
}
