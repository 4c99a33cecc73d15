//! Docker's command-line grammar: a table of commands with their flags, and a parser with the
//! semantics and error texts of spf13/pflag as docker/cli configures it.
//!
//! Why not clap (DESIGN.md names it): learners compare error output with Docker's, and pflag's
//! texts (`unknown shorthand flag: 'r' in -rm`, `flag needs an argument: 'f' in -f`,
//! `invalid argument "x" for "-a, --all" flag: strconv.ParseBool: …`), its `--bool=false` and
//! interspersed-argument rules, and Docker's help layout cannot be had from clap without
//! re-implementing its error and help rendering anyway. The table below is also what the shell's
//! completion reads, so there is one definition of the CLI.

use std::collections::BTreeMap;

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    /// A string (`--format string`).
    Str,
    /// A repeatable string (`--filter filter`).
    List,
    /// An integer (`--limit int`).
    Int,
}

/// One flag of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// The type word in help (`string`, `filter`, `int`); empty for booleans.
    pub value_name: &'static str,
    pub help: &'static str,
    /// Shown as `(default …)` in help.
    pub default: Option<&'static str>,
    pub hidden: bool,
}

/// How many positional arguments a command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
    None,
    Any,
}

/// One command: `docker images`, `docker image ls` …
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// The words after `docker` (`images`, `image ls`).
    pub path: &'static str,
    /// Usage line after `Usage:  ` without the leading `docker ` path (e.g. `[OPTIONS] [REPOSITORY[:TAG]]`).
    pub usage: &'static str,
    pub short: &'static str,
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    pub flags: &'static [Flag],
    /// Flags stop at the first positional argument (`docker run IMAGE ls -la`).
    pub stop_at_first_arg: bool,
}

/// The result of parsing.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
    pub help: bool,
}

impl Parsed {
    /// A boolean flag's value (its default when absent).
    pub fn bool(&self, long: &str) -> bool {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v == "true")
    }
    /// Whether the flag was given at all.
    pub fn given(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
    /// A string flag's last value.
    pub fn str(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    /// Every value of a repeatable flag.
    pub fn list(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    /// An integer flag's value, if given.
    pub fn int(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|s| s.parse().ok())
    }
}

/// A flag error; rendered as the message, then `See 'docker … --help'.`, exit 125.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError(pub String);

fn flag_label(f: &Flag) -> String {
    match f.short {
        Some(s) => format!("-{s}, --{}", f.long),
        None => format!("--{}", f.long),
    }
}

/// Go's `strconv.ParseBool` accepted spellings.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Checks and stores one flag value.
fn set(p: &mut Parsed, f: &Flag, value: &str) -> Result<(), FlagError> {
    let v = match f.kind {
        Kind::Bool => match parse_bool(value) {
            Some(b) => b.to_string(),
            None => {
                return Err(FlagError(format!(
                    "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax",
                    flag_label(f)
                )));
            }
        },
        Kind::Int => {
            if value.parse::<i64>().is_err() {
                let why = if value
                    .trim_start_matches(['-', '+'])
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    && !value.trim_start_matches(['-', '+']).is_empty()
                {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                return Err(FlagError(format!(
                    "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseInt: parsing \"{value}\": {why}",
                    flag_label(f)
                )));
            }
            value.to_string()
        }
        Kind::List if f.long == "filter" && !value.contains('=') => {
            return Err(FlagError(format!(
                "invalid argument \"{value}\" for \"{}\" flag: bad format of filter (expected name=value)",
                flag_label(f)
            )));
        }
        _ => value.to_string(),
    };
    p.values.entry(f.long).or_default().push(v);
    Ok(())
}

/// Parses `args` (the words after the command path) for `cmd`.
pub fn parse(cmd: &Command, args: &[String]) -> Result<Parsed, FlagError> {
    let mut p = Parsed::default();
    let mut i = 0;
    let find_long = |name: &str| cmd.flags.iter().find(|f| f.long == name);
    let find_short = |c: char| cmd.flags.iter().find(|f| f.short == Some(c));
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--")
            && !body.is_empty()
        {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            if name == "help" {
                p.help = true;
                continue;
            }
            let Some(f) = find_long(name) else {
                return Err(FlagError(format!("unknown flag: --{name}")));
            };
            match (f.kind, inline) {
                (_, Some(v)) => set(&mut p, f, v)?,
                (Kind::Bool, None) => set(&mut p, f, "true")?,
                (_, None) => {
                    if i < args.len() {
                        let v = args[i].clone();
                        i += 1;
                        set(&mut p, f, &v)?;
                    } else {
                        return Err(FlagError(format!("flag needs an argument: --{name}")));
                    }
                }
            }
            continue;
        }
        if let Some(body) = a.strip_prefix('-')
            && !body.is_empty()
        {
            let chars: Vec<char> = body.chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                k += 1;
                if c == 'h' && find_short('h').is_none() {
                    p.help = true;
                    continue;
                }
                let Some(f) = find_short(c) else {
                    return Err(FlagError(format!(
                        "unknown shorthand flag: '{c}' in -{body}"
                    )));
                };
                let rest: String = chars[k..].iter().collect();
                if f.kind == Kind::Bool {
                    if let Some(v) = rest.strip_prefix('=') {
                        set(&mut p, f, v)?;
                        break;
                    }
                    set(&mut p, f, "true")?;
                    continue;
                }
                if let Some(v) = rest.strip_prefix('=') {
                    set(&mut p, f, v)?;
                } else if !rest.is_empty() {
                    set(&mut p, f, &rest)?;
                } else if i < args.len() {
                    let v = args[i].clone();
                    i += 1;
                    set(&mut p, f, &v)?;
                } else {
                    return Err(FlagError(format!(
                        "flag needs an argument: '{c}' in -{body}"
                    )));
                }
                break;
            }
            continue;
        }
        p.args.push(a.clone());
        if cmd.stop_at_first_arg {
            p.args.extend(args[i..].iter().cloned());
            break;
        }
    }
    Ok(p)
}

