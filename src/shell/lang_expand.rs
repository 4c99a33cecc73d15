//! Word expansion: [`ast::Word`]s to argument strings, in POSIX's order — tilde, parameters,
//! command substitution, field splitting on `IFS`, pathname expansion (globbing), quote removal.
//!
//! Owns the meaning of `$x`, `${x:-w}` and friends, the special parameters, field splitting, and
//! glob matching against the confined filesystem (directories are listed only through
//! [`Root::resolve`](crate::shell::fs::Root::resolve)). Running a command substitution is delegated
//! back to [`crate::shell::exec`] on a copy of the state.
//!
//! Where bash and POSIX sh differ, this follows bash (the learner's reference): `~` after `=` in
//! assignments, glob results sorted bytewise (as bash in the C locale), `.` and `..` never matched.
//! Simplification: every `IFS` character splits like whitespace (runs collapse, no empty fields).

use std::io::Write;

use crate::shell::ast::{Param, ParamOp, Script, Word, WordPart};
use crate::shell::{Shell, exec};

/// An expansion that stops the command (bash's `${x:?msg}`).
#[derive(Debug, thiserror::Error)]
pub enum ExpandError {
    /// `${x?msg}` with `x` unset: `x: msg`.
    #[error("{name}: {message}")]
    Param { name: String, message: String },
}

/// One field being built: its text, and the same text as a glob pattern (quoted characters
/// escaped), plus whether any unquoted glob character is in it.
#[derive(Default)]
struct Field {
    text: String,
    pat: String,
    glob: bool,
}

/// Fields of one word under construction.
#[derive(Default)]
struct Fields {
    done: Vec<Field>,
    cur: Option<Field>,
}

impl Fields {
    fn start(&mut self) -> &mut Field {
        self.cur.get_or_insert_with(Field::default)
    }

    fn finish(&mut self) {
        if let Some(f) = self.cur.take() {
            self.done.push(f);
        }
    }

    /// Text that is taken as is (quoted, or a tilde's value).
    fn quoted(&mut self, s: &str) {
        let f = self.start();
        f.text.push_str(s);
        for c in s.chars() {
            if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                f.pat.push('\\');
            }
            f.pat.push(c);
        }
    }

    /// Unquoted text: glob characters stay active.
    fn unquoted(&mut self, s: &str) {
        let f = self.start();
        f.text.push_str(s);
        for c in s.chars() {
            match c {
                '\\' => f.pat.push_str("\\\\"),
                '*' | '?' | '[' => {
                    f.glob = true;
                    f.pat.push(c);
                }
                c => f.pat.push(c),
            }
        }
    }

    /// An unquoted expansion's value: split on `ifs`, each piece unquoted.
    fn split(&mut self, s: &str, ifs: &str) {
        if ifs.is_empty() {
            if !s.is_empty() {
                self.unquoted(s);
            }
            return;
        }
        let is_sep = |c: char| ifs.contains(c);
        if s.starts_with(is_sep) {
            self.finish();
        }
        let mut first = true;
        for piece in s.split(is_sep).filter(|p| !p.is_empty()) {
            if !first {
                self.finish();
            }
            first = false;
            self.unquoted(piece);
        }
        if s.ends_with(is_sep) {
            self.finish();
        }
    }
}

/// A parameter's value: one string, the positional parameters (`$@`, `$*`) as a list, or the
/// word of `${x:-w}` / `${x:+w}`, which expands in place keeping its own quoting
/// (`${U:-'a b'}` is one field).
enum Value<'w> {
    One(String),
    List(Vec<String>),
    Word(&'w Word),
}

/// Expands words for one command, with access to the shell (assignments by `${x:=w}`, command
/// substitution) and the stream where substitutions' errors go.
pub struct Expander<'a, 'e> {
    pub shell: &'a mut Shell<'e>,
    pub stderr: &'a mut (dyn Write + Send),
    /// The status of the last command substitution, if any ran (`A=$(false)` has status 1).
    pub subst_status: Option<i32>,
}

impl Expander<'_, '_> {
    /// Expands words to fields: split and globbed.
    pub fn words(&mut self, words: &[Word]) -> Result<Vec<String>, ExpandError> {
        let mut out = Vec::new();
        for w in words {
            out.extend(self.word(w)?);
        }
        Ok(out)
    }

