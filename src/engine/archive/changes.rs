//! `docker import --change` and `docker commit --change`: Dockerfile instructions applied to a
//! container config, as dockerd's `dockerfile.BuildFromConfig` does it for both.
//!
//! The lines are joined with newlines and read by the builder's own Dockerfile parser
//! ([`build::parser`], [`build::instruction`]), so the syntax and its errors are exactly a
//! Dockerfile's: `WORKDIR requires exactly one argument`, `file with no instructions` for lines
//! that hold none, `Chaining ONBUILD via ...`. Every instruction is first checked against the
//! ones a change may use (`CMD`, `ENTRYPOINT`, `ENV`, `EXPOSE`, `HEALTHCHECK`, `LABEL`, `ONBUILD`,
//! `USER`, `VOLUME`, `WORKDIR`; anything else is `<instr> is not a valid change command`), then
//! all are parsed, then applied in order.
//!
//! Applying follows the classic builder's dispatchers: `ENV`, `LABEL`, `USER`, `WORKDIR`,
//! `VOLUME` and `EXPOSE` expand `$VAR`/`${VAR:-x}` against the config's `Env` as it stands
//! (so `import` sees an empty one, `commit` the container's); `CMD`, `ENTRYPOINT`,
//! `HEALTHCHECK` and `ONBUILD` keep their text. A relative `WORKDIR` joins the current one.
//! `ENTRYPOINT` clears `Cmd` unless a `CMD` came earlier in the same list.
//!
//! This module uses the builder's parser and word expander, which sit above `archive` in the
//! engine's layering, because dockerd's `BuildFromConfig` is itself the builder: one Dockerfile
//! grammar, not a second copy of it here.

use std::collections::BTreeMap;

use super::super::build::instruction::{self, CmdLine, Instruction, Parsed};
use super::super::build::{exposed_ports, parser, shlex};
use super::super::oci::{ContainerConfig, Empty, Healthcheck};
use super::ArchiveError;

/// The instructions a change may use (dockerd's `validCommitCommands`).
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

/// Applies `changes` to an empty config (`docker import`).
pub fn apply(changes: &[String]) -> Result<ContainerConfig, ArchiveError> {
    apply_to(&ContainerConfig::default(), changes)
}

/// Applies `changes` to a copy of `base` (`docker commit` passes the container's config). No
/// changes at all leave it as it is.
pub fn apply_to(
    base: &ContainerConfig,
    changes: &[String],
) -> Result<ContainerConfig, ArchiveError> {
    let mut config = base.clone();
    if changes.is_empty() {
        return Ok(config);
    }
    let df = parser::parse(&changes.join("\n")).map_err(|e| syntax(e.to_string()))?;
    if let Some(bad) = df.nodes.iter().find(|n| !VALID.contains(&n.cmd.as_str())) {
        return Err(ArchiveError::InvalidChange(bad.cmd.clone()));
    }
    let mut instructions = Vec::with_capacity(df.nodes.len());
    for node in &df.nodes {
        match instruction::parse_instruction(node).map_err(syntax)? {
            Parsed::Command(c) => instructions.push((node.cmd.as_str(), c.inst)),
            // `FROM` is not a valid change; the check above has refused it.
            Parsed::Stage(_) => return Err(ArchiveError::InvalidChange(node.cmd.clone())),
        }
    }
    let mut cmd_set = false;
    for (name, inst) in &instructions {
        dispatch(&mut config, name, inst, &mut cmd_set, df.escape)?;
    }
    Ok(config)
}

