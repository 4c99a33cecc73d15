//! The shell's syntax tree: what [`super::parser::parse`] produces and [`super::exec`] runs.
//!
//! Owns only data, no behaviour. Vocabulary follows POSIX's grammar: a *script* is a list of
//! *and-or lists* (separated by `;` or newlines); an and-or list chains *pipelines* with `&&`/`||`;
//! a pipeline joins *commands* with `|`; a simple command is assignments, words and redirections.
//! A *word* is a sequence of parts that keep their quoting, because quoting decides what expansion
//! does to them (splitting, globbing); quotes themselves are already removed.

/// A position in the source, for error messages (1-based line and column, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Whole source: and-or lists run one after another.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub items: Vec<AndOr>,
}

/// `a && b || c`: the first pipeline, then each following one with the operator before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// `&&` or `||`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

/// `[!] cmd | cmd …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// `!`: the status is inverted.
    pub negated: bool,
    pub commands: Vec<Command>,
}

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    /// `( script ) [redirections]`: runs on a copy of the state.
    Subshell {
        body: Script,
        redirects: Vec<Redirect>,
    },
}

/// `A=1 B=2 cmd arg… >file`. Redirections keep their source order, which matters (`>f 2>&1`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Where the command starts.
    pub pos: Pos,
}

/// `NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assign {
    pub name: String,
    pub value: Word,
}

/// A word as written, with its quoting kept in its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted text: glob characters in it are active.
    Lit(String),
    /// Text that was quoted or backslash-escaped: taken as is.
    Quoted(String),
    /// `~` at the start of a word (alone or before `/`): `$HOME`.
    Tilde,
    /// `$x`, `${x…}`: unquoted, so its value is split and globbed.
    Param(Param),
    /// `$(…)` or `` `…` ``: unquoted, so its output is split and globbed.
    CmdSub(Script),
    /// `"…"`: its parts ([`WordPart::Quoted`], [`WordPart::Param`], [`WordPart::CmdSub`]) are
    /// neither split nor globbed.
    Double(Vec<WordPart>),
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// A variable name, a digit string, or one of `? $ # @ * ! -`.
    pub name: String,
    pub op: ParamOp,
}

/// What a `${…}` does besides reading the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    /// `$x`, `${x}`.
    Get,
    /// `${#x}`: length in characters.
    Length,
    /// `${x-w}`, `${x:-w}`: `w` when unset (or, with `:`, empty).
    Default { colon: bool, word: Word },
    /// `${x=w}`, `${x:=w}`: as `Default`, and assigns `w`.
    Assign { colon: bool, word: Word },
    /// `${x+w}`, `${x:+w}`: `w` when set (and, with `:`, non-empty).
    Alt { colon: bool, word: Word },
    /// `${x?w}`, `${x:?w}`: error `w` when unset (or empty).
    Error { colon: bool, word: Word },
}

/// One redirection: `[fd]op target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The descriptor redirected (0 for `<`, 1 for `>`, as written for `2>`).
    pub fd: u32,
    pub kind: RedirKind,
}

/// What a descriptor is redirected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirKind {
    /// `<file`.
    Read(Word),
    /// `>file` (and `>|file`).
    Write(Word),
    /// `>>file`.
    Append(Word),
    /// `&>file` (bash): stdout and stderr to the file.
    WriteBoth(Word),
    /// `&>>file` (bash).
    AppendBoth(Word),
    /// `N>&M`, `N<&M`: `fd` becomes a copy of `M`.
    Dup(u32),
    /// `N>&-`: closed (the command sees an empty or discarding stream).
    Close,
    /// `<<DELIM` / `<<-DELIM`: the body is the command's input.
    HereDoc(HereDoc),
}

/// A here-document's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HereDoc {
    /// With an unquoted delimiter, `$x`, `$(…)` and `` `…` `` are expanded (parts as in double
    /// quotes); with a quoted one (`<<'EOF'`, `<<"EOF"`) the body is one [`WordPart::Quoted`].
    pub body: Vec<WordPart>,
}
