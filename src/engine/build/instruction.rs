//! Typed instructions from parsed nodes, as BuildKit's `frontend/dockerfile/instructions`
//! (the version moby 20.10 vendors): arity checks, `--flag` parsing (`BFlags`), stages, and the
//! errors Docker words as `dockerfile parse error line N: …`.
//!
//! Values that Docker expands (`ENV`, `LABEL`, `COPY` …) stay unexpanded here: expansion needs
//! the build's environment at that step, so [`super::dispatch`] does it.

use std::collections::BTreeMap;

use super::parser::{Dockerfile, Node};

/// A command line as `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdLine {
    pub args: Vec<String>,
    /// Shell form: run through the stage's `SHELL` (default `/bin/sh -c`).
    pub prepend_shell: bool,
}

/// `COPY`/`ADD`'s sources, destination and flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySpec {
    pub srcs: Vec<String>,
    pub dest: String,
    pub chown: String,
    pub chmod: String,
    /// `--from` (COPY only).
    pub from: String,
}

/// A `HEALTHCHECK`: the test and the options as given (zero when not given; Docker applies
/// its defaults only at run time). Durations in nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub retries: i64,
}

/// One instruction inside a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    Maintainer(String),
    Add(CopySpec),
    Copy(CopySpec),
    Onbuild(String),
    Workdir(String),
    Run {
        cmd: CmdLine,
        flags_used: Vec<String>,
    },
    Cmd(CmdLine),
    Entrypoint(CmdLine),
    Healthcheck(Health),
    Expose(Vec<String>),
    User(String),
    Volume(Vec<String>),
    StopSignal(String),
    Arg {
        key: String,
        value: Option<String>,
    },
    Shell(Vec<String>),
}

/// An instruction with its source text (the `Step N/M :` text) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub inst: Instruction,
    pub code: String,
    pub line: usize,
    /// `--label` steps are added by the builder and never expanded.
    pub no_expand: bool,
}

/// A build stage: `FROM base [AS name]` and its commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub base: String,
    /// Lower-cased; empty when unnamed.
    pub name: String,
    pub code: String,
    pub platform: String,
    pub commands: Vec<Command>,
}

/// An instruction that does not make sense, as Docker words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstructionError {
    #[error("dockerfile parse error line {line}: {message}")]
    Parse { line: usize, message: String },
    #[error("no build stage in current context")]
    NoStage,
}

fn at_least_one(cmd: &str) -> String {
    format!("{cmd} requires at least one argument")
}
fn exactly_one(cmd: &str) -> String {
    format!("{cmd} requires exactly one argument")
}

/// BuildKit's `BFlags`: the flags an instruction knows, parsed from its `--name=value` words.
struct Flags<'a> {
    given: &'a [String],
    values: BTreeMap<&'static str, String>,
    used: Vec<String>,
}

impl<'a> Flags<'a> {
    fn new(given: &'a [String]) -> Self {
        Flags {
            given,
            values: BTreeMap::new(),
            used: Vec::new(),
        }
    }