/// One instruction, as the classic builder's dispatcher for it changes the run config.
fn dispatch(
    c: &mut ContainerConfig,
    name: &str,
    inst: &Instruction,
    cmd_set: &mut bool,
    escape: char,
) -> Result<(), ArchiveError> {
    // Expansion sees the environment as it was before this instruction.
    let env = c.env.clone().unwrap_or_default();
    let expand = |w: &str| shlex::process_word(w, &env, escape).map_err(|e| syntax(e.0));
    match inst {
        Instruction::Env(pairs) => {
            let mut expanded = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                expanded.push((expand(k)?, expand(v)?));
            }
            let list = c.env.get_or_insert_with(Vec::new);
            for (k, v) in expanded {
                let kv = format!("{k}={v}");
                match list
                    .iter_mut()
                    .find(|e| e.split_once('=').map_or(e.as_str(), |(ek, _)| ek) == k)
                {
                    Some(slot) => *slot = kv,
                    None => list.push(kv),
                }
            }
        }
        Instruction::Label(pairs) => {
            let mut expanded = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                expanded.push((expand(k)?, expand(v)?));
            }
            c.labels.get_or_insert_with(BTreeMap::new).extend(expanded);
        }
        Instruction::User(u) => c.user = expand(u)?,
        Instruction::Workdir(p) => {
            let p = expand(p)?;
            if p.is_empty() {
                return Err(syntax("cannot normalize nothing"));
            }
            c.working_dir = workdir(&c.working_dir, &p);
        }
        Instruction::Volume(vols) => {
            let mut expanded = Vec::with_capacity(vols.len());
            for v in vols {
                let v = expand(v)?;
                if v.is_empty() {
                    return Err(syntax("VOLUME specified can not be an empty string"));
                }
                expanded.push(v);
            }
            let map = c.volumes.get_or_insert_with(BTreeMap::new);
            for v in expanded {
                map.insert(v, Empty {});
            }
        }
        Instruction::Expose(words) => {
            let mut ports = Vec::new();
            for w in words {
                let more = shlex::process_words(w, &env, escape).map_err(|e| syntax(e.0))?;
                ports.extend(more);
            }
            let map = c.exposed_ports.get_or_insert_with(BTreeMap::new);
            for p in exposed_ports(&ports).map_err(syntax)? {
                map.insert(p, Empty {});
            }
        }
        Instruction::Cmd(line) => {
            c.cmd = Some(command(c, line));
            c.args_escaped = false;
            if !line.args.is_empty() {
                *cmd_set = true;
            }
        }
        Instruction::Entrypoint(line) => {
            // BuildKit reads an empty ENTRYPOINT (`ENTRYPOINT []`) as none at all.
            c.entrypoint = (!line.args.is_empty()).then(|| command(c, line));
            c.args_escaped = false;
            if !*cmd_set {
                c.cmd = None;
            }
        }
        Instruction::Healthcheck(h) => {
            c.healthcheck = Some(Healthcheck {
                test: Some(h.test.clone()),
                interval: h.interval,
                timeout: h.timeout,
                start_period: h.start_period,
                retries: h.retries,
            });
        }
        Instruction::Onbuild(expr) => c.on_build.get_or_insert_with(Vec::new).push(expr.clone()),
        // Only the instructions checked against VALID get here.
        _ => return Err(ArchiveError::InvalidChange(name.to_string())),
    }
    Ok(())
}

/// moby's `resolveCmdLine`: the shell form runs through the config's `SHELL` (default
/// `/bin/sh -c`), even with no words (a bare `CMD` is `["/bin/sh","-c"]`).
fn command(c: &ContainerConfig, line: &CmdLine) -> Vec<String> {
    if !line.prepend_shell {
        return line.args.clone();
    }
    let mut v = c
        .shell
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()]);
    v.extend(line.args.iter().cloned());
    v
}