    /// Expands one word to fields: split and globbed.
    pub fn word(&mut self, w: &Word) -> Result<Vec<String>, ExpandError> {
        let mut fields = Fields::default();
        self.parts(&w.parts, &mut fields, false)?;
        fields.finish();
        let mut out = Vec::new();
        for f in fields.done {
            if f.glob {
                let matches = super::glob::glob(&self.shell.state, &f.pat);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(f.text);
        }
        Ok(out)
    }

    /// Expands a word to one string, without splitting or globbing (assignment values,
    /// here-document bodies).
    pub fn string(&mut self, w: &Word) -> Result<String, ExpandError> {
        let mut fields = Fields::default();
        self.parts(&w.parts, &mut fields, true)?;
        fields.finish();
        Ok(fields
            .done
            .into_iter()
            .map(|f| f.text)
            .collect::<Vec<_>>()
            .join(" "))
    }

    /// Expands here-document parts (as inside double quotes) to one string.
    pub fn quoted_parts(&mut self, parts: &[WordPart]) -> Result<String, ExpandError> {
        let mut fields = Fields::default();
        self.parts(parts, &mut fields, true)?;
        fields.finish();
        Ok(fields
            .done
            .into_iter()
            .map(|f| f.text)
            .collect::<Vec<_>>()
            .join(" "))
    }

    fn ifs(&self) -> String {
        self.shell
            .state
            .get("IFS")
            .map_or_else(|| " \t\n".to_string(), str::to_string)
    }

    /// Expands parts into `fields`; `quoted` when inside double quotes (no splitting).
    fn parts(
        &mut self,
        parts: &[WordPart],
        fields: &mut Fields,
        quoted: bool,
    ) -> Result<(), ExpandError> {
        for part in parts {
            match part {
                WordPart::Lit(s) if quoted => fields.quoted(s),
                WordPart::Lit(s) => fields.unquoted(s),
                WordPart::Quoted(s) => fields.quoted(s),
                WordPart::Tilde => {
                    let home = self.shell.state.get("HOME").unwrap_or("/").to_string();
                    fields.quoted(&home);
                }
                WordPart::Param(p) => match self.param(p)? {
                    Value::Word(w) => self.parts(&w.parts, fields, quoted)?,
                    v => self.value(v, fields, quoted, p.name == "*"),
                },
                WordPart::CmdSub(script) => {
                    let out = self.subst(script);
                    if quoted {
                        fields.quoted(&out);
                    } else {
                        fields.split(&out, &self.ifs());
                    }
                }
                WordPart::Double(inner) => {
                    // `""` is an (empty) argument, but `"$@"` with no parameters is none.
                    let only_at = matches!(inner.as_slice(),
                        [WordPart::Param(Param { name, op: ParamOp::Get })] if name == "@");
                    if !(only_at && self.shell.state.args.is_empty()) {
                        fields.start();
                    }
                    self.parts(inner, fields, true)?;
                }
            }
        }
        Ok(())
    }

    /// Adds a parameter's value to the fields.
    fn value(&mut self, v: Value<'_>, fields: &mut Fields, quoted: bool, star: bool) {
        let ifs = self.ifs();
        match v {
            Value::One(s) if quoted => fields.quoted(&s),
            Value::One(s) => fields.split(&s, &ifs),
            // "$*": one field, joined by IFS's first character.
            Value::List(items) if quoted && star => {
                let sep = ifs.chars().next().map(String::from).unwrap_or_default();
                fields.quoted(&items.join(&sep));
            }
            // "$@": one field per parameter.
            Value::List(items) if quoted => {
                for (i, s) in items.iter().enumerate() {
                    if i > 0 {
                        fields.finish();
                    }
                    fields.quoted(s);
                }
            }
            Value::List(items) => {
                for (i, s) in items.iter().enumerate() {
                    if i > 0 {
                        fields.finish();
                    }
                    fields.split(s, &ifs);
                }
            }
            Value::Word(_) => {}
        }
    }

    /// A parameter's current value (`None` when unset).
    fn lookup(&self, name: &str) -> Option<Value<'static>> {
        let st = &self.shell.state;
        let one = |s: String| Some(Value::One(s));
        match name {
            "?" => one(st.last_status.to_string()),
            "$" => one(std::process::id().to_string()),
            "#" => one(st.args.len().to_string()),
            "0" => one(st.name.clone()),
            "@" | "*" => Some(Value::List(st.args.clone())),
            // No background jobs and no shell options to report.
            "!" | "-" => one(String::new()),
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                st.args.get(i.checked_sub(1)?).cloned().map(Value::One)
            }
            n => st.get(n).map(|v| Value::One(v.to_string())),
        }
    }

    fn param<'w>(&mut self, p: &'w Param) -> Result<Value<'w>, ExpandError> {
        let v = self.lookup(&p.name);
        // For `:` forms, an empty value counts as unset.
        let is_set = |colon: bool, v: &Option<Value>| match v {
            None => false,
            Some(Value::One(s)) => !colon || !s.is_empty(),
            Some(Value::List(l)) => !colon || !l.is_empty(),
            Some(Value::Word(_)) => true,
        };
        Ok(match &p.op {
            ParamOp::Get => v.unwrap_or(Value::One(String::new())),
            ParamOp::Length => {
                let n = match v {
                    None => 0,
                    Some(Value::One(s)) => s.chars().count(),
                    Some(Value::List(l)) => l.len(),
                    Some(Value::Word(_)) => 0,
                };
                Value::One(n.to_string())
            }
            ParamOp::Default { colon, word } => {
                if is_set(*colon, &v) {
                    v.unwrap_or(Value::One(String::new()))
                } else {
                    Value::Word(word)
                }
            }
            ParamOp::Assign { colon, word } => {
                if is_set(*colon, &v) {
                    v.unwrap_or(Value::One(String::new()))
                } else {
                    let s = self.string(word)?;
                    self.shell.state.set(&p.name, &s);
                    Value::One(s)
                }
            }
            ParamOp::Alt { colon, word } => {
                if is_set(*colon, &v) {
                    Value::Word(word)
                } else {
                    Value::One(String::new())
                }
            }
            ParamOp::Error { colon, word } => {
                if is_set(*colon, &v) {
                    v.unwrap_or(Value::One(String::new()))
                } else {
                    let mut message = self.string(word)?;
                    if message.is_empty() {
                        message = "parameter null or not set".into();
                    }
                    return Err(ExpandError::Param {
                        name: p.name.clone(),
                        message,
                    });
                }
            }
        })
    }

    /// Runs a command substitution and returns its output without trailing newlines.
    fn subst(&mut self, script: &Script) -> String {
        let (out, status) = exec::capture(self.shell, script, self.stderr);
        self.subst_status = Some(status);
        // bash sets `$?` after a substitution too (`echo $(false) $?` prints 1).
        self.shell.state.last_status = status;
        let mut s = String::from_utf8_lossy(&out).into_owned();
        let trimmed = s.trim_end_matches('\n').len();
        s.truncate(trimmed);
        s
    }
}
