//! The shell language, run end to end: pipes, redirections, here-documents, substitutions,
//! globbing, `&&`/`||`, `$?`, assignments, word splitting, and the statuses of unknown commands
//! (127) and syntax errors (2, nothing run).
//!
//! The real builtins are written elsewhere; these tests use a small command table of their own
//! (below) over a temporary root, through the shell's public interface only. Expected outputs
//! were checked against `bash -c` (GNU bash 5.2); where drydock differs on purpose the test says so.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use drydock::shell::fs::Root;
use drydock::shell::{CommandDef, Commands, Ctx, Shell, State, Stdio};

// ---- the test command table ----

fn echo(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let (newline, rest) = match args.get(1).map(String::as_str) {
        Some("-n") => (false, &args[2..]),
        _ => (true, &args[1..]),
    };
    let mut s = rest.join(" ");
    if newline {
        s.push('\n');
    }
    i32::from(ctx.io.stdout.write_all(s.as_bytes()).is_err())
}

fn cat(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut buf = Vec::new();
    if args.len() == 1 {
        if ctx.io.stdin.read_to_end(&mut buf).is_err() {
            return 1;
        }
        return i32::from(ctx.io.stdout.write_all(&buf).is_err());
    }
    let mut status = 0;
    for a in &args[1..] {
        match ctx
            .state
            .root
            .resolve(&ctx.state.cwd, a, true)
            .map_err(|e| e.to_string())
            .and_then(|p| std::fs::read(p).map_err(|e| e.to_string()))
        {
            Ok(b) => {
                let _ = ctx.io.stdout.write_all(&b);
            }
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "cat: {a}: {e}");
                status = 1;
            }
        }
    }
    status
}

fn true_(_: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    0
}

fn false_(_: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    1
}

/// `printf FORMAT ARGS…` with `%s`, `%d`, `\n`, `\t`; the format is reused while arguments remain.
fn printf(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(fmt) = args.get(1) else { return 1 };
    let mut rest = args[2..].iter();
    let mut out = String::new();
    loop {
        let mut used = false;
        let mut cs = fmt.chars();
        while let Some(c) = cs.next() {
            match c {
                '%' => match cs.next() {
                    Some('s') | Some('d') => {
                        used = true;
                        out.push_str(rest.next().map_or("", String::as_str));
                    }
                    Some('%') => out.push('%'),
                    Some(o) => {
                        out.push('%');
                        out.push(o);
                    }
                    None => out.push('%'),
                },
                '\\' => match cs.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => out.push('\\'),
                },
                c => out.push(c),
            }
        }
        if !used || rest.len() == 0 {
            break;
        }
    }
    i32::from(ctx.io.stdout.write_all(out.as_bytes()).is_err())
}

/// `seq N`: stops at the first failed write, as a real program dies of SIGPIPE.
fn seq(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let n: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
    for i in 1..=n {
        if writeln!(ctx.io.stdout, "{i}").is_err() {
            return 141;
        }
    }
    0
}

fn pwd(ctx: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    let _ = writeln!(ctx.io.stdout, "{}", ctx.state.cwd);
    0
}

fn env(ctx: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    for (k, v) in ctx.state.env() {
        let _ = writeln!(ctx.io.stdout, "{k}={v}");
    }
    0
}

/// `args A B…`: each argument in brackets, to see word splitting.
fn show_args(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let s: String = args[1..].iter().map(|a| format!("[{a}]")).collect();
    let _ = writeln!(ctx.io.stdout, "{s}");
    0
}

/// `head1`: copies one line of input, then stops reading.
fn head1(ctx: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while let Ok(1) = ctx.io.stdin.read(&mut b) {
        line.push(b[0]);
        if b[0] == b'\n' {
            break;
        }
    }
    let _ = ctx.io.stdout.write_all(&line);
    0
}

fn exit(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let code = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
    ctx.state.exit = Some(code);
    code
}

fn cd(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let to = args.get(1).cloned().unwrap_or_else(|| "/root".into());
    ctx.state.cwd = ctx.state.root.absolute(&ctx.state.cwd, &to);
    0
}