/// Docker's help text for a command (printed on stdout for `--help`).
pub fn help(cmd: &Command) -> String {
    let mut s = format!(
        "\nUsage:  docker {} {}\n\n{}\n",
        cmd.path, cmd.usage, cmd.short
    );
    if !cmd.aliases.is_empty() {
        s.push_str(&format!("\nAliases:\n  {}\n", cmd.aliases.join(", ")));
    }
    let flags: Vec<&Flag> = cmd.flags.iter().filter(|f| !f.hidden).collect();
    if !flags.is_empty() {
        s.push_str("\nOptions:\n");
        let lefts: Vec<String> = flags
            .iter()
            .map(|f| {
                let short = match f.short {
                    Some(c) => format!("  -{c}, "),
                    None => "      ".to_string(),
                };
                let vn = if f.value_name.is_empty() {
                    String::new()
                } else {
                    format!(" {}", f.value_name)
                };
                format!("{short}--{}{vn}", f.long)
            })
            .collect();
        let width = lefts.iter().map(|l| l.len()).max().unwrap_or(0);
        for (f, left) in flags.iter().zip(&lefts) {
            let mut text = f.help.to_string();
            if let Some(d) = f.default {
                text.push_str(&format!(" (default {d})"));
            }
            s.push_str(&format!(
                "{left:<width$}   {}\n",
                pflag_wrap(width + 3, 78, &text)
            ));
        }
    }
    s
}

/// pflag's `wrap`: usage text wrapped for a `cols`-wide terminal with the text at column `i`,
/// allowing 5 columns of slack to avoid orphan words (docker/cli passes 80 - 1 off a terminal).
fn pflag_wrap(i: usize, cols: usize, text: &str) -> String {
    let mut wrap = cols.saturating_sub(i);
    let mut indent = i;
    let mut out = String::new();
    if wrap < 24 {
        indent = 16;
        wrap = cols.saturating_sub(indent);
        out.push('\n');
        out.push_str(&" ".repeat(indent - 1));
    }
    if wrap < 24 {
        return format!("{out}{text}");
    }
    let slack = 5;
    let wrap = wrap - slack;
    let split = |s: &str| -> (String, String) {
        if wrap + slack >= s.len() {
            return (s.to_string(), String::new());
        }
        match s.get(..=wrap).and_then(|h| h.rfind([' ', '\t', '\n'])) {
            Some(w) if w > 0 => (s[..w].to_string(), s[w + 1..].to_string()),
            _ => (s.to_string(), String::new()),
        }
    };
    let (first, mut rest) = split(text);
    out.push_str(&first);
    while !rest.is_empty() {
        let (t, r) = split(&rest);
        out.push('\n');
        out.push_str(&" ".repeat(indent));
        out.push_str(&t);
        rest = r;
    }
    out
}

