//! Restart policies, as pure decisions (moby's `restartmanager` and the daemon's start-up rule).
//!
//! Nothing here touches a process or a file: the supervisor asks [`decide`] after each exit and
//! the daemon asks [`restart_at_daemon_start`] when it boots. Table tests below pin both to what
//! dockerd 20.10 does (reference §12 and §17).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::RuntimeError;

/// The first back-off delay.
pub const FIRST_DELAY: Duration = Duration::from_millis(100);
/// The longest back-off delay.
pub const MAX_DELAY: Duration = Duration::from_secs(60);
/// A run at least this long resets the back-off.
pub const RESET_AFTER: Duration = Duration::from_secs(10);

/// `HostConfig.RestartPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "MaximumRetryCount")]
    pub maximum_retry_count: i64,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy {
            name: "no".into(),
            maximum_retry_count: 0,
        }
    }
}

impl RestartPolicy {
    /// Parses `--restart` as docker/cli's `opts.ParseRestartPolicy` and validates it as dockerd's
    /// `ValidateRestartPolicy` does.
    pub fn parse(s: &str) -> Result<RestartPolicy, RuntimeError> {
        if s.is_empty() {
            return Ok(RestartPolicy::default());
        }
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 2 {
            return Err(RuntimeError::RestartPolicyFormat);
        }
        let mut p = RestartPolicy {
            name: parts[0].to_string(),
            maximum_retry_count: 0,
        };
        if let Some(n) = parts.get(1) {
            p.maximum_retry_count = n
                .parse::<i64>()
                .map_err(|_| RuntimeError::RetryCountNotInteger)?;
        }
        p.validate()?;
        Ok(p)
    }

    /// dockerd's checks on a policy (`invalid restart policy 'x'` …).
    pub fn validate(&self) -> Result<(), RuntimeError> {
        match self.name.as_str() {
            "always" | "unless-stopped" | "no" | "" => {
                if self.maximum_retry_count != 0 {
                    return Err(RuntimeError::RetryCountWithPolicy(self.name.clone()));
                }
                Ok(())
            }
            "on-failure" => {
                if self.maximum_retry_count < 0 {
                    return Err(RuntimeError::RetryCountNegative);
                }
                Ok(())
            }
            other => Err(RuntimeError::InvalidRestartPolicy(other.to_string())),
        }
    }

    /// True for `no` (or empty).
    pub fn is_none(&self) -> bool {
        self.name.is_empty() || self.name == "no"
    }
}

/// What happened to the process, as the supervisor saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    pub code: i32,
    /// `docker stop`/`kill`/`rm -f` touched the container since it was last started.
    pub manually_stopped: bool,
    /// The daemon is shutting down (or down): nothing restarts.
    pub shutting_down: bool,
    pub ran_for: Duration,
}

/// The supervisor's answer: restart after `delay`, or leave the container exited. `backoff` is
/// the delay state to carry to the next exit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub restart: Option<Duration>,
    pub backoff: Duration,
}

/// moby's `ShouldRestart`, plus the observed rule that any manual stop or kill cancels restarts
/// while the daemon runs (§17.5). `backoff` is the previous delay (zero before the first restart),
/// `restart_count` the container's `RestartCount`.
pub fn decide(
    policy: &RestartPolicy,
    exit: Exit,
    restart_count: i64,
    backoff: Duration,
) -> Decision {
    let mut next = if exit.ran_for >= RESET_AFTER {
        Duration::ZERO
    } else {
        backoff
    };
    next = if next.is_zero() {
        FIRST_DELAY
    } else if next < MAX_DELAY {
        next * 2
    } else {
        next
    };
    next = next.min(MAX_DELAY);
    if policy.is_none() || exit.manually_stopped || exit.shutting_down {
        return Decision {
            restart: None,
            backoff: next,
        };
    }
    let restart = match policy.name.as_str() {
        "always" | "unless-stopped" => true,
        "on-failure" => {
            let max = policy.maximum_retry_count;
            exit.code != 0 && (max == 0 || restart_count < max)
        }
        _ => false,
    };
    Decision {
        restart: restart.then_some(next),
        backoff: next,
    }
}