/// `tty`: which streams the command sees as a terminal.
fn tty(ctx: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    let _ = writeln!(
        ctx.io.stdout,
        "in={} out={}",
        ctx.io.stdin_tty, ctx.io.stdout_tty
    );
    0
}

/// `err MSG`: MSG on stderr, status 3.
fn err(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let _ = writeln!(ctx.io.stderr, "{}", args[1..].join(" "));
    3
}

/// `ctrlc`: presses Ctrl-C.
fn ctrlc(ctx: &mut Ctx<'_, '_>, _: &[String]) -> i32 {
    ctx.interrupted.store(true, Ordering::SeqCst);
    0
}

const TABLE: &[CommandDef] = &[
    def("args", show_args),
    def("cat", cat),
    def("cd", cd),
    def("ctrlc", ctrlc),
    def("echo", echo),
    def("env", env),
    def("err", err),
    def("exit", exit),
    def("false", false_),
    def("head1", head1),
    def("printf", printf),
    def("pwd", pwd),
    def("seq", seq),
    def("true", true_),
    def("tty", tty),
];

const fn def(name: &'static str, run: drydock::shell::CommandFn) -> CommandDef {
    CommandDef {
        name,
        summary: "",
        run,
    }
}

struct TestCommands;

impl Commands for TestCommands {
    fn find(&self, name: &str) -> Option<&CommandDef> {
        TABLE.iter().find(|c| c.name == name)
    }
    fn all(&self) -> Vec<&CommandDef> {
        TABLE.iter().collect()
    }
}

// ---- harness ----

struct T {
    dir: tempfile::TempDir,
    shell: Shell<'static>,
}

struct Out {
    stdout: String,
    stderr: String,
    status: i32,
}

impl T {
    fn new() -> T {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("root")).expect("mkdir root");
        let shell = Shell {
            state: State::host(Root::new(dir.path().to_path_buf())),
            commands: Arc::new(TestCommands),
            engine: None,
            interrupted: Arc::new(AtomicBool::new(false)),
        };
        T { dir, shell }
    }

    fn run_with(&mut self, src: &str, input: &str, tty: bool) -> Out {
        let mut stdin = input.as_bytes();
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let status = self.shell.run(
            src,
            Stdio {
                stdin: &mut stdin,
                stdout: &mut stdout,
                stderr: &mut stderr,
                stdin_tty: tty,
                stdout_tty: tty,
            },
        );
        Out {
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            status,
        }
    }

    fn run(&mut self, src: &str) -> Out {
        self.run_with(src, "", false)
    }

    /// Runs and expects success with no stderr; returns stdout.
    fn ok(&mut self, src: &str) -> String {
        let o = self.run(src);
        assert_eq!(
            (o.status, o.stderr.as_str()),
            (0, ""),
            "{src:?}: stdout {:?}",
            o.stdout
        );
        o.stdout
    }

    fn write(&self, path: &str, content: &str) {
        let p = self.dir.path().join(path.trim_start_matches('/'));
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, content).expect("write");
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path.trim_start_matches('/')))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Table: (source, expected stdout), each in a fresh shell, expecting status 0 and no stderr.
fn table(cases: &[(&str, &str)]) {
    for (src, want) in cases {
        let mut t = T::new();
        assert_eq!(t.ok(src), *want, "source: {src:?}");
    }
}

// ---- tests ----

