//! CloudWatch Logs metric filter patterns: a parser and an evaluator.
//!
//! The `cw-alarm-*` checks and `rds-plaintext-connection-alarm` must decide whether a metric
//! filter matches a given log event, the way CloudWatch Logs would. Two of the three pattern
//! forms are understood:
//!
//! - JSON patterns, `{ $.errorCode = "AccessDenied*" || $.eventName = ConsoleLogin }`: selectors
//!   (`$.a.b`, `$.a[0]`), `=` / `!=` against strings (quoted or bare, `*` wildcard anywhere,
//!   case-sensitive) or numbers, numeric `<` `>` `<=` `>=`, `IS TRUE` / `IS FALSE` / `IS NULL`,
//!   `EXISTS`, `NOT EXISTS`, `&&` (binds tighter), `||` and parentheses.
//! - Unstructured text patterns, `"connection authorized" -"SSL enabled"`: every plain term must
//!   occur, no `-term` may occur, and when there are `?term`s at least one must occur; terms are
//!   case-sensitive substrings, quoted phrases match verbatim. The empty pattern matches
//!   everything.
//!
//! Space-delimited patterns (`[ip, user, status=4*]`) parse to [`PatternError::Unsupported`];
//! callers grade them as matching nothing and say so.
//!
//! Semantics decided where the AWS documentation is silent: a comparison on a property the event
//! does not have is false (only `NOT EXISTS` is true then); `=` / `!=` compare only scalar values
//! (string, number, boolean: a number or boolean compares by its JSON text, a numeric literal
//! against a number compares numerically); `null`, objects and arrays make both false; `<` `>`
//! `<=` `>=` need a JSON number; keywords (`IS`, `NOT`, `EXISTS`, ...) are case-insensitive.

use std::fmt;

use serde_json::Value;

/// Why a pattern could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// A form this evaluator does not implement (space-delimited patterns, regular expressions).
    #[error("unsupported pattern form: {what}")]
    Unsupported {
        /// What the form is.
        what: String,
    },
    /// The pattern is malformed.
    #[error("at character {position}: {message}")]
    Syntax {
        /// 1-based character position of the offending token.
        position: usize,
        /// What was expected and what was found.
        message: String,
    },
}

/// A parsed metric filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterPattern {
    /// A JSON pattern (`{ ... }`).
    Json(JsonExpr),
    /// An unstructured text pattern (terms).
    Text(TextPattern),
}

/// A JSON pattern's boolean expression.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonExpr {
    /// Every operand holds (`&&`).
    And(Vec<JsonExpr>),
    /// Some operand holds (`||`).
    Or(Vec<JsonExpr>),
    /// One comparison.
    Test(Comparison),
}

/// One comparison of a JSON pattern: a selector and what must hold of its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The property path (`$.userIdentity.type`).
    pub selector: Selector,
    /// The condition.
    pub condition: Condition,
}

/// A property path: `$` followed by `.key` and `[index]` steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a [`Selector`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.key`.
    Key(String),
    /// `[n]`.
    Index(usize),
}

/// What a comparison requires of the selected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `= value`.
    Equals(Literal),
    /// `!= value`.
    NotEquals(Literal),
    /// `< number`, `> number`, `<= number`, `>= number`.
    Numeric(NumericOp, f64),
    /// `IS TRUE`.
    IsTrue,
    /// `IS FALSE`.
    IsFalse,
    /// `IS NULL`.
    IsNull,
    /// `EXISTS`.
    Exists,
    /// `NOT EXISTS`.
    NotExists,
}

/// An ordering comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOp {
    /// `<`.
    Less,
    /// `>`.
    Greater,
    /// `<=`.
    LessOrEqual,
    /// `>=`.
    GreaterOrEqual,
}

/// The right-hand side of `=` / `!=`.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string, quoted or bare, possibly with `*` wildcards.
    Text(Glob),
    /// A bare number; `text` is its spelling (compared against non-numeric values).
    Number {
        /// Its value.
        value: f64,
        /// Its spelling in the pattern.
        text: String,
    },
}

