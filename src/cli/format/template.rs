//! Go's `text/template`, as Docker 20.10 (built with Go 1.19) runs it for `--format`.
//!
//! This module owns the template language end to end: the lexer and parser (ported from
//! `text/template/parse`, including trim markers, comments, `define`/`template`/`block`,
//! `break`/`continue`), the executor (`text/template/exec.go`), Go's built-in functions, the
//! functions docker/cli adds (`json`, `join`, `split`, `title`, `lower`, `upper`, `pad`,
//! `truncate`), and just enough of Go's `fmt` and `encoding/json` to print values the way Go
//! does. It knows nothing about images or containers: callers hand it a [`Value`].
//!
//! Vocabulary, after Go's `reflect`:
//! - a [`Value`] is the data. Go's static types matter for printing and errors, so the model
//!   keeps the distinctions Go makes: a nil slice prints `[]` but a nil map prints `map[]`, a
//!   missing map key is "no value" (`<no value>`), a Go struct errors on unknown fields while
//!   a map does not, a `time.Time` prints one way and JSON-encodes another ([`Value::Stringer`]).
//! - *dot* is the current data (`.`), `$` the root.
//! - errors carry Go's exact text ([`TemplateError`]); the CLI prefixes
//!   `template parsing error: ` itself. Execution errors name the node being evaluated and its
//!   byte column, as Go's `ErrorContext` computes it (0-based on every line).
//!
//! Methods: a [`Struct`] may carry `func(string) string` methods ([`Method`]), the only kind
//! docker/cli's contexts have (`{{.Label "k"}}`); a table header's map has `Label` too.
//!
//! Not supported (Docker never needs them): complex numbers, custom delimiters, other method
//! signatures, `%T`/`%p` and explicit argument indexes in `printf`.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use super::human::{format_e, format_g};

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// Data for a template, modelled on the Go values Docker feeds its templates.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Go's invalid `reflect.Value`: what a missing map key yields. Prints `<no value>`.
    NoValue,
    /// A nil interface value (JSON `null` decoded into `interface{}`). As the result of an
    /// action it prints `<no value>`, because Go unwraps interfaces between commands.
    Nil,
    /// A typed nil pointer (a `null` struct in typed inspect data); the string is its Go type,
    /// e.g. `*types.Health`. Prints `<nil>`.
    NilPointer(String),
    /// A Go `bool`.
    Bool(bool),
    /// A Go signed integer (`int`, `int64`).
    Int(i64),
    /// A Go unsigned integer.
    Uint(u64),
    /// A Go `float64`.
    Float(f64),
    /// A Go `string`.
    String(String),
    /// A Go slice; prints `[a b c]`.
    List(Vec<Value>),
    /// A nil Go slice: prints `[]`, JSON-encodes as `null`.
    NilList,
    /// A Go map with string keys; iterates and prints in sorted key order: `map[a:1 b:2]`.
    Map(BTreeMap<String, Value>),
    /// A nil Go map: prints `map[]`, JSON-encodes as `null`.
    NilMap,
    /// A Go struct.
    Struct(Struct),
    /// A value with its own `String()` and `MarshalJSON` (Go's `time.Time`, for instance).
    Stringer(Stringer),
}

/// A Go struct value: ordered fields; accessing a field it lacks is an error naming `type_name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The Go type as `reflect` spells it in errors, e.g. `*formatter.imageContext`.
    pub type_name: String,
    /// Fields in declaration order (which is also `encoding/json`'s order).
    pub fields: Vec<(String, Value)>,
    /// The output of the type's own `MarshalJSON`, when it has one (Docker's table rows do:
    /// their `{{json .}}` is sorted and HTML-escaped).
    pub json: Option<String>,
    /// Methods that take arguments (`Label(name string) string`). Go's `encoding/json` and
    /// docker/cli's row marshalling skip them, so only templates see them.
    pub methods: Vec<(String, Method)>,
}

/// A Go method with one `string` parameter returning a `string`, the only kind docker/cli's
/// formatter contexts define (`{{.Label "com.example.vendor"}}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// A row's `Label`: the named label's value, or `""` when the row has no such label.
    Lookup(BTreeMap<String, String>),
    /// docker/cli's `SubHeaderContext.Label`, the table header's: the column title for a label
    /// is its last dot-separated part with `-` and `_` as spaces.
    HeaderLabel,
}

impl Method {
    fn call(&self, arg: &str) -> String {
        match self {
            Method::Lookup(map) => map.get(arg).cloned().unwrap_or_default(),
            Method::HeaderLabel => arg
                .rsplit('.')
                .next()
                .unwrap_or(arg)
                .replace(['-', '_'], " "),
        }
    }
}

/// A value whose Go type has `String()` and `MarshalJSON` methods, e.g. `time.Time`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stringer {
    /// The Go type, e.g. `time.Time`.
    pub type_name: String,
    /// What `fmt` prints (`2021-10-05 21:05:42.1234 +0200 CEST`).
    pub text: String,
    /// The JSON encoding, verbatim (`"2021-10-05T21:05:42.1234+02:00"`).
    pub json: String,
}

/// How [`Value::from_json`] should type a JSON value at a given path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Objects become structs, arrays lists, `null` a nil pointer.
    Auto,
    /// A Go map (`Labels`, `ExposedPorts`, `Volumes`, `GraphDriver.Data`…); `null` is a nil map.
    Map,
    /// A Go slice; `null` is a nil slice (`Cmd`, `Entrypoint`, `OnBuild`…).
    List,
    /// A `time.Time` sent as RFC 3339; printed the Go way (`2021-10-05 19:05:42 +0000 UTC`).
    Time,
}

impl Value {
    /// Shorthand for a [`Value::String`].
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A Go struct with the given type name and fields, in order.
    pub fn structure(
        type_name: impl Into<String>,
        fields: impl IntoIterator<Item = (String, Value)>,
    ) -> Value {
        Value::Struct(Struct {
            type_name: type_name.into(),
            fields: fields.into_iter().collect(),
            json: None,
            methods: Vec::new(),
        })
    }

    /// A Go struct with methods that take an argument besides its fields.
    pub fn structure_with_methods(
        type_name: impl Into<String>,
        fields: impl IntoIterator<Item = (String, Value)>,
        methods: impl IntoIterator<Item = (String, Method)>,
    ) -> Value {
        Value::Struct(Struct {
            type_name: type_name.into(),
            fields: fields.into_iter().collect(),
            json: None,
            methods: methods.into_iter().collect(),
        })
    }

    /// A `map[string]string` from pairs.
    pub fn string_map<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
        Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::str(v)))
                .collect(),
        )
    }

    /// Converts inspect JSON into typed Go-like values.
    ///
    /// `shape` is asked about every object, array, `null` and string by its path of field
    /// names from the root (list elements add no segment; map values add `*`), e.g.
    /// `["Config", "Labels"]` or `["NetworkSettings", "Networks", "*", "Aliases"]`.
    pub fn from_json(json: &serde_json::Value, shape: &dyn Fn(&[&str]) -> Shape) -> Value {
        let mut path = Vec::new();
        from_json_at(json, shape, &mut path)
    }

    /// Converts JSON the way Go decodes it into `interface{}` with `UseNumber`, as docker
    /// inspect's fallback does: objects are maps, `null` is a nil interface, and numbers are
    /// `json.Number` — a string kind, so they are kept as their literal text.
    pub fn from_json_generic(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::String(n.to_string()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json_generic).collect())
            }
            serde_json::Value::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json_generic(v)))
                    .collect(),
            ),
        }
    }

    /// Go's name for the value's type, as errors print it.
    pub fn go_type(&self) -> String {
        match self {
            Value::NoValue => "<invalid reflect.Value>".into(),
            Value::Nil => "interface {}".into(),
            Value::NilPointer(t) => t.clone(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::List(items) => {
                if items.iter().all(|v| matches!(v, Value::String(_))) {
                    "[]string".into()
                } else {
                    "[]interface {}".into()
                }
            }
            Value::NilList => "[]string".into(),
            Value::Map(m) => {
                if m.values().all(|v| matches!(v, Value::String(_))) {
                    "map[string]string".into()
                } else {
                    "map[string]interface {}".into()
                }
            }
            Value::NilMap => "map[string]string".into(),
            Value::Struct(s) => s.type_name.clone(),
            Value::Stringer(s) => s.type_name.clone(),
        }
    }

    /// Go's `encoding/json` encoding with HTML escaping off (Docker's `json` function).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }
}

