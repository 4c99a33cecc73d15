//! The shell's lexer: source text to [`Token`]s with positions.
//!
//! It owns everything that is decided character by character: quoting (`'…'`, `"…"`, `\`),
//! the extent of `$x`, `${…}`, `$(…)` and `` `…` `` (whose insides are lexed and parsed here, so a
//! syntax error anywhere in the source is found before anything runs), operators, comments, and
//! here-document bodies (read at the newline that follows their `<<` operator, as POSIX says).
//! It does not decide grammar (that is [`super::parser`]) nor expand anything ([`super::exec`]).
//!
//! Words come out with their quoting kept as [`WordPart`]s and the quote characters removed.

use std::mem;

use super::ast::{HereDoc, Param, ParamOp, Pos, Script, Word, WordPart};
use super::parser::{self, ErrorKind, SyntaxError};

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// The source text of an operator or word, for `near unexpected token` messages.
    pub text: String,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    Op(Op),
    /// A redirection operator, with its `N` prefix if one was written (`2>`).
    Redir {
        fd: Option<u32>,
        op: RedirOp,
    },
    /// `<<DELIM` or `<<-DELIM`, its delimiter already consumed and its body attached.
    HereDoc {
        fd: Option<u32>,
        doc: HereDoc,
    },
    Newline,
    Eof,
}

/// Control operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Pipe,
    AndIf,
    OrIf,
    Semi,
    DSemi,
    Amp,
    LParen,
    RParen,
}

/// Redirection operators other than here-documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    Less,
    /// `>`
    Great,
    /// `>>`
    DGreat,
    /// `>|`
    Clobber,
    /// `<&`
    LessAnd,
    /// `>&`
    GreatAnd,
    /// `&>` (bash)
    AndGreat,
    /// `&>>` (bash)
    AndDGreat,
}

/// A here-document whose body has not been read yet.
struct Pending {
    /// Index of its token in `Lexer::tokens`.
    token: usize,
    delim: String,
    quoted: bool,
    strip_tabs: bool,
}

/// Where a word ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordEnd {
    /// At blanks and operators (an ordinary word).
    Normal,
    /// At an unquoted `}` (the `w` of `${x:-w}`); blanks and operators are part of it.
    Brace,
}

/// The lexer's result: the tokens (ending with [`Tok::Eof`]), and whether the source ended in an
/// unescaped backslash (a continuation request for the REPL; in a script it is a literal `\`).
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub trailing_backslash: bool,
}