#[test]
fn quoting_and_escapes() {
    table(&[
        ("echo hello   world", "hello world\n"),
        ("echo 'a   b'", "a   b\n"),
        ("echo \"a   b\"", "a   b\n"),
        ("echo a\\ \\ b", "a  b\n"),
        ("args '' \"\" x", "[][][x]\n"),
        // Inside double quotes `\` escapes only $ ` " \ and newline (POSIX).
        (r#"echo "\$x \` \" \\ \n""#, "$x ` \" \\ \\n\n"),
        (r"echo '\n'", "\\n\n"),
        ("echo a\\\nb", "ab\n"),
        ("echo \"a\\\nb\"", "ab\n"),
        ("echo 'it'\\''s'", "it's\n"),
        ("echo a#b # comment", "a#b\n"),
        ("# only a comment", ""),
        ("echo $ a$", "$ a$\n"),
    ]);
}

#[test]
fn parameters() {
    table(&[
        ("A=1; echo $A ${A} \"$A\"", "1 1 1\n"),
        ("echo [$UNSET]", "[]\n"),
        ("A=abc; echo ${#A}", "3\n"),
        ("echo ${U:-dflt} ${U-dflt2}", "dflt dflt2\n"),
        ("E=; echo [${E:-d}] [${E-d}]", "[d] []\n"),
        ("echo ${U:=set}; echo $U", "set\nset\n"),
        ("A=x; echo ${A:+alt} [${U:+alt}]", "alt []\n"),
        ("A=1 B=2; echo $A$B", "12\n"),
        ("echo $HOME ~ ~/x a~", "/root /root /root/x a~\n"),
        ("P=~/d; echo $P", "/root/d\n"),
        ("echo '~' \"~\"", "~ ~\n"),
        ("false; echo $?; true; echo $?", "1\n0\n"),
        ("echo $#", "0\n"),
        ("echo \"${U:-a b}\"", "a b\n"),
    ]);
    let mut t = T::new();
    assert!(t.ok("echo $$").trim().parse::<u32>().is_ok());
    let o = t.run("echo ${U:?is required}; echo after");
    assert_eq!(o.stderr, "drydock: U: is required\n");
    assert_eq!(o.stdout, "after\n");
}

#[test]
fn positional_parameters() {
    let mut t = T::new();
    t.shell.state.args = vec!["a".into(), "b c".into()];
    t.shell.state.name = "script.sh".into();
    assert_eq!(t.ok("echo $0 $# $1 $2 [$3]"), "script.sh 2 a b c []\n");
    assert_eq!(t.ok("args $@"), "[a][b][c]\n");
    assert_eq!(t.ok("args \"$@\""), "[a][b c]\n");
    assert_eq!(t.ok("args \"$*\""), "[a b c]\n");
    assert_eq!(t.ok("args x\"$@\"y"), "[xa][b cy]\n");
    t.shell.state.args.clear();
    assert_eq!(t.ok("args \"$@\" end"), "[end]\n");
}

#[test]
fn word_splitting() {
    table(&[
        ("A='a  b'; args $A \"$A\"", "[a][b][a  b]\n"),
        ("A=' lead trail '; args x${A}y", "[x][lead][trail][y]\n"),
        ("E=; args $E \"$E\"", "[]\n"),
        ("args $(printf 'a\\nb\\n')", "[a][b]\n"),
        ("args \"$(printf 'a\\nb\\n\\n')\"", "[a\nb]\n"),
        ("args `echo x y`", "[x][y]\n"),
        ("IFS=:; A=a:b; args $A", "[a][b]\n"),
        // An assignment's value is not split.
        ("A=$(echo 'x   y'); args \"$A\"", "[x   y]\n"),
    ]);
}

#[test]
fn command_substitution() {
    table(&[
        ("echo $(echo hi)", "hi\n"),
        ("echo \"$(echo \"a  b\")\"", "a  b\n"),
        ("echo $(echo $(echo nested))", "nested\n"),
        ("echo $(echo 'a)b' | cat)", "a)b\n"),
        ("echo `echo \\`echo deep\\``", "deep\n"),
        // Inside "`…`", `\"` loses its backslash before the inner command is parsed (bash too).
        ("echo \"`echo \\\"q\\\"`\"", "q\n"),
        ("echo `echo \\\"q\\\"`", "\"q\"\n"),
        ("echo x$(printf '\\n\\n')y", "xy\n"),
        // Substitutions run in a copy of the state: the assignment does not leak.
        ("A=1; echo $(A=2; echo $A) $A", "2 1\n"),
        ("A=$(false); echo $?", "1\n"),
        ("echo $(exit 3) $?", "3\n"),
        ("X=$(cat <<EOF\nin heredoc\nEOF\n); echo $X", "in heredoc\n"),
    ]);
}

#[test]
fn lists_and_status() {
    table(&[
        ("true && echo yes", "yes\n"),
        ("false && echo yes; true", ""),
        ("false || echo no", "no\n"),
        ("true || echo no", ""),
        ("false && echo a || echo b", "b\n"),
        ("false || false || echo third", "third\n"),
        ("true && false || echo recovered", "recovered\n"),
        ("echo a; echo b\necho c", "a\nb\nc\n"),
        ("true &&\n echo next", "next\n"),
        ("! false && echo negated", "negated\n"),
        ("! true; echo $?", "1\n"),
    ]);
    let mut t = T::new();
    assert_eq!(t.run("false").status, 1);
    assert_eq!(t.run("true; false").status, 1);
    assert_eq!(t.run("false; true").status, 0);
    // `$?` survives between runs (the REPL runs one line at a time).
    t.run("false");
    assert_eq!(t.ok("echo $?"), "1\n");
    // An empty line keeps `$?`.
    t.run("false");
    assert_eq!(t.run("").status, 1);
}

#[test]
fn unknown_command_is_127() {
    let mut t = T::new();
    let o = t.run("nosuch arg; echo $?");
    assert_eq!(o.stderr, "drydock: nosuch: command not found\n");
    assert_eq!(o.stdout, "127\n");
    assert_eq!(t.run("nosuch").status, 127);
    let o = t.run("nosuch 2>/dev/null");
    assert_eq!((o.stderr.as_str(), o.status), ("", 127));
}

#[test]
fn syntax_errors_are_2_and_run_nothing() {
    let cases = [
        (
            "echo run; echo 'open",
            "unexpected end of file while looking for matching `''",
        ),
        (
            "echo run; echo \"open",
            "unexpected end of file while looking for matching `\"'",
        ),
        (
            "echo run; echo $(echo",
            "unexpected end of file while looking for matching `)'",
        ),
        (
            "echo run; echo `x",
            "unexpected end of file while looking for matching ``'",
        ),
        (
            "echo run; echo ${A",
            "unexpected end of file while looking for matching `}'",
        ),
        ("echo run; | foo", "near unexpected token `|'"),
        ("echo run; foo &&", "unexpected end of file"),
        ("echo run; foo |", "unexpected end of file"),
        ("echo run;; b", "near unexpected token `;;'"),
        ("echo run; a && && b", "near unexpected token `&&'"),
        ("echo run; echo >", "near unexpected token `newline'"),
        ("echo run; echo > | x", "near unexpected token `|'"),
        (
            "echo run > x; cat <<EOF\nbody",
            "unexpected end of file in here-document (wanted `EOF')",
        ),
    ];
    for (src, msg) in cases {
        let mut t = T::new();
        let o = t.run(src);
        let want = if src.contains('\n') {
            format!("drydock: line 2: syntax error: {msg}\n")
        } else {
            format!("drydock: syntax error: {msg}\n")
        };
        assert_eq!(
            (o.stdout.as_str(), o.stderr, o.status),
            ("", want, 2),
            "{src:?}"
        );
        assert!(
            !t.dir.path().join("root/x").exists(),
            "{src:?} ran something"
        );
    }
    let mut t = T::new();
    let o = t.run("echo a & echo b");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.status),
        ("", "drydock: background jobs (&) are not supported\n", 2)
    );
    let o = t.run("for i in 1 2; do echo $i; done");
    assert_eq!(
        o.stderr,
        "drydock: `for' loops are not supported by this shell\n"
    );
    let o = t.run("echo ${A/x/y}");
    assert_eq!(o.stderr, "drydock: ${A/x/y}: bad substitution\n");
    assert_eq!(t.shell.state.last_status, 2);
}