fn from_json_at<'a>(
    json: &'a serde_json::Value,
    shape: &dyn Fn(&[&str]) -> Shape,
    path: &mut Vec<&'a str>,
) -> Value {
    match json {
        serde_json::Value::Null => match shape(path) {
            Shape::Map => Value::NilMap,
            Shape::List => Value::NilList,
            Shape::Auto | Shape::Time => Value::NilPointer("*struct".into()),
        },
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::Uint(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => {
            if shape(path) == Shape::Time
                && let Ok(ts) = s.parse::<jiff::Timestamp>()
            {
                return Value::Stringer(Stringer {
                    type_name: "time.Time".into(),
                    text: super::human::go_time_string(ts),
                    json: Value::String(s.clone()).to_json(),
                });
            }
            Value::String(s.clone())
        }
        serde_json::Value::Array(items) => Value::List(
            items
                .iter()
                .map(|item| from_json_at(item, shape, path))
                .collect(),
        ),
        serde_json::Value::Object(map) => {
            if shape(path) == Shape::Map {
                let mut out = BTreeMap::new();
                for (k, v) in map {
                    path.push("*");
                    out.insert(k.clone(), from_json_at(v, shape, path));
                    path.pop();
                }
                Value::Map(out)
            } else {
                let mut fields = Vec::with_capacity(map.len());
                for (k, v) in map {
                    path.push(k.as_str());
                    fields.push((k.clone(), from_json_at(v, shape, path)));
                    path.pop();
                }
                Value::Struct(Struct {
                    type_name: "struct".into(),
                    fields,
                    json: None,
                    methods: Vec::new(),
                })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Whether a template failed to parse or to execute (Docker exits 64 for the first, 1 for the
/// second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPhase {
    /// `template.Parse` failed.
    Parse,
    /// `template.Execute` failed.
    Execute,
}

/// A template error whose `Display` is Go's message, e.g.
/// `template: :1: function "foo" not defined`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Parse or execution.
    pub phase: ErrorPhase,
    /// Go's text.
    pub message: String,
}

type R<T> = Result<T, TemplateError>;

// ---------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Tok {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Tok::Block
                | Tok::Break
                | Tok::Continue
                | Tok::Dot
                | Tok::Define
                | Tok::Else
                | Tok::End
                | Tok::If
                | Tok::Nil
                | Tok::Range
                | Tok::Template
                | Tok::With
        )
    }

    fn keyword(word: &str) -> Option<Tok> {
        Some(match word {
            "." => Tok::Dot,
            "block" => Tok::Block,
            "break" => Tok::Break,
            "continue" => Tok::Continue,
            "define" => Tok::Define,
            "else" => Tok::Else,
            "end" => Tok::End,
            "if" => Tok::If,
            "range" => Tok::Range,
            "nil" => Tok::Nil,
            "template" => Tok::Template,
            "with" => Tok::With,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
struct Item {
    typ: Tok,
    pos: usize,
    val: String,
    line: usize,
}

impl fmt::Display for Item {
    /// Go's `item.String()`, used in "unexpected …" messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.typ {
            Tok::Eof => f.write_str("EOF"),
            Tok::Error => f.write_str(&self.val),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                let short: String = self.val.chars().take(10).collect();
                write!(f, "{}...", go_quote(&short))
            }
            _ => f.write_str(&go_quote(&self.val)),
        }
    }
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
/// A trim marker is `-` plus one space: `{{- ` and ` -}}`.
const TRIM_MARKER_LEN: usize = 2;

#[derive(Clone, Copy)]
enum LexState {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    /// Width of the last rune read, for `backup` (0 at EOF, as in Go).
    width: usize,
    paren_depth: i32,
    items: Vec<Item>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn line_at(input: &str, pos: usize) -> usize {
    1 + input.as_bytes()[..pos.min(input.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Go's `%#U`: `U+007D '}'`.
fn sharp_u(c: char) -> String {
    if is_go_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

impl<'a> Lexer<'a> {
    fn lex(input: &'a str) -> Vec<Item> {
        let mut l = Lexer {
            input,
            pos: 0,
            start: 0,
            width: 0,
            paren_depth: 0,
            items: Vec::new(),
        };
        let mut state = Some(LexState::Text);
        while let Some(s) = state {
            state = l.step(s);
        }
        l.items
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos.min(self.input.len())..]
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            _ => {
                self.backup();
                false
            }
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while matches!(self.next(), Some(c) if valid.contains(c)) {}
        self.backup();
    }

    fn emit(&mut self, typ: Tok) {
        self.items.push(Item {
            typ,
            pos: self.start,
            val: self.input[self.start..self.pos].to_string(),
            line: line_at(self.input, self.start),
        });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn errorf(&mut self, msg: String) -> Option<LexState> {
        self.items.push(Item {
            typ: Tok::Error,
            pos: self.start,
            val: msg,
            line: line_at(self.input, self.start),
        });
        None
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    fn at_terminator(&mut self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            // Go 1.19 checks the whole delimiter here, so `{{.Foo}` is a "bad character".
            Some(_) => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    fn step(&mut self, state: LexState) -> Option<LexState> {
        match state {
            LexState::Text => self.lex_text(),
            LexState::LeftDelim => self.lex_left_delim(),
            LexState::Comment => self.lex_comment(),
            LexState::RightDelim => self.lex_right_delim(),
            LexState::InsideAction => self.lex_inside_action(),
            LexState::Space => self.lex_space(),
            LexState::Identifier => self.lex_identifier(),
            LexState::Field => self.lex_field_or_variable(Tok::Field),
            LexState::Variable => {
                if self.at_terminator() {
                    self.emit(Tok::Variable);
                    return Some(LexState::InsideAction);
                }
                self.lex_field_or_variable(Tok::Variable)
            }
            LexState::Char => self.lex_quoted('\'', Tok::CharConstant, "character constant"),
            LexState::Quote => self.lex_quoted('"', Tok::String, "quoted string"),
            LexState::RawQuote => {
                loop {
                    match self.next() {
                        None => return self.errorf("unterminated raw quoted string".into()),
                        Some('`') => break,
                        Some(_) => {}
                    }
                }
                self.emit(Tok::RawString);
                Some(LexState::InsideAction)
            }
            LexState::Number => self.lex_number(),
        }
    }

    fn lex_text(&mut self) -> Option<LexState> {
        self.width = 0;
        if let Some(x) = self.rest().find(LEFT_DELIM) {
            self.pos += x;
            let mut trim = 0;
            if has_left_trim_marker(&self.input[self.pos + LEFT_DELIM.len()..]) {
                let text = &self.input[self.start..self.pos];
                trim = text.len() - text.trim_end_matches(is_space).len();
            }
            self.pos -= trim;
            if self.pos > self.start {
                self.emit(Tok::Text);
            }
            self.pos += trim;
            self.ignore();
            return Some(LexState::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(Tok::Text);
        }
        self.emit(Tok::Eof);
        None
    }

    fn lex_left_delim(&mut self) -> Option<LexState> {
        self.pos += LEFT_DELIM.len();
        let after_marker = if has_left_trim_marker(self.rest()) {
            TRIM_MARKER_LEN
        } else {
            0
        };
        if self.rest()[after_marker..].starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return Some(LexState::Comment);
        }
        self.emit(Tok::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        Some(LexState::InsideAction)
    }

    fn lex_comment(&mut self) -> Option<LexState> {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(is_space).len();
        }
        self.ignore();
        Some(LexState::Text)
    }

    fn lex_right_delim(&mut self) -> Option<LexState> {
        let trim = has_right_trim_marker(self.rest());
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        self.emit(Tok::RightDelim);
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(is_space).len();
            self.ignore();
        }
        Some(LexState::Text)
    }

    fn lex_inside_action(&mut self) -> Option<LexState> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(LexState::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let Some(c) = self.next() else {
            return self.errorf("unclosed action".into());
        };
        match c {
            c if is_space(c) => {
                self.backup();
                return Some(LexState::Space);
            }
            '=' => self.emit(Tok::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(Tok::Declare);
            }
            '|' => self.emit(Tok::Pipe),
            '"' => return Some(LexState::Quote),
            '`' => return Some(LexState::RawQuote),
            '$' => return Some(LexState::Variable),
            '\'' => return Some(LexState::Char),
            // ".Field", unless a digit follows (".5") or input ends, which lex as numbers.
            '.' if matches!(self.rest().as_bytes().first(), Some(b) if !b.is_ascii_digit()) => {
                return Some(LexState::Field);
            }
            '.' | '+' | '-' | '0'..='9' => {
                self.backup();
                return Some(LexState::Number);
            }
            c if is_alphanumeric(c) => {
                self.backup();
                return Some(LexState::Identifier);
            }
            '(' => {
                self.emit(Tok::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                // Go 1.19 emits the paren before complaining, so the parser reports it first.
                self.emit(Tok::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf(format!("unexpected right paren {}", sharp_u(c)));
                }
            }
            c if c.is_ascii() && is_go_print(c) => self.emit(Tok::Char),
            c => {
                return self.errorf(format!("unrecognized character in action: {}", sharp_u(c)));
            }
        }
        Some(LexState::InsideAction)
    }

    fn lex_space(&mut self) -> Option<LexState> {
        let mut num_spaces = 0;
        while matches!(self.peek(), Some(c) if is_space(c)) {
            self.next();
            num_spaces += 1;
        }
        // A trim-marked right delimiter starts with a space: " -}}".
        let before = &self.input[self.pos - 1..];
        if has_right_trim_marker(before) && before[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            self.pos -= 1;
            if num_spaces == 1 {
                return Some(LexState::RightDelim);
            }
        }
        self.emit(Tok::Space);
        Some(LexState::InsideAction)
    }

    fn lex_identifier(&mut self) -> Option<LexState> {
        loop {
            match self.next() {
                Some(c) if is_alphanumeric(c) => {}
                c => {
                    self.backup();
                    let word = &self.input[self.start..self.pos];
                    if !self.at_terminator() {
                        return self.errorf(format!("bad character {}", sharp_u_opt(c)));
                    }
                    let typ = if let Some(k) = Tok::keyword(word) {
                        k
                    } else if word.starts_with('.') {
                        Tok::Field
                    } else if word == "true" || word == "false" {
                        Tok::Bool
                    } else {
                        Tok::Identifier
                    };
                    self.emit(typ);
                    return Some(LexState::InsideAction);
                }
            }
        }
    }

    fn lex_field_or_variable(&mut self, typ: Tok) -> Option<LexState> {
        if self.at_terminator() {
            self.emit(if typ == Tok::Variable {
                Tok::Variable
            } else {
                Tok::Dot
            });
            return Some(LexState::InsideAction);
        }
        let mut c;
        loop {
            c = self.next();
            if !matches!(c, Some(c) if is_alphanumeric(c)) {
                self.backup();
                break;
            }
        }
        if !self.at_terminator() {
            return self.errorf(format!("bad character {}", sharp_u_opt(c)));
        }
        self.emit(typ);
        Some(LexState::InsideAction)
    }

    fn lex_quoted(&mut self, quote: char, typ: Tok, what: &str) -> Option<LexState> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => return self.errorf(format!("unterminated {what}")),
                    Some(_) => {}
                },
                Some('\n') | None => return self.errorf(format!("unterminated {what}")),
                Some(c) if c == quote => break,
                Some(_) => {}
            }
        }
        self.emit(typ);
        Some(LexState::InsideAction)
    }

    fn lex_number(&mut self) -> Option<LexState> {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.errorf(format!("bad number syntax: {}", go_quote(&text)));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input[self.start..self.pos].to_string();
                return self.errorf(format!("bad number syntax: {}", go_quote(&text)));
            }
            self.emit(Tok::Complex);
        } else {
            self.emit(Tok::Number);
        }
        Some(LexState::InsideAction)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if matches!(self.peek(), Some(c) if is_alphanumeric(c)) {
            self.next();
            return false;
        }
        true
    }
}

fn sharp_u_opt(c: Option<char>) -> String {
    match c {
        Some(c) => sharp_u(c),
        // Go prints EOF (-1) with %#U as "U+FFFFFFFFFFFFFFFF"; unreachable in practice since
        // EOF is a terminator.
        None => "U+FFFFFFFFFFFFFFFF".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Parse tree (text/template/parse/node.go)
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Branch),
    With(Branch),
    Range(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

#[derive(Debug)]
struct Branch {
    pipe: Pipe,
    list: Vec<Node>,
    else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
struct Pipe {
    pos: usize,
    is_assign: bool,
    decl: Vec<String>,
    cmds: Vec<Command>,
}

#[derive(Debug)]
struct Command {
    pos: usize,
    args: Vec<Arg>,
}

#[derive(Debug)]
enum Arg {
    Field {
        pos: usize,
        ident: Vec<String>,
    },
    Variable {
        pos: usize,
        ident: Vec<String>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Identifier {
        pos: usize,
        name: String,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        val: bool,
    },
    Number {
        pos: usize,
        num: Number,
    },
    String {
        pos: usize,
        quoted: String,
        text: String,
    },
    Pipe(Box<Pipe>),
}

#[derive(Debug)]
struct Number {
    text: String,
    int: Option<i64>,
    uint: Option<u64>,
    float: Option<f64>,
    is_char: bool,
}

impl Arg {
    fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => write!(f, ".{}", ident.join(".")),
            Arg::Variable { ident, .. } => f.write_str(&ident.join(".")),
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = arg {
                write!(f, "({p})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &[Node]) -> fmt::Result {
    list.iter().try_for_each(|n| write!(f, "{n}"))
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let branch = |f: &mut fmt::Formatter<'_>, kw: &str, b: &Branch| {
            write!(f, "{{{{{kw} {}}}}}", b.pipe)?;
            write_list(f, &b.list)?;
            if let Some(e) = &b.else_list {
                f.write_str("{{else}}")?;
                write_list(f, e)?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text(t) => f.write_str(t),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::With(b) => branch(f, "with", b),
            Node::Range(b) => branch(f, "range", b),
            Node::Template { name, pipe, .. } => match pipe {
                Some(p) => write!(f, "{{{{template {} {p}}}}}", go_quote(name)),
                None => write!(f, "{{{{template {}}}}}", go_quote(name)),
            },
            Node::Break => f.write_str("{{break}}"),
            Node::Continue => f.write_str("{{continue}}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser (text/template/parse/parse.go)
// ---------------------------------------------------------------------------------------------

/// What ended an item list: `{{end}}` or `{{else}}` (with its position for messages).
enum ListEnd {
    End,
    Else,
}

impl fmt::Display for ListEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ListEnd::End => "{{end}}",
            ListEnd::Else => "{{else}}",
        })
    }
}

/// Either a real node or a list terminator, as Go's `textOrAction` returns.
enum Parsed {
    Node(Node),
    End(ListEnd),
}

struct Parser<'a> {
    name: &'a str,
    items: Vec<Item>,
    cur: usize,
    /// Highest item index handed out: Go reports the line of the latest token lexed.
    seen: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    defs: BTreeMap<String, Vec<Node>>,
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> Item {
        let i = self.cur.min(self.items.len().saturating_sub(1));
        self.cur = i + 1;
        self.seen = self.seen.max(i);
        self.items[i].clone()
    }

    fn backup(&mut self) {
        self.cur -= 1;
    }

    fn peek(&mut self) -> Item {
        let it = self.next();
        self.backup();
        it
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let it = self.next();
            if it.typ != Tok::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn errorf<T>(&self, msg: impl fmt::Display) -> R<T> {
        let line = self.items.get(self.seen).map_or(1, |i| i.line);
        Err(TemplateError {
            phase: ErrorPhase::Parse,
            message: format!("template: {}:{}: {}", self.name, line, msg),
        })
    }

    fn expect(&mut self, expected: Tok, context: &str) -> R<Item> {
        let token = self.next_non_space();
        if token.typ != expected {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> R<T> {
        if token.typ == Tok::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn parse(&mut self) -> R<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().typ != Tok::Eof {
            if self.peek().typ == Tok::LeftDelim {
                let save = self.cur;
                self.next();
                if self.next_non_space().typ == Tok::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.cur = save;
            }
            match self.text_or_action()? {
                Parsed::End(end) => return self.errorf(format!("unexpected {end}")),
                Parsed::Node(n) => root.push(n),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> R<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        if token.typ != Tok::String && token.typ != Tok::RawString {
            return self.unexpected(&token, CONTEXT);
        }
        let Some(name) = go_unquote(&token.val) else {
            return self.errorf("invalid syntax");
        };
        self.expect(Tok::RightDelim, CONTEXT)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        if !matches!(end, ListEnd::End) {
            return self.errorf(format!("unexpected {end} in {CONTEXT}"));
        }
        self.defs.insert(name, list);
        Ok(())
    }

    fn item_list(&mut self) -> R<(Vec<Node>, ListEnd)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != Tok::Eof {
            match self.text_or_action()? {
                Parsed::End(end) => return Ok((list, end)),
                Parsed::Node(n) => list.push(n),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> R<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            Tok::Text => Ok(Parsed::Node(Node::Text(token.val))),
            Tok::LeftDelim => {
                self.action_line = token.line;
                let result = self.action();
                self.action_line = 0;
                result
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> R<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            Tok::Block => return self.block_control().map(Parsed::Node),
            Tok::Break => return self.loop_control("{{break}}", Node::Break),
            Tok::Continue => return self.loop_control("{{continue}}", Node::Continue),
            Tok::Else => {
                // "{{else if" is treated as "{{else}}{{if"; leave the "if" pending.
                if self.peek_non_space().typ == Tok::If {
                    return Ok(Parsed::End(ListEnd::Else));
                }
                self.expect(Tok::RightDelim, "else")?;
                return Ok(Parsed::End(ListEnd::Else));
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Parsed::End(ListEnd::End));
            }
            Tok::If => return self.if_control().map(Parsed::Node),
            Tok::Range => {
                let b = self.parse_control(false, "range")?;
                return Ok(Parsed::Node(Node::Range(b)));
            }
            Tok::Template => return self.template_control().map(Parsed::Node),
            Tok::With => {
                let b = self.parse_control(false, "with")?;
                return Ok(Parsed::Node(Node::With(b)));
            }
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", Tok::RightDelim)?;
        Ok(Parsed::Node(Node::Action {
            pos: token.pos,
            pipe,
        }))
    }

    fn loop_control(&mut self, what: &str, node: Node) -> R<Parsed> {
        let token = self.next_non_space();
        if token.typ != Tok::RightDelim {
            return self.unexpected(&token, what);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{what} outside {{{{range}}}}"));
        }
        Ok(Parsed::Node(node))
    }

    fn if_control(&mut self) -> R<Node> {
        self.parse_control(true, "if").map(Node::If)
    }

    fn parse_control(&mut self, allow_else_if: bool, context: &str) -> R<Branch> {
        let mark = self.vars.len();
        let result = self.parse_control_inner(allow_else_if, context);
        self.vars.truncate(mark);
        result
    }

    fn parse_control_inner(&mut self, allow_else_if: bool, context: &str) -> R<Branch> {
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let ListEnd::Else = next {
            if allow_else_if && self.peek().typ == Tok::If {
                self.next();
                else_list = Some(vec![self.if_control()?]);
            } else {
                let (l, next) = self.item_list()?;
                if !matches!(next, ListEnd::End) {
                    return self.errorf(format!("expected end; found {next}"));
                }
                else_list = Some(l);
            }
        }
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn block_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Tok::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let listed = self.item_list();
        self.vars = saved_vars;
        let (list, end) = listed?;
        if !matches!(end, ListEnd::End) {
            return self.errorf(format!("unexpected {end} in {CONTEXT}"));
        }
        self.defs.insert(name.clone(), list);
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != Tok::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Tok::RightDelim)?);
        }
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe,
        })
    }

    fn template_name(&self, token: &Item, context: &str) -> R<String> {
        match token.typ {
            Tok::String | Tok::RawString => match go_unquote(&token.val) {
                Some(s) => Ok(s),
                None => self.errorf("invalid syntax"),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> R<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != Tok::Variable {
                break;
            }
            let save = self.cur;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.typ {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.typ == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                }
                Tok::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            Tok::Variable | Tok::RightDelim | Tok::RightParen => continue 'decls,
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                // Not a declaration: push the variable back (Go's backup2/backup3).
                _ => self.cur = save,
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                Tok::Bool
                | Tok::CharConstant
                | Tok::Complex
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawString
                | Tok::String
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> R<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool { .. }
                        | Arg::Dot { .. }
                        | Arg::Nil { .. }
                        | Arg::Number { .. }
                        | Arg::String { .. }
                )
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> R<Command> {
        let mut cmd = Command {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> R<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != Tok::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == Tok::Field {
            let f = self.next().val;
            fields.push(f[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut ident, .. } => {
                ident.extend(fields);
                Arg::Field { pos, ident }
            }
            Arg::Variable { mut ident, .. } => {
                ident.extend(fields);
                Arg::Variable { pos, ident }
            }
            Arg::Bool { .. }
            | Arg::String { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. } => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    go_quote(&node.to_string())
                ));
            }
            node => Arg::Chain {
                pos,
                node: Box::new(node),
                fields,
            },
        }))
    }

    fn term(&mut self) -> R<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.typ {
            Tok::Identifier => {
                if !is_function(&token.val) {
                    return self.errorf(format!("function {} not defined", go_quote(&token.val)));
                }
                Arg::Identifier {
                    pos,
                    name: token.val,
                }
            }
            Tok::Dot => Arg::Dot { pos },
            Tok::Nil => Arg::Nil { pos },
            Tok::Variable => {
                if !self.vars.contains(&token.val) {
                    return self.errorf(format!("undefined variable {}", go_quote(&token.val)));
                }
                Arg::Variable {
                    pos,
                    ident: vec![token.val],
                }
            }
            Tok::Field => Arg::Field {
                pos,
                ident: vec![token.val[1..].to_string()],
            },
            Tok::Bool => Arg::Bool {
                pos,
                val: token.val == "true",
            },
            Tok::CharConstant | Tok::Complex | Tok::Number => match parse_number(&token) {
                Ok(num) => Arg::Number { pos, num },
                Err(msg) => return self.errorf(msg),
            },
            Tok::LeftParen => {
                let pipe = self.pipeline("parenthesized pipeline", Tok::RightParen)?;
                Arg::Pipe(Box::new(pipe))
            }
            Tok::String | Tok::RawString => match go_unquote(&token.val) {
                Some(text) => Arg::String {
                    pos,
                    quoted: token.val,
                    text,
                },
                None => return self.errorf("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `parse.newNumber`.
fn parse_number(token: &Item) -> Result<Number, String> {
    let text = token.val.clone();
    if token.typ == Tok::CharConstant {
        let inner = &text[1..];
        let (c, tail) = go_unquote_char(inner, '\'').ok_or_else(|| "invalid syntax".to_string())?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        return Ok(Number {
            text,
            int: Some(c as i64),
            uint: Some(c as u64),
            float: Some(c as u32 as f64),
            is_char: true,
        });
    }
    if token.typ == Tok::Complex || text.ends_with('i') {
        return Err(format!("illegal number syntax: {}", go_quote(&text)));
    }
    let uint = parse_go_uint(&text);
    let int = parse_go_int(&text);
    let mut n = Number {
        text: text.clone(),
        int,
        uint: if int == Some(0) { Some(0) } else { uint },
        float: None,
        is_char: false,
    };
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_go_float(&text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", go_quote(&text)));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!("illegal number syntax: {}", go_quote(&text)));
    }
    Ok(n)
}

/// `strconv.ParseUint(s, 0, 64)`: base prefixes, leading-zero octal, underscores.
fn parse_go_uint(s: &str) -> Option<u64> {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || digits.starts_with('_') && radix == 10 {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || (radix == 10 && clean.len() != digits.len()) {
        return None;
    }
    u64::from_str_radix(&clean, radix).ok()
}

fn parse_go_int(s: &str) -> Option<i64> {
    if let Some(rest) = s.strip_prefix('-') {
        let u = parse_go_uint(rest)?;
        if u <= i64::MAX as u64 + 1 {
            return Some((u as i128).wrapping_neg() as i64);
        }
        return None;
    }
    let u = parse_go_uint(s.strip_prefix('+').unwrap_or(s))?;
    i64::try_from(u).ok()
}

fn parse_go_float(s: &str) -> Option<f64> {
    if s.contains(['x', 'X']) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    clean.parse::<f64>().ok()
}

// ---------------------------------------------------------------------------------------------
// Go string literals
// ---------------------------------------------------------------------------------------------

/// `strconv.Unquote` for `"…"` and `` `…` `` literals.
fn go_unquote(s: &str) -> Option<String> {
    if let Some(raw) = s.strip_prefix('`') {
        let body = raw.strip_suffix('`')?;
        return Some(body.replace('\r', ""));
    }
    let body = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut rest = body;
    while !rest.is_empty() {
        if rest.starts_with('"') {
            return None;
        }
        let (c, tail) = go_unquote_char(rest, '"')?;
        out.push(c);
        rest = tail;
    }
    Some(out)
}

/// `strconv.UnquoteChar`: one (possibly escaped) character and the rest.
fn go_unquote_char(s: &str, quote: char) -> Option<(char, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c != '\\' {
        if c == quote && (quote == '\'' || quote == '"') {
            return None;
        }
        return Some((c, chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' if e == quote => Some(e),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, rest));
    }
    let hex = |n: usize| -> Option<(u32, &str)> {
        let digits = rest.get(..n)?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        Some((v, &rest[n..]))
    };
    match e {
        'x' => {
            let (v, tail) = hex(2)?;
            // \xHH is a byte; only ASCII survives as a char in a Rust string.
            Some((char::from_u32(v).filter(|c| c.is_ascii())?, tail))
        }
        'u' => {
            let (v, tail) = hex(4)?;
            Some((char::from_u32(v)?, tail))
        }
        'U' => {
            let (v, tail) = hex(8)?;
            Some((char::from_u32(v)?, tail))
        }
        '0'..='7' => {
            let digits = s.get(1..4)?;
            let v = u32::from_str_radix(digits, 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((char::from_u32(v).filter(|c| c.is_ascii())?, &s[4..]))
        }
        _ => None,
    }
}

/// Approximates Go's `unicode.IsPrint`: graphic characters and the ASCII space.
fn is_go_print(c: char) -> bool {
    c == ' ' || !(c.is_control() || c.is_whitespace() || is_format_char(c))
}

fn is_format_char(c: char) -> bool {
    matches!(c as u32, 0xAD | 0x600..=0x605 | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFEFF)
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        quote_char_into(c, '"', &mut out);
    }
    out.push('"');
    out
}

fn quote_char_into(c: char, quote: char, out: &mut String) {
    match c {
        c if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        c if is_go_print(c) => out.push(c),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/// Which implementation of Docker's functions an execution uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FuncSet {
    /// docker/cli's `basicFunctions` plus Go's built-ins.
    #[default]
    Docker,
    /// docker/cli's `HeaderFunctions`, used to render table headers: `json`, `split`, `join`,
    /// `title`, `lower`, `upper` and `truncate` return their (string) argument unchanged so
    /// the header shows the column name.
    Header,
}

/// A Go parameter type, as far as argument checking needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    /// `interface{}`.
    Any,
    /// `reflect.Value` (Go's built-ins take their arguments this way).
    Reflect,
    /// `string`.
    Str,
    /// `int`.
    Int,
    /// `[]string`.
    StrList,
}

impl Param {
    fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Reflect => "reflect.Value",
            Param::Str => "string",
            Param::Int => "int",
            Param::StrList => "[]string",
        }
    }

    fn can_be_nil(self) -> bool {
        matches!(self, Param::Any | Param::Reflect | Param::StrList)
    }
}

struct Sig {
    fixed: &'static [Param],
    variadic: Option<Param>,
}

const FUNCTIONS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "json", "split", "join", "title",
    "lower", "upper", "pad", "truncate",
];

fn is_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

fn signature(name: &str, set: FuncSet) -> Sig {
    use Param::*;
    let s = |fixed: &'static [Param], variadic: Option<Param>| Sig { fixed, variadic };
    let header = set == FuncSet::Header;
    match name {
        "and" | "or" | "eq" | "call" => s(&[Reflect], Some(Reflect)),
        "not" | "len" => s(&[Reflect], None),
        "index" | "slice" => s(&[Reflect], Some(Reflect)),
        "ne" | "lt" | "le" | "gt" | "ge" => s(&[Reflect, Reflect], None),
        "print" | "println" | "html" | "js" | "urlquery" => s(&[], Some(Any)),
        "printf" => s(&[Str], Some(Any)),
        "json" if header => s(&[Str], None),
        "json" => s(&[Any], None),
        "split" => s(&[Str, Str], None),
        "join" if header => s(&[Str, Str], None),
        "join" => s(&[StrList, Str], None),
        "title" | "lower" | "upper" => s(&[Str], None),
        "pad" => s(&[Str, Int, Int], None),
        "truncate" => s(&[Str, Int], None),
        _ => s(&[], None),
    }
}

/// Calls a function on evaluated arguments; `Err` is the message after `error calling NAME: `.
fn call_function(name: &str, set: FuncSet, args: Vec<Value>) -> Result<Value, String> {
    let header = set == FuncSet::Header;
    let s = |i: usize| match args.get(i) {
        Some(Value::String(s)) => s.as_str(),
        _ => "",
    };
    let n = |i: usize| match args.get(i) {
        Some(Value::Int(n)) => *n,
        _ => 0,
    };
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::NoValue);
    Ok(match name {
        "not" => Value::Bool(!is_true(&arg(0))),
        "len" => Value::Int(length(&arg(0))?),
        "index" => index(&arg(0), &args[1.min(args.len())..])?,
        "slice" => slice(&arg(0), &args[1.min(args.len())..])?,
        "eq" => Value::Bool(eq(&arg(0), &args[1.min(args.len())..])?),
        "ne" => Value::Bool(!eq(&arg(0), &args[1.min(args.len())..])?),
        "lt" => Value::Bool(lt(&arg(0), &arg(1))?),
        "le" => Value::Bool(lt(&arg(0), &arg(1))? || eq(&arg(0), &args[1..2])?),
        "gt" => Value::Bool(!(lt(&arg(0), &arg(1))? || eq(&arg(0), &args[1..2])?)),
        "ge" => Value::Bool(!lt(&arg(0), &arg(1))?),
        "call" => {
            return Err(match indirect_interface(&arg(0)) {
                Value::NoValue => "call of nil".into(),
                v => format!("non-function of type {}", v.go_type()),
            });
        }
        "print" => Value::String(sprint(&args)),
        "println" => Value::String(sprintln(&args)),
        "printf" => Value::String(sprintf(s(0), &args[1.min(args.len())..])),
        "html" => Value::String(html_escape(&eval_args(&args))),
        "js" => Value::String(js_escape(&eval_args(&args))),
        "urlquery" => Value::String(query_escape(&eval_args(&args))),
        "json" if header => Value::str(s(0)),
        "json" => Value::String(arg(0).to_json().trim().to_string()),
        "split" if header => Value::str(s(0)),
        "split" => Value::List(go_split(s(0), s(1)).into_iter().map(Value::str).collect()),
        "join" if header => Value::str(s(0)),
        "join" => {
            let parts: Vec<&str> = match args.first() {
                Some(Value::List(items)) => items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.as_str(),
                        _ => "",
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Value::String(parts.join(s(1)))
        }
        "title" | "lower" | "upper" if header => Value::str(s(0)),
        "title" => Value::String(go_title(s(0))),
        "lower" => Value::String(s(0).to_lowercase()),
        "upper" => Value::String(s(0).to_uppercase()),
        "pad" => {
            let (src, prefix, suffix) = (s(0), n(1), n(2));
            if src.is_empty() {
                return Ok(Value::str(""));
            }
            if prefix < 0 || suffix < 0 {
                return Err("strings: negative Repeat count".into());
            }
            Value::String(format!(
                "{}{src}{}",
                " ".repeat(prefix as usize),
                " ".repeat(suffix as usize)
            ))
        }
        "truncate" if header => Value::str(s(0)),
        "truncate" => {
            let (src, len) = (s(0), n(1));
            if (src.len() as i64) < len {
                return Ok(Value::str(src));
            }
            if len < 0 {
                return Err(format!("runtime error: slice bounds out of range [:{len}]"));
            }
            Value::String(String::from_utf8_lossy(&src.as_bytes()[..len as usize]).into_owned())
        }
        _ => return Err(format!("{name} is not a defined function")),
    })
}

/// Go's `indirectInterface`: a nil interface is no value.
fn indirect_interface(v: &Value) -> Value {
    match v {
        Value::Nil => Value::NoValue,
        v => v.clone(),
    }
}

/// Go's `isTrue` ("truthiness" for `if`, `with`, `and`, `or`, `not`).
fn is_true(v: &Value) -> bool {
    match v {
        Value::NoValue | Value::Nil | Value::NilPointer(_) | Value::NilList | Value::NilMap => {
            false
        }
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Uint(u) => *u != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        Value::Struct(_) | Value::Stringer(_) => true,
    }
}

fn length(v: &Value) -> Result<i64, String> {
    Ok(match v {
        Value::NoValue => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::Nil | Value::NilPointer(_) => return Err("len of nil pointer".into()),
        Value::String(s) => s.len() as i64,
        Value::List(l) => l.len() as i64,
        Value::Map(m) => m.len() as i64,
        Value::NilList | Value::NilMap => 0,
        v => return Err(format!("len of type {}", v.go_type())),
    })
}

/// The zero value of a map's element type, which `index` returns for a missing key. The model
/// does not record element types, so a map of strings (or an empty one) is taken to be
/// `map[string]string` and anything else `map[string]interface{}`.
fn map_zero(m: Option<&BTreeMap<String, Value>>) -> Value {
    match m {
        Some(m) if !m.values().all(|v| matches!(v, Value::String(_))) => Value::Nil,
        _ => Value::str(""),
    }
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x: i128 = match indirect_interface(index) {
        Value::Int(i) => i as i128,
        Value::Uint(u) => u as i128,
        Value::NoValue => return Err("cannot index slice/array with nil".into()),
        v => {
            return Err(format!(
                "cannot index slice/array with type {}",
                v.go_type()
            ));
        }
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    let mut item = indirect_interface(item);
    if item == Value::NoValue {
        return Err("index of untyped nil".into());
    }
    for idx in indexes {
        item = match item {
            Value::NilPointer(_) => return Err("index of nil pointer".into()),
            Value::List(items) => {
                let x = index_arg(idx, items.len())?;
                match items.into_iter().nth(x) {
                    Some(v) => v,
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::NilList => {
                index_arg(idx, 0)?;
                return Err("reflect: slice index out of range".into());
            }
            Value::String(s) => {
                let x = index_arg(idx, s.len())?;
                match s.as_bytes().get(x) {
                    Some(&b) => Value::Uint(b as u64),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(ref m) => match indirect_interface(idx) {
                Value::String(k) => m.get(&k).cloned().unwrap_or_else(|| map_zero(Some(m))),
                Value::NoValue => return Err("value is nil; should be of type string".into()),
                v => return Err(format!("value has type {}; should be string", v.go_type())),
            },
            Value::NilMap => match indirect_interface(idx) {
                Value::String(_) => map_zero(None),
                Value::NoValue => return Err("value is nil; should be of type string".into()),
                v => return Err(format!("value has type {}; should be string", v.go_type())),
            },
            v => return Err(format!("can't index item of type {}", v.go_type())),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    let item = indirect_interface(item);
    if item == Value::NoValue {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::NilList => 0,
        v => return Err(format!("can't slice item of type {}", v.go_type())),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Value::String(s) => {
            Value::String(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
        }
        Value::List(l) => Value::List(l[idx[0]..idx[1]].to_vec()),
        _ => Value::NilList,
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    Str,
    /// Not a basic kind (Go's `invalidKind`): nil, structs, slices, maps.
    Other,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Uint(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::Str,
        _ => Kind::Other,
    }
}

const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";

fn eq(arg1: &Value, rest: &[Value]) -> Result<bool, String> {
    let arg1 = indirect_interface(arg1);
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&arg1);
    for arg in rest {
        let arg = indirect_interface(arg);
        let k2 = basic_kind(&arg);
        let truth = if k1 != k2 {
            match (&arg1, &arg) {
                (Value::Int(i), Value::Uint(u)) | (Value::Uint(u), Value::Int(i)) => {
                    *i >= 0 && *i as u64 == *u
                }
                _ if arg1 != Value::NoValue && arg != Value::NoValue => {
                    return Err(ERR_BAD_COMPARISON.into());
                }
                _ => false,
            }
        } else {
            match (&arg1, &arg) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Int(a), Value::Int(b)) => a == b,
                (Value::Uint(a), Value::Uint(b)) => a == b,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::String(a), Value::String(b)) => a == b,
                (Value::NoValue, b) | (b, Value::NoValue) => *b == Value::NoValue,
                (a, b) if a.go_type() != b.go_type() => {
                    return Err(format!(
                        "non-comparable types {}: {}, {}: {}",
                        fmt_v(a),
                        a.go_type(),
                        b.go_type(),
                        fmt_v(b)
                    ));
                }
                (_, b @ (Value::List(_) | Value::NilList | Value::Map(_) | Value::NilMap)) => {
                    return Err(format!("non-comparable type {}: {}", fmt_v(b), b.go_type()));
                }
                (a, b) => a == b,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let (a, b) = (indirect_interface(arg1), indirect_interface(arg2));
    let (k1, k2) = (basic_kind(&a), basic_kind(&b));
    if k1 == Kind::Other || k2 == Kind::Other {
        return Err(ERR_BAD_COMPARISON_TYPE.into());
    }
    Ok(match (&a, &b) {
        (Value::Int(i), Value::Uint(u)) => *i < 0 || (*i as u64) < *u,
        (Value::Uint(u), Value::Int(i)) => *i >= 0 && *u < *i as u64,
        _ if k1 != k2 => return Err(ERR_BAD_COMPARISON.into()),
        (Value::Bool(_), _) => return Err(ERR_BAD_COMPARISON_TYPE.into()),
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Uint(x), Value::Uint(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x < y,
        _ => return Err(ERR_BAD_COMPARISON_TYPE.into()),
    })
}

/// Go's `evalArgs` for `html`, `js` and `urlquery`: a lone string as is, else `fmt.Sprint`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.clone();
    }
    sprint(args)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if c.is_ascii() || is_go_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `strings.Split`: an empty separator splits into characters.
fn go_split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(String::from).collect();
    }
    s.split(sep).map(String::from).collect()
}

/// `strings.Title`: upper-cases the first letter of every word.
fn go_title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            c.is_whitespace()
        }
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// fmt
// ---------------------------------------------------------------------------------------------

/// `printf` flags, width and precision.
#[derive(Debug, Clone, Copy, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Spec {
    /// Go's `fmt.pad`: pads to the width in runes.
    fn pad(&self, s: &str, out: &mut String) {
        let n = s.chars().count();
        let w = self.width.unwrap_or(0);
        if w <= n {
            out.push_str(s);
            return;
        }
        let fill = if self.zero && !self.minus { '0' } else { ' ' };
        if self.minus {
            out.push_str(s);
            out.extend(std::iter::repeat_n(' ', w - n));
        } else {
            out.extend(std::iter::repeat_n(fill, w - n));
            out.push_str(s);
        }
    }

    /// Pads a signed number: zero padding goes after the sign.
    fn pad_number(&self, s: &str, out: &mut String) {
        let w = self.width.unwrap_or(0);
        let n = s.chars().count();
        if self.zero && !self.minus && w > n {
            let (sign, digits) = match s.as_bytes().first() {
                Some(b'+' | b'-' | b' ') => s.split_at(1),
                _ => ("", s),
            };
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', w - n));
            out.push_str(digits);
            return;
        }
        Spec {
            zero: false,
            ..*self
        }
        .pad(s, out);
    }
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        print_arg(arg, 'v', Spec::default(), &mut out);
    }
    out
}

/// `fmt.Sprintln`: always spaces, and a newline.
fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print_arg(arg, 'v', Spec::default(), &mut out);
    }
    out.push('\n');
    out
}

/// `fmt.Sprintf`.
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut arg_num = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '#' => spec.sharp = true,
                '0' => spec.zero = !spec.minus,
                '+' => spec.plus = true,
                '-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                ' ' => spec.space = true,
                _ => break,
            }
            chars.next();
        }
        // Width.
        if chars.peek().map(|&(_, c)| c) == Some('*') {
            chars.next();
            match args.get(arg_num) {
                Some(Value::Int(n)) => {
                    if *n < 0 {
                        spec.minus = true;
                        spec.zero = false;
                    }
                    spec.width = Some(n.unsigned_abs() as usize);
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            arg_num += 1;
        } else {
            let mut w = None;
            while let Some(&(_, d)) = chars.peek() {
                let Some(v) = d.to_digit(10) else { break };
                w = Some(w.unwrap_or(0) * 10 + v as usize);
                chars.next();
            }
            spec.width = w;
        }
        // Precision.
        if chars.peek().map(|&(_, c)| c) == Some('.') {
            chars.next();
            if chars.peek().map(|&(_, c)| c) == Some('*') {
                chars.next();
                match args.get(arg_num) {
                    Some(Value::Int(n)) if *n >= 0 => spec.prec = Some(*n as usize),
                    _ => out.push_str("%!(BADPREC)"),
                }
                arg_num += 1;
            } else {
                let mut p = 0;
                while let Some(&(_, d)) = chars.peek() {
                    let Some(v) = d.to_digit(10) else { break };
                    p = p * 10 + v as usize;
                    chars.next();
                }
                spec.prec = Some(p);
            }
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(arg_num) {
            None => {
                let _ = write!(out, "%!{verb}(MISSING)");
            }
            Some(arg) => {
                print_arg(arg, verb, spec, &mut out);
                arg_num += 1;
            }
        }
    }
    if arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, arg) in args[arg_num..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if matches!(arg, Value::Nil | Value::NoValue) {
                out.push_str("<nil>");
            } else {
                out.push_str(&arg.go_type());
                out.push('=');
                print_arg(arg, 'v', Spec::default(), &mut out);
            }
        }
        out.push(')');
    }
    out
}

/// Go's `%!verb(type=value)`.
fn bad_verb(v: &Value, verb: char, out: &mut String) {
    let _ = write!(out, "%!{verb}(");
    match v {
        Value::Nil | Value::NoValue => out.push_str("<nil>"),
        v => {
            out.push_str(&v.go_type());
            out.push('=');
            print_arg(v, 'v', Spec::default(), out);
        }
    }
    out.push(')');
}

/// Formats one operand with a verb, recursing into slices, maps and structs the way Go's
/// `printValue` does (each leaf gets the verb and the padding).
fn print_arg(v: &Value, verb: char, spec: Spec, out: &mut String) {
    match v {
        Value::Nil | Value::NoValue => match verb {
            'v' => spec.pad("<nil>", out),
            _ => bad_verb(v, verb, out),
        },
        Value::NilPointer(_) => match verb {
            'v' | 's' => spec.pad("<nil>", out),
            _ => bad_verb(v, verb, out),
        },
        Value::Bool(b) => match verb {
            'v' | 't' => spec.pad(if *b { "true" } else { "false" }, out),
            _ => bad_verb(v, verb, out),
        },
        Value::Int(i) => fmt_integer(*i < 0, i.unsigned_abs(), v, verb, spec, out),
        Value::Uint(u) => fmt_integer(false, *u, v, verb, spec, out),
        Value::Float(f) => fmt_float(*f, v, verb, spec, out),
        Value::String(s) => fmt_string(s, v, verb, spec, out),
        Value::Stringer(s) => fmt_string(&s.text, v, verb, spec, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_arg(item, verb, spec, out);
            }
            out.push(']');
        }
        Value::NilList => out.push_str("[]"),
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                fmt_string(k, &Value::str(k.as_str()), verb, spec, out);
                out.push(':');
                print_arg(val, verb, spec, out);
            }
            out.push(']');
        }
        Value::NilMap => out.push_str("map[]"),
        Value::Struct(s) => {
            out.push('{');
            for (i, (name, val)) in s.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if spec.plus {
                    out.push_str(name);
                    out.push(':');
                }
                print_arg(val, verb, spec, out);
            }
            out.push('}');
        }
    }
}

fn fmt_integer(neg: bool, mag: u64, v: &Value, verb: char, spec: Spec, out: &mut String) {
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let digits = match verb {
        'v' | 'd' => mag.to_string(),
        'b' => format!("{mag:b}"),
        'o' | 'O' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        'c' => {
            let c = char::from_u32(mag as u32).unwrap_or('\u{FFFD}');
            return spec.pad(&c.to_string(), out);
        }
        'q' => {
            let c = char::from_u32(mag as u32).unwrap_or('\u{FFFD}');
            let mut q = String::from("'");
            quote_char_into(c, '\'', &mut q);
            q.push('\'');
            return spec.pad(&q, out);
        }
        'U' => {
            let mut u = format!("U+{mag:04X}");
            if spec.sharp
                && let Some(c) = char::from_u32(mag as u32).filter(|&c| is_go_print(c))
            {
                let _ = write!(u, " '{c}'");
            }
            return spec.pad(&u, out);
        }
        _ => return bad_verb(v, verb, out),
    };
    let mut digits = digits;
    if let Some(p) = spec.prec
        && digits.len() < p
    {
        digits = format!("{}{digits}", "0".repeat(p - digits.len()));
    }
    let prefix = match verb {
        'O' => "0o",
        'x' if spec.sharp => "0x",
        'X' if spec.sharp => "0X",
        'b' if spec.sharp => "0b",
        'o' if spec.sharp && !digits.starts_with('0') => "0",
        _ => "",
    };
    let s = format!("{sign}{prefix}{digits}");
    if spec.prec.is_some() {
        Spec {
            zero: false,
            ..spec
        }
        .pad(&s, out);
    } else {
        spec.pad_number(&s, out);
    }
}

fn fmt_float(f: f64, v: &Value, verb: char, spec: Spec, out: &mut String) {
    let body = match verb {
        'v' | 'g' => format_g(f, spec.prec),
        'G' => format_g(f, spec.prec).to_uppercase(),
        'e' => format_e(f, spec.prec.unwrap_or(6)),
        'E' => format_e(f, spec.prec.unwrap_or(6)).to_uppercase(),
        'f' | 'F' => {
            if f.is_finite() {
                format!("{:.*}", spec.prec.unwrap_or(6), f)
            } else {
                format_g(f, None)
            }
        }
        _ => return bad_verb(v, verb, out),
    };
    let body = if (spec.plus || spec.space) && !body.starts_with(['-', '+']) {
        format!("{}{body}", if spec.plus { '+' } else { ' ' })
    } else if body == "+Inf" && !spec.plus {
        "Inf".to_string()
    } else {
        body
    };
    if f.is_finite() {
        spec.pad_number(&body, out);
    } else {
        Spec {
            zero: false,
            ..spec
        }
        .pad(&body, out);
    }
}

fn fmt_string(s: &str, v: &Value, verb: char, spec: Spec, out: &mut String) {
    match verb {
        // %#v is Go syntax; only strings are worth doing that for here.
        'v' if spec.sharp => spec.pad(&go_quote(s), out),
        'v' | 's' => {
            let s = match spec.prec {
                Some(p) => s.chars().take(p).collect::<String>(),
                None => s.to_string(),
            };
            spec.pad(&s, out);
        }
        'q' => {
            if spec.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || is_go_print(c)) {
                spec.pad(&format!("`{s}`"), out);
            } else {
                spec.pad(&go_quote(s), out);
            }
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = &bytes[..spec.prec.unwrap_or(bytes.len()).min(bytes.len())];
            let mut h = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if spec.space && i > 0 {
                    h.push(' ');
                }
                if spec.sharp && (spec.space || i == 0) {
                    h.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    let _ = write!(h, "{b:02x}");
                } else {
                    let _ = write!(h, "{b:02X}");
                }
            }
            spec.pad(&h, out);
        }
        _ => bad_verb(v, verb, out),
    }
}

/// Go's `%v` of a value, as `{{.}}` prints it.
fn fmt_v(v: &Value) -> String {
    let mut out = String::new();
    print_arg(v, 'v', Spec::default(), &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// encoding/json
// ---------------------------------------------------------------------------------------------

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::NoValue | Value::Nil | Value::NilPointer(_) | Value::NilList | Value::NilMap => {
            out.push_str("null")
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Uint(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::String(s) => json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                write_json(val, out);
            }
            out.push('}');
        }
        Value::Struct(s) => {
            if let Some(j) = &s.json {
                out.push_str(j);
                return;
            }
            out.push('{');
            for (i, (k, val)) in s.fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                write_json(val, out);
            }
            out.push('}');
        }
        Value::Stringer(s) => out.push_str(&s.json),
    }
}

/// `encoding/json`'s float format: shortest digits, exponent only below 1e-6 or from 1e21.
fn json_float(f: f64) -> String {
    if !f.is_finite() {
        // Go fails with UnsupportedValueError; Docker's `json` then prints nothing useful.
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let (sign, digits) = match e.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("+", e),
        };
        // Go writes at least two exponent digits, then trims "e-09" to "e-9".
        let exp = if sign == "-" || digits.len() >= 2 {
            digits.to_string()
        } else {
            format!("0{digits}")
        };
        return format!("{m}e{sign}{exp}");
    }
    let s = format!("{f}");
    if s == "-0" { "-0".into() } else { s }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Templates and execution (text/template/exec.go)
// ---------------------------------------------------------------------------------------------

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    name: String,
    text: String,
    root: Vec<Node>,
    defs: BTreeMap<String, Vec<Node>>,
}

/// Options for one execution.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExecOptions {
    /// Go's `missingkey=error`: a missing map key fails instead of yielding `<no value>`.
    pub missing_key_error: bool,
    /// Which implementation of Docker's functions to use.
    pub funcs: FuncSet,
}

