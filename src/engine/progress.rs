//! Progress of long operations (pull, push, load, import, build), as the daemon's JSON message
//! stream: an optional object ID, a status, and an optional byte count. The CLI renders it Docker's
//! way (bars on a terminal, status lines otherwise); the engine only reports.

/// One message of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The object the status is about (a layer's 12-hex ID), if any.
    pub id: Option<String>,
    pub status: String,
    /// Bytes done and total, for statuses that carry a bar (`Downloading`, `Extracting`).
    pub bar: Option<(u64, u64)>,
}

impl Progress {
    pub fn status(status: impl Into<String>) -> Self {
        Progress {
            id: None,
            status: status.into(),
            bar: None,
        }
    }
    pub fn of(id: impl Into<String>, status: impl Into<String>) -> Self {
        Progress {
            id: Some(id.into()),
            status: status.into(),
            bar: None,
        }
    }
    pub fn bar(id: impl Into<String>, status: impl Into<String>, done: u64, total: u64) -> Self {
        Progress {
            id: Some(id.into()),
            status: status.into(),
            bar: Some((done, total)),
        }
    }
}

/// Where progress goes.
pub trait ProgressSink {
    fn emit(&mut self, p: Progress);
}

impl<F: FnMut(Progress)> ProgressSink for F {
    fn emit(&mut self, p: Progress) {
        self(p)
    }
}

/// A sink that drops everything.
pub struct Discard;

impl ProgressSink for Discard {
    fn emit(&mut self, _: Progress) {}
}