/// The argument-count error (exit 1), or `None` when the count fits.
pub fn check_arity(cmd: &Command, n: usize) -> Option<String> {
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    let msg = match cmd.arity {
        Arity::Exactly(k) if n != k => format!("requires exactly {k} {}.", plural(k)),
        Arity::AtLeast(k) if n < k => format!("requires at least {k} {}.", plural(k)),
        Arity::AtMost(k) if n > k => format!("requires at most {k} {}.", plural(k)),
        Arity::None if n > 0 => "accepts no arguments.".to_string(),
        _ => return None,
    };
    Some(format!(
        "\"docker {}\" {msg}\nSee 'docker {} --help'.\n\nUsage:  docker {} {}\n\n{}\n",
        cmd.path, cmd.path, cmd.path, cmd.usage, cmd.short
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag {
            long: "all",
            short: Some('a'),
            kind: Kind::Bool,
            value_name: "",
            help: "Show all",
            default: None,
            hidden: false,
        },
        Flag {
            long: "quiet",
            short: Some('q'),
            kind: Kind::Bool,
            value_name: "",
            help: "Quiet",
            default: None,
            hidden: false,
        },
        Flag {
            long: "filter",
            short: Some('f'),
            kind: Kind::List,
            value_name: "filter",
            help: "Filter",
            default: None,
            hidden: false,
        },
        Flag {
            long: "format",
            short: None,
            kind: Kind::Str,
            value_name: "string",
            help: "Format",
            default: None,
            hidden: false,
        },
        Flag {
            long: "limit",
            short: None,
            kind: Kind::Int,
            value_name: "int",
            help: "Limit",
            default: Some("25"),
            hidden: false,
        },
    ];
    const CMD: Command = Command {
        path: "images",
        usage: "[OPTIONS] [REPOSITORY[:TAG]]",
        short: "List images",
        aliases: &[],
        arity: Arity::AtMost(1),
        flags: FLAGS,
        stop_at_first_arg: false,
    };

    fn p(args: &[&str]) -> Result<Parsed, FlagError> {
        parse(
            &CMD,
            &args.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn combined_shorts_values_and_interspersed_args() {
        let r = p(&[
            "-aq",
            "ubuntu",
            "-f",
            "dangling=true",
            "--filter=label=a",
            "--format",
            "{{.ID}}",
        ])
        .unwrap();
        assert!(r.bool("all") && r.bool("quiet"));
        assert_eq!(r.args, ["ubuntu"]);
        assert_eq!(r.list("filter"), ["dangling=true", "label=a"]);
        assert_eq!(r.str("format"), Some("{{.ID}}"));
        let r = p(&["-fdangling=true", "--all=false"]).unwrap();
        assert_eq!(r.list("filter"), ["dangling=true"]);
        assert!(!r.bool("all"));
    }

    #[test]
    fn pflag_error_texts() {
        let e = |a: &[&str]| p(a).unwrap_err().0;
        assert_eq!(e(&["--foo"]), "unknown flag: --foo");
        assert_eq!(e(&["-xq"]), "unknown shorthand flag: 'x' in -xq");
        assert_eq!(e(&["--format"]), "flag needs an argument: --format");
        assert_eq!(e(&["-f"]), "flag needs an argument: 'f' in -f");
        assert_eq!(
            e(&["--limit", "abc"]),
            "invalid argument \"abc\" for \"--limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            e(&["-a=x"]),
            "invalid argument \"x\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            e(&["-f", "x"]),
            "invalid argument \"x\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
        );
    }

    #[test]
    fn double_dash_ends_flags() {
        let r = p(&["--", "-a"]).unwrap();
        assert_eq!(r.args, ["-a"]);
        assert!(!r.bool("all"));
    }

    #[test]
    fn arity_messages() {
        assert_eq!(check_arity(&CMD, 1), None);
        let m = check_arity(&CMD, 2).unwrap();
        assert!(m.starts_with("\"docker images\" requires at most 1 argument.\nSee 'docker images --help'.\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nList images\n"));
    }

    /// Regression: wrap points recorded from Docker 20.10.24's `--help` (off a terminal). The
    /// break may fall on the space just past the wrap column, and the width is 78.
    #[test]
    fn help_wraps_where_docker_does() {
        let w = |i, t| pflag_wrap(i, 78, t);
        assert_eq!(
            w(29, "Username or UID (format: <name|uid>[:<group|gid>])"),
            format!(
                "Username or UID (format:\n{}<name|uid>[:<group|gid>])",
                " ".repeat(29)
            )
        );
        assert_eq!(
            w(32, "Always attempt to pull a newer version of the image"),
            format!(
                "Always attempt to pull a newer version of\n{}the image",
                " ".repeat(32)
            )
        );
        assert_eq!(
            w(24, "Show all images (default hides intermediate images)"),
            "Show all images (default hides intermediate images)"
        );
    }

    #[test]
    fn help_layout_matches_docker() {
        let h = help(&CMD);
        assert!(h.contains("  -f, --filter filter   Filter\n"), "{h}");
        assert!(
            h.contains("      --limit int       Limit (default 25)\n"),
            "{h}"
        );
    }
}
