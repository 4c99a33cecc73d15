//! The Dockerfile syntax layer, as BuildKit's `frontend/dockerfile/parser` (the one moby 20.10's
//! classic builder uses): parser directives (`# escape=`, `# syntax=`), comments, line
//! continuations with the escape character, the `--flag` words before an instruction's
//! arguments, and each instruction's argument shape (JSON array or shell string, `name=value`
//! words, whitespace-split lists). It knows nothing about what instructions mean; that is
//! [`super::instruction`]'s job, which also reports unknown instructions.
//!
//! Errors here are the parser's own (`failed to parse Dockerfile: …` once wrapped by the
//! builder); they carry no line, as BuildKit's location does not show in Docker 20.10's text.

/// One instruction as written: its keyword (lower case), the `--flags`, its arguments, and
/// whether they were a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The keyword, lower-cased (`run`, `copy`; an unknown word stays as written, lower-cased).
    pub cmd: String,
    /// The whole logical line, continuations joined (the `Step N/M :` text, once trimmed).
    pub original: String,
    pub flags: Vec<String>,
    pub args: Vec<String>,
    /// The arguments were a JSON array (exec form).
    pub json: bool,
    /// First and last physical line (1-based).
    pub start_line: usize,
    pub end_line: usize,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub nodes: Vec<Node>,
    pub escape: char,
    /// `[WARNING]: Empty continuation line found in: …` texts.
    pub warnings: Vec<String>,
}

/// Why a Dockerfile could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("file with no instructions")]
    NoInstructions,
    #[error("invalid escape token '{0}' does not match ` or \\")]
    InvalidEscape(String),
    #[error("only one {0} parser directive can be used")]
    DuplicateDirective(String),
    #[error("{0} must have two arguments")]
    NameValueArity(String),
    #[error("Syntax error - can't find = in {0:?}. Must be of the form: name=value")]
    NoEquals(String),
    #[error("when using JSON array syntax, arrays must be comprised of strings only")]
    NotStringArray,
}

struct Directives {
    escape: char,
    seen: Vec<String>,
    done: bool,
}

impl Directives {
    /// BuildKit's `possibleParserDirective`: `#\s*name\s*=\s*value` lines at the very top; the
    /// first other line (blank ones included) ends them.
    fn possible(&mut self, line: &str) -> Result<(), SyntaxError> {
        if self.done {
            return Ok(());
        }
        let Some((name, value)) = directive(line) else {
            self.done = true;
            return Ok(());
        };
        let key = name.to_ascii_lowercase();
        if key != "escape" && key != "syntax" {
            self.done = true;
            return Ok(());
        }
        if self.seen.contains(&key) {
            return Err(SyntaxError::DuplicateDirective(key));
        }
        self.seen.push(key.clone());
        if key == "escape" {
            match value {
                "`" => self.escape = '`',
                "\\" => self.escape = '\\',
                other => return Err(SyntaxError::InvalidEscape(other.to_string())),
            }
        }
        Ok(())
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let end = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit())))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    let (name, after) = rest.split_at(end);
    let value = after.trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Removes a trailing escape character (and blanks after it): the line continues.
fn trim_continuation(line: &str, escape: char) -> (String, bool) {
    let t = line.trim_end_matches([' ', '\t']);
    match t.strip_suffix(escape) {
        Some(s) => (s.to_string(), false),
        None => (line.to_string(), true),
    }
}

/// Go's `bufio.ScanLines`: split on `\n`, drop one `\r` before it.
fn lines(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if text.ends_with('\n') || text.is_empty() {
        out.pop();
    }
    out
}

/// Parses a Dockerfile's text into nodes.
pub fn parse(text: &str) -> Result<Dockerfile, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut d = Directives {
        escape: '\\',
        seen: Vec::new(),
        done: false,
    };
    let all = lines(text);
    let mut nodes = Vec::new();
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let raw = all[i].trim_start();
        d.possible(raw)?;
        let first = if is_comment(raw) { "" } else { raw };
        i += 1;
        let start_line = i;
        let (mut line, mut end) = trim_continuation(first, d.escape);
        if end && line.is_empty() {
            continue;
        }
        let mut empty_continuation = false;
        while !end && i < all.len() {
            let next = all[i];
            d.possible(next)?;
            i += 1;
            if is_comment(next) {
                continue;
            }
            if next.trim().is_empty() {
                empty_continuation = true;
                continue;
            }
            let (l, e) = trim_continuation(next, d.escape);
            line.push_str(&l);
            end = e;
        }
        if empty_continuation {
            warnings.push(format!(
                "[WARNING]: Empty continuation line found in:\n    {line}"
            ));
        }
        let mut node = node_from_line(&line, d.escape)?;
        node.start_line = start_line;
        node.end_line = i;
        nodes.push(node);
    }
    if !warnings.is_empty() {
        warnings.push(
            "[WARNING]: Empty continuation lines will become errors in a future release.".into(),
        );
    }
    if nodes.is_empty() {
        return Err(SyntaxError::NoInstructions);
    }
    Ok(Dockerfile {
        nodes,
        escape: d.escape,
        warnings,
    })
}