/// Lexes a whole source.
pub fn lex(src: &str) -> Result<Lexed, SyntaxError> {
    let mut lx = Lexer::new(src, Pos { line: 1, col: 1 });
    let tokens = lx.lex_tokens(false)?;
    Ok(Lexed {
        tokens,
        trailing_backslash: lx.trailing_backslash,
    })
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: u32,
    col: u32,
    tokens: Vec<Token>,
    pending: Vec<Pending>,
    trailing_backslash: bool,
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_op_char(c: char) -> bool {
    matches!(c, '|' | '&' | ';' | '<' | '>' | '(' | ')')
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Appends text to a part list, merging with the previous part when it is the same kind.
fn push_text(parts: &mut Vec<WordPart>, quoted: bool, s: &str) {
    match (parts.last_mut(), quoted) {
        (Some(WordPart::Lit(t)), false) | (Some(WordPart::Quoted(t)), true) => t.push_str(s),
        _ => parts.push(if quoted {
            WordPart::Quoted(s.to_string())
        } else {
            WordPart::Lit(s.to_string())
        }),
    }
}

impl Lexer {
    fn new(src: &str, start: Pos) -> Lexer {
        Lexer {
            chars: src.chars().collect(),
            i: 0,
            line: start.line,
            col: start.col,
            tokens: Vec::new(),
            pending: Vec::new(),
            trailing_backslash: false,
        }
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn err(&self, kind: ErrorKind, pos: Pos) -> SyntaxError {
        SyntaxError { kind, pos }
    }

    fn text_from(&self, start: usize) -> String {
        self.chars[start..self.i].iter().collect()
    }

    /// Lexes tokens to the end of input, or (inside `$(`) to the `)` that closes it, which is
    /// consumed but not returned. Here-documents pending at the end are an error.
    fn lex_tokens(&mut self, until_rparen: bool) -> Result<Vec<Token>, SyntaxError> {
        let saved_tokens = mem::take(&mut self.tokens);
        let saved_pending = mem::take(&mut self.pending);
        let open = self.pos();
        let mut depth = 0usize;
        loop {
            let tok = self.next_token()?;
            match tok.tok {
                Tok::Eof => {
                    if until_rparen {
                        return Err(self.err(ErrorKind::Unterminated(')'), open));
                    }
                    self.tokens.push(tok);
                    break;
                }
                Tok::Op(Op::LParen) => depth += 1,
                Tok::Op(Op::RParen) if until_rparen && depth == 0 => {
                    if let Some(p) = self.pending.first() {
                        return Err(
                            self.err(ErrorKind::UnterminatedHereDoc(p.delim.clone()), tok.pos)
                        );
                    }
                    let pos = tok.pos;
                    self.tokens.push(Token {
                        tok: Tok::Eof,
                        pos,
                        text: String::new(),
                    });
                    break;
                }
                Tok::Op(Op::RParen) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.tokens.push(tok);
        }
        self.pending = saved_pending;
        Ok(mem::replace(&mut self.tokens, saved_tokens))
    }

    /// Skips blanks, line continuations and comments.
    fn skip_space(&mut self) {
        loop {
            match self.peek() {
                Some(c) if is_blank(c) => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.skip_space();
        let pos = self.pos();
        let start = self.i;
        let Some(c) = self.peek() else {
            if let Some(p) = self.pending.first() {
                return Err(self.err(ErrorKind::UnterminatedHereDoc(p.delim.clone()), pos));
            }
            return Ok(Token {
                tok: Tok::Eof,
                pos,
                text: String::new(),
            });
        };
        if c == '\n' {
            self.bump();
            self.read_heredoc_bodies()?;
            return Ok(Token {
                tok: Tok::Newline,
                pos,
                text: "newline".into(),
            });
        }
        // `N>` / `N<`: a digit string directly before a redirection operator is its descriptor.
        let mut n = 0;
        while self.peek_at(n).is_some_and(|c| c.is_ascii_digit()) {
            n += 1;
        }
        let fd = if n > 0 && matches!(self.peek_at(n), Some('<' | '>')) {
            let digits: String = self.chars[self.i..self.i + n].iter().collect();
            for _ in 0..n {
                self.bump();
            }
            // Too large a number is not a descriptor we could have; bash says "Bad file descriptor".
            Some(digits.parse::<u32>().unwrap_or(u32::MAX))
        } else {
            None
        };
        if let Some(tok) = self.lex_operator(fd, pos)? {
            let text = self.text_from(start);
            return Ok(Token { tok, pos, text });
        }
        let word = self.lex_word(WordEnd::Normal)?;
        Ok(Token {
            tok: Tok::Word(word),
            pos,
            text: self.text_from(start),
        })
    }

    /// An operator at the cursor, if there is one.
    fn lex_operator(&mut self, fd: Option<u32>, pos: Pos) -> Result<Option<Tok>, SyntaxError> {
        let c = match self.peek() {
            Some(c) if is_op_char(c) => c,
            _ => return Ok(None),
        };
        let next = self.peek_at(1);
        let next2 = self.peek_at(2);
        let (tok, len) = match (c, next, next2) {
            ('|', Some('|'), _) => (Tok::Op(Op::OrIf), 2),
            ('|', _, _) => (Tok::Op(Op::Pipe), 1),
            ('&', Some('&'), _) => (Tok::Op(Op::AndIf), 2),
            ('&', Some('>'), Some('>')) => (redir(fd, RedirOp::AndDGreat), 3),
            ('&', Some('>'), _) => (redir(fd, RedirOp::AndGreat), 2),
            ('&', _, _) => (Tok::Op(Op::Amp), 1),
            (';', Some(';'), _) => (Tok::Op(Op::DSemi), 2),
            (';', _, _) => (Tok::Op(Op::Semi), 1),
            ('(', _, _) => (Tok::Op(Op::LParen), 1),
            (')', _, _) => (Tok::Op(Op::RParen), 1),
            ('<', Some('<'), Some('-')) => return self.lex_heredoc(fd, true, pos).map(Some),
            ('<', Some('<'), _) => return self.lex_heredoc(fd, false, pos).map(Some),
            ('<', Some('&'), _) => (redir(fd, RedirOp::LessAnd), 2),
            ('<', _, _) => (redir(fd, RedirOp::Less), 1),
            ('>', Some('>'), _) => (redir(fd, RedirOp::DGreat), 2),
            ('>', Some('&'), _) => (redir(fd, RedirOp::GreatAnd), 2),
            ('>', Some('|'), _) => (redir(fd, RedirOp::Clobber), 2),
            ('>', _, _) => (redir(fd, RedirOp::Great), 1),
            _ => return Ok(None),
        };
        for _ in 0..len {
            self.bump();
        }
        Ok(Some(tok))
    }

    /// `<<` or `<<-` and its delimiter; the body is read at the next newline.
    fn lex_heredoc(
        &mut self,
        fd: Option<u32>,
        strip_tabs: bool,
        pos: Pos,
    ) -> Result<Tok, SyntaxError> {
        for _ in 0..if strip_tabs { 3 } else { 2 } {
            self.bump();
        }
        while self.peek().is_some_and(is_blank) {
            self.bump();
        }
        let (delim, quoted) = self.lex_delimiter()?;
        if delim.is_empty() && !quoted {
            let near = match self.peek() {
                None | Some('\n') => "newline".to_string(),
                Some(c) => c.to_string(),
            };
            return Err(self.err(ErrorKind::UnexpectedToken(near), pos));
        }
        self.pending.push(Pending {
            token: self.tokens.len(),
            delim,
            quoted,
            strip_tabs,
        });
        Ok(Tok::HereDoc {
            fd,
            doc: HereDoc { body: Vec::new() },
        })
    }

    /// A here-document delimiter: a word taken literally after quote removal (`$x` in it is not
    /// expanded, as in bash); any quoting means the body is not expanded.
    fn lex_delimiter(&mut self) -> Result<(String, bool), SyntaxError> {
        let mut out = String::new();
        let mut quoted = false;
        while let Some(c) = self.peek() {
            if is_blank(c) || c == '\n' || is_op_char(c) {
                break;
            }
            let pos = self.pos();
            self.bump();
            match c {
                '\\' => {
                    quoted = true;
                    if let Some(n) = self.bump() {
                        out.push(n);
                    }
                }
                '\'' | '"' => {
                    quoted = true;
                    loop {
                        match self.bump() {
                            None => return Err(self.err(ErrorKind::Unterminated(c), pos)),
                            Some(q) if q == c => break,
                            Some('\\') if c == '"' && matches!(self.peek(), Some('"' | '\\')) => {
                                if let Some(n) = self.bump() {
                                    out.push(n);
                                }
                            }
                            Some(q) => out.push(q),
                        }
                    }
                }
                c => out.push(c),
            }
        }
        Ok((out, quoted))
    }

    /// Reads the bodies of the here-documents opened on the line just ended.
    fn read_heredoc_bodies(&mut self) -> Result<(), SyntaxError> {
        for p in mem::take(&mut self.pending) {
            let start = self.pos();
            let mut body = String::new();
            loop {
                if self.peek().is_none() {
                    // bash accepts end of file as the delimiter, with a warning; we refuse, so a
                    // mistyped delimiter does not silently swallow the rest of a script.
                    return Err(self.err(ErrorKind::UnterminatedHereDoc(p.delim), start));
                }
                let mut line = String::new();
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if p.strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == p.delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            let parts = if p.quoted {
                vec![WordPart::Quoted(body)]
            } else {
                let mut sub = Lexer::new(&body, start);
                sub.lex_double_body(true)?
            };
            if let Some(Token {
                tok: Tok::HereDoc { doc, .. },
                ..
            }) = self.tokens.get_mut(p.token)
            {
                doc.body = parts;
            }
        }
        Ok(())
    }

    /// A word, up to its end.
    fn lex_word(&mut self, end: WordEnd) -> Result<Word, SyntaxError> {
        let mut parts: Vec<WordPart> = Vec::new();
        let start = self.i;
        while let Some(c) = self.peek() {
            match end {
                WordEnd::Normal if is_blank(c) || c == '\n' || is_op_char(c) => break,
                WordEnd::Brace if c == '}' => break,
                _ => {}
            }
            let pos = self.pos();
            match c {
                '\'' => {
                    self.bump();
                    let mut s = String::new();
                    loop {
                        match self.bump() {
                            None => return Err(self.err(ErrorKind::Unterminated('\''), pos)),
                            Some('\'') => break,
                            Some(ch) => s.push(ch),
                        }
                    }
                    // `''` still makes a (possibly empty) quoted part: it is an argument.
                    parts.push(WordPart::Quoted(s));
                }
                '"' => {
                    self.bump();
                    let inner = self.lex_double_body(false)?;
                    parts.push(WordPart::Double(inner));
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(ch) => push_text(&mut parts, true, &ch.to_string()),
                        None => {
                            // bash -c 'echo a\' prints `a\`: a backslash at the very end is
                            // literal. The REPL asks for another line instead.
                            self.trailing_backslash = true;
                            push_text(&mut parts, false, "\\");
                        }
                    }
                }
                '$' => {
                    let part = self.lex_dollar(false)?;
                    match part {
                        WordPart::Lit(s) => push_text(&mut parts, false, &s),
                        p => parts.push(p),
                    }
                }
                '`' => {
                    let part = self.lex_backtick(false)?;
                    parts.push(part);
                }
                '~' if self.i == start && end == WordEnd::Normal && self.tilde_ends_here() => {
                    self.bump();
                    parts.push(WordPart::Tilde);
                }
                _ => {
                    self.bump();
                    push_text(&mut parts, false, &c.to_string());
                }
            }
        }
        Ok(Word { parts })
    }

    /// Whether the `~` at the cursor stands alone or before `/` (`~user` is left literal).
    fn tilde_ends_here(&self) -> bool {
        match self.peek_at(1) {
            None => true,
            Some(c) => c == '/' || is_blank(c) || c == '\n' || is_op_char(c),
        }
    }

    /// The inside of `"…"` (the opening quote consumed; the closing one consumed too), or with
    /// `heredoc` a whole here-document body, where `"` is an ordinary character.
    fn lex_double_body(&mut self, heredoc: bool) -> Result<Vec<WordPart>, SyntaxError> {
        let open = Pos {
            line: self.line,
            col: self.col.saturating_sub(1),
        };
        let mut parts = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                if heredoc {
                    return Ok(parts);
                }
                return Err(self.err(ErrorKind::Unterminated('"'), open));
            };
            match c {
                '"' if !heredoc => {
                    self.bump();
                    return Ok(parts);
                }
                '\\' => {
                    self.bump();
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        // POSIX: inside double quotes a backslash escapes only these.
                        Some(n @ ('$' | '`' | '\\')) => {
                            self.bump();
                            push_text(&mut parts, true, &n.to_string());
                        }
                        Some('"') if !heredoc => {
                            self.bump();
                            push_text(&mut parts, true, "\"");
                        }
                        _ => push_text(&mut parts, true, "\\"),
                    }
                }
                '$' => match self.lex_dollar(true)? {
                    WordPart::Lit(s) => push_text(&mut parts, true, &s),
                    p => parts.push(p),
                },
                '`' => {
                    let p = self.lex_backtick(true)?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_text(&mut parts, true, &c.to_string());
                }
            }
        }
    }

    /// `$…` at the cursor. A `$` that starts nothing is a literal `$` (returned as `Lit`).
    fn lex_dollar(&mut self, in_double: bool) -> Result<WordPart, SyntaxError> {
        let pos = self.pos();
        self.bump();
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') && self.looks_arithmetic() => Err(self.err(
                ErrorKind::Unsupported("arithmetic expansion $((…)) is not supported"),
                pos,
            )),
            Some('(') => {
                self.bump();
                let tokens = self.lex_tokens(true)?;
                let script = parser::parse_tokens(tokens)?;
                Ok(WordPart::CmdSub(script))
            }
            Some('{') => {
                self.bump();
                self.lex_braced(pos, in_double).map(WordPart::Param)
            }
            Some(c) if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
                    name.push(c);
                    self.bump();
                }
                Ok(WordPart::Param(Param {
                    name,
                    op: ParamOp::Get,
                }))
            }
            Some(c)
                if c.is_ascii_digit() || matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-') =>
            {
                self.bump();
                Ok(WordPart::Param(Param {
                    name: c.to_string(),
                    op: ParamOp::Get,
                }))
            }
            _ => Ok(WordPart::Lit("$".into())),
        }
    }

    /// Whether the `((` at the cursor opens `$((…))` rather than `$(` followed by a subshell
    /// (`$((cd /tmp) && ls)`): as bash decides, by whether its parentheses close with `))`.
    fn looks_arithmetic(&self) -> bool {
        let mut depth = 0usize;
        let mut j = self.i + 2;
        while let Some(&c) = self.chars.get(j) {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return self.chars.get(j + 1) == Some(&')'),
                ')' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        true
    }

    /// The rest of `${…}` after `${`.
    fn lex_braced(&mut self, open: Pos, in_double: bool) -> Result<Param, SyntaxError> {
        let start = self.i;
        // `${#x}` is the length of x; `${#}` alone is the count of positional parameters.
        let length = self.peek() == Some('#') && self.peek_at(1).is_some_and(|c| c != '}');
        if length {
            self.bump();
        }
        let mut name = String::new();
        match self.peek() {
            Some(c) if is_name_start(c) => {
                while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
                    name.push(c);
                    self.bump();
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(|c| c.is_ascii_digit()) {
                    name.push(c);
                    self.bump();
                }
            }
            Some(c @ ('?' | '$' | '#' | '@' | '*' | '!' | '-')) => {
                name.push(c);
                self.bump();
            }
            _ => {}
        }
        let op = if length {
            ParamOp::Length
        } else {
            let colon = self.peek() == Some(':');
            let opc = if colon { self.peek_at(1) } else { self.peek() };
            match opc {
                Some(c @ ('-' | '=' | '+' | '?')) if !name.is_empty() => {
                    self.bump();
                    if colon {
                        self.bump();
                    }
                    let word = self.lex_brace_word(in_double)?;
                    match c {
                        '-' => ParamOp::Default { colon, word },
                        '=' => ParamOp::Assign { colon, word },
                        '+' => ParamOp::Alt { colon, word },
                        _ => ParamOp::Error { colon, word },
                    }
                }
                _ => ParamOp::Get,
            }
        };
        match self.peek() {
            Some('}') if !name.is_empty() => {
                self.bump();
                Ok(Param { name, op })
            }
            None => Err(self.err(ErrorKind::Unterminated('}'), open)),
            _ => {
                // Unsupported or malformed (`${x/a/b}`, `${}`): bash says "bad substitution".
                while self.peek().is_some_and(|c| c != '}') {
                    self.bump();
                }
                if self.peek().is_none() {
                    return Err(self.err(ErrorKind::Unterminated('}'), open));
                }
                self.bump();
                let inner: String = self.chars[start..self.i - 1].iter().collect();
                Err(self.err(ErrorKind::BadSubstitution(format!("${{{inner}}}")), open))
            }
        }
    }

    /// The `w` of `${x:-w}`: up to the closing `}`. Inside double quotes its text is quoted.
    fn lex_brace_word(&mut self, in_double: bool) -> Result<Word, SyntaxError> {
        if !in_double {
            return self.lex_word(WordEnd::Brace);
        }
        let mut parts = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '}' => break,
                '"' => {
                    self.bump();
                    parts.extend(self.lex_double_body(false)?);
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(n @ ('$' | '`' | '\\' | '"' | '}')) => {
                            push_text(&mut parts, true, &n.to_string())
                        }
                        Some(n) => push_text(&mut parts, true, &format!("\\{n}")),
                    }
                }
                '$' => match self.lex_dollar(true)? {
                    WordPart::Lit(s) => push_text(&mut parts, true, &s),
                    p => parts.push(p),
                },
                '`' => {
                    let p = self.lex_backtick(true)?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_text(&mut parts, true, &c.to_string());
                }
            }
        }
        Ok(Word {
            parts: vec![WordPart::Double(parts)],
        })
    }

    /// `` `…` ``: the old command substitution. Inside it, `\` escapes only `$`, `` ` `` and `\`
    /// (and `"` within double quotes); the unescaped text is then lexed and parsed on its own.
    fn lex_backtick(&mut self, in_double: bool) -> Result<WordPart, SyntaxError> {
        let open = self.pos();
        self.bump();
        let mut text = String::new();
        let inner_start = self.pos();
        loop {
            match self.bump() {
                None => return Err(self.err(ErrorKind::Unterminated('`'), open)),
                Some('`') => break,
                Some('\\') => match self.peek() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        self.bump();
                        text.push(n);
                    }
                    Some('"') if in_double => {
                        self.bump();
                        text.push('"');
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let mut sub = Lexer::new(&text, inner_start);
        let tokens = sub.lex_tokens(false)?;
        let script: Script = parser::parse_tokens(tokens)?;
        Ok(WordPart::CmdSub(script))
    }
}

fn redir(fd: Option<u32>, op: RedirOp) -> Tok {
    Tok::Redir { fd, op }
}