impl Template {
    /// Parses `src` as the template Docker names `""` (its `--format` templates).
    pub fn parse(src: &str) -> Result<Template, TemplateError> {
        Template::parse_named("", src)
    }

    /// Parses `src` under a template name (shown in errors: `template: NAME:1: …`).
    pub fn parse_named(name: &str, src: &str) -> Result<Template, TemplateError> {
        let mut p = Parser {
            name,
            items: Lexer::lex(src),
            cur: 0,
            seen: 0,
            vars: vec!["$".to_string()],
            action_line: 0,
            range_depth: 0,
            defs: BTreeMap::new(),
        };
        let root = p.parse()?;
        Ok(Template {
            name: name.to_string(),
            text: src.to_string(),
            root,
            defs: p.defs,
        })
    }

    /// Executes with default options and returns the output.
    pub fn execute(&self, data: &Value) -> Result<String, TemplateError> {
        let mut out = String::new();
        self.execute_into(data, ExecOptions::default(), &mut out)?;
        Ok(out)
    }

    /// Executes into `out`. On error, `out` keeps what was written before it, as Go's writer
    /// would (Docker relies on this for table headers).
    pub fn execute_into(
        &self,
        data: &Value,
        opts: ExecOptions,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        let data = match data {
            Value::Nil => Value::NoValue,
            d => d.clone(),
        };
        let mut state = State {
            tmpl: self,
            name: &self.name,
            at: None,
            vars: vec![("$".to_string(), data.clone())],
            out,
            opts,
            depth: 0,
        };
        state.walk_list(&data, &self.root).map(|_| ())
    }
}