#[test]
fn pipes() {
    table(&[
        ("echo hi | cat", "hi\n"),
        ("echo hi | cat | cat | cat", "hi\n"),
        ("seq 3 | cat", "1\n2\n3\n"),
        ("echo a |\n cat", "a\n"),
        // A later stage that does not read still ends the pipeline.
        ("seq 5 | echo done", "done\n"),
        ("true | false; echo $?", "1\n"),
        ("false | true; echo $?", "0\n"),
        ("! echo x | false; echo $?", "0\n"),
    ]);
    let mut t = T::new();
    // Large output streams through a pipe, and a reader that stops early ends the writer.
    assert_eq!(t.ok("seq 200000 | head1"), "1\n");
    let big = t.ok("seq 100000 | cat");
    assert_eq!(big.lines().count(), 100000);
    // Stages run on copies of the state: `cd` in a pipeline does not move the shell.
    t.ok("cd /tmp | cat");
    assert_eq!(t.ok("pwd"), "/root\n");
    t.ok("cd /tmp");
    assert_eq!(t.ok("pwd"), "/tmp\n");
    // stderr of every stage reaches the terminal (interleaved at write granularity, as on a tty).
    let o = t.run("err one | err two");
    assert_eq!(o.status, 3);
    assert!(
        o.stderr.contains("one") && o.stderr.contains("two"),
        "{:?}",
        o.stderr
    );
}

