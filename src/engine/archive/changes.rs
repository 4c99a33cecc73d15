//! `docker import --change` (and later `docker commit --change`): Dockerfile instructions applied
//! to an empty container config, as dockerd's `dockerfile.BuildFromConfig` does.
//!
//! Accepted, case-insensitively: `CMD`, `ENTRYPOINT`, `ENV`, `EXPOSE`, `HEALTHCHECK`, `LABEL`,
//! `ONBUILD`, `USER`, `VOLUME`, `WORKDIR`; anything else is `<instr> is not a valid change
//! command`. `CMD`/`ENTRYPOINT`/`VOLUME` take the JSON (exec) form or the shell form; `ENTRYPOINT`
//! clears a `CMD` unless a `CMD` came earlier in the same list, as in a Dockerfile. Variables in
//! the values are not expanded (dockerd expands them against the empty config, so `$X` would
//! become empty; drydock keeps the text and says so here rather than guess).

use std::collections::BTreeMap;

use super::super::oci::{ContainerConfig, Empty, Healthcheck};
use super::ArchiveError;

const VALID: &[&str] = &[
    "cmd",
    "entrypoint",
    "env",
    "expose",
    "healthcheck",
    "label",
    "onbuild",
    "user",
    "volume",
    "workdir",
];

fn syntax(msg: impl Into<String>) -> ArchiveError {
    ArchiveError::ChangeSyntax(msg.into())
}

/// Splits words as the Dockerfile parser does for key=value lists: whitespace separates, quotes
/// group (and are removed), a backslash escapes the next character.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// The exec form (`["a","b"]`) when the text is a JSON array of strings, else the shell form.
fn exec_or_shell(rest: &str) -> Vec<String> {
    if rest.starts_with('[')
        && let Ok(v) = serde_json::from_str::<Vec<String>>(rest)
    {
        return v;
    }
    vec!["/bin/sh".into(), "-c".into(), rest.to_string()]
}

/// `KEY=VALUE …` pairs, or the legacy `KEY VALUE` form.
fn pairs(instr: &str, rest: &str) -> Result<Vec<(String, String)>, ArchiveError> {
    let w = words(rest);
    let Some(first) = w.first() else {
        return Err(syntax(format!("{instr} requires at least one argument")));
    };
    if !first.contains('=') {
        let (k, v) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| syntax(format!("{instr} must have two arguments")))?;
        return Ok(vec![(k.to_string(), v.trim().to_string())]);
    }
    w.iter()
        .map(|kv| match kv.split_once('=') {
            Some(("", _)) => Err(syntax(format!("{instr} names can not be blank"))),
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(syntax(format!(
                "Syntax error - can't find = in {kv:?}. Must be of the form: name=value"
            ))),
        })
        .collect()
}

fn ports(rest: &str) -> Result<Vec<String>, ArchiveError> {
    let mut out = Vec::new();
    for p in rest.split_whitespace() {
        let (range, proto) = p.split_once('/').unwrap_or((p, "tcp"));
        let (a, b) = range.split_once('-').unwrap_or((range, range));
        let bad = || syntax(format!("Invalid containerPort: {p}"));
        let a: u16 = a.parse().map_err(|_| bad())?;
        let b: u16 = b.parse().map_err(|_| bad())?;
        if b < a {
            return Err(bad());
        }
        for n in a..=b {
            out.push(format!("{n}/{}", proto.to_lowercase()));
        }
    }
    if out.is_empty() {
        return Err(syntax("EXPOSE requires at least one argument"));
    }
    Ok(out)
}