/// The node being evaluated, for error messages (Go's `state.node`).
#[derive(Clone, Copy)]
enum At<'t> {
    Arg(&'t Arg),
    Cmd(&'t Command),
    Pipe(&'t Pipe),
    Node(&'t Node),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Arg(a) => a.pos(),
            At::Cmd(c) => c.pos,
            At::Pipe(p) => p.pos,
            At::Node(Node::Action { pos, .. } | Node::Template { pos, .. }) => *pos,
            At::Node(Node::If(b) | Node::With(b) | Node::Range(b)) => b.pipe.pos,
            At::Node(_) => 0,
        }
    }

    fn context(&self) -> String {
        match self {
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Node(n) => n.to_string(),
        }
    }
}

/// How a list of nodes finished: normally, or by `{{break}}`/`{{continue}}`.
#[derive(PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Go's maximum template recursion depth, as its error message reports it.
const GO_MAX_EXEC_DEPTH: usize = 100_000;
/// Where we actually stop: Go's goroutine stacks grow, ours do not, so a self-recursive
/// `{{template}}` must fail long before 100 000 frames (a test thread has 2 MB). The
/// message still says Go's number.
const MAX_EXEC_DEPTH: usize = 100;

struct State<'t, 'o> {
    tmpl: &'t Template,
    name: &'t str,
    at: Option<At<'t>>,
    vars: Vec<(String, Value)>,
    out: &'o mut String,
    opts: ExecOptions,
    depth: usize,
}

impl<'t> State<'t, '_> {
    fn at(&mut self, at: At<'t>) {
        self.at = Some(at);
    }

    fn errorf<T>(&self, msg: impl fmt::Display) -> R<T> {
        let message = match &self.at {
            None => format!("template: {}: {}", self.name, msg),
            Some(at) => {
                let pos = at.pos().min(self.tmpl.text.len());
                let text = &self.tmpl.text[..pos];
                let (line, col) = match text.rfind('\n') {
                    Some(nl) => (1 + text.matches('\n').count(), pos - (nl + 1)),
                    None => (1, pos),
                };
                format!(
                    "template: {}:{}:{}: executing {} at <{}>: {}",
                    self.tmpl.name,
                    line,
                    col,
                    go_quote(self.name),
                    at.context(),
                    msg
                )
            }
        };
        Err(TemplateError {
            phase: ErrorPhase::Execute,
            message,
        })
    }

    fn var_value(&self, name: &str) -> R<Value> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.errorf(format!("undefined variable: {name}")),
        }
    }

    fn walk_list(&mut self, dot: &Value, list: &'t [Node]) -> R<Flow> {
        for node in list {
            let flow = self.walk(dot, node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &'t Node) -> R<Flow> {
        self.at(At::Node(node));
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at(At::Node(node));
                    match val {
                        Value::NoValue | Value::Nil => self.out.push_str("<no value>"),
                        v => print_arg(&v, 'v', Spec::default(), self.out),
                    }
                }
            }
            Node::If(b) => return self.walk_if_or_with(false, dot, b),
            Node::With(b) => return self.walk_if_or_with(true, dot, b),
            Node::Range(b) => return self.walk_range(dot, node, b),
            Node::Template { name, pipe, .. } => self.walk_template(dot, node, name, pipe)?,
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Value, b: &'t Branch) -> R<Flow> {
        let mark = self.vars.len();
        let result = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if is_true(&val) {
                let dot = if with { &val } else { dot };
                self.walk_list(dot, &b.list)
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        result
    }

    fn walk_range(&mut self, dot: &Value, node: &'t Node, b: &'t Branch) -> R<Flow> {
        self.at(At::Node(node));
        let mark = self.vars.len();
        let result = self.walk_range_inner(dot, b);
        self.vars.truncate(mark);
        result
    }

    fn walk_range_inner(&mut self, dot: &Value, b: &'t Branch) -> R<Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mark = self.vars.len();
        let items: Vec<(Value, Value)> = match val {
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), v))
                .collect(),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            Value::NilList | Value::NilMap | Value::NoValue | Value::Nil => Vec::new(),
            v => return self.errorf(format!("range can't iterate over {}", fmt_v(&v))),
        };
        if items.is_empty() {
            if let Some(e) = &b.else_list {
                return self.walk_list(dot, e);
            }
            return Ok(Flow::Normal);
        }
        for (index, elem) in items {
            // Go's setTopVar: the last declared variable gets the element, the one before it
            // the index or key.
            let n = self.vars.len();
            if !b.pipe.decl.is_empty()
                && let Some(slot) = n.checked_sub(1)
            {
                self.vars[slot].1 = elem.clone();
            }
            if b.pipe.decl.len() > 1
                && let Some(slot) = n.checked_sub(2)
            {
                self.vars[slot].1 = index;
            }
            let flow = self.walk_list(&elem, &b.list)?;
            self.vars.truncate(mark);
            if flow == Flow::Break {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    fn walk_template(
        &mut self,
        dot: &Value,
        node: &'t Node,
        name: &'t str,
        pipe: &'t Option<Pipe>,
    ) -> R<()> {
        self.at(At::Node(node));
        let Some(list) = self.tmpl.defs.get(name) else {
            return self.errorf(format!("template {} not defined", go_quote(name)));
        };
        if self.depth == MAX_EXEC_DEPTH {
            return self.errorf(format!(
                "exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})"
            ));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::NoValue,
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
        let saved_name = std::mem::replace(&mut self.name, name);
        self.depth += 1;
        let result = self.walk_list(&new_dot, list);
        self.depth -= 1;
        self.name = saved_name;
        self.vars = saved_vars;
        result.map(|_| ())
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'t Pipe) -> R<Value> {
        self.at(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // Go unwraps interface values between commands; a nil interface becomes no value.
            value = Some(match v {
                Value::Nil => Value::NoValue,
                v => v,
            });
        }
        let value = value.unwrap_or(Value::NoValue);
        for name in &pipe.decl {
            if pipe.is_assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => return self.errorf(format!("undefined variable: {name}")),
                }
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: &Option<Value>) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'t Command, final_: Option<Value>) -> R<Value> {
        let Some(first) = cmd.args.first() else {
            return Ok(Value::NoValue);
        };
        match first {
            Arg::Field { ident, .. } => {
                self.at(At::Arg(first));
                self.eval_field_chain(dot, dot.clone(), ident, &cmd.args, final_)
            }
            Arg::Chain { .. } => self.eval_chain(dot, first, &cmd.args, final_),
            Arg::Identifier { name, .. } => {
                self.at(At::Arg(first));
                self.eval_call(dot, name, At::Cmd(cmd), Some(&cmd.args[1..]), final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                self.eval_pipeline(dot, p)
            }
            Arg::Variable { .. } => self.eval_variable(dot, first, &cmd.args, final_),
            _ => {
                self.at(At::Arg(first));
                self.not_a_function(&cmd.args, &final_)?;
                match first {
                    Arg::Bool { val, .. } => Ok(Value::Bool(*val)),
                    Arg::Dot { .. } => Ok(dot.clone()),
                    Arg::Nil { .. } => self.errorf("nil is not a command"),
                    Arg::Number { num, .. } => self.ideal_constant(first, num),
                    Arg::String { text, .. } => Ok(Value::String(text.clone())),
                    _ => self.errorf(format!(
                        "can't evaluate command {}",
                        go_quote(&first.to_string())
                    )),
                }
            }
        }
    }

    fn ideal_constant(&mut self, node: &'t Arg, num: &Number) -> R<Value> {
        self.at(At::Arg(node));
        let is_hex = num.text.len() > 2
            && num.text.starts_with('0')
            && matches!(num.text.as_bytes()[1], b'x' | b'X')
            && !num.text.contains(['p', 'P']);
        if let Some(f) = num.float
            && !is_hex
            && !num.is_char
            && num.text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Value::Float(f));
        }
        if let Some(i) = num.int {
            return Ok(Value::Int(i));
        }
        if num.uint.is_some() {
            return self.errorf(format!("{} overflows int", num.text));
        }
        Ok(Value::NoValue)
    }

    fn eval_variable(
        &mut self,
        dot: &Value,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let Arg::Variable { ident, .. } = node else {
            return Ok(Value::NoValue);
        };
        let value = self.var_value(&ident[0])?;
        if ident.len() == 1 {
            if !args.is_empty() {
                self.not_a_function(args, &final_)?;
            } else if final_.is_some() {
                return self.errorf(format!("can't give argument to non-function {node}"));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, value, &ident[1..], args, final_)
    }

    fn eval_chain(
        &mut self,
        dot: &Value,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let Arg::Chain {
            node: inner,
            fields,
            ..
        } = node
        else {
            return Ok(Value::NoValue);
        };
        if matches!(inner.as_ref(), Arg::Nil { .. }) {
            return self.errorf(format!("indirection through explicit nil in {node}"));
        }
        let receiver = self.eval_arg(dot, None, inner)?;
        self.eval_field_chain(dot, receiver, fields, args, final_)
    }

    /// Walks `.X.Y.Z` from `receiver`; only the last field sees the command's arguments.
    fn eval_field_chain(
        &mut self,
        dot: &Value,
        receiver: Value,
        ident: &[String],
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let mut receiver = receiver;
        let n = ident.len();
        for name in &ident[..n.saturating_sub(1)] {
            receiver = match self.method_of(&receiver, name) {
                // Go calls a method met mid-chain with no arguments.
                Some(m) => self.eval_method(dot, name, &m, &[], None)?,
                None => self.eval_field(name, false, receiver)?,
            };
        }
        let has_args = args.len() > 1 || final_.is_some();
        match ident.last() {
            Some(name) => match self.method_of(&receiver, name) {
                Some(m) => {
                    let given = args.get(1..).unwrap_or(&[]);
                    self.eval_method(dot, name, &m, given, final_)
                }
                None => self.eval_field(name, has_args, receiver),
            },
            None => Ok(receiver),
        }
    }

    /// The method `name` of `receiver`, if it has one. Go looks methods up before fields. A
    /// table header is executed against docker/cli's `SubHeaderContext`, a map type whose one
    /// method is `Label`, so in header mode every map has it.
    fn method_of(&self, receiver: &Value, name: &str) -> Option<Method> {
        match receiver {
            Value::Struct(s) => s
                .methods
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, m)| m.clone()),
            Value::Map(_) | Value::NilMap
                if self.opts.funcs == FuncSet::Header && name == "Label" =>
            {
                Some(Method::HeaderLabel)
            }
            _ => None,
        }
    }

    /// Go's `evalCall` for a `func(string) string` method: one argument, a string.
    fn eval_method(
        &mut self,
        dot: &Value,
        name: &str,
        method: &Method,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let num_in = args.len() + usize::from(final_.is_some());
        if num_in != 1 {
            return self.errorf(format!(
                "wrong number of args for {name}: want 1 got {num_in}"
            ));
        }
        let arg = match (args.first(), final_) {
            (Some(a), _) => self.eval_arg(dot, Some(Param::Str), a)?,
            (None, Some(f)) => self.validate_type(f, Some(Param::Str))?,
            (None, None) => Value::NoValue,
        };
        match arg {
            Value::String(s) => Ok(Value::String(method.call(&s))),
            other => self.errorf(format!(
                "wrong type for value; expected string; got {}",
                other.go_type()
            )),
        }
    }

    fn eval_field(&mut self, name: &str, has_args: bool, receiver: Value) -> R<Value> {
        match receiver {
            Value::NoValue => {
                if self.opts.missing_key_error {
                    return self.errorf(format!("nil data; no entry for key {}", go_quote(name)));
                }
                Ok(Value::NoValue)
            }
            Value::Nil => self.errorf(format!("nil pointer evaluating interface {{}}.{name}")),
            Value::NilPointer(t) => self.errorf(format!("nil pointer evaluating {t}.{name}")),
            Value::Struct(s) => match s.fields.into_iter().find(|(n, _)| n == name) {
                Some((_, v)) => {
                    if has_args {
                        return self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    Ok(v)
                }
                None => self.errorf(format!(
                    "can't evaluate field {name} in type {}",
                    s.type_name
                )),
            },
            Value::Map(_) | Value::NilMap => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                let found = match receiver {
                    Value::Map(mut m) => m.remove(name),
                    _ => None,
                };
                match found {
                    Some(v) => Ok(v),
                    None if self.opts.missing_key_error => {
                        self.errorf(format!("map has no entry for key {}", go_quote(name)))
                    }
                    None => Ok(Value::NoValue),
                }
            }
            v => self.errorf(format!(
                "can't evaluate field {name} in type {}",
                v.go_type()
            )),
        }
    }

    /// Go's `evalCall` for a named function. `args` excludes the function name and is `None`
    /// when the function appears as an argument (called with no arguments of its own).
    fn eval_call(
        &mut self,
        dot: &Value,
        name: &str,
        node: At<'t>,
        args: Option<&'t [Arg]>,
        final_: Option<Value>,
    ) -> R<Value> {
        let args = args.unwrap_or(&[]);
        let sig = signature(name, self.opts.funcs);
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = sig.fixed.len();
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {num_fixed} got {}",
                    args.len()
                ));
            }
        } else if num_in != num_fixed {
            return self.errorf(format!(
                "wrong number of args for {name}: want {num_fixed} got {num_in}"
            ));
        }
        // `and` and `or` short-circuit (Go 1.18+): arguments are evaluated left to right and
        // the first deciding one is returned.
        if name == "and" || name == "or" {
            let mut v = Value::NoValue;
            for arg in args {
                v = self.eval_arg(dot, Some(Param::Reflect), arg)?;
                if is_true(&indirect_interface(&v)) == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = self.validate_type(f, Some(Param::Reflect))?;
            }
            return Ok(v);
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, arg) in args.iter().enumerate() {
            let param = sig.fixed.get(i).copied().or(sig.variadic);
            argv.push(self.eval_arg(dot, param, arg)?);
        }
        if let Some(f) = final_ {
            let param = if num_in - 1 < num_fixed {
                sig.fixed.get(num_in - 1).copied()
            } else {
                sig.variadic.or(sig.fixed.last().copied())
            };
            argv.push(self.validate_type(f, param)?);
        }
        match call_function(name, self.opts.funcs, argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node);
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }

    /// Go's `validateType`: checks a computed value against a parameter type.
    fn validate_type(&mut self, value: Value, param: Option<Param>) -> R<Value> {
        let Some(param) = param else {
            return Ok(value);
        };
        if value == Value::NoValue {
            return match param {
                Param::Any => Ok(Value::Nil),
                Param::Reflect => Ok(Value::NoValue),
                Param::StrList => Ok(Value::NilList),
                p => self.errorf(format!("invalid value; expected {}", p.go_name())),
            };
        }
        let ok = match param {
            Param::Any | Param::Reflect => true,
            Param::Str => matches!(value, Value::String(_)),
            Param::Int => matches!(value, Value::Int(_)),
            Param::StrList => match &value {
                Value::NilList => true,
                Value::List(items) => items.iter().all(|v| matches!(v, Value::String(_))),
                _ => false,
            },
        };
        if !ok {
            return self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                param.go_name(),
                value.go_type()
            ));
        }
        Ok(value)
    }

    /// Go's `evalArg`: evaluates one argument for a parameter of type `param` (`None` is Go's
    /// untyped evaluation, used for the head of a chain).
    fn eval_arg(&mut self, dot: &Value, param: Option<Param>, arg: &'t Arg) -> R<Value> {
        self.at(At::Arg(arg));
        let value = match arg {
            Arg::Dot { .. } => dot.clone(),
            Arg::Nil { .. } => {
                return match param {
                    Some(p) if p.can_be_nil() => Ok(if p == Param::StrList {
                        Value::NilList
                    } else {
                        Value::Nil
                    }),
                    Some(p) => self.errorf(format!("cannot assign nil to {}", p.go_name())),
                    None => Ok(Value::NoValue),
                };
            }
            Arg::Field { ident, .. } => {
                self.eval_field_chain(dot, dot.clone(), ident, std::slice::from_ref(arg), None)?
            }
            Arg::Variable { .. } => self.eval_variable(dot, arg, &[], None)?,
            Arg::Pipe(p) => self.eval_pipeline(dot, p)?,
            Arg::Identifier { name, .. } => {
                self.at(At::Arg(arg));
                self.eval_call(dot, name, At::Arg(arg), None, None)?
            }
            Arg::Chain { .. } => self.eval_chain(dot, arg, &[], None)?,
            Arg::Bool { val, .. } => match param {
                Some(Param::Any | Param::Reflect) | None => return Ok(Value::Bool(*val)),
                Some(p) => return self.literal_mismatch(arg, p),
            },
            Arg::Number { num, .. } => match param {
                Some(Param::Int) => match num.int {
                    Some(i) => return Ok(Value::Int(i)),
                    None => return self.errorf(format!("expected integer; found {arg}")),
                },
                Some(Param::Any | Param::Reflect) | None => return self.ideal_constant(arg, num),
                Some(p) => return self.literal_mismatch(arg, p),
            },
            Arg::String { text, .. } => match param {
                Some(Param::Str | Param::Any | Param::Reflect) | None => {
                    return Ok(Value::String(text.clone()));
                }
                Some(p) => return self.literal_mismatch(arg, p),
            },
        };
        self.validate_type(value, param)
    }

    fn literal_mismatch(&self, arg: &Arg, param: Param) -> R<Value> {
        match param {
            Param::Str => self.errorf(format!("expected string; found {arg}")),
            Param::Int => self.errorf(format!("expected integer; found {arg}")),
            p => self.errorf(format!(
                "can't handle {arg} for arg of type {}",
                p.go_name()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docker version --format '{{json .}}'` from the real Docker 20.10.24 next to us, typed
    /// as the CLI types it (struct names as `reflect` prints them).
    fn version_data() -> Value {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"Client":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","DefaultAPIVersion":"1.41","GitCommit":"297e128","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","BuildTime":"Thu May  7 21:09:36 2026","Context":"default","Experimental":true},"Server":{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1","Details":{"ApiVersion":"1.41","Arch":"amd64","BuildTime":"Thu May  7 21:09:36 2026","Experimental":"false","GitCommit":"5d6db84","GoVersion":"go1.19.8","KernelVersion":"6.18.44-fc-v669","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.20~ds1","Details":{"GitCommit":"1.6.20~ds1-1+deb12u3"}},{"Name":"runc","Version":"1.1.5+ds1","Details":{"GitCommit":"1.1.5+ds1-1+deb12u1"}},{"Name":"docker-init","Version":"0.19.0","Details":{"GitCommit":""}}],"Version":"20.10.24+dfsg1"}}"#,
        )
        .expect("valid JSON");
        let mut v = Value::from_json(&json, &|path| match path.last() {
            Some(&"Details") => Shape::Map,
            _ => Shape::Auto,
        });
        name_structs(&mut v, "system.versionInfo", &[]);
        v
    }

    fn name_structs(v: &mut Value, name: &str, path: &[&str]) {
        match v {
            Value::Struct(s) => {
                s.type_name = name.to_string();
                for (field, value) in &mut s.fields {
                    let mut p = path.to_vec();
                    p.push(field.as_str());
                    let child = match p.as_slice() {
                        ["Client"] => "system.clientVersion",
                        ["Server"] => "*types.Version",
                        [.., "Platform"] => "struct { Name string }",
                        ["Server", "Components"] => "types.ComponentVersion",
                        _ => "struct",
                    };
                    name_structs(value, child, &p);
                }
            }
            Value::List(items) => items.iter_mut().for_each(|i| name_structs(i, name, path)),
            _ => {}
        }
    }

    fn run(name: &str, src: &str, data: &Value, opts: ExecOptions) -> Result<String, String> {
        let t = Template::parse_named(name, src).map_err(|e| e.to_string())?;
        let mut out = String::new();
        t.execute_into(data, opts, &mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    /// Outputs and errors observed with `docker version --format` (template name "version").
    #[test]
    fn matches_real_docker_version_format() {
        let data = version_data();
        let ok = |s: &str| Ok::<String, String>(s.to_string());
        let err = |s: &str| Err::<String, String>(s.to_string());
        let cases: Vec<(&str, Result<String, String>)> = vec![
            (
                "{{.Foo}",
                err("template: version:1: bad character U+007D '}'"),
            ),
            (
                "{{.Foo }",
                err("template: version:1: unexpected \"}\" in operand"),
            ),
            (
                "{{.Foo}}",
                err(
                    "template: version:1:2: executing \"version\" at <.Foo>: can't evaluate field Foo in type system.versionInfo",
                ),
            ),
            (
                "{{.Client.Foo}}",
                err(
                    "template: version:1:9: executing \"version\" at <.Client.Foo>: can't evaluate field Foo in type system.clientVersion",
                ),
            ),
            (
                "{{foo}}",
                err("template: version:1: function \"foo\" not defined"),
            ),
            ("{{.Client", err("template: version:1: unclosed action")),
            (
                "abc\n{{.Client.Foo",
                err("template: version:2: unclosed action"),
            ),
            (
                "abc\n{{.Client.Foo}}",
                err(
                    "template: version:2:9: executing \"version\" at <.Client.Foo>: can't evaluate field Foo in type system.clientVersion",
                ),
            ),
            (
                "{{if .Client}}x",
                err("template: version:1: unexpected EOF"),
            ),
            ("{{if}}", err("template: version:1: missing value for if")),
            ("{{end}}", err("template: version:1: unexpected {{end}}")),
            ("{{else}}", err("template: version:1: unexpected {{else}}")),
            (
                "{{$x}}",
                err("template: version:1: undefined variable \"$x\""),
            ),
            (
                "{{break}}",
                err("template: version:1: {{break}} outside {{range}}"),
            ),
            ("{{(1}}", err("template: version:1: unclosed left paren")),
            (
                "{{1)}}",
                err("template: version:1: unexpected \")\" in command"),
            ),
            ("{{\"\\z\"}}", err("template: version:1: invalid syntax")),
            (
                "{{3 | 4}}",
                err("template: version:1: non executable command in pipeline stage 2"),
            ),
            (
                "{{if true}}{{$y := 3}}{{end}}{{$y}}",
                err("template: version:1: undefined variable \"$y\""),
            ),
            (
                "{{index .Server.Components 5}}",
                err(
                    "template: version:1:2: executing \"version\" at <index .Server.Components 5>: error calling index: index out of range: 5",
                ),
            ),
            (
                "{{index .Server.Components 4}}",
                err(
                    "template: version:1:2: executing \"version\" at <index .Server.Components 4>: error calling index: reflect: slice index out of range",
                ),
            ),
            (
                "{{index .Server.Components 0 \"a\"}}",
                err(
                    "template: version:1:2: executing \"version\" at <index .Server.Components 0 \"a\">: error calling index: can't index item of type types.ComponentVersion",
                ),
            ),
            (
                "{{index .Server.Components \"a\"}}",
                err(
                    "template: version:1:2: executing \"version\" at <index .Server.Components \"a\">: error calling index: cannot index slice/array with type string",
                ),
            ),
            (
                "{{join .Client.Version}}",
                err(
                    "template: version:1:2: executing \"version\" at <join>: wrong number of args for join: want 2 got 1",
                ),
            ),
            (
                "{{eq 1 \"a\"}}",
                err(
                    "template: version:1:2: executing \"version\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison",
                ),
            ),
            (
                "{{eq .Server.Components 1}}",
                err(
                    "template: version:1:2: executing \"version\" at <eq .Server.Components 1>: error calling eq: incompatible types for comparison",
                ),
            ),
            (
                "{{lt 1 2.0}}",
                err(
                    "template: version:1:2: executing \"version\" at <lt 1 2.0>: error calling lt: incompatible types for comparison",
                ),
            ),
            (
                "{{len 3}}",
                err(
                    "template: version:1:2: executing \"version\" at <len 3>: error calling len: len of type int",
                ),
            ),
            (
                "{{index .Server.Components 0 | len}}",
                err(
                    "template: version:1:31: executing \"version\" at <len>: error calling len: len of type types.ComponentVersion",
                ),
            ),
            (
                "{{range .Client}}x{{end}}",
                err(
                    "template: version:1:8: executing \"version\" at <.Client>: range can't iterate over {{} 20.10.24+dfsg1 1.41 1.41 297e128 go1.19.8 linux amd64 Thu May  7 21:09:36 2026 default true}",
                ),
            ),
            (
                "{{template \"x\"}}",
                err(
                    "template: version:1:11: executing \"version\" at <{{template \"x\"}}>: template \"x\" not defined",
                ),
            ),
            (
                "{{call .Client}}",
                err(
                    "template: version:1:2: executing \"version\" at <call .Client>: error calling call: non-function of type system.clientVersion",
                ),
            ),
            (
                "{{.Client.Version.Foo}}",
                err(
                    "template: version:1:9: executing \"version\" at <.Client.Version.Foo>: can't evaluate field Foo in type string",
                ),
            ),
            (
                "{{nil}}",
                err("template: version:1:2: executing \"version\" at <nil>: nil is not a command"),
            ),
            (
                "{{(index .Server.Components 0).Foo}}",
                err(
                    "template: version:1:28: executing \"version\" at <0>: can't evaluate field Foo in type types.ComponentVersion",
                ),
            ),
            (
                "{{\"x\" | .Client.Version}}",
                err(
                    "template: version:1:15: executing \"version\" at <.Client.Version>: Version has arguments but cannot be invoked as function",
                ),
            ),
            (
                "{{\"abcdefghijklmn\" \"x\"}}",
                err(
                    "template: version:1:2: executing \"version\" at <\"abcdefghijklmn\">: can't give argument to non-function \"abcdefghijklmn\"",
                ),
            ),
            (
                "{{upper 5}}",
                err(
                    "template: version:1:8: executing \"version\" at <5>: expected string; found 5",
                ),
            ),
            (
                "{{pad \"x\" \"a\" 1}}",
                err(
                    "template: version:1:10: executing \"version\" at <\"a\">: expected integer; found \"a\"",
                ),
            ),
            (
                "{{printf \"%s\" upper}}",
                err(
                    "template: version:1:14: executing \"version\" at <upper>: wrong number of args for upper: want 1 got 0",
                ),
            ),
            (
                "{{and 1 0 2}} {{or 0 \"\" 3}} {{and}} ",
                err(
                    "template: version:1:30: executing \"version\" at <and>: wrong number of args for and: want at least 1 got 0",
                ),
            ),
            (
                "{{.Client}}",
                ok(
                    "{{} 20.10.24+dfsg1 1.41 1.41 297e128 go1.19.8 linux amd64 Thu May  7 21:09:36 2026 default true}",
                ),
            ),
            (
                "{{.Server.Components}}",
                ok(
                    "[{Engine 20.10.24+dfsg1 map[ApiVersion:1.41 Arch:amd64 BuildTime:Thu May  7 21:09:36 2026 Experimental:false GitCommit:5d6db84 GoVersion:go1.19.8 KernelVersion:6.18.44-fc-v669 MinAPIVersion:1.12 Os:linux]} {containerd 1.6.20~ds1 map[GitCommit:1.6.20~ds1-1+deb12u3]} {runc 1.1.5+ds1 map[GitCommit:1.1.5+ds1-1+deb12u1]} {docker-init 0.19.0 map[GitCommit:]}]",
                ),
            ),
            (
                "{{printf \"%5v|%-4d|%q|%v|%s|%x|%05s|%.2s|%+v\" .Server.Components 7 .Client.Platform.Name nil .Client.Experimental \"hi\" \"ab\" \"abc\" .Client.Platform}}",
                ok(
                    "[{Engine 20.10.24+dfsg1 map[ApiVersion: 1.41  Arch:amd64 BuildTime:Thu May  7 21:09:36 2026 Experimental:false GitCommit:5d6db84 GoVersion:go1.19.8 KernelVersion:6.18.44-fc-v669 MinAPIVersion: 1.12    Os:linux]} {containerd 1.6.20~ds1 map[GitCommit:1.6.20~ds1-1+deb12u3]} { runc 1.1.5+ds1 map[GitCommit:1.1.5+ds1-1+deb12u1]} {docker-init 0.19.0 map[GitCommit:     ]}]|7   |\"\"|<nil>|%!s(bool=true)|6869|000ab|ab|{Name:}",
                ),
            ),
            (
                "{{printf \"%v|%5.2f|%-6s|%q|%x|%d|%s|%t\" 1e6 3.14159 \"ab\" \"a\\\"b\" \"hi\" 42 5 true}}",
                ok("1e+06| 3.14|ab    |\"a\\\"b\"|6869|42|%!s(int=5)|true"),
            ),
            (
                "{{printf \"%v %v %v %v\" 123456789.0 0.00001 100000.0 1.5}}",
                ok("1.23456789e+08 1e-05 100000 1.5"),
            ),
            (
                "{{printf \"%d\"}} {{printf \"%d\" 1 2}}",
                ok("%!d(MISSING) 1%!(EXTRA int=2)"),
            ),
            (
                "{{printf \"%6.2f|%-8d|%08.3f|%+d|%x|%X|%o|%e|%g|%c|%U|%5t|%v|%#v\" 3.14159 42 3.14159 5 255 255 8 1234.5678 0.000012345 65 65 true \"s\" \"s\"}}",
                ok(
                    "  3.14|42      |0003.142|+5|ff|FF|10|1.234568e+03|1.2345e-05|A|U+0041| true|s|\"s\"",
                ),
            ),
            ("{{printf \"%*d|%-*d|\" 5 1 4 2}}", ok("    1|2   |")),
            ("{{printf \"%d %s\" 1}}", ok("1 %!s(MISSING)")),
            ("{{printf \"%!\" 1}}", ok("%!!(int=1)")),
            ("{{printf \"abc%\" 1}}", ok("abc%!(NOVERB)%!(EXTRA int=1)")),
            (
                "{{printf \"%d %d %d %d\" 1 2 3 4 | printf \"%s %s %s %s %s %s %s %s\" 1 2 3 4 5 6 7}}",
                ok(
                    "%!s(int=1) %!s(int=2) %!s(int=3) %!s(int=4) %!s(int=5) %!s(int=6) %!s(int=7) 1 2 3 4",
                ),
            ),
            (
                "{{json .Client.Platform}} {{json nil}}",
                ok("{\"Name\":\"\"} null"),
            ),
            (
                "{{json 1.5}} {{json 1e21}} {{json 0.0000001}} {{json \"a<b>\\\"\\n\\u2028é\"}}",
                ok("1.5 1e+21 1e-7 \"a<b>\\\"\\n\\u2028é\""),
            ),
            (
                "{{print 1 2 \"a\" \"b\" 3}}|{{println 1 \"a\"}}|",
                ok("1 2ab3|1 a\n|"),
            ),
            ("{{print nil 1 \"a\" nil}}", ok("<nil> 1a<nil>")),
            (
                "{{range $i, $c := .Server.Components}}{{$i}}={{$c.Name}} {{end}}",
                ok("0=Engine 1=containerd 2=runc 3=docker-init "),
            ),
            (
                "{{range $k, $v := (index .Server.Components 0).Details}}{{$k}};{{end}}",
                ok(
                    "ApiVersion;Arch;BuildTime;Experimental;GitCommit;GoVersion;KernelVersion;MinAPIVersion;Os;",
                ),
            ),
            (
                "{{slice \"abcdef\" 1 3}} {{html \"<a&b>\"}} {{js \"a'b<\"}} {{urlquery \"a b&c\"}}",
                ok("bc &lt;a&amp;b&gt; a\\'b\\u003C a+b%26c"),
            ),
            (
                "{{with $x := 3}}{{$x}}{{end}} {{$y := 2}}{{$y = 5}}{{$y}}",
                ok("3 5"),
            ),
            (
                "{{$x := 1}}{{if true}}{{$x = 2}}{{$y := 3}}{{end}}{{$x}}",
                ok("2"),
            ),
            ("{{range .Server.Components}}{{break}}{{end}}b", ok("b")),
            ("{{range .Server.Components}}{{continue}}x{{end}}", ok("")),
            ("{{/* x */}}a{{- \" b \" -}} c", ok("a b c")),
            ("{{- /* c */ -}} x {{- 3 -}} y", ok("x3y")),
            (
                "{{pad \"ab\" 2 3}}|{{pad \"\" 2 3}}|{{truncate \"abcdef\" 3}}|{{title \"hello world\"}}|{{split \"a,b\" \",\"}}",
                ok("  ab   ||abc|Hello World|[a b]"),
            ),
            (
                "{{not 0}} {{not .Client}} {{eq 1 2 1}} {{ne \"a\" \"b\"}} {{le 2 2}} {{ge 1.5 2.5}} {{eq .Client.Version \"x\"}}",
                ok("true false true true true false false"),
            ),
            (
                "{{len .Server.Components}} {{len \"héllo\"}} {{index \"abc\" 1}} {{slice .Server.Components 1 2}}",
                ok("4 6 98 [{containerd 1.6.20~ds1 map[GitCommit:1.6.20~ds1-1+deb12u3]}]"),
            ),
            ("{{\"a\" | printf \"%s-%s\" \"b\"}}", ok("b-a")),
            (
                "{{ .Client.Version | upper | printf \"%q\" }}",
                ok("\"20.10.24+DFSG1\""),
            ),
            (
                "{{.Client.Version | len}} {{3 | printf \"%d\"}}",
                ok("14 3"),
            ),
            (
                "{{if .Client.Experimental}}yes{{else if .Foo}}no{{end}}",
                ok("yes"),
            ),
            (
                "{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .Client.Os}}",
                ok("[linux]"),
            ),
            ("{{block \"b\" .Client.Arch}}<{{.}}>{{end}}", ok("<amd64>")),
            (
                "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" 1}}",
                err(
                    "template: version:1:25: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum template depth (100000)",
                ),
            ),
            (
                "{{.Client\n",
                err("template: version:2: unclosed action started at version:1"),
            ),
            (
                "{{.Client\n \"x\n\"}}",
                err(
                    "template: version:2: unterminated quoted string in action started at version:1",
                ),
            ),
            (
                "{{if .Client}}\n{{else}}{{else}}{{end}}",
                err("template: version:2: expected end; found {{else}}"),
            ),
            (
                "{{range $i := .Client}}{{end}}",
                err(
                    "template: version:1:14: executing \"version\" at <.Client>: range can't iterate over {{} 20.10.24+dfsg1 1.41 1.41 297e128 go1.19.8 linux amd64 Thu May  7 21:09:36 2026 default true}",
                ),
            ),
            (
                "{{range .Client.Platform.Name}}x{{else}}empty{{end}}",
                err(
                    "template: version:1:15: executing \"version\" at <.Client.Platform.Name>: range can't iterate over ",
                ),
            ),
            (
                "{{.Client.Version | printf \"%s\" | len}} {{index .Server.Components 0 | printf \"%+v\"}}",
                ok(
                    "14 {Name:Engine Version:20.10.24+dfsg1 Details:map[ApiVersion:1.41 Arch:amd64 BuildTime:Thu May  7 21:09:36 2026 Experimental:false GitCommit:5d6db84 GoVersion:go1.19.8 KernelVersion:6.18.44-fc-v669 MinAPIVersion:1.12 Os:linux]}",
                ),
            ),
            (
                "{{print .Client.Experimental 1.0 2}} {{printf \"%v %.1f %5.1f|%-7.2e|%g\" 2.0 2.25 -1.0 12345.678 1e21}}",
                ok("true 1 2 2 2.2  -1.0|1.23e+04|1e+21"),
            ),
        ];
        for (src, want) in cases {
            assert_eq!(
                run("version", src, &data, ExecOptions::default()),
                want,
                "template {src:?}"
            );
        }
    }

    /// `docker network inspect none --format …`: typed maps print `map[]`, missing keys
    /// `<no value>`; the missingkey=error fallback names the key and the column.
    #[test]
    fn maps_and_missing_keys() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"Name":"none","IPAM":{"Driver":"default","Options":null,"Config":[]},"Containers":{},"Options":{},"Labels":{}}"#,
        )
        .expect("valid JSON");
        let typed = Value::from_json(&json, &|path| match path {
            ["IPAM", "Options"] | ["Containers"] | ["Options"] | ["Labels"] => Shape::Map,
            _ => Shape::Auto,
        });
        let opts = ExecOptions::default();
        assert_eq!(
            run(
                "",
                "{{.Options}} {{.Labels.foo}} {{json .Labels}} {{index .Labels \"x\"}} {{.Containers}} {{.IPAM.Config}} {{.IPAM.Options}} {{json .IPAM}}",
                &typed,
                opts
            ),
            Ok("map[] <no value> {}  map[] [] map[] {\"Driver\":\"default\",\"Options\":null,\"Config\":[]}".to_string())
        );
        assert_eq!(
            run("", "{{.Labels.foo.bar}}", &typed, opts),
            Ok("<no value>".to_string())
        );
        let raw = Value::from_json_generic(&json);
        let strict = ExecOptions {
            missing_key_error: true,
            ..ExecOptions::default()
        };
        assert_eq!(
            run("", "{{.Foo}}", &raw, strict),
            Err(
                "template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\""
                    .to_string()
            )
        );
        assert_eq!(
            run("", "{{.IPAM.Foo.Bar}}", &raw, strict),
            Err("template: :1:7: executing \"\" at <.IPAM.Foo.Bar>: map has no entry for key \"Foo\"".to_string())
        );
        assert_eq!(
            run("", "{{.IPAM.Options}}", &raw, strict),
            Ok("<no value>".to_string())
        );
        assert_eq!(
            run("", "{{.IPAM.Options.X}}", &raw, strict),
            Err("template: :1:7: executing \"\" at <.IPAM.Options.X>: nil pointer evaluating interface {}.X".to_string())
        );
    }

    #[test]
    fn typed_nils_and_times() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"Cmd":null,"Labels":null,"Health":null,"Metadata":{"LastTagTime":"2021-10-05T19:05:42.1234Z"}}"#,
        )
        .expect("valid JSON");
        let v = Value::from_json(&json, &|path| match path {
            ["Cmd"] => Shape::List,
            ["Labels"] => Shape::Map,
            ["Metadata", "LastTagTime"] => Shape::Time,
            _ => Shape::Auto,
        });
        let cases = [
            ("{{.Cmd}} {{.Labels}} {{.Health}}", "[] map[] <nil>"),
            (
                "{{json .Cmd}} {{json .Labels}} {{json .Health}}",
                "null null null",
            ),
            (
                "{{.Metadata.LastTagTime}}",
                "2021-10-05 19:05:42.1234 +0000 UTC",
            ),
            (
                "{{json .Metadata}}",
                "{\"LastTagTime\":\"2021-10-05T19:05:42.1234Z\"}",
            ),
            (
                "{{if .Cmd}}x{{else}}empty{{end}} {{range .Labels}}x{{else}}none{{end}}",
                "empty none",
            ),
            ("{{len .Cmd}} {{index .Labels \"a\"}}|", "0 |"),
        ];
        for (src, want) in cases {
            assert_eq!(
                run("", src, &v, ExecOptions::default()),
                Ok(want.to_string()),
                "{src}"
            );
        }
    }

    #[test]
    fn header_functions_pass_names_through() {
        let header = Value::string_map([("Repository", "REPOSITORY"), ("ID", "IMAGE ID")]);
        let opts = ExecOptions {
            funcs: FuncSet::Header,
            ..ExecOptions::default()
        };
        assert_eq!(
            run(
                "",
                "{{upper .Repository}} {{json .ID}} {{.Foo}}",
                &header,
                opts
            ),
            Ok("REPOSITORY IMAGE ID <no value>".to_string())
        );
        // An error keeps the partial output, as Go's writer does.
        let t = Template::parse("{{.ID}}\t{{json .}}").expect("parses");
        let mut out = String::new();
        assert!(t.execute_into(&header, opts, &mut out).is_err());
        assert_eq!(out, "IMAGE ID\t");
    }

    #[test]
    fn parse_errors_match_go() {
        let cases = [
            ("{{", "template: :1: unclosed action"),
            ("{{/* x", "template: :1: unclosed comment"),
            (
                "{{/* x */ }}",
                "template: :1: comment ends before closing delimiter",
            ),
            ("{{\"abc}}", "template: :1: unterminated quoted string"),
            ("{{.A.B 1abc}}", "template: :1: bad number syntax: \"1a\""),
            (
                "{{range $a, $b, $c := .}}{{end}}",
                "template: :1: too many declarations in range",
            ),
            (
                "{{with $a, $b := .}}{{end}}",
                "template: :1: too many declarations in with",
            ),
            (
                "{{if .A}}{{else}}{{else}}{{end}}",
                "template: :1: expected end; found {{else}}",
            ),
            (
                "{{\"x\".Foo}}",
                "template: :1: unexpected . after term \"\\\"x\\\"\"",
            ),
            (
                "{{.X | \"abcdefghijklmnop\"}}",
                "template: :1: non executable command in pipeline stage 2",
            ),
            (
                "{{.X \"abcdefghijklmnop\" ]}}",
                "template: :1: unexpected \"]\" in operand",
            ),
            (
                "{{range .}}{{end}}{{continue}}",
                "template: :1: {{continue}} outside {{range}}",
            ),
            (
                "{{€}}",
                "template: :1: unrecognized character in action: U+20AC '€'",
            ),
            ("a\n{{if .A}}\n", "template: :3: unexpected EOF"),
        ];
        for (src, want) in cases {
            let got = Template::parse(src).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(got, Err(want.to_string()), "template {src:?}");
        }
        let err = Template::parse("{{").err().map(|e| e.phase);
        assert_eq!(err, Some(ErrorPhase::Parse));
    }
    /// docker/cli's `Label(name string) string` and the header's `SubHeaderContext.Label`,
    /// with the errors Docker 20.10.24 gives (`docker volume ls` / `docker ps --format`).
    #[test]
    fn methods_with_an_argument_match_docker() {
        let labels: BTreeMap<String, String> = [("a", "1"), ("org.x.seed", "bench")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let row = Value::structure_with_methods(
            "*formatter.volumeContext",
            [("Name".to_string(), Value::str("v"))],
            [("Label".to_string(), Method::Lookup(labels))],
        );
        let opts = ExecOptions::default();
        let cases: &[(&str, Result<&str, &str>)] = &[
            (
                r#"{{.Name}} {{.Label "a"}}|{{.Label "nope"}}|"#,
                Ok("v 1||"),
            ),
            (r#"{{"org.x.seed" | .Label}}"#, Ok("bench")),
            (
                "{{.Label}}",
                Err(
                    r#"template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 0"#,
                ),
            ),
            (
                r#"{{.Label "a" "b"}}"#,
                Err(
                    r#"template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 2"#,
                ),
            ),
            (
                "{{.Label 1}}",
                Err(r#"template: :1:9: executing "" at <1>: expected string; found 1"#),
            ),
            (
                "{{.Nope}}",
                Err(
                    r#"template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type *formatter.volumeContext"#,
                ),
            ),
        ];
        for (src, want) in cases {
            assert_eq!(
                run("", src, &row, opts),
                want.map(str::to_string).map_err(str::to_string),
                "{src}"
            );
        }
        // `{{json .}}` leaves methods out.
        assert_eq!(
            run("", "{{json .}}", &row, opts),
            Ok(r#"{"Name":"v"}"#.into())
        );
        let header = Value::string_map([("Name", "VOLUME NAME")]);
        let opts = ExecOptions {
            funcs: FuncSet::Header,
            ..ExecOptions::default()
        };
        assert_eq!(
            run(
                "",
                r#"{{.Name}} {{.Label "org.example.lab.seed"}} {{.Label "a-b_c"}}"#,
                &header,
                opts
            ),
            Ok("VOLUME NAME seed a b c".to_string())
        );
    }
}