#[test]
fn tty_flags() {
    let mut t = T::new();
    assert_eq!(t.run_with("tty", "", true).stdout, "in=true out=true\n");
    let o = t.run_with("tty | cat", "", true);
    assert_eq!(o.stdout, "in=true out=false\n");
    let o = t.run_with("echo | tty", "", true);
    assert_eq!(o.stdout, "in=false out=true\n");
    t.run_with("tty > f; tty < f", "", true);
    assert_eq!(t.read("/root/f"), "in=true out=false\n");
    assert_eq!(t.run_with("tty <f", "", true).stdout, "in=false out=true\n");
    let o = t.run_with("echo $(tty)", "", true);
    assert_eq!(o.stdout, "in=false out=false\n");
}

#[test]
fn redirections() {
    let mut t = T::new();
    t.ok("echo one > f");
    assert_eq!(t.read("/root/f"), "one\n");
    t.ok("echo two >> f");
    assert_eq!(t.read("/root/f"), "one\ntwo\n");
    assert_eq!(t.ok("cat < f"), "one\ntwo\n");
    assert_eq!(t.ok("cat <f | cat"), "one\ntwo\n");
    t.ok("echo three >f");
    assert_eq!(t.read("/root/f"), "three\n");
    t.ok("err oops 2> e; true");
    assert_eq!(t.read("/root/e"), "oops\n");
    t.ok("err again 2>> e; true");
    assert_eq!(t.read("/root/e"), "oops\nagain\n");
    // Order matters: `>f 2>&1` sends both to f; `2>&1 >f` sends stderr to the old stdout.
    t.ok("err both >f 2>&1; true");
    assert_eq!(t.read("/root/f"), "both\n");
    let o = t.run("err swapped 2>&1 >f");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("swapped\n", ""));
    assert_eq!(t.read("/root/f"), "");
    let o = t.run("echo to-err >&2");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", "to-err\n"));
    let o = t.run("echo to-err 1>&2");
    assert_eq!(o.stderr, "to-err\n");
    t.ok("err amp &> g; true");
    assert_eq!(t.read("/root/g"), "amp\n");
    t.ok("echo amp2 &>> g");
    assert_eq!(t.read("/root/g"), "amp\namp2\n");
    t.ok("echo 1>h explicit");
    assert_eq!(t.read("/root/h"), "explicit\n");
    t.ok(">empty");
    assert_eq!(t.read("/root/empty"), "");
    // Redirection-only, and an unquoted variable as target.
    t.ok("F=name; echo v > $F");
    assert_eq!(t.read("/root/name"), "v\n");
    std::fs::create_dir_all(t.dir.path().join("tmp")).expect("mkdir tmp");
    t.ok("echo abs > /tmp/x.txt");
    assert_eq!(t.read("/root/../tmp/x.txt"), "abs\n");
    // /dev/null and friends are handled by the shell.
    assert_eq!(t.ok("echo gone > /dev/null; cat < /dev/null"), "");
    let o = t.run("err via-dev 2>/dev/stdout");
    assert_eq!(o.stdout, "via-dev\n");
    // The stage's output goes to the pipe, its stderr to the pipe with 2>&1.
    assert_eq!(t.ok("err piped 2>&1 | cat"), "piped\n");
}

