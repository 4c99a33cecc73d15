//! Word expansion in Dockerfile instructions, as BuildKit's `frontend/dockerfile/shell` lexer
//! (`ProcessWord`): quotes removed, the escape character honoured, `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR:+alternative}` and `${VAR:?message}` substituted from an
//! environment list (`K=V`, first match wins). `RUN`, `CMD` and `ENTRYPOINT` never come here:
//! their shell does its own expansion.

/// An expansion error, in BuildKit's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExpandError(pub String);

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    env: &'a [String],
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn get_env(&self, name: &str) -> Option<String> {
        self.env.iter().find_map(|kv| match kv.split_once('=') {
            Some((k, v)) if k == name => Some(v.to_string()),
            None if kv == name => Some(String::new()),
            _ => None,
        })
    }

    /// Reads up to `stop` (consumed) or the end; returns the expanded text.
    fn process_until(&mut self, stop: Option<char>) -> Result<String, ExpandError> {
        let mut out = String::new();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok(out);
            }
            match ch {
                '\'' => out.push_str(&self.single_quote()?),
                '"' => out.push_str(&self.double_quote()?),
                '$' => out.push_str(&self.dollar()?),
                _ => {
                    self.next();
                    if ch == self.escape {
                        match self.next() {
                            Some(c) => out.push(c),
                            None => break,
                        }
                    } else {
                        out.push(ch);
                    }
                }
            }
        }
        if let Some(s) = stop {
            return Err(ExpandError(format!(
                "unexpected end of statement while looking for matching {s}"
            )));
        }
        Ok(out)
    }

    fn single_quote(&mut self) -> Result<String, ExpandError> {
        self.next();
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(ExpandError(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    ));
                }
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, ExpandError> {
        self.next();
        let mut out = String::new();
        loop {
            let Some(ch) = self.peek() else {
                return Err(ExpandError(
                    "unexpected end of statement while looking for matching double-quote".into(),
                ));
            };
            if ch == '"' {
                self.next();
                return Ok(out);
            }
            if ch == '$' {
                out.push_str(&self.dollar()?);
                continue;
            }
            self.next();
            let mut c = ch;
            if ch == self.escape {
                match self.peek() {
                    None => continue,
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        self.next();
                        c = n;
                    }
                    Some(_) => {}
                }
            }
            out.push(c);
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !(ch.is_alphanumeric() || ch == '_') {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn dollar(&mut self) -> Result<String, ExpandError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(self.get_env(&name).unwrap_or_default());
        }
        self.next();
        match self.peek() {
            None => return Err(ExpandError("syntax error: missing '}'".into())),
            Some('{' | '}' | ':') => {
                return Err(ExpandError("syntax error: bad substitution".into()));
            }
            _ => {}
        }
        let name = self.name();
        match self.next() {
            Some('}') => Ok(self.get_env(&name).unwrap_or_default()),
            Some(':') => {
                let modifier = self.next();
                let word = match self.process_until(Some('}')) {
                    Ok(w) => w,
                    Err(_) if self.peek().is_none() => {
                        return Err(ExpandError("syntax error: missing '}'".into()));
                    }
                    Err(e) => return Err(e),
                };
                let value = self.get_env(&name);
                let current = value.clone().unwrap_or_default();
                match modifier {
                    Some('+') => Ok(if current.is_empty() { current } else { word }),
                    Some('-') => Ok(if current.is_empty() { word } else { current }),
                    Some('?') => {
                        if value.is_none() {
                            let w = if word.is_empty() {
                                "is not allowed to be unset".to_string()
                            } else {
                                word
                            };
                            return Err(ExpandError(format!("{name}: {w}")));
                        }
                        if current.is_empty() {
                            let w = if word.is_empty() {
                                "is not allowed to be empty".to_string()
                            } else {
                                word
                            };
                            return Err(ExpandError(format!("{name}: {w}")));
                        }
                        Ok(current)
                    }
                    m => Err(ExpandError(format!(
                        "unsupported modifier ({}) in substitution",
                        m.unwrap_or(' ')
                    ))),
                }
            }
            _ => Err(ExpandError("missing ':' in substitution".into())),
        }
    }
}

/// BuildKit's `ProcessWord`: one word, expanded against `env`. Its errors name the word
/// (`failed to process "${X:?oops}": X: oops`), as BuildKit's lexer wraps them.
pub fn process_word(word: &str, env: &[String], escape: char) -> Result<String, ExpandError> {
    let mut lx = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        env,
    };
    lx.process_until(None).map_err(|e| {
        ExpandError(format!(
            "failed to process {}: {}",
            super::dispatch::go_quote(word),
            e.0
        ))
    })
}

/// `ProcessWords` (only `EXPOSE` uses it): the expansion split into words at unquoted blanks.
pub fn process_words(word: &str, env: &[String], escape: char) -> Result<Vec<String>, ExpandError> {
    let expanded = process_word(word, env, escape)?;
    Ok(expanded.split_whitespace().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(word: &str) -> Result<String, String> {
        let env = vec![
            "A=alpha".to_string(),
            "EMPTY=".to_string(),
            "A=shadowed".to_string(),
        ];
        process_word(word, &env, '\\').map_err(|e| e.to_string())
    }

    #[test]
    fn substitutions() {
        let cases = [
            ("$A", "alpha"),
            ("${A}", "alpha"),
            ("x${A}y", "xalphay"),
            ("$NOPE", ""),
            ("${NOPE:-dflt}", "dflt"),
            ("${EMPTY:-dflt}", "dflt"),
            ("${A:-dflt}", "alpha"),
            ("${A:+alt}", "alt"),
            ("${NOPE:+alt}", ""),
            ("${NOPE:-$A}", "alpha"),
            ("'$A'", "$A"),
            ("\"$A b\"", "alpha b"),
            ("\\$A", "$A"),
            ("\"\\$A\"", "$A"),
            ("\"a\\b\"", "a\\b"),
            ("a\\ b", "a b"),
            ("$", "$"),
            ("$1", ""),
        ];
        for (w, want) in cases {
            assert_eq!(x(w).as_deref(), Ok(want), "{w}");
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("${A", "missing ':' in substitution"),
            ("${", "syntax error: missing '}'"),
            ("${}", "syntax error: bad substitution"),
            ("${A:%x}", "unsupported modifier (%) in substitution"),
            ("${NOPE:?}", "NOPE: is not allowed to be unset"),
            (
                "'abc",
                "unexpected end of statement while looking for matching single-quote",
            ),
            ("${A:-x", "syntax error: missing '}'"),
        ];
        for (w, why) in cases {
            let want = format!(
                "failed to process {}: {why}",
                super::super::dispatch::go_quote(w)
            );
            assert_eq!(x(w).unwrap_err(), want, "{w}");
        }
        // As Docker 20.10.24's builder says it (`ENV A=${X:?oops}`).
        assert_eq!(
            process_word("${X:?oops}", &[], '\\').unwrap_err().0,
            r#"failed to process "${X:?oops}": X: oops"#
        );
    }

    #[test]
    fn backtick_escape() {
        assert_eq!(process_word("c:\\dir `$A", &[], '`').unwrap(), "c:\\dir $A");
    }

    #[test]
    fn words() {
        let env = vec!["P=80 443".to_string()];
        assert_eq!(process_words("$P", &env, '\\').unwrap(), ["80", "443"]);
    }
}