/// Whether the daemon starts a container again when it boots (live-restore off): `always`
/// always, `unless-stopped` unless manually stopped, `on-failure` when the last exit was a failure
/// within the retry limit, `no` never. Only containers that had been started before qualify.
pub fn restart_at_daemon_start(
    policy: &RestartPolicy,
    started_before: bool,
    manually_stopped: bool,
    exit_code: i32,
    restart_count: i64,
) -> bool {
    if !started_before {
        return false;
    }
    match policy.name.as_str() {
        "always" => true,
        "unless-stopped" => !manually_stopped,
        "on-failure" => {
            let max = policy.maximum_retry_count;
            exit_code != 0 && (max == 0 || restart_count < max)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> RestartPolicy {
        RestartPolicy::parse(s).unwrap()
    }

    fn exit(code: i32, manual: bool, secs: u64) -> Exit {
        Exit {
            code,
            manually_stopped: manual,
            shutting_down: false,
            ran_for: Duration::from_secs(secs),
        }
    }

    #[test]
    fn parse_and_validate_like_docker() {
        assert_eq!(p("on-failure:3").maximum_retry_count, 3);
        assert_eq!(p("").name, "no");
        let e = |s: &str| RestartPolicy::parse(s).unwrap_err().to_string();
        assert_eq!(e("sometimes"), "invalid restart policy 'sometimes'");
        assert_eq!(e("on-failure:1:2"), "invalid restart policy format");
        assert_eq!(e("on-failure:x"), "maximum retry count must be an integer");
        assert_eq!(
            e("always:3"),
            "maximum retry count cannot be used with restart policy 'always'"
        );
        assert_eq!(e("on-failure:-1"), "maximum retry count cannot be negative");
    }

    #[test]
    fn decisions_table() {
        let ms = Duration::from_millis;
        // (policy, exit, restart count, previous backoff) -> restart delay
        let cases: &[(&str, Exit, i64, Duration, Option<Duration>)] = &[
            ("no", exit(1, false, 0), 0, ms(0), None),
            ("always", exit(0, false, 0), 0, ms(0), Some(ms(100))),
            ("always", exit(0, false, 0), 1, ms(100), Some(ms(200))),
            ("always", exit(0, false, 0), 4, ms(800), Some(ms(1600))),
            ("always", exit(0, false, 12), 4, ms(800), Some(ms(100))),
            ("always", exit(0, false, 0), 9, ms(51_200), Some(ms(60_000))),
            (
                "always",
                exit(0, false, 0),
                10,
                ms(60_000),
                Some(ms(60_000)),
            ),
            ("always", exit(137, true, 0), 0, ms(0), None),
            ("unless-stopped", exit(0, false, 0), 0, ms(0), Some(ms(100))),
            ("unless-stopped", exit(143, true, 0), 0, ms(0), None),
            ("on-failure", exit(0, false, 0), 0, ms(0), None),
            ("on-failure", exit(1, false, 0), 0, ms(0), Some(ms(100))),
            ("on-failure", exit(1, false, 0), 50, ms(0), Some(ms(100))),
            ("on-failure:3", exit(1, false, 0), 2, ms(200), Some(ms(400))),
            ("on-failure:3", exit(1, false, 0), 3, ms(400), None),
            ("on-failure:3", exit(1, true, 0), 0, ms(0), None),
        ];
        for (policy, e, count, backoff, want) in cases {
            let d = decide(&p(policy), *e, *count, *backoff);
            assert_eq!(
                d.restart, *want,
                "{policy} {e:?} count {count} backoff {backoff:?}"
            );
        }
        let shutting = Exit {
            shutting_down: true,
            ..exit(143, false, 0)
        };
        assert_eq!(decide(&p("always"), shutting, 0, ms(0)).restart, None);
    }

    #[test]
    fn the_back_off_schedule_is_dockers() {
        let mut backoff = Duration::ZERO;
        let mut delays = Vec::new();
        for n in 0..12 {
            let d = decide(&p("always"), exit(0, false, 0), n, backoff);
            backoff = d.backoff;
            delays.push(d.restart.unwrap().as_millis());
        }
        assert_eq!(
            delays,
            [
                100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000
            ]
        );
    }

    #[test]
    fn daemon_start_table() {
        let cases = [
            ("always", true, true, 137, 0, true),
            ("always", false, false, 0, 0, false),
            ("unless-stopped", true, false, 143, 0, true),
            ("unless-stopped", true, true, 143, 0, false),
            ("on-failure", true, false, 137, 0, true),
            ("on-failure", true, false, 0, 0, false),
            ("on-failure:2", true, false, 1, 2, false),
            ("no", true, false, 1, 0, false),
        ];
        for (policy, started, manual, code, count, want) in cases {
            assert_eq!(
                restart_at_daemon_start(&p(policy), started, manual, code, count),
                want,
                "{policy} started={started} manual={manual} code={code}"
            );
        }
    }
}