#[test]
fn redirection_errors() {
    let mut t = T::new();
    std::fs::create_dir_all(t.dir.path().join("root/dir")).expect("mkdir");
    let cases = [
        (
            "echo x > nodir/y",
            "drydock: nodir/y: No such file or directory\n",
        ),
        (
            "cat < missing",
            "drydock: missing: No such file or directory\n",
        ),
        ("echo x > dir", "drydock: dir: Is a directory\n"),
        ("A='a b'; echo x > $A", "drydock: $A: ambiguous redirect\n"),
        ("echo x >&5", "drydock: 5: Bad file descriptor\n"),
    ];
    for (src, want) in cases {
        let o = t.run(src);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.status),
            ("", want, 1),
            "{src}"
        );
    }
    // The error goes where stderr points at that moment (bash does the same).
    let o = t.run("cat 2>/dev/null < missing; echo $?");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("1\n", ""));
    // The command is not run.
    let o = t.run("cat < missing > out");
    assert_eq!(o.status, 1);
    assert!(!t.dir.path().join("root/out").exists());
}

#[test]
fn here_documents() {
    table(&[
        ("cat <<EOF\nhello\nEOF", "hello\n"),
        ("cat <<EOF\nhello\nEOF\n", "hello\n"),
        (
            "A=x; cat <<EOF\n$A ${A} $(echo sub) `echo bt` \"q\" '\\$A'\nEOF",
            "x x sub bt \"q\" '$A'\n",
        ),
        ("A=x; cat <<'EOF'\n$A $(echo no)\nEOF", "$A $(echo no)\n"),
        ("A=x; cat <<\"EOF\"\n$A\nEOF", "$A\n"),
        ("A=x; cat <<E\\OF\n$A\nEOF", "$A\n"),
        ("cat <<-EOF\n\t\tindented\n\tEOF", "indented\n"),
        ("cat <<EOF | cat\npiped\nEOF", "piped\n"),
        ("cat <<A; cat <<B\n1\nA\n2\nB", "1\n2\n"),
        ("cat <<EOF\nline \\\ncontinued\nEOF", "line continued\n"),
        ("cat <<EOF\n\nEOF", "\n"),
        ("cat <<EOF > f; cat f\nto file\nEOF", "to file\n"),
    ]);
    // The study notes' pattern: a Dockerfile written with a here-document.
    let mut t = T::new();
    t.ok("cat > Dockerfile <<EOF\nFROM alpine:3.15\nRUN echo \"$HOME\"\nEOF");
    assert_eq!(
        t.read("/root/Dockerfile"),
        "FROM alpine:3.15\nRUN echo \"/root\"\n"
    );
}

#[test]
fn assignments() {
    let mut t = T::new();
    t.ok("A=1");
    assert_eq!(t.shell.state.get("A"), Some("1"));
    // Not exported, so not in a command's environment.
    assert!(!t.ok("env").contains("A=1"));
    // A prefix assignment is in that command's environment only.
    assert!(t.ok("B=2 env").contains("B=2\n"));
    assert_eq!(t.shell.state.get("B"), None);
    assert!(t.ok("A=3 env").contains("A=3\n"));
    assert_eq!(t.shell.state.get("A"), Some("1"));
    // A prefix does not change the command's own arguments (they expand first).
    assert_eq!(t.ok("A=9 echo $A"), "1\n");
    // An exported variable stays exported when reassigned.
    t.shell.state.vars.get_mut("A").expect("A").exported = true;
    t.ok("A=4");
    assert!(t.ok("env").contains("A=4\n"));
    // `=` in a later word is an argument, and a quoted name is not an assignment.
    assert_eq!(t.ok("echo X=1"), "X=1\n");
    let o = t.run("'C'=1");
    assert_eq!(o.status, 127);
}

