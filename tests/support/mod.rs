pub mod archive;

use drydock::testing::TestContext;

/// Runs one docker command as on a 120-column terminal: (stdout, stderr, exit code).
#[allow(dead_code)] // not every test binary that includes `support` uses it
pub fn tty_docker(t: &TestContext, args: &[String]) -> (String, String, i32) {
    let mut input: &[u8] = b"";
    let mut out = Vec::new();
    let mut err = Vec::new();
    let env = |k: &str| (k == "COLUMNS").then(|| "120".to_string());
    let mut io = drydock::cli::Io {
        stdin: &mut input,
        stdout: &mut out,
        stderr: &mut err,
        stdin_tty: true,
        stdout_tty: true,
        env: &env,
        paths: &drydock::cli::ProcessPaths,
    };
    let code = drydock::cli::docker(&t.engine, args, &mut io);
    (
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
        code,
    )
}

/// What a terminal shows once `raw` has been written to it: the bytes a progress stream uses
/// (`\r`, `\n`, cursor up/down `ESC[nA`/`ESC[nB`, erase line `ESC[2K`) applied to a grid of
/// lines, trailing blanks kept (Docker's layer lines end `Pull complete `). `\r\n` from a pty
/// counts as one newline.
#[allow(dead_code)]
pub fn screen(raw: &str) -> Vec<String> {
    let csi = regex::Regex::new(r"^\x1b\[(\d*)([ABK])").expect("valid regex");
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if let Some(m) = csi.captures(rest) {
            let n: usize = m[1].parse().unwrap_or(1);
            match &m[2] {
                "A" => row = row.saturating_sub(n),
                "B" => row += n,
                _ => {
                    if &m[1] == "2" {
                        lines[row].clear();
                    } else {
                        lines[row].truncate(col);
                    }
                }
            }
            rest = &rest[m[0].len()..];
        } else {
            assert!(c != '\x1b', "unexpected escape sequence in {rest:?}");
            match c {
                '\r' => col = 0,
                '\n' => {
                    row += 1;
                    col = 0;
                }
                _ => {
                    let line = &mut lines[row];
                    if line.len() < col {
                        line.resize(col, ' ');
                    }
                    if col < line.len() {
                        line[col] = c;
                    } else {
                        line.push(c);
                    }
                    col += 1;
                }
            }
            rest = &rest[c.len_utf8()..];
        }
        if lines.len() <= row {
            lines.resize(row + 1, Vec::new());
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.into_iter().map(|l| l.into_iter().collect()).collect()
}