    /// Parses the given flags against the (string-valued) flags the instruction knows; the
    /// classic builder's instructions have no boolean flags.
    fn parse(&mut self, known: &[&'static str]) -> Result<(), String> {
        for arg in self.given {
            let Some(body) = arg.strip_prefix("--") else {
                return Err(format!("arg should start with -- : {arg}"));
            };
            if body.is_empty() {
                return Ok(());
            }
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let Some(key) = known.iter().find(|k| **k == name) else {
                return Err(format!("unknown flag: {name}"));
            };
            if self.values.contains_key(key) {
                return Err(format!("duplicate flag specified: {name}"));
            }
            let Some(v) = value else {
                return Err(format!("missing a value on flag: {name}"));
            };
            self.values.insert(key, v.to_string());
            self.used.push(key.to_string());
        }
        Ok(())
    }

    fn get(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

fn cmd_line(node: &Node) -> CmdLine {
    let args = if node.args.is_empty() {
        Vec::new()
    } else if node.json {
        node.args.clone()
    } else {
        vec![node.args.join(" ")]
    };
    CmdLine {
        args,
        prepend_shell: !node.json,
    }
}

fn pairs(args: &[String], cmd: &str) -> Result<Vec<(String, String)>, String> {
    if args.is_empty() {
        return Err(at_least_one(cmd));
    }
    if !args.len().is_multiple_of(2) {
        return Err(format!("Bad input to {cmd}, too many arguments"));
    }
    let mut out = Vec::new();
    for kv in args.chunks(2) {
        if kv[0].is_empty() {
            return Err(format!("{cmd} names can not be blank"));
        }
        out.push((kv[0].clone(), kv[1].clone()));
    }
    Ok(out)
}

fn copy_spec(node: &Node, cmd: &str, from: bool) -> Result<CopySpec, String> {
    if node.args.len() < 2 {
        return Err(format!(
            "{cmd} requires at least two arguments, but only one was provided. Destination could not be determined"
        ));
    }
    let mut f = Flags::new(&node.flags);
    let mut known = vec!["chown", "chmod"];
    if from {
        known.push("from");
    }
    f.parse(&known)?;
    let (dest, srcs) = node.args.split_last().unwrap_or((&node.args[0], &[]));
    Ok(CopySpec {
        srcs: srcs.to_vec(),
        dest: dest.clone(),
        chown: f.get("chown"),
        chmod: f.get("chmod"),
        from: f.get("from"),
    })
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_go_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration \"{s}\"");
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." {
            return Err(bad());
        }
        let v: f64 = num.parse().map_err(|_| bad())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let mult: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration \"{s}\"")),
            u => return Err(format!("time: unknown unit \"{u}\" in duration \"{s}\"")),
        };
        total += v * mult;
    }
    let n = total.round() as i64;
    Ok(if neg { -n } else { n })
}

fn healthcheck(node: &Node) -> Result<Health, String> {
    let Some(first) = node.args.first() else {
        return Err(at_least_one("HEALTHCHECK"));
    };
    let typ = first.to_uppercase();
    let rest = &node.args[1..];
    if typ == "NONE" {
        if !rest.is_empty() {
            return Err("HEALTHCHECK NONE takes no arguments".into());
        }
        return Ok(Health {
            test: vec!["NONE".into()],
            interval: 0,
            timeout: 0,
            start_period: 0,
            retries: 0,
        });
    }
    let mut f = Flags::new(&node.flags);
    f.parse(&["interval", "timeout", "start-period", "retries"])?;
    let test = match typ.as_str() {
        "CMD" => {
            let line = if rest.is_empty() {
                Vec::new()
            } else if node.json {
                rest.to_vec()
            } else {
                vec![rest.join(" ")]
            };
            if line.is_empty() {
                return Err("Missing command after HEALTHCHECK CMD".into());
            }
            let kind = if node.json { "CMD" } else { "CMD-SHELL" };
            let mut t = vec![kind.to_string()];
            t.extend(line);
            t
        }
        _ => return Err(format!("Unknown type \"{typ}\" in HEALTHCHECK (try CMD)")),
    };
    let interval = |name: &str| -> Result<i64, String> {
        let v = f.get(name);
        if v.is_empty() {
            return Ok(0);
        }
        let d = parse_go_duration(&v)?;
        if d == 0 {
            return Ok(0);
        }
        if d < 1_000_000 {
            return Err(format!("Interval \"{name}\" cannot be less than 1ms"));
        }
        Ok(d)
    };
    let retries = match f.get("retries") {
        v if v.is_empty() => 0,
        v => {
            let n: i64 = v
                .parse()
                .map_err(|_| format!("strconv.ParseInt: parsing \"{v}\": invalid syntax"))?;
            if n < 1 {
                return Err(format!("--retries must be at least 1 (not {n})"));
            }
            n
        }
    };
    Ok(Health {
        test,
        interval: interval("interval")?,
        timeout: interval("timeout")?,
        start_period: interval("start-period")?,
        retries,
    })
}

/// A stage name must be lower case, start with a letter, and hold only `a-z0-9-_.`.
fn valid_stage_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// What one node is: a stage start, or a command.
pub enum Parsed {
    Stage(Stage),
    Command(Command),
}