/// Go's `unicode.IsSpace` for the characters a Dockerfile can hold.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `[\t\v\f\r ]+` split, as BuildKit's `tokenWhitespace`.
fn split_ws(s: &str, limit: usize) -> Vec<String> {
    let ws = |c: char| matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\n');
    let mut out = Vec::new();
    let mut rest = s;
    while out.len() + 1 < limit {
        match rest.find(ws) {
            Some(pos) => {
                out.push(rest[..pos].to_string());
                rest = rest[pos..].trim_start_matches(ws);
            }
            None => break,
        }
    }
    out.push(rest.to_string());
    out
}

/// Parses one logical line into a node (also used for `ONBUILD`'s trigger).
pub fn node_from_line(line: &str, escape: char) -> Result<Node, SyntaxError> {
    let trimmed = line.trim();
    let parts = split_ws(trimmed, 2);
    let cmd = parts[0].to_lowercase();
    let (rest, flags) = match parts.get(1) {
        Some(r) => extract_flags(r),
        None => (String::new(), Vec::new()),
    };
    let rest = rest.trim().to_string();
    let (args, json) = match cmd.as_str() {
        "add" | "copy" | "volume" => maybe_json_to_list(&rest)?,
        "arg" => (parse_words(&rest, escape), false),
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(&rest)?,
        "env" => (name_val(&rest, "ENV", escape)?, false),
        "label" => (name_val(&rest, "LABEL", escape)?, false),
        "expose" | "from" => (whitespace_list(&rest), false),
        "healthcheck" => health_config(&rest)?,
        "onbuild" => {
            if rest.is_empty() {
                (Vec::new(), false)
            } else {
                let child = node_from_line(&rest, escape)?;
                let mut v = vec![child.cmd];
                v.extend(child.args);
                (v, child.json)
            }
        }
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if rest.is_empty() {
                (Vec::new(), false)
            } else {
                (vec![rest.clone()], false)
            }
        }
        // Unknown instructions are reported by the instruction layer, with their line.
        _ => (Vec::new(), false),
    };
    Ok(Node {
        cmd,
        original: line.to_string(),
        flags,
        args,
        json,
        start_line: 0,
        end_line: 0,
    })
}

fn whitespace_list(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_ws(rest, usize::MAX)
}

/// The JSON form: the first JSON value of the text must be an array of strings (Go's decoder
/// reads one value and ignores what follows it).
fn parse_json(rest: &str) -> Result<Option<Vec<String>>, SyntaxError> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    let Some(Ok(serde_json::Value::Array(items))) = stream.next() else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for it in items {
        match it {
            serde_json::Value::String(s) => out.push(s),
            _ => return Err(SyntaxError::NotStringArray),
        }
    }
    Ok(Some(out))
}

fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), SyntaxError> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    match parse_json(rest)? {
        Some(v) => Ok((v, true)),
        None => Ok((vec![rest.to_string()], false)),
    }
}

fn maybe_json_to_list(rest: &str) -> Result<(Vec<String>, bool), SyntaxError> {
    match parse_json(rest)? {
        Some(v) => Ok((v, true)),
        None => Ok((whitespace_list(rest), false)),
    }
}

