//! `docker exec`: a second process in a running container, started by the same init with its own
//! spec (the command as given, the container's environment plus `-e`, `-w`, `-u`), in the
//! process group of its own (the container's group belongs to its supervisor's session, which
//! another session cannot join); its pid is left in `drydock-exec-<id>.pid` so the supervisor ends
//! it with the container. It does not keep the container alive, and its exit does not stop the
//! container. `exec -t` on the caller's terminal runs on a pseudo-terminal of its own that this
//! call relays to the caller's stdin and stdout ([`tty::relay_local`]; the CLI puts its terminal in
//! raw mode), so the process has a controlling terminal as under Docker.

use std::os::unix::process::CommandExt;
use std::process::Stdio;

use super::super::Engine;
use super::error::{RuntimeError, io_at};
use super::launch::{launcher, spawn_error};
use super::spec::status;
use super::supervise::{Attach, exit_code, process_env};
use super::tty;

/// What `docker exec` asks for.
#[derive(Debug, Clone, Default)]
pub struct ExecRequest {
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub tty: bool,
    pub stdin_open: bool,
    pub detach: bool,
}

impl Engine {
    /// Runs `req` in the container; returns the exit code (0 at once when detached).
    pub fn container_exec(
        &self,
        arg: &str,
        req: &ExecRequest,
        attach: &mut Attach<'_>,
    ) -> super::super::Result<i32> {
        let c = self.container(arg)?;
        if !c.state.running || c.state.restarting || c.state.pid == 0 {
            return Err(RuntimeError::NotRunning(c.id).into());
        }
        if c.state.paused {
            return Err(RuntimeError::ExecPaused(c.id).into());
        }
        let store = self.containers();
        let mut spec = self.process_spec(&c)?;
        // `-u` resolved now, in the rootfs as it is (dockerd's `execSetPlatformOpt`); without
        // it the process runs as the container's user.
        let user = req
            .user
            .as_deref()
            .filter(|u| !u.is_empty())
            .unwrap_or(&c.config.user);
        let who = self.container_identity(&c, user)?;
        spec.user = user.to_string();
        spec.env = process_env(
            c.config.env.as_deref().unwrap_or(&[]),
            &c.config.hostname,
            req.tty,
            &req.env,
            &who.home,
        );
        (spec.uid, spec.gid, spec.groups) = (who.uid, who.gid, who.groups);
        spec.args = req.cmd.clone();
        if let Some(w) = &req.workdir {
            spec.cwd = w.clone();
        }
        spec.tty = req.tty;
        spec.stdin_open = req.stdin_open;
        // The container's PID 1 is its main process.
        spec.below_init = true;
        spec.ports.clear();
        let exec_id = self.rng.hex(32);
        let dir = store.dir(&c.id);
        let spec_path = dir.join(format!("drydock-exec-{exec_id}.json"));
        let err_path = dir.join(format!("drydock-exec-{exec_id}.error"));
        spec.start_error = Some(err_path.clone());
        std::fs::write(
            &spec_path,
            serde_json::to_vec_pretty(&spec).unwrap_or_default(),
        )
        .map_err(io_at(&spec_path))?;
        let pid_path = dir.join(format!("drydock-exec-{exec_id}.pid"));
        let cleanup = {
            let (spec_path, err_path, pid_path) =
                (spec_path.clone(), err_path.clone(), pid_path.clone());
            move || {
                let _ = std::fs::remove_file(&spec_path);
                let _ = std::fs::remove_file(&err_path);
                let _ = std::fs::remove_file(&pid_path);
            }
        };
        let mut cmd = launcher(self.runtime_settings()).command(&spec_path, &spec);
        let terminal = attach.terminal && !req.detach;
        let pty = if terminal && req.tty {
            let pty = tty::Pty::open().map_err(RuntimeError::Spawn)?;
            pty.attach_command(&mut cmd).map_err(RuntimeError::Spawn)?;
            Some(pty)
        } else {
            cmd.process_group(0);
            None
        };
        if pty.is_some() {
            // Its stdio is the pty's slave (set above).
        } else if req.detach {
            cmd.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
        } else if terminal {
            cmd.stdin(Stdio::inherit())
                .stdout(Stdio::inherit())
                .stderr(Stdio::inherit());
        } else {
            cmd.stdin(if attach.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        }
        let mut child = match cmd.spawn() {
            Ok(ch) => ch,
            Err(e) => {
                cleanup.clone()();
                return Err(spawn_error(&spec, e).into());
            }
        };
        let _ = std::fs::write(&pid_path, child.id().to_string());
        if req.detach {
            // Reaped in the background; the spec stays until then.
            let cleanup = cleanup.clone();
            std::thread::spawn(move || {
                let _ = child.wait();
                cleanup();
            });
            return Ok(0);
        }
        if let (Some(input), Some(mut sin)) = (attach.stdin.take(), child.stdin.take()) {
            std::thread::spawn(move || {
                let _ = std::io::Write::write_all(&mut sin, &input);
            });
        }
        let status = if let Some(pty) = pty {
            let tty::Pty { mut master, slave } = pty;
            drop(slave);
            tty::relay_local(&mut child, &mut master, attach.stdout)
        } else if terminal {
            child.wait()
        } else {
            let mut out = child.stdout.take();
            let mut err = child.stderr.take();
            std::thread::scope(|s| {
                let e = s.spawn(move || {
                    let mut v = Vec::new();
                    if let Some(err) = err.as_mut() {
                        let _ = std::io::Read::read_to_end(err, &mut v);
                    }
                    v
                });
                if let Some(out) = out.as_mut() {
                    let _ = std::io::copy(out, attach.stdout);
                }
                let errs = e.join().unwrap_or_default();
                let _ = attach.stderr.write_all(&errs);
            });
            child.wait()
        };
        let code = status.map(exit_code).unwrap_or(255);
        let failed = std::fs::read_to_string(&err_path).ok();
        cleanup();
        if matches!(code, status::NOT_FOUND | status::CANNOT_INVOKE)
            && let Some(m) = failed.filter(|m| !m.trim().is_empty())
        {
            return Err(RuntimeError::StartFailed {
                message: m.trim().to_string(),
                code,
            }
            .into());
        }
        Ok(code)
    }
}
