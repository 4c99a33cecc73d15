//! The one clock and the one random source of the engine.
//!
//! `DRYDOCK_CLOCK=2024-01-01T00:00:00Z` fixes where the clock starts (it then advances with real
//! elapsed time, so back-off and timeouts still work); `DRYDOCK_SEED=N` fixes the random sequence
//! (container IDs, names). Together they make transcripts replay exactly.

use std::sync::Mutex;
use std::time::Instant;

use jiff::Timestamp;

/// Wall-clock time for the engine.
#[derive(Debug)]
pub struct Clock {
    start: Option<(Timestamp, Instant)>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { start: None }
    }

    /// A clock that starts at `at` and advances with real time.
    pub fn starting_at(at: Timestamp) -> Self {
        Clock {
            start: Some((at, Instant::now())),
        }
    }

    /// `DRYDOCK_CLOCK` when set and valid, else the system clock.
    pub fn from_env() -> Self {
        match std::env::var("DRYDOCK_CLOCK")
            .ok()
            .and_then(|s| s.parse::<Timestamp>().ok())
        {
            Some(at) => Self::starting_at(at),
            None => Self::system(),
        }
    }

    pub fn now(&self) -> Timestamp {
        match self.start {
            None => Timestamp::now(),
            Some((at, since)) => {
                let elapsed = jiff::SignedDuration::try_from(since.elapsed()).unwrap_or_default();
                at.checked_add(elapsed).unwrap_or(at)
            }
        }
    }
}

/// A small deterministic generator (splitmix64): reproducible with `DRYDOCK_SEED`.
#[derive(Debug)]
pub struct Rng {
    state: Mutex<u64>,
}

impl Rng {
    pub fn seeded(seed: u64) -> Self {
        Rng {
            state: Mutex::new(seed),
        }
    }

    /// `DRYDOCK_SEED` when set, else seeded from the time and the process ID.
    pub fn from_env() -> Self {
        let seed = std::env::var("DRYDOCK_SEED")
            .ok()
            .and_then(|s| s.parse::<u64>().ok());
        Self::seeded(seed.unwrap_or_else(|| {
            let t = Timestamp::now().as_nanosecond() as u64;
            t ^ ((std::process::id() as u64) << 32)
        }))
    }

    pub fn next_u64(&self) -> u64 {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` random bytes as lowercase hex (`2n` characters).
    pub fn hex(&self, n: usize) -> String {
        let mut out = String::with_capacity(n * 2);
        while out.len() < n * 2 {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(n * 2);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_rng_repeats() {
        assert_eq!(Rng::seeded(7).hex(32), Rng::seeded(7).hex(32));
        assert_ne!(Rng::seeded(7).hex(32), Rng::seeded(8).hex(32));
    }

    #[test]
    fn fixed_clock_starts_where_told() {
        let at: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let c = Clock::starting_at(at);
        let d = c.now().duration_since(at);
        assert!(d.as_secs() < 5);
    }
}