/// Joins a WORKDIR onto the previous one and cleans it (`filepath.Join("/", cur, new)`).
fn workdir(cur: &str, new: &str) -> String {
    let joined = if new.starts_with('/') {
        new.to_string()
    } else {
        format!("/{cur}/{new}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Applies `changes` to an empty config.
pub fn apply(changes: &[String]) -> Result<ContainerConfig, ArchiveError> {
    let mut c = ContainerConfig::default();
    let mut cmd_set = false;
    for line in changes {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (instr, rest) = line
            .split_once(char::is_whitespace)
            .map(|(i, r)| (i, r.trim()))
            .unwrap_or((line, ""));
        let lower = instr.to_lowercase();
        if !VALID.contains(&lower.as_str()) {
            return Err(ArchiveError::InvalidChange(lower));
        }
        let upper = instr.to_uppercase();
        if rest.is_empty() && lower != "cmd" && lower != "entrypoint" {
            return Err(syntax(format!("{upper} requires at least one argument")));
        }
        match lower.as_str() {
            "cmd" => {
                c.cmd = Some(exec_or_shell(rest));
                cmd_set = true;
            }
            "entrypoint" => {
                c.entrypoint = Some(exec_or_shell(rest));
                if !cmd_set {
                    c.cmd = None;
                }
            }
            "env" => {
                let env = c.env.get_or_insert_with(Vec::new);
                for (k, v) in pairs(&upper, rest)? {
                    let new = format!("{k}={v}");
                    match env
                        .iter_mut()
                        .find(|e| e.split_once('=').map(|(ek, _)| ek) == Some(k.as_str()))
                    {
                        Some(e) => *e = new,
                        None => env.push(new),
                    }
                }
            }
            "label" => {
                let labels = c.labels.get_or_insert_with(BTreeMap::new);
                for (k, v) in pairs(&upper, rest)? {
                    labels.insert(k, v);
                }
            }
            "expose" => {
                let map = c.exposed_ports.get_or_insert_with(BTreeMap::new);
                for p in ports(rest)? {
                    map.insert(p, Empty {});
                }
            }
            "user" => c.user = rest.to_string(),
            "workdir" => c.working_dir = workdir(&c.working_dir, rest),
            "volume" => {
                let list = if rest.starts_with('[') {
                    serde_json::from_str::<Vec<String>>(rest).unwrap_or_else(|_| words(rest))
                } else {
                    words(rest)
                };
                let map = c.volumes.get_or_insert_with(BTreeMap::new);
                for v in list {
                    if v.trim().is_empty() {
                        return Err(syntax("VOLUME specified can not be an empty string"));
                    }
                    map.insert(v, Empty {});
                }
            }
            "onbuild" => c
                .on_build
                .get_or_insert_with(Vec::new)
                .push(rest.to_string()),
            "healthcheck" => {
                let (kind, args) = rest
                    .split_once(char::is_whitespace)
                    .map(|(k, a)| (k, a.trim()))
                    .unwrap_or((rest, ""));
                let test = match kind.to_uppercase().as_str() {
                    "NONE" => vec!["NONE".to_string()],
                    "CMD" if args.starts_with('[') => {
                        let mut v = vec!["CMD".to_string()];
                        v.extend(exec_or_shell(args));
                        v
                    }
                    "CMD" => vec!["CMD-SHELL".to_string(), args.to_string()],
                    _ => {
                        return Err(syntax(
                            "drydock: HEALTHCHECK options in --change are not supported yet; use HEALTHCHECK CMD … or NONE",
                        ));
                    }
                };
                c.healthcheck = Some(Healthcheck {
                    test: Some(test),
                    ..Default::default()
                });
            }
            _ => unreachable!("checked against VALID"),
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(lines: &[&str]) -> Result<ContainerConfig, ArchiveError> {
        apply(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn matches_dockerd_for_the_common_instructions() {
        // Checked against dockerd 20.10.24: `docker import -c … -c … - imp:2`.
        let c = ch(&[
            r#"CMD ["/bin/sh"]"#,
            "ENV A=1 B=2",
            "EXPOSE 80",
            "WORKDIR /app",
            "USER nobody",
            "LABEL a=b",
            "VOLUME /data",
            "ENTRYPOINT echo hi",
        ])
        .unwrap();
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"Hostname":"","Domainname":"","User":"nobody","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=1","B=2"],"Cmd":["/bin/sh"],"Image":"","Volumes":{"/data":{}},"WorkingDir":"/app","Entrypoint":["/bin/sh","-c","echo hi"],"OnBuild":null,"Labels":{"a":"b"}}"#
        );
    }

    #[test]
    fn entrypoint_first_clears_cmd_and_errors_are_dockers() {
        let c = ch(&["ENTRYPOINT [\"a\"]", "ENV X y z"]).unwrap();
        assert_eq!(c.cmd, None);
        assert_eq!(c.env, Some(vec!["X=y z".to_string()]));
        assert_eq!(
            ch(&["RUN x"]).unwrap_err().to_string(),
            "run is not a valid change command"
        );
        assert_eq!(workdir("/app", "../x/./y"), "/x/y");
        assert_eq!(
            ch(&["EXPOSE 8000-8001/udp"])
                .unwrap()
                .exposed_ports
                .unwrap()
                .len(),
            2
        );
    }
}