/// BuildKit's `ParseInstruction` (errors without the line; [`parse`] adds it).
pub fn parse_instruction(node: &Node) -> Result<Parsed, String> {
    let code = node.original.trim().to_string();
    let no_flags = |node: &Node| Flags::new(&node.flags).parse(&[]);
    let inst = match node.cmd.as_str() {
        "env" => {
            no_flags(node)?;
            Instruction::Env(pairs(&node.args, "ENV")?)
        }
        "maintainer" => {
            if node.args.len() != 1 {
                return Err(exactly_one("MAINTAINER"));
            }
            no_flags(node)?;
            Instruction::Maintainer(node.args[0].clone())
        }
        "label" => {
            no_flags(node)?;
            Instruction::Label(pairs(&node.args, "LABEL")?)
        }
        "add" => Instruction::Add(copy_spec(node, "ADD", false)?),
        "copy" => Instruction::Copy(copy_spec(node, "COPY", true)?),
        "from" => {
            let args = &node.args;
            let name = match args.len() {
                3 if args[1].eq_ignore_ascii_case("as") => {
                    let n = args[2].to_lowercase();
                    if !valid_stage_name(&n) {
                        return Err(format!(
                            "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                            args[2]
                        ));
                    }
                    n
                }
                1 => String::new(),
                _ => return Err("FROM requires either one or three arguments".into()),
            };
            let mut f = Flags::new(&node.flags);
            f.parse(&["platform"])?;
            return Ok(Parsed::Stage(Stage {
                base: args[0].clone(),
                name,
                code,
                platform: f.get("platform"),
                commands: Vec::new(),
            }));
        }
        "onbuild" => {
            let Some(first) = node.args.first() else {
                return Err(at_least_one("ONBUILD"));
            };
            no_flags(node)?;
            let trigger = first.trim().to_uppercase();
            match trigger.as_str() {
                "ONBUILD" => {
                    return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into());
                }
                "MAINTAINER" | "FROM" => {
                    return Err(format!("{trigger} isn't allowed as an ONBUILD trigger"));
                }
                _ => {}
            }
            // The expression is the line without its `ONBUILD` word.
            let orig = node.original.trim_start();
            let expr = orig
                .get(7..)
                .filter(|_| orig.len() >= 7 && orig[..7].eq_ignore_ascii_case("onbuild"))
                .unwrap_or(orig)
                .trim_start()
                .to_string();
            Instruction::Onbuild(expr)
        }
        "workdir" => {
            if node.args.len() != 1 {
                return Err(exactly_one("WORKDIR"));
            }
            no_flags(node)?;
            Instruction::Workdir(node.args[0].clone())
        }
        "run" => {
            let mut f = Flags::new(&node.flags);
            f.parse(&["mount", "network", "security"])?;
            Instruction::Run {
                cmd: cmd_line(node),
                flags_used: f.used,
            }
        }
        "cmd" => {
            no_flags(node)?;
            Instruction::Cmd(cmd_line(node))
        }
        "entrypoint" => {
            no_flags(node)?;
            Instruction::Entrypoint(cmd_line(node))
        }
        "healthcheck" => Instruction::Healthcheck(healthcheck(node)?),
        "expose" => {
            if node.args.is_empty() {
                return Err(at_least_one("EXPOSE"));
            }
            no_flags(node)?;
            let mut ports = node.args.clone();
            ports.sort();
            Instruction::Expose(ports)
        }
        "user" => {
            if node.args.len() != 1 {
                return Err(exactly_one("USER"));
            }
            no_flags(node)?;
            Instruction::User(node.args[0].clone())
        }
        "volume" => {
            if node.args.is_empty() {
                return Err(at_least_one("VOLUME"));
            }
            no_flags(node)?;
            let mut v = Vec::new();
            for a in &node.args {
                let a = a.trim();
                if a.is_empty() {
                    return Err("VOLUME specified can not be an empty string".into());
                }
                v.push(a.to_string());
            }
            Instruction::Volume(v)
        }
        "stopsignal" => {
            if node.args.len() != 1 {
                return Err(exactly_one("STOPSIGNAL"));
            }
            Instruction::StopSignal(node.args[0].clone())
        }
        "arg" => {
            if node.args.len() != 1 {
                return Err(exactly_one("ARG"));
            }
            no_flags(node)?;
            let a = &node.args[0];
            match a.split_once('=') {
                Some(("", _)) => return Err("ARG names can not be blank".into()),
                Some((k, v)) => Instruction::Arg {
                    key: k.to_string(),
                    value: Some(v.to_string()),
                },
                None => Instruction::Arg {
                    key: a.clone(),
                    value: None,
                },
            }
        }
        "shell" => {
            no_flags(node)?;
            let line = cmd_line(node);
            if line.args.is_empty() {
                return Err(at_least_one("SHELL"));
            }
            if !node.json {
                return Err("SHELL requires the arguments to be in JSON form".into());
            }
            Instruction::Shell(line.args)
        }
        other => return Err(format!("unknown instruction: {}", other.to_uppercase())),
    };
    Ok(Parsed::Command(Command {
        inst,
        code,
        line: node.start_line,
        no_expand: false,
    }))
}