/// A string with `*` wildcards, matched against a whole value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// Literal pieces and wildcards, in order.
    pub pieces: Vec<GlobPiece>,
}

/// One piece of a [`Glob`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlobPiece {
    /// Literal text.
    Literal(String),
    /// `*`: any run of characters, possibly empty.
    Star,
}

/// An unstructured text pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextPattern {
    /// Terms that must all occur.
    pub required: Vec<String>,
    /// `-term`s, none of which may occur.
    pub excluded: Vec<String>,
    /// `?term`s, one of which must occur when there are any.
    pub any_of: Vec<String>,
}

/// Parses a metric filter pattern as CloudWatch Logs would accept it.
pub fn parse(pattern: &str) -> Result<FilterPattern, PatternError> {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
    };
    parser.skip_ws();
    match parser.peek() {
        Some('{') => {
            parser.pos += 1;
            let expr = parser.or_expr()?;
            parser.skip_ws();
            parser.expect('}', "`}` closing the JSON pattern")?;
            parser.skip_ws();
            if let Some(c) = parser.peek() {
                return Err(parser.error(format!(
                    "unexpected `{c}` after the closing `}}` of the JSON pattern"
                )));
            }
            Ok(FilterPattern::Json(expr))
        }
        Some('[') => Err(PatternError::Unsupported {
            what: "space-delimited `[...]` patterns are not evaluated by this tool".to_owned(),
        }),
        _ => parser.text_pattern().map(FilterPattern::Text),
    }
}

impl FilterPattern {
    /// Whether the pattern matches a JSON log event (text patterns search its JSON text).
    pub fn matches_json(&self, event: &Value) -> bool {
        match self {
            FilterPattern::Json(expr) => expr.matches(event),
            FilterPattern::Text(text) => serde_json::to_string(event)
                .map(|line| text.matches(&line))
                .unwrap_or(false),
        }
    }

    /// Whether the pattern matches a raw log line (JSON patterns match only JSON lines).
    pub fn matches_text(&self, line: &str) -> bool {
        match self {
            FilterPattern::Json(expr) => serde_json::from_str::<Value>(line.trim())
                .map(|event| expr.matches(&event))
                .unwrap_or(false),
            FilterPattern::Text(text) => text.matches(line),
        }
    }

    /// `json` or `text`, for evidence.
    pub fn form(&self) -> &'static str {
        match self {
            FilterPattern::Json(_) => "json",
            FilterPattern::Text(_) => "text",
        }
    }
}

impl JsonExpr {
    /// Whether the expression holds for `event`.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            JsonExpr::And(operands) => operands.iter().all(|e| e.matches(event)),
            JsonExpr::Or(operands) => operands.iter().any(|e| e.matches(event)),
            JsonExpr::Test(comparison) => comparison.matches(event),
        }
    }
}

impl Comparison {
    /// Whether the comparison holds for `event`.
    pub fn matches(&self, event: &Value) -> bool {
        let value = self.selector.resolve(event);
        match (&self.condition, value) {
            (Condition::NotExists, found) => found.is_none(),
            (_, None) => false,
            (Condition::Exists, Some(_)) => true,
            (Condition::IsNull, Some(v)) => v.is_null(),
            (Condition::IsTrue, Some(v)) => v.as_bool() == Some(true),
            (Condition::IsFalse, Some(v)) => v.as_bool() == Some(false),
            (Condition::Equals(literal), Some(v)) => literal.compare(v) == Some(true),
            (Condition::NotEquals(literal), Some(v)) => literal.compare(v) == Some(false),
            (Condition::Numeric(op, bound), Some(v)) => v.as_f64().is_some_and(|n| match op {
                NumericOp::Less => n < *bound,
                NumericOp::Greater => n > *bound,
                NumericOp::LessOrEqual => n <= *bound,
                NumericOp::GreaterOrEqual => n >= *bound,
            }),
        }
    }
}

