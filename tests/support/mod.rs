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