/// `HEALTHCHECK TYPE rest`: the type word, then the command as `CMD` parses it.
fn health_config(rest: &str) -> Result<(Vec<String>, bool), SyntaxError> {
    let sep = rest.find(is_space).unwrap_or(rest.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let typ = rest[..sep].to_string();
    let (cmd, json) = maybe_json(rest[sep..].trim_start())?;
    let mut v = vec![typ];
    v.extend(cmd);
    Ok((v, json))
}

/// `ENV`/`LABEL`: `KEY value…` (legacy, one pair) or `k=v k2=v2` words; returns key, value,
/// key, value…
fn name_val(rest: &str, key: &str, escape: char) -> Result<Vec<String>, SyntaxError> {
    let words = parse_words(rest, escape);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    if !words[0].contains('=') {
        let parts = split_ws(rest, 2);
        if parts.len() < 2 {
            return Err(SyntaxError::NameValueArity(key.to_string()));
        }
        return Ok(parts);
    }
    let mut out = Vec::new();
    for w in words {
        let Some((k, v)) = w.split_once('=') else {
            return Err(SyntaxError::NoEquals(w));
        };
        out.push(k.to_string());
        out.push(v.to_string());
    }
    Ok(out)
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes kept (the word expansion removes
/// them later), the escape character kept with the character it escapes.
pub fn parse_words(rest: &str, escape: char) -> Vec<String> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= chars.len() {
        let at_end = pos == chars.len();
        let mut ch = if at_end { '\0' } else { chars[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space(ch) {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if at_end {
            if blank_ok || !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + 1 == chars.len() {
                    pos += 1;
                    continue;
                }
                word.push(ch);
                pos += 1;
                ch = chars[pos];
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + 1 == chars.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            word.push(ch);
            ch = chars[pos];
        }
        word.push(ch);
        pos += 1;
    }
    words
}

/// BuildKit's `extractBuilderFlags`: leading `--name[=value]` words (quotes and `\` handled);
/// returns the rest of the line and the flags.
fn extract_flags(line: &str) -> (String, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut i = 0;
    while i <= chars.len() {
        let at_end = i == chars.len();
        let (pos, mut ch) = if at_end { (line.len(), '\0') } else { chars[i] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space(ch) {
                i += 1;
                continue;
            }
            let next_dash = chars.get(i + 1).is_some_and(|(_, c)| *c == '-');
            if ch != '-' || !next_dash {
                return (line[pos..].to_string(), words);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (line[pos..].to_string(), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                i += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                i += 1;
                continue;
            }
            if ch == '\\' {
                if i + 1 == chars.len() {
                    i += 1;
                    continue;
                }
                i += 1;
                ch = chars[i].1;
            }
            word.push(ch);
            i += 1;
            continue;
        }
        if ch == quote {
            phase = Phase::Word;
            i += 1;
            continue;
        }
        if ch == '\\' {
            if i + 1 == chars.len() {
                phase = Phase::Word;
                i += 1;
                continue;
            }
            i += 1;
            ch = chars[i].1;
        }
        word.push(ch);
        i += 1;
    }
    (String::new(), words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Node {
        parse(line).unwrap().nodes.remove(0)
    }

    #[test]
    fn instructions_and_their_argument_shapes() {
        let n = one("FROM alpine:3.14 AS build");
        assert_eq!(
            (n.cmd.as_str(), n.args.clone()),
            (
                "from",
                vec!["alpine:3.14".to_string(), "AS".into(), "build".into()]
            )
        );
        let n = one("run echo hi  there");
        assert_eq!(n.args, ["echo hi  there"]);
        assert!(!n.json);
        let n = one(r#"CMD ["nginx", "-g", "daemon off;"]"#);
        assert!(n.json);
        assert_eq!(n.args, ["nginx", "-g", "daemon off;"]);
        // Not JSON (single quotes): the shell form.
        let n = one("CMD ['a']");
        assert_eq!((n.args.clone(), n.json), (vec!["['a']".to_string()], false));
        let n = one("COPY --chown=1:2 --from=build a b /dst/");
        assert_eq!(n.flags, ["--chown=1:2", "--from=build"]);
        assert_eq!(n.args, ["a", "b", "/dst/"]);
        let n = one(r#"COPY ["a b", "/x/"]"#);
        assert_eq!(n.args, ["a b", "/x/"]);
        let n = one("EXPOSE 80  443/udp");
        assert_eq!(n.args, ["80", "443/udp"]);
        let n = one("HEALTHCHECK --interval=5m CMD curl -f http://x/ || exit 1");
        assert_eq!(n.flags, ["--interval=5m"]);
        assert_eq!(n.args, ["CMD", "curl -f http://x/ || exit 1"]);
        let n = one("ONBUILD RUN make");
        assert_eq!(n.args, ["run", "make"]);
        let n = one("MAINTAINER Jane Doe <j@x>");
        assert_eq!(n.args, ["Jane Doe <j@x>"]);
    }

    #[test]
    fn env_and_label_both_syntaxes() {
        assert_eq!(one("ENV A 1 2").args, ["A", "1 2"]);
        assert_eq!(
            one(r#"ENV A=1 B="x y" C=a\ b"#).args,
            ["A", "1", "B", "\"x y\"", "C", "a\\ b"]
        );
        assert_eq!(
            one(r#"LABEL "k"="v" x=y"#).args,
            ["\"k\"", "\"v\"", "x", "y"]
        );
        assert_eq!(
            parse("ENV A").unwrap_err().to_string(),
            "ENV must have two arguments"
        );
        assert_eq!(
            parse("LABEL a=b c").unwrap_err().to_string(),
            r#"Syntax error - can't find = in "c". Must be of the form: name=value"#
        );
    }

    #[test]
    fn continuations_comments_and_lines() {
        let df = parse("FROM a\n# c\nRUN echo a \\\n  # inside\n  b \\\n\n  c\nCMD x\n").unwrap();
        assert_eq!(df.nodes.len(), 3);
        assert_eq!(df.nodes[1].args, ["echo a   b   c"]);
        assert_eq!((df.nodes[1].start_line, df.nodes[1].end_line), (3, 7));
        assert_eq!(df.nodes[2].start_line, 8);
        assert_eq!(df.warnings.len(), 2);
    }

    #[test]
    fn escape_directive() {
        let df = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  x\n").unwrap();
        assert_eq!(df.escape, '`');
        assert_eq!(df.nodes[1].args, ["dir c:\\   x"]);
        // After an instruction (or a blank line) it is only a comment.
        let df = parse("\n# escape=`\nFROM a\n").unwrap();
        assert_eq!(df.escape, '\\');
        assert_eq!(
            parse("# escape=x\nFROM a").unwrap_err().to_string(),
            "invalid escape token 'x' does not match ` or \\"
        );
        assert_eq!(
            parse("# escape=`\n# escape=\\\nFROM a")
                .unwrap_err()
                .to_string(),
            "only one escape parser directive can be used"
        );
        // syntax is accepted and ignored by the classic builder.
        assert_eq!(
            parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM a")
                .unwrap()
                .escape,
            '`'
        );
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(
            parse("# only\n\n").unwrap_err(),
            SyntaxError::NoInstructions
        );
        assert_eq!(parse("").unwrap_err(), SyntaxError::NoInstructions);
    }

    #[test]
    fn json_must_hold_strings() {
        assert_eq!(parse("CMD [1]").unwrap_err(), SyntaxError::NotStringArray);
        // Trailing text after the array is ignored, as Go's decoder does.
        assert_eq!(one(r#"RUN ["a"] b"#).args, ["a"]);
    }

    #[test]
    fn flags_stop_at_the_first_plain_word() {
        assert_eq!(
            extract_flags(r#"--a=1 --b="x y" rest --c"#),
            (
                "rest --c".to_string(),
                vec!["--a=1".to_string(), "--b=x y".into()]
            )
        );
        assert_eq!(extract_flags("-- x"), (" x".to_string(), vec![]));
        assert_eq!(
            extract_flags("--only"),
            (String::new(), vec!["--only".to_string()])
        );
    }

    /// A fixed-seed fuzz: random Dockerfile-ish text never panics the parser, the instruction
    /// layer or the word expansion.
    #[test]
    fn fuzz_no_panics() {
        let pieces = [
            "FROM ",
            "RUN ",
            "CMD ",
            "ENV ",
            "LABEL ",
            "COPY ",
            "ADD ",
            "ARG ",
            "ONBUILD ",
            "HEALTHCHECK ",
            "SHELL ",
            "WORKDIR ",
            "EXPOSE ",
            "VOLUME ",
            "USER ",
            "STOPSIGNAL ",
            "MAINTAINER ",
            "ENTRYPOINT ",
            "AS ",
            "--",
            "=",
            "\\",
            "`",
            "\n",
            "\r\n",
            "#",
            "# escape=`\n",
            "[",
            "]",
            "\"",
            "'",
            ",",
            "$",
            "${",
            "}",
            ":-",
            ":+",
            ":?",
            " ",
            "\t",
            "a",
            "é",
            "0",
            "NONE",
            "CMD",
            "--from=",
            "--chown=",
            "--interval=",
            "\u{feff}",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let n = (next() % 40) as usize;
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            if let Ok(df) = parse(&text) {
                let _ = super::super::instruction::parse(&df);
                for node in &df.nodes {
                    for a in &node.args {
                        let _ = super::super::shlex::process_word(a, &[], df.escape);
                    }
                }
            }
        }
    }
}