/// moby's `normalizeWorkdir`: a relative path joins the current one (`filepath.Join("/", cur,
/// new)`, cleaned); an absolute one is taken as written.
fn workdir(cur: &str, new: &str) -> String {
    if new.starts_with('/') {
        return new.to_string();
    }
    let joined = format!("/{cur}/{new}");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    fn ch(l: &[&str]) -> Result<ContainerConfig, ArchiveError> {
        apply(&lines(l))
    }

    /// A container's config as `docker run -e FOO=bar -w /tmp IMAGE sh -c …` makes it.
    fn container() -> ContainerConfig {
        ContainerConfig {
            env: Some(lines(&["FOO=bar", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])),
            cmd: Some(lines(&["sh", "-c", "echo hi > /tmp/x"])),
            working_dir: "/tmp".into(),
            labels: Some([("org.example.lab.seed".to_string(), "bench".to_string())].into()),
            ..ContainerConfig::default()
        }
    }

    fn on_container(l: &[&str]) -> Result<ContainerConfig, String> {
        apply_to(&container(), &lines(l)).map_err(|e| e.to_string())
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

    /// `docker commit -c …` on a container run with `-e FOO=bar -w /tmp`, as Docker 20.10.24
    /// showed `.Config` afterwards.
    #[test]
    fn commit_changes_see_the_containers_config() {
        let c = on_container(&[
            "ENV A=1 B=$FOO",
            r#"CMD ["echo","hi"]"#,
            "EXPOSE 80",
            "LABEL x=y",
            "USER nobody",
            "VOLUME /data",
            "WORKDIR sub",
            "ONBUILD RUN echo $FOO",
        ])
        .unwrap();
        assert_eq!(
            c.env.unwrap(),
            lines(&[
                "FOO=bar",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "A=1",
                "B=bar"
            ])
        );
        assert_eq!(c.cmd.unwrap(), lines(&["echo", "hi"]));
        assert_eq!(c.working_dir, "/tmp/sub");
        assert_eq!(c.user, "nobody");
        assert_eq!(c.on_build.unwrap(), lines(&["RUN echo $FOO"]));
        assert_eq!(c.labels.unwrap().len(), 2);
        let one = |l: &str| on_container(&[l]).unwrap();
        assert_eq!(one("ENV C ${FOO:-x} y").env.unwrap()[2], "C=bar y");
        assert_eq!(
            one("ENV D=${NOPE:-def} E=${FOO:+set}").env.unwrap()[2..],
            lines(&["D=def", "E=set"])
        );
        assert_eq!(one("ENV A='$FOO'").env.unwrap()[2], "A=$FOO");
        assert_eq!(one("USER $FOO").user, "bar");
        assert_eq!(one("WORKDIR $FOO").working_dir, "/tmp/bar");
        assert_eq!(one("WORKDIR /abs/./x").working_dir, "/abs/./x");
        assert_eq!(one("LABEL k $FOO").labels.unwrap()["k"], "bar");
        assert_eq!(one(r#"LABEL "a b"=c d=e"#).labels.unwrap()["a b"], "c");
        assert_eq!(
            one("CMD echo $FOO").cmd.unwrap(),
            lines(&["/bin/sh", "-c", "echo $FOO"])
        );
        assert_eq!(one("CMD").cmd.unwrap(), lines(&["/bin/sh", "-c"]));
        assert_eq!(one("CMD []").cmd.unwrap(), Vec::<String>::new());
        let ep = one(r#"entrypoint ["/bin/echo"]"#);
        assert_eq!(
            (ep.entrypoint.unwrap(), ep.cmd),
            (lines(&["/bin/echo"]), None)
        );
        let ep = one("ENTRYPOINT []");
        assert_eq!((ep.entrypoint, ep.cmd), (None, None));
        assert_eq!(
            one("EXPOSE 8000-8002/udp 90")
                .exposed_ports
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["8000/udp", "8001/udp", "8002/udp", "90/tcp"]
        );
        assert!(one("EXPOSE $X").exposed_ports.unwrap().is_empty());
        assert_eq!(one("VOLUME /c /d").volumes.unwrap().len(), 2);
        assert_eq!(
            one("HEALTHCHECK --interval=5s CMD true").healthcheck,
            Some(Healthcheck {
                test: Some(lines(&["CMD-SHELL", "true"])),
                interval: 5_000_000_000,
                ..Healthcheck::default()
            })
        );
    }

    /// Docker 20.10.24's errors for the same lines (`docker commit -c LINE c`).
    #[test]
    fn errors_are_dockerds() {
        let cases = [
            ("ENV", "ENV requires at least one argument"),
            ("RUN echo", "run is not a valid change command"),
            ("FROM x", "from is not a valid change command"),
            ("STOPSIGNAL 9", "stopsignal is not a valid change command"),
            ("EXPOSE abc", "Invalid containerPort: abc"),
            ("EXPOSE 80/xyz", "Invalid proto: xyz"),
            ("ENV =x", "ENV names can not be blank"),
            ("ENV a", "ENV must have two arguments"),
            ("LABEL a", "LABEL must have two arguments"),
            ("VOLUME", "VOLUME requires at least one argument"),
            ("WORKDIR", "WORKDIR requires exactly one argument"),
            ("USER", "USER requires exactly one argument"),
            ("ONBUILD", "ONBUILD requires at least one argument"),
            (
                "ONBUILD ONBUILD x",
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            ("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
            (
                "ENV A=1 B",
                r#"Syntax error - can't find = in "B". Must be of the form: name=value"#,
            ),
            ("", "file with no instructions"),
            ("   ", "file with no instructions"),
            (
                r#"CMD ["a", 1]"#,
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            (
                "ENV A=${X:?oops}",
                r#"failed to process "${X:?oops}": X: oops"#,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(on_container(&[line]).unwrap_err(), want, "{line:?}");
        }
        // Every line is checked before any is parsed.
        assert_eq!(
            on_container(&["ENV", "RUN x"]).unwrap_err(),
            "run is not a valid change command"
        );
        // No changes at all change nothing.
        assert_eq!(apply_to(&container(), &[]).unwrap(), container());
    }

    #[test]
    fn import_expands_against_an_empty_environment() {
        // `docker import -c 'ENV A=$X B=${Y:-d}'` on Docker 20.10.24.
        let c = ch(&["ENV A=$X B=${Y:-d}"]).unwrap();
        assert_eq!(c.env.unwrap(), lines(&["A=", "B=d"]));
        assert_eq!(ch(&["WORKDIR rel"]).unwrap().working_dir, "/rel");
        let c = ch(&["ENTRYPOINT [\"a\"]", "ENV X y z"]).unwrap();
        assert_eq!(c.cmd, None);
        assert_eq!(c.env, Some(vec!["X=y z".to_string()]));
        assert_eq!(workdir("/app", "../x/./y"), "/x/y");
    }
}
