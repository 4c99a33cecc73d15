//! The json-file log driver: `containers/<id>/<id>-json.log`, one JSON object per line,
//! `{"log":"…\n","stream":"stdout","time":"…"}` as dockerd writes it, and the reader behind
//! `docker logs` and `attach`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// One log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub log: String,
    pub stream: String,
    pub time: String,
}

/// Appends entries to a container's log; shared by the stdout and stderr copiers.
#[derive(Clone)]
pub struct LogWriter {
    file: Arc<Mutex<File>>,
}

impl LogWriter {
    pub fn open(path: &Path) -> io::Result<LogWriter> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(LogWriter {
            file: Arc::new(Mutex::new(file)),
        })
    }

    /// Writes one entry (a whole line keeps its `\n`; a last partial line has none, as dockerd's).
    pub fn write(&self, stream: &str, text: &[u8], time: &str) {
        let e = Entry {
            log: String::from_utf8_lossy(text).into_owned(),
            stream: stream.to_string(),
            time: time.to_string(),
        };
        let mut line = serde_json::to_vec(&e).unwrap_or_default();
        line.push(b'\n');
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let _ = f.write_all(&line);
    }
}

/// Splits a stream into lines as dockerd's copier does: each complete line is an entry; what is
/// left at the end is an entry of its own.
pub struct LineSplitter {
    buf: Vec<u8>,
}

impl LineSplitter {
    pub fn new() -> Self {
        LineSplitter { buf: Vec::new() }
    }

    /// Feeds bytes; returns the complete lines (with their `\n`).
    pub fn feed(&mut self, data: &[u8]) -> Vec<Vec<u8>> {
        self.buf.extend_from_slice(data);
        let mut out = Vec::new();
        while let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
            out.push(self.buf.drain(..=i).collect());
        }
        out
    }

    /// What is left when the stream ends.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        (!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf))
    }
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads every entry of a log file (a missing file is an empty log; a torn last line is skipped).
pub fn read_all(path: &Path) -> Vec<Entry> {
    read_from(path, 0).0
}

/// Reads entries from byte `offset`; returns them and the offset after the last complete line.
pub fn read_from(path: &Path, offset: u64) -> (Vec<Entry>, u64) {
    let Ok(mut f) = File::open(path) else {
        return (vec![], offset);
    };
    if io::Seek::seek(&mut f, io::SeekFrom::Start(offset)).is_err() {
        return (vec![], offset);
    }
    let mut r = BufReader::new(f);
    let mut out = Vec::new();
    let mut pos = offset;
    let mut line = Vec::new();
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) if line.ends_with(b"\n") => {
                pos += n as u64;
                if let Ok(e) = serde_json::from_slice::<Entry>(&line) {
                    out.push(e);
                }
            }
            _ => break,
        }
    }
    (out, pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_a_partial_tail() {
        let mut s = LineSplitter::new();
        assert_eq!(s.feed(b"a\nb"), vec![b"a\n".to_vec()]);
        assert_eq!(s.feed(b"c\n\nd"), vec![b"bc\n".to_vec(), b"\n".to_vec()]);
        assert_eq!(s.finish(), Some(b"d".to_vec()));
        assert_eq!(s.finish(), None);
    }

    #[test]
    fn entries_round_trip_in_dockers_shape() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x-json.log");
        let w = LogWriter::open(&p).unwrap();
        w.write("stdout", b"hi\n", "2024-01-01T00:00:00.5Z");
        w.write("stderr", b"oops", "2024-01-01T00:00:01Z");
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text.lines().next().unwrap(),
            r#"{"log":"hi\n","stream":"stdout","time":"2024-01-01T00:00:00.5Z"}"#
        );
        let all = read_all(&p);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].stream, "stderr");
        let (rest, end) = read_from(&p, 0);
        assert_eq!(rest.len(), 2);
        assert_eq!(read_from(&p, end).0.len(), 0);
    }
}