/// BuildKit's `instructions.Parse`: the stages, and the `ARG`s before the first `FROM`.
pub fn parse(df: &Dockerfile) -> Result<(Vec<Stage>, Vec<Command>), InstructionError> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut meta = Vec::new();
    for node in &df.nodes {
        let parsed = parse_instruction(node).map_err(|message| InstructionError::Parse {
            line: node.start_line,
            message,
        })?;
        match parsed {
            Parsed::Stage(s) => stages.push(s),
            Parsed::Command(c) => match stages.last_mut() {
                Some(s) => s.commands.push(c),
                None if matches!(c.inst, Instruction::Arg { .. }) => meta.push(c),
                None => return Err(InstructionError::NoStage),
            },
        }
    }
    Ok((stages, meta))
}

#[cfg(test)]
mod tests {
    use super::super::parser;
    use super::*;

    fn inst(line: &str) -> Result<Instruction, String> {
        let df = parser::parse(&format!("FROM a\n{line}")).map_err(|e| e.to_string())?;
        let (mut stages, _) = parse(&df).map_err(|e| e.to_string())?;
        Ok(stages.remove(0).commands.remove(0).inst)
    }

    fn err(line: &str) -> String {
        inst(line).unwrap_err()
    }

    #[test]
    fn every_instruction_parses() {
        let sh = |s: &str| CmdLine {
            args: vec![s.to_string()],
            prepend_shell: true,
        };
        assert_eq!(
            inst("RUN echo hi").unwrap(),
            Instruction::Run {
                cmd: sh("echo hi"),
                flags_used: vec![]
            }
        );
        assert_eq!(
            inst(r#"CMD ["a","b"]"#).unwrap(),
            Instruction::Cmd(CmdLine {
                args: vec!["a".into(), "b".into()],
                prepend_shell: false
            })
        );
        assert_eq!(
            inst("ENTRYPOINT top -b").unwrap(),
            Instruction::Entrypoint(sh("top -b"))
        );
        assert_eq!(
            inst("ENV A=1 B=2").unwrap(),
            Instruction::Env(vec![("A".into(), "1".into()), ("B".into(), "2".into())])
        );
        assert_eq!(
            inst("LABEL a=b").unwrap(),
            Instruction::Label(vec![("a".into(), "b".into())])
        );
        assert_eq!(
            inst("MAINTAINER me").unwrap(),
            Instruction::Maintainer("me".into())
        );
        assert_eq!(
            inst("COPY --from=0 --chown=1:1 a /b").unwrap(),
            Instruction::Copy(CopySpec {
                srcs: vec!["a".into()],
                dest: "/b".into(),
                chown: "1:1".into(),
                chmod: String::new(),
                from: "0".into()
            })
        );
        assert!(matches!(inst("ADD a.tar /").unwrap(), Instruction::Add(_)));
        assert_eq!(
            inst("ONBUILD RUN make").unwrap(),
            Instruction::Onbuild("RUN make".into())
        );
        assert_eq!(
            inst("WORKDIR /app").unwrap(),
            Instruction::Workdir("/app".into())
        );
        assert_eq!(
            inst("EXPOSE 80 443 22").unwrap(),
            Instruction::Expose(vec!["22".into(), "443".into(), "80".into()])
        );
        assert_eq!(
            inst("USER nginx").unwrap(),
            Instruction::User("nginx".into())
        );
        assert_eq!(
            inst("VOLUME /a /b").unwrap(),
            Instruction::Volume(vec!["/a".into(), "/b".into()])
        );
        assert_eq!(
            inst(r#"VOLUME ["/data"]"#).unwrap(),
            Instruction::Volume(vec!["/data".into()])
        );
        assert_eq!(
            inst("STOPSIGNAL SIGQUIT").unwrap(),
            Instruction::StopSignal("SIGQUIT".into())
        );
        assert_eq!(
            inst("ARG V=1").unwrap(),
            Instruction::Arg {
                key: "V".into(),
                value: Some("1".into())
            }
        );
        assert_eq!(
            inst(r#"SHELL ["/bin/bash", "-c"]"#).unwrap(),
            Instruction::Shell(vec!["/bin/bash".into(), "-c".into()])
        );
        assert_eq!(
            inst("HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/ || exit 1")
                .unwrap(),
            Instruction::Healthcheck(Health {
                test: vec![
                    "CMD-SHELL".into(),
                    "curl -f http://localhost/ || exit 1".into()
                ],
                interval: 300_000_000_000,
                timeout: 3_000_000_000,
                start_period: 0,
                retries: 0
            })
        );
        assert_eq!(
            inst("HEALTHCHECK NONE").unwrap(),
            Instruction::Healthcheck(Health {
                test: vec!["NONE".into()],
                interval: 0,
                timeout: 0,
                start_period: 0,
                retries: 0
            })
        );
    }

    #[test]
    fn docker_parse_errors() {
        let cases = [
            (
                "FOO bar",
                "dockerfile parse error line 2: unknown instruction: FOO",
            ),
            (
                "WORKDIR",
                "dockerfile parse error line 2: WORKDIR requires exactly one argument",
            ),
            (
                "ENV",
                "dockerfile parse error line 2: ENV requires at least one argument",
            ),
            (
                "COPY a",
                "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "FROM a b",
                "dockerfile parse error line 2: FROM requires either one or three arguments",
            ),
            (
                "FROM a AS 1st",
                "dockerfile parse error line 2: invalid name for build stage: \"1st\", name can't start with a number or contain symbols",
            ),
            (
                "ONBUILD ONBUILD RUN x",
                "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            (
                "ONBUILD FROM x",
                "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger",
            ),
            (
                "ONBUILD MAINTAINER x",
                "dockerfile parse error line 2: MAINTAINER isn't allowed as an ONBUILD trigger",
            ),
            (
                "SHELL /bin/bash",
                "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form",
            ),
            (
                "HEALTHCHECK NONE x",
                "dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments",
            ),
            (
                "HEALTHCHECK FOO x",
                "dockerfile parse error line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
            ),
            (
                "HEALTHCHECK CMD",
                "dockerfile parse error line 2: Missing command after HEALTHCHECK CMD",
            ),
            (
                "HEALTHCHECK --retries=0 CMD x",
                "dockerfile parse error line 2: --retries must be at least 1 (not 0)",
            ),
            (
                "HEALTHCHECK --interval=1us CMD x",
                "dockerfile parse error line 2: Interval \"interval\" cannot be less than 1ms",
            ),
            (
                "VOLUME [\"\"]",
                "dockerfile parse error line 2: VOLUME specified can not be an empty string",
            ),
            (
                "ARG a b",
                "dockerfile parse error line 2: ARG requires exactly one argument",
            ),
            (
                "ARG =x",
                "dockerfile parse error line 2: ARG names can not be blank",
            ),
            (
                "COPY --foo=1 a b",
                "dockerfile parse error line 2: unknown flag: foo",
            ),
            (
                "COPY --from a b",
                "dockerfile parse error line 2: missing a value on flag: from",
            ),
            (
                "ENV --x=1 A=b",
                "dockerfile parse error line 2: unknown flag: x",
            ),
            (
                "MAINTAINER",
                "dockerfile parse error line 2: MAINTAINER requires exactly one argument",
            ),
            (
                "EXPOSE",
                "dockerfile parse error line 2: EXPOSE requires at least one argument",
            ),
            (
                "STOPSIGNAL",
                "dockerfile parse error line 2: STOPSIGNAL requires exactly one argument",
            ),
            (
                "USER",
                "dockerfile parse error line 2: USER requires exactly one argument",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(err(line), want, "{line}");
        }
    }

    #[test]
    fn stages_and_meta_args() {
        let df = parser::parse(
            "ARG V=1\nFROM alpine:$V AS Build\nRUN x\nFROM scratch\nCOPY --from=build /a /a\n",
        )
        .unwrap();
        let (stages, meta) = parse(&df).unwrap();
        assert_eq!(meta.len(), 1);
        assert_eq!(stages.len(), 2);
        assert_eq!(stages[0].name, "build");
        assert_eq!(stages[0].code, "FROM alpine:$V AS Build");
        assert_eq!(stages[1].commands.len(), 1);
        let df = parser::parse("RUN x\nFROM a").unwrap();
        assert_eq!(
            parse(&df).unwrap_err().to_string(),
            "no build stage in current context"
        );
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_go_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(
            parse_go_duration("x"),
            Err("time: invalid duration \"x\"".into())
        );
        assert_eq!(
            parse_go_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
    }
}