impl Selector {
    /// The value at this path, when the event has one.
    pub fn resolve<'v>(&self, event: &'v Value) -> Option<&'v Value> {
        self.steps.iter().try_fold(event, |value, step| match step {
            Step::Key(key) => value.as_object()?.get(key),
            Step::Index(index) => value.as_array()?.get(*index),
        })
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for step in &self.steps {
            match step {
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl Literal {
    /// Whether `value` equals the literal; `None` when the value is not a comparable scalar.
    fn compare(&self, value: &Value) -> Option<bool> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => {
                if let (Literal::Number { value: wanted, .. }, Some(actual)) = (self, n.as_f64()) {
                    return Some(actual == *wanted);
                }
                n.to_string()
            }
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => return None,
        };
        Some(match self {
            Literal::Text(glob) => glob.matches(&text),
            Literal::Number { text: spelled, .. } => &text == spelled,
        })
    }
}

impl Glob {
    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        glob_matches(&self.pieces, text)
    }
}

/// `*`-only glob matching without backtracking: the first literal anchors at the start, the last
/// at the end, and the ones between match leftmost (which is optimal when `*` is the only
/// wildcard).
fn glob_matches(pieces: &[GlobPiece], text: &str) -> bool {
    if !pieces.contains(&GlobPiece::Star) {
        let literal: String = pieces
            .iter()
            .filter_map(|p| match p {
                GlobPiece::Literal(l) => Some(l.as_str()),
                GlobPiece::Star => None,
            })
            .collect();
        return literal == text;
    }
    let mut rest = text;
    let mut middle = pieces;
    if let Some((GlobPiece::Literal(first), tail)) = middle.split_first() {
        match rest.strip_prefix(first.as_str()) {
            Some(after) => rest = after,
            None => return false,
        }
        middle = tail;
    }
    if let Some((GlobPiece::Literal(last), init)) = middle.split_last() {
        match rest.strip_suffix(last.as_str()) {
            Some(before) => rest = before,
            None => return false,
        }
        middle = init;
    }
    for piece in middle {
        if let GlobPiece::Literal(literal) = piece {
            match rest.find(literal.as_str()) {
                Some(at) => rest = &rest[at + literal.len()..],
                None => return false,
            }
        }
    }
    true
}

impl TextPattern {
    /// Whether a log line satisfies the terms.
    pub fn matches(&self, line: &str) -> bool {
        self.required.iter().all(|t| line.contains(t.as_str()))
            && !self.excluded.iter().any(|t| line.contains(t.as_str()))
            && (self.any_of.is_empty() || self.any_of.iter().any(|t| line.contains(t.as_str())))
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, message: impl Into<String>) -> PatternError {
        PatternError::Syntax {
            position: self.pos + 1,
            message: message.into(),
        }
    }