#[test]
fn globbing() {
    let mut t = T::new();
    for f in [
        "b.txt",
        "a.txt",
        "c.log",
        ".hidden.txt",
        "sub/x.txt",
        "sub/y.md",
        "[x].txt",
    ] {
        t.write(&format!("/root/{f}"), "");
    }
    assert_eq!(t.ok("echo *.txt"), "[x].txt a.txt b.txt\n");
    assert_eq!(t.ok("echo ?.txt"), "a.txt b.txt\n");
    assert_eq!(t.ok("echo [ab].*"), "a.txt b.txt\n");
    assert_eq!(t.ok("echo [!a].txt"), "b.txt\n");
    assert_eq!(t.ok("echo .*.txt"), ".hidden.txt\n");
    assert_eq!(t.ok("echo sub/*"), "sub/x.txt sub/y.md\n");
    assert_eq!(t.ok("echo */x.txt"), "sub/x.txt\n");
    assert_eq!(t.ok("echo */"), "sub/\n");
    assert_eq!(t.ok("echo /root/s*/*.md"), "/root/sub/y.md\n");
    // No match: the word stays as written (bash without nullglob).
    assert_eq!(t.ok("echo *.none"), "*.none\n");
    // Quoted glob characters are literal.
    assert_eq!(t.ok("echo '*.txt' \"*\".txt"), "*.txt *.txt\n");
    assert_eq!(t.ok("echo \\[x\\].txt"), "[x].txt\n");
    // Unquoted expansions are globbed, quoted ones are not.
    assert_eq!(t.ok("P='*.log'; echo $P \"$P\""), "c.log *.log\n");
    assert_eq!(t.ok("cd sub; echo *"), "x.txt y.md\n");
}

#[test]
fn exit_stops_the_script() {
    let mut t = T::new();
    let o = t.run("echo a; exit 4; echo b");
    assert_eq!((o.stdout.as_str(), o.status), ("a\n", 4));
    assert_eq!(t.shell.state.exit, Some(4));
    // exit in a pipeline or substitution leaves the shell running.
    let mut t = T::new();
    assert_eq!(t.ok("exit 1 | cat; echo $(exit 2) still"), "still\n");
    assert_eq!(t.run("(exit 5); echo $?").stdout, "5\n");
    assert_eq!(t.shell.state.exit, None);
}

#[test]
fn interrupt_stops_between_commands() {
    let mut t = T::new();
    let o = t.run("echo a; ctrlc; echo b");
    assert_eq!((o.stdout.as_str(), o.status), ("a\n", 130));
    assert_eq!(t.shell.state.last_status, 130);
}

#[test]
fn subshells() {
    table(&[
        ("(echo a; echo b) | cat", "a\nb\n"),
        ("A=1; (A=2); echo $A", "1\n"),
        ("(cd /tmp; pwd); pwd", "/tmp\n/root\n"),
        ("(echo in) > f; cat f", "in\n"),
    ]);
}

#[test]
fn printf_and_stdin() {
    let mut t = T::new();
    assert_eq!(t.ok("printf '%s-%s\\n' a b c d"), "a-b\nc-d\n");
    assert_eq!(
        t.run_with("cat | cat", "from stdin\n", false).stdout,
        "from stdin\n"
    );
    // A here-document replaces stdin.
    assert_eq!(
        t.run_with("cat <<EOF\ndoc\nEOF", "ignored", false).stdout,
        "doc\n"
    );
}