    /// What is at the cursor, for messages.
    fn found(&self) -> String {
        match self.peek() {
            None => "the end of the pattern".to_owned(),
            Some(_) => {
                let token: String = self.chars[self.pos..]
                    .iter()
                    .take_while(|c| !c.is_whitespace())
                    .take(20)
                    .collect();
                format!("`{token}`")
            }
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(), PatternError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}, found {}", self.found())))
        }
    }

    fn or_expr(&mut self) -> Result<JsonExpr, PatternError> {
        let mut operands = vec![self.and_expr()?];
        loop {
            self.skip_ws();
            if self.peek() == Some('|') && self.peek_at(1) == Some('|') {
                self.pos += 2;
                operands.push(self.and_expr()?);
            } else if self.peek() == Some('|') {
                return Err(self.error("expected `||`, found a single `|`"));
            } else {
                break;
            }
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            JsonExpr::Or(operands)
        })
    }

    fn and_expr(&mut self) -> Result<JsonExpr, PatternError> {
        let mut operands = vec![self.primary()?];
        loop {
            self.skip_ws();
            if self.peek() == Some('&') && self.peek_at(1) == Some('&') {
                self.pos += 2;
                operands.push(self.primary()?);
            } else if self.peek() == Some('&') {
                return Err(self.error("expected `&&`, found a single `&`"));
            } else {
                break;
            }
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            JsonExpr::And(operands)
        })
    }

    fn primary(&mut self) -> Result<JsonExpr, PatternError> {
        self.skip_ws();
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let inner = self.or_expr()?;
                self.skip_ws();
                self.expect(')', "`)`")?;
                Ok(inner)
            }
            Some('$') => self.comparison().map(JsonExpr::Test),
            _ => Err(self.error(format!(
                "expected a selector such as `$.eventName` or `(`, found {}",
                self.found()
            ))),
        }
    }

    fn selector(&mut self) -> Result<Selector, PatternError> {
        self.expect('$', "`$`")?;
        let mut steps = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@'))
                    {
                        self.pos += 1;
                    }
                    if start == self.pos {
                        return Err(self.error(format!(
                            "expected a property name after `.`, found {}",
                            self.found()
                        )));
                    }
                    steps.push(Step::Key(self.chars[start..self.pos].iter().collect()));
                }
                Some('[') => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    let digits: String = self.chars[start..self.pos].iter().collect();
                    let index = digits.parse::<usize>().map_err(|_| PatternError::Syntax {
                        position: start + 1,
                        message: "expected an array index such as `[0]`".to_owned(),
                    })?;
                    self.expect(']', "`]` closing the array index")?;
                    steps.push(Step::Index(index));
                }
                _ => break,
            }
        }
        if steps.is_empty() {
            return Err(self.error(format!(
                "expected `.property` or `[index]` after `$`, found {}",
                self.found()
            )));
        }
        Ok(Selector { steps })
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn comparison(&mut self) -> Result<Comparison, PatternError> {
        let selector = self.selector()?;
        self.skip_ws();
        let op_start = self.pos;
        let condition = match (self.peek(), self.peek_at(1)) {
            (Some('='), _) => {
                self.pos += 1;
                Condition::Equals(self.literal()?)
            }
            (Some('!'), Some('=')) => {
                self.pos += 2;
                Condition::NotEquals(self.literal()?)
            }
            (Some('<'), Some('=')) => {
                self.pos += 2;
                Condition::Numeric(NumericOp::LessOrEqual, self.number("<=")?)
            }
            (Some('>'), Some('=')) => {
                self.pos += 2;
                Condition::Numeric(NumericOp::GreaterOrEqual, self.number(">=")?)
            }
            (Some('<'), _) => {
                self.pos += 1;
                Condition::Numeric(NumericOp::Less, self.number("<")?)
            }
            (Some('>'), _) => {
                self.pos += 1;
                Condition::Numeric(NumericOp::Greater, self.number(">")?)
            }
            (Some(c), _) if c.is_ascii_alphabetic() => {
                let keyword = self.word().to_ascii_uppercase();
                match keyword.as_str() {
                    "EXISTS" => Condition::Exists,
                    "NOT" => {
                        self.skip_ws();
                        let next_start = self.pos;
                        if self.word().eq_ignore_ascii_case("EXISTS") {
                            Condition::NotExists
                        } else {
                            self.pos = next_start;
                            return Err(self.error(format!(
                                "expected `EXISTS` after `NOT`, found {}",
                                self.found()
                            )));
                        }
                    }
                    "IS" => {
                        self.skip_ws();
                        let next_start = self.pos;
                        match self.word().to_ascii_uppercase().as_str() {
                            "TRUE" => Condition::IsTrue,
                            "FALSE" => Condition::IsFalse,
                            "NULL" => Condition::IsNull,
                            _ => {
                                self.pos = next_start;
                                return Err(self.error(format!(
                                    "expected `TRUE`, `FALSE` or `NULL` after `IS`, found {}",
                                    self.found()
                                )));
                            }
                        }
                    }
                    _ => {
                        self.pos = op_start;
                        return Err(self.error(format!(
                            "expected an operator (`=`, `!=`, `<`, `>`, `<=`, `>=`, `IS`, \
                             `EXISTS`, `NOT EXISTS`) after `{selector}`, found {}",
                            self.found()
                        )));
                    }
                }
            }
            _ => {
                return Err(self.error(format!(
                    "expected an operator (`=`, `!=`, `<`, `>`, `<=`, `>=`, `IS`, `EXISTS`, \
                     `NOT EXISTS`) after `{selector}`, found {}",
                    self.found()
                )))
            }
        };
        Ok(Comparison {
            selector,
            condition,
        })
    }

    /// A quoted string, or a bare token (a number when it spells one).
    fn literal(&mut self) -> Result<Literal, PatternError> {
        self.skip_ws();
        match self.peek() {
            Some('"') => Ok(Literal::Text(self.quoted_glob()?)),
            Some('%') => Err(PatternError::Unsupported {
                what: "regular expressions (`%...%`) are not evaluated by this tool".to_owned(),
            }),
            Some('=' | '!' | '<' | '>') => Err(self.error(format!(
                "expected a value after the operator, found {}",
                self.found()
            ))),
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(|c| {
                    !c.is_whitespace() && !matches!(c, '(' | ')' | '{' | '}' | '&' | '|' | '"')
                }) {
                    self.pos += 1;
                }
                if start == self.pos {
                    return Err(self.error(format!(
                        "expected a value after the operator, found {}",
                        self.found()
                    )));
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                match parse_number(&text) {
                    Some(value) => Ok(Literal::Number { value, text }),
                    None => Ok(Literal::Text(Glob {
                        pieces: glob_pieces(&text),
                    })),
                }
            }
        }
    }

    fn number(&mut self, op: &str) -> Result<f64, PatternError> {
        self.skip_ws();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match parse_number(&text) {
            Some(value) => Ok(value),
            None => {
                self.pos = start;
                Err(self.error(format!("`{op}` needs a number, found {}", self.found())))
            }
        }
    }

    /// A `"..."` string in a JSON pattern: `\"`, `\\` and `\*` escape; bare `*` is a wildcard.
    fn quoted_glob(&mut self) -> Result<Glob, PatternError> {
        let open = self.pos;
        self.pos += 1;
        let mut pieces = Vec::new();
        let mut literal = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(PatternError::Syntax {
                        position: open + 1,
                        message: "unterminated string: no closing `\"`".to_owned(),
                    })
                }
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) => {
                            literal.push(c);
                            self.pos += 1;
                        }
                        None => literal.push('\\'),
                    }
                }
                Some('*') => {
                    if !literal.is_empty() {
                        pieces.push(GlobPiece::Literal(std::mem::take(&mut literal)));
                    }
                    if pieces.last() != Some(&GlobPiece::Star) {
                        pieces.push(GlobPiece::Star);
                    }
                    self.pos += 1;
                }
                Some(c) => {
                    literal.push(c);
                    self.pos += 1;
                }
            }
        }
        if !literal.is_empty() {
            pieces.push(GlobPiece::Literal(literal));
        }
        Ok(Glob { pieces })
    }

    /// A `"..."` phrase of a text pattern (`\"` and `\\` escape).
    fn quoted_phrase(&mut self) -> Result<String, PatternError> {
        let open = self.pos;
        self.pos += 1;
        let mut phrase = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(PatternError::Syntax {
                        position: open + 1,
                        message: "unterminated phrase: no closing `\"`".to_owned(),
                    })
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(phrase);
                }
                Some('\\') if matches!(self.peek_at(1), Some('"' | '\\')) => {
                    phrase.push(self.peek_at(1).unwrap_or('\\'));
                    self.pos += 2;
                }
                Some(c) => {
                    phrase.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn text_pattern(&mut self) -> Result<TextPattern, PatternError> {
        let mut pattern = TextPattern::default();
        loop {
            self.skip_ws();
            let Some(first) = self.peek() else {
                return Ok(pattern);
            };
            let prefix = match first {
                '-' | '?' => {
                    self.pos += 1;
                    Some(first)
                }
                _ => None,
            };
            let term = match self.peek() {
                Some('"') => self.quoted_phrase()?,
                Some(c) if !c.is_whitespace() => {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| !c.is_whitespace() && c != '"') {
                        self.pos += 1;
                    }
                    if self.peek() == Some('"') {
                        return Err(self.error(
                            "a `\"` inside a term: quote the whole term (`\"a b\"`)".to_owned(),
                        ));
                    }
                    self.chars[start..self.pos].iter().collect()
                }
                _ => {
                    return Err(self.error(format!(
                        "expected a term after `{}`, found {}",
                        prefix.unwrap_or(' '),
                        self.found()
                    )))
                }
            };
            match prefix {
                Some('-') => pattern.excluded.push(term),
                Some(_) => pattern.any_of.push(term),
                None => pattern.required.push(term),
            }
        }
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let starts_numeric = text
        .trim_start_matches(['-', '+'])
        .starts_with(|c: char| c.is_ascii_digit());
    if !starts_numeric {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn glob_pieces(text: &str) -> Vec<GlobPiece> {
    let mut pieces = Vec::new();
    for (i, part) in text.split('*').enumerate() {
        if i > 0 && pieces.last() != Some(&GlobPiece::Star) {
            pieces.push(GlobPiece::Star);
        }
        if !part.is_empty() {
            pieces.push(GlobPiece::Literal(part.to_owned()));
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({
            "eventVersion": "1.09",
            "eventName": "ConsoleLogin",
            "errorCode": "AccessDeniedException",
            "userIdentity": { "type": "Root", "accountId": "111122223333" },
            "responseElements": { "ConsoleLogin": "Failure" },
            "resources": [ { "ARN": "arn:aws:s3:::b" }, { "ARN": "arn:aws:s3:::c" } ],
            "bytes": 1500,
            "latency": 12.5,
            "readOnly": false,
            "managementEvent": true,
            "requestParameters": null,
            "tags": []
        })
    }

    fn m(pattern: &str) -> bool {
        match parse(pattern) {
            Ok(p) => p.matches_json(&event()),
            Err(e) => panic!("{pattern}: {e}"),
        }
    }

    fn err(pattern: &str) -> PatternError {
        match parse(pattern) {
            Ok(p) => panic!("{pattern} parsed: {p:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn string_equality_quoted_or_bare_case_sensitive() {
        assert!(m(r#"{ $.eventName = "ConsoleLogin" }"#));
        assert!(m("{$.eventName=ConsoleLogin}"));
        assert!(!m("{ $.eventName = consolelogin }"));
        assert!(!m("{ $.eventName = Console }"));
        assert!(m("{ $.eventName != CreateTrail }"));
        assert!(!m("{ $.eventName != ConsoleLogin }"));
    }

    #[test]
    fn wildcards_anywhere() {
        assert!(m(r#"{ $.errorCode = "AccessDenied*" }"#));
        assert!(m(r#"{ $.errorCode = "*Exception" }"#));
        assert!(m(r#"{ $.errorCode = "Access*Exc*" }"#));
        assert!(m(r#"{ $.errorCode = "*" }"#));
        assert!(m("{ $.errorCode = *Denied* }"));
        assert!(!m(r#"{ $.errorCode = "*UnauthorizedOperation" }"#));
        assert!(!m(r#"{ $.errorCode != "AccessDenied*" }"#));
        // An escaped star is literal.
        assert!(!m(r#"{ $.errorCode = "AccessDenied\*" }"#));
    }

    #[test]
    fn glob_edge_cases() {
        let g = |pattern: &str, text: &str| {
            Glob {
                pieces: glob_pieces(pattern),
            }
            .matches(text)
        };
        assert!(g("abc", "abc"));
        assert!(!g("abc", "abcd"));
        assert!(g("*", ""));
        assert!(g("a*", "a"));
        assert!(!g("a*a", "a"));
        assert!(g("a*a", "aa"));
        assert!(!g("ab*ab", "ab"));
        assert!(g("ab*ab", "abab"));
        assert!(g("*b*b*", "abcbd"));
        assert!(!g("*b*b*", "abcd"));
        assert!(g("a*b*c", "a-b-b-c"));
        assert!(g("**x**", "x"));
        assert!(g("é*ü", "éaü"));
        let many = "*a".repeat(30);
        assert!(!g(&many, &"a".repeat(29)));
        assert!(g(&many, &"a".repeat(40)));
        // Adjacent literal pieces built by hand still compare exactly.
        let split = Glob {
            pieces: vec![
                GlobPiece::Literal("a".into()),
                GlobPiece::Literal("b".into()),
            ],
        };
        assert!(split.matches("ab"));
        assert!(!split.matches("axb"));
    }

    #[test]
    fn nested_and_indexed_selectors() {
        assert!(m(r#"{ $.userIdentity.type = "Root" }"#));
        assert!(m(r#"{ $.resources[1].ARN = "arn:aws:s3:::c" }"#));
        assert!(!m(r#"{ $.resources[2].ARN = "*" }"#));
        assert!(m(r#"{ $.responseElements.ConsoleLogin = Failure }"#));
    }

    #[test]
    fn missing_fields_compare_false_except_not_exists() {
        assert!(!m(r#"{ $.errorMessage = "*" }"#));
        assert!(!m(r#"{ $.errorMessage != "Failed authentication" }"#));
        assert!(!m(r#"{ $.userIdentity.invokedBy EXISTS }"#));
        assert!(m(r#"{ $.userIdentity.invokedBy NOT EXISTS }"#));
        assert!(!m(r#"{ $.userIdentity.type NOT EXISTS }"#));
        assert!(m("{ $.userIdentity EXISTS }"));
        // Present but null: EXISTS holds, IS NULL holds, comparisons are false.
        assert!(m("{ $.requestParameters EXISTS }"));
        assert!(m("{ $.requestParameters IS NULL }"));
        assert!(!m(r#"{ $.requestParameters != "x" }"#));
        // Objects and arrays are not scalars.
        assert!(!m(r#"{ $.userIdentity != "x" }"#));
        assert!(!m(r#"{ $.tags = "*" }"#));
    }

    #[test]
    fn booleans_and_null() {
        assert!(m("{ $.managementEvent IS TRUE }"));
        assert!(m("{ $.readOnly IS FALSE }"));
        assert!(!m("{ $.readOnly IS TRUE }"));
        assert!(!m("{ $.eventName IS NULL }"));
        assert!(m("{ $.readOnly is false }"));
        assert!(m("{ $.readOnly = false }"));
    }

    #[test]
    fn numeric_comparisons() {
        assert!(m("{ $.bytes > 1000 }"));
        assert!(m("{ $.bytes >= 1500 }"));
        assert!(!m("{ $.bytes < 1500 }"));
        assert!(m("{ $.bytes <= 1500.0 }"));
        assert!(m("{ $.bytes = 1500 }"));
        assert!(m("{ $.bytes = 1.5e3 }"));
        assert!(m("{ $.bytes != 1501 }"));
        assert!(m("{ $.latency < 13 }"));
        assert!(m("{ $.latency > -1 }"));
        // Ordering needs a JSON number.
        assert!(!m("{ $.eventVersion > 1 }"));
        // A numeric literal against a string compares the spelling.
        assert!(m("{ $.eventVersion = 1.09 }"));
        assert!(!m("{ $.eventVersion = 1.090 }"));
        // A quoted number is a string; numbers compare by their JSON text.
        assert!(m(r#"{ $.bytes = "15*" }"#));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        // false && false || true  ->  (false && false) || true
        assert!(m("{ $.eventName = X && $.bytes = 1 || $.bytes = 1500 }"));
        // true || false && false  ->  true || (false && false)
        assert!(m("{ $.bytes = 1500 || $.eventName = X && $.bytes = 1 }"));
        // Parentheses override.
        assert!(!m("{ ($.bytes = 1500 || $.eventName = X) && $.bytes = 1 }"));
        assert!(m("{ ((($.bytes = 1500))) }"));
    }

    #[test]
    fn whitespace_is_free() {
        assert!(m(
            "{\n  ( $.eventName = ConsoleLogin )\n\t&&\n  ( $.userIdentity.type = Root )\n}"
        ));
        assert!(m("   {$.eventName=ConsoleLogin&&$.bytes>=1}   "));
        assert!(m(r#"{($.eventName="X")||($.eventName="ConsoleLogin")}"#));
    }

    #[test]
    fn text_patterns() {
        let line =
            "2026-11-25 LOG:  connection authorized: user=app SSL enabled (protocol=TLSv1.3)";
        let t = |p: &str| {
            parse(p)
                .map(|f| f.matches_text(line))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert!(t(""));
        assert!(t("   "));
        assert!(t(r#""""#));
        assert!(t("connection"));
        assert!(t("connection authorized"));
        assert!(t(r#""connection authorized""#));
        assert!(!t(r#""authorized connection""#));
        assert!(t("authorized connection"));
        assert!(!t("Connection"));
        assert!(!t(r#""connection authorized" -"SSL enabled""#));
        assert!(t(r#""connection authorized" -"SSL disabled""#));
        assert!(t("?ERROR ?authorized"));
        assert!(!t("?ERROR ?FATAL"));
        assert!(!t("connection ?ERROR"));
        assert!(t(r#"-"connection received""#));
    }

    #[test]
    fn text_patterns_search_the_json_text_of_json_events() {
        let pattern = parse(r#""\"eventName\":\"ConsoleLogin\"""#).expect("parses");
        assert!(pattern.matches_json(&event()));
        assert!(parse("ConsoleLogin")
            .expect("parses")
            .matches_json(&event()));
        assert!(!parse("CreateTrail").expect("parses").matches_json(&event()));
    }

    #[test]
    fn json_patterns_match_only_json_lines() {
        let pattern = parse(r#"{ $.eventName = "ConsoleLogin" }"#).expect("parses");
        assert!(pattern.matches_text(r#"{"eventName":"ConsoleLogin"}"#));
        assert!(!pattern.matches_text("eventName = ConsoleLogin"));
    }

    #[test]
    fn space_delimited_and_regex_forms_are_unsupported() {
        assert!(matches!(
            err("[ip, user, status=4*]"),
            PatternError::Unsupported { .. }
        ));
        assert!(err("  [a]")
            .to_string()
            .starts_with("unsupported pattern form"));
        assert!(matches!(
            err("{ $.eventName = %Con.*% }"),
            PatternError::Unsupported { .. }
        ));
    }

    #[test]
    fn syntax_errors_name_the_position_and_token() {
        let e = err("{ $.eventName = ConsoleLogin ");
        assert!(e.to_string().contains("`}`"), "{e}");
        assert_eq!(
            err("{ eventName = x }").to_string(),
            "at character 3: expected a selector such as `$.eventName` or `(`, found `eventName`"
        );
        assert!(err("{ $.a = x & $.b = y }")
            .to_string()
            .contains("single `&`"));
        assert!(err("{ $.a = x | $.b = y }")
            .to_string()
            .contains("single `|`"));
        assert!(err("{ $.a == x }").to_string().contains("expected a value"));
        assert!(err("{ $.a > abc }")
            .to_string()
            .contains("`>` needs a number, found `abc`"));
        assert!(err("{ $.a IS MAYBE }").to_string().contains("`MAYBE`"));
        assert!(err("{ $.a NOT THERE }").to_string().contains("`EXISTS`"));
        assert!(err("{ $.a LIKE x }")
            .to_string()
            .contains("expected an operator"));
        assert!(err("{ $. = x }").to_string().contains("property name"));
        assert!(err("{ $ = x }").to_string().contains("after `$`"));
        assert!(err("{ $.a[x] = 1 }").to_string().contains("array index"));
        assert!(err(r#"{ $.a = "open }"#)
            .to_string()
            .contains("unterminated"));
        assert!(err("{ ($.a = x }").to_string().contains("`)`"));
        assert!(err("{ $.a = x } trailing")
            .to_string()
            .contains("after the closing"));
        assert!(err("{}").to_string().contains("selector"));
        assert!(err(r#""unterminated"#).to_string().contains("unterminated"));
        assert!(err(r#"ab"c"#).to_string().contains("quote the whole term"));
        assert!(err("connection - x")
            .to_string()
            .contains("expected a term after `-`"));
    }
}