/// Tricky cases run by both drydock and the machine's bash (when there is one), comparing stdout
/// and status. Only commands whose behaviour our test table shares with bash's builtins are used.
#[test]
fn agrees_with_bash() {
    let Ok(probe) = std::process::Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
    else {
        eprintln!("no bash on this machine: comparison skipped");
        return;
    };
    assert!(probe.success());
    let cases = [
        "A='a  b  c'; printf '[%s]' $A; echo",
        "A='  x  '; printf '[%s]' \"$A\" $A; echo",
        "printf '[%s]' a\"b c\"d 'e'f\\ g; echo",
        "printf '[%s]' \"$(printf 'x\\n\\n\\n')\"; echo",
        "printf '[%s]' $(echo '*.none'); echo",
        "printf '[%s]' *.t* [bc]* ?.log; echo",
        "printf '[%s]' '*'.txt \"?\".log; echo",
        "printf '[%s]' ${U:-'a b'} \"${U:-x  y}\"; echo",
        "E=; printf '[%s]' ${E:-} \"${E}\" ${E-set}; echo",
        "printf '[%s]' x${U}y \"\"; echo",
        "echo $(echo '$(not run)')",
        "echo \"`echo '\\$x'`\"",
        "echo 'a'\"b\"\\c$'",
        "A=1; A=2 true; echo $A",
        "echo $((true) && echo yes)",
        "false; echo $? $?",
        "! false; echo $?",
        "true && false || echo r; echo $?",
        "cat <<EOF\n  spaced $U\n\\$ \\` \\\\ \\q\nEOF",
        "cat <<-'E'\n\ttab $U\n\tE",
        "cat <<A <<B\nfirst\nA\nsecond\nB",
        "echo one \\\n two",
        "echo \"${#U}\" ${#PWD_NOT_SET}",
        "X=abc; echo ${#X} ${X:+set} ${X:=no}",
        "echo a | cat; echo $?",
        "false | true | false; echo $?",
        "echo x 2>&1 >/dev/null",
        "printf '%s\\n' b a > f; cat f; cat < f | cat",
        "echo a#b #c",
        "echo ~x ~+x",
        r#"echo "$(echo "a)b")""#,
        r#"printf '[%s]' "${U:-"a b"}" ${U:-"c d"}; echo"#,
        r#"A='x y'; printf '[%s]' ${A:+$A} "${A:+$A}"; echo"#,
        r#"printf '[%s]' "a"'b'c"$U"; echo"#,
        r#"echo \$HOME '$HOME'"#,
        r#"printf '[%s]' $(printf 'a b\nc'); echo"#,
        r#"IFS=; A='a b'; printf '[%s]' $A; echo"#,
        r#"echo "a\\b" "\a""#,
        "(echo a; echo b) | cat",
        "echo $( echo a # comment\n)",
        "echo `echo a` `echo b`c",
        r#"A=x; echo "$A"'$A'$A"#,
        r#"echo "$" "$ " $"#,
        r#"X='*'; echo "$X" $X"#,
        "printf '[%s]' ''''; echo",
        "echo a;echo b;",
        "echo a&&echo b||echo c",
        "true | false && echo no || echo yes",
        r"printf 'x\n' >out 2>&1; cat out",
        "echo ${U:-$(echo sub)} ${U-`echo bt`}",
        "A=' a '; B=x${A}y; printf '[%s]' $B \"$B\"; echo",
    ];
    for src in cases {
        let mut t = T::new();
        for f in ["a.txt", "b.txt", "c.log", "x.t"] {
            t.write(&format!("/root/{f}"), "");
        }
        let ours = t.run(src);
        let bash = std::process::Command::new("bash")
            .arg("-c")
            .arg(src)
            .current_dir(t.dir.path().join("root"))
            .env_remove("U")
            .output()
            .expect("bash runs");
        assert_eq!(
            (ours.stdout.as_str(), ours.status),
            (
                String::from_utf8_lossy(&bash.stdout).as_ref(),
                bash.status.code().unwrap_or(-1)
            ),
            "{src:?} (stderr: {:?})",
            ours.stderr
        );
    }
}

/// Property: any string, single-quoted, comes back as exactly one argument equal to it (no
/// splitting, globbing or expansion of what is quoted). Fixed-seed xorshift, so runs repeat.
#[test]
fn single_quoted_strings_run_as_one_argument() {
    let mut t = T::new();
    t.write("/root/a.txt", "");
    let alphabet: Vec<char> = "aZ0 \t\n'\"\\$`(){}|&;<>*?[]~#=!-é".chars().collect();
    let mut x: u64 = 0x0dd_c0ffee;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..500 {
        let len = (next() % 16) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let src = format!("printf '%s' {}", drydock::shell::parser::single_quote(&s));
        assert_eq!(t.ok(&src), s, "{src:?}");
    }
}
