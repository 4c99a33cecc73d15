//! Filter arguments (`--filter key=value`) and the matching rules Docker applies to them.
//!
//! This module owns moby's `api/types/filters` (the multimap and its accessors), the CLI's
//! `FilterOpt` parsing, Go's `path.Match` globs (for `reference=`), and moby's
//! `api/types/time.GetTimestamp` (for `until=` / `since=` times). It is pure: the current time
//! and the local offset are arguments, and it knows nothing of images or containers — each list
//! or prune operation says which keys it accepts and what a match means.
//!
//! Vocabulary: a *filter* is one `key=value` pair; [`Filters`] holds every value given for every
//! key (a set per key, so repeated values collapse, as in Go's `map[string]map[string]bool`).
//! Go iterates maps in random order; where that order shows (the values in an error), we sort.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::Timestamp;
use jiff::tz::Offset;

use super::reference::Reference;

/// A `--filter` flag without `=`: docker/cli's `FilterOpt.Set` error, which the CLI wraps as
/// `invalid argument "x" for "-f, --filter" flag: bad format of filter (expected name=value)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad format of filter (expected name=value)")]
pub struct FilterFormatError;

/// Why the daemon refuses a set of filters. The texts are moby's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// An unknown key (`Invalid filter 'foo'`) or a bad value (`Invalid filter 'dangling=[yes]'`).
    #[error("{}", invalid_text(key, value.as_deref()))]
    Invalid { key: String, value: Option<String> },
    /// A value that must be an integer (`exited=`), in Go's `strconv.Atoi` words.
    #[error("{}", atoi_text(.0))]
    NotAnInteger(String),
    /// A key that may be given once was given several times.
    #[error("more than one {key} filter specified")]
    MoreThanOne { key: String },
    /// A malformed glob in a `reference=` filter (Go's `path.ErrBadPattern`).
    #[error(transparent)]
    Pattern(#[from] BadPattern),
    /// An `until=` / `since=` value that is neither a time nor a duration.
    #[error(transparent)]
    Timestamp(#[from] TimestampError),
    /// A `publish=`/`expose=` value with a host part (`80:80`).
    #[error("filter for '{key}' should not contain ':': {value}")]
    PortWithColon { key: String, value: String },
    /// A `publish=`/`expose=` value that is not a port or range, in dockerd's words.
    #[error("error while looking up for {key} {value}: {why}")]
    BadPort {
        key: String,
        value: String,
        why: String,
    },
    /// A `health=` value other than starting, healthy, unhealthy or none.
    #[error("Unrecognised filter value for health: {0}")]
    Health(String),
}

impl FilterError {
    /// `Invalid filter '<key>'`.
    pub fn invalid_key(key: &str) -> Self {
        FilterError::Invalid {
            key: key.to_string(),
            value: None,
        }
    }

    /// `Invalid filter '<key>=<value>'`, for a single value (`stars=abc`).
    pub fn invalid_value(key: &str, value: &str) -> Self {
        FilterError::Invalid {
            key: key.to_string(),
            value: Some(value.to_string()),
        }
    }

    /// `Invalid filter '<key>=[a b]'`: all the key's values, as Go prints a `[]string`.
    pub fn invalid_values(key: &str, values: &[&str]) -> Self {
        FilterError::Invalid {
            key: key.to_string(),
            value: Some(format!("[{}]", values.join(" "))),
        }
    }

    /// Every filter error is the client's fault (moby's `InvalidParameter`).
    pub fn kind(&self) -> super::ErrorKind {
        super::ErrorKind::InvalidArgument
    }
}

/// Go's `strconv.Atoi` error: digits too many for an int are out of range, the rest bad syntax.
fn atoi_text(value: &str) -> String {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        "value out of range"
    } else {
        "invalid syntax"
    };
    format!("strconv.Atoi: parsing {}: {why}", go_quote(value))
}

fn invalid_text(key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("Invalid filter '{key}={v}'"),
        None => format!("Invalid filter '{key}'"),
    }
}

/// Docker's `filters.Args`: for each key, the set of values given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    fields: BTreeMap<String, BTreeSet<String>>,
}

impl Filters {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses repeated `--filter` flag values, as docker/cli's `FilterOpt.Set` does each one.
    pub fn from_flags<I, S>(flags: I) -> Result<Self, FilterFormatError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut f = Self::new();
        for flag in flags {
            f.add_flag(flag.as_ref())?;
        }
        Ok(f)
    }

    /// One `--filter` value: an empty string is ignored; otherwise it must contain `=`; the key
    /// is trimmed and lowercased, the value trimmed (`' Dangling = true '` is `dangling=true`).
    pub fn add_flag(&mut self, flag: &str) -> Result<(), FilterFormatError> {
        if flag.is_empty() {
            return Ok(());
        }
        let (key, value) = flag.split_once('=').ok_or(FilterFormatError)?;
        self.add(&key.trim().to_lowercase(), value.trim());
        Ok(())
    }

    /// Adds a value to a key.
    pub fn add(&mut self, key: &str, value: &str) {
        self.fields
            .entry(key.to_string())
            .or_default()
            .insert(value.to_string());
    }

    /// Removes one value of a key (and the key when it was the last).
    pub fn del(&mut self, key: &str, value: &str) {
        if let Some(values) = self.fields.get_mut(key) {
            values.remove(value);
            if values.is_empty() {
                self.fields.remove(key);
            }
        }
    }

    /// Whether no filter was given.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the key was given.
    pub fn contains(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// The values of a key, sorted (empty when absent).
    pub fn get(&self, key: &str) -> Vec<&str> {
        self.fields
            .get(key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// `Validate`: every key must be in `accepted`, else `Invalid filter '<key>'` (the first, in
    /// sorted order, where Go would pick one at random).
    pub fn validate(&self, accepted: &[&str]) -> Result<(), FilterError> {
        match self.keys().find(|k| !accepted.contains(k)) {
            Some(k) => Err(FilterError::invalid_key(k)),
            None => Ok(()),
        }
    }

    /// `ExactMatch`: true when the key is absent or has no values, else whether `source` is
    /// one of its values.
    pub fn exact_match(&self, key: &str, source: &str) -> bool {
        match self.fields.get(key) {
            None => true,
            Some(v) if v.is_empty() => true,
            Some(v) => v.contains(source),
        }
    }

    /// `UniqueExactMatch`: like [`Filters::exact_match`], but a key with several values never
    /// matches.
    pub fn unique_exact_match(&self, key: &str, source: &str) -> bool {
        match self.fields.get(key) {
            None => true,
            Some(v) if v.is_empty() => true,
            Some(v) => v.len() == 1 && v.contains(source),
        }
    }

    /// `FuzzyMatch`: true when the key is absent, or a value equals `source` or is a prefix of
    /// it.
    pub fn fuzzy_match(&self, key: &str, source: &str) -> bool {
        match self.fields.get(key) {
            None => true,
            Some(v) => v.contains(source) || v.iter().any(|p| source.starts_with(p.as_str())),
        }
    }

    /// `Match`: true when a value equals `source` or, read as a regular expression, matches
    /// somewhere in it (a value that is not a valid expression is skipped, as in Go). An absent
    /// key matches nothing; callers test [`Filters::contains`] first, as dockerd does.
    pub fn match_regex(&self, key: &str, source: &str) -> bool {
        let Some(values) = self.fields.get(key) else {
            return false;
        };
        values.contains(source)
            || values
                .iter()
                .any(|v| regex::Regex::new(v).is_ok_and(|re| re.is_match(source)))
    }

    /// `docker images`' `dangling=`: `true` or `false` exactly (`true` wins when both are
    /// given); anything else is `Invalid filter 'dangling=[…]'`. `None` when absent.
    pub fn exact_bool(&self, key: &str) -> Result<Option<bool>, FilterError> {
        if !self.contains(key) {
            return Ok(None);
        }
        if self.exact_match(key, "true") {
            Ok(Some(true))
        } else if self.exact_match(key, "false") {
            Ok(Some(false))
        } else {
            Err(FilterError::invalid_values(key, &self.get(key)))
        }
    }

    /// 20.10's `image prune` reading of `dangling=`: `false`/`0` anywhere gives `false`, else
    /// `true`/`1` gives `true`, else `Invalid filter 'dangling=[…]'`; `default` when absent.
    pub fn prune_bool(&self, key: &str, default: bool) -> Result<bool, FilterError> {
        if !self.contains(key) {
            return Ok(default);
        }
        if self.exact_match(key, "false") || self.exact_match(key, "0") {
            Ok(false)
        } else if self.exact_match(key, "true") || self.exact_match(key, "1") {
            Ok(true)
        } else {
            Err(FilterError::invalid_values(key, &self.get(key)))
        }
    }

    /// `GetBoolOrDefault`: `true`/`1` or `false`/`0`; both, or neither, is
    /// `Invalid filter '<key>=[…]'`; `default` when absent.
    pub fn get_bool_or_default(&self, key: &str, default: bool) -> Result<bool, FilterError> {
        let Some(values) = self.fields.get(key) else {
            return Ok(default);
        };
        let is_false = values.contains("0") || values.contains("false");
        let is_true = values.contains("1") || values.contains("true");
        if is_false == is_true {
            let key_values = self.get(key);
            return Err(if key_values.is_empty() {
                FilterError::invalid_key(key)
            } else {
                FilterError::invalid_values(key, &key_values)
            });
        }
        Ok(is_true)
    }

    /// The one value of a key that may be given once; `more than one <key> filter specified`.
    pub fn single(&self, key: &str) -> Result<Option<&str>, FilterError> {
        let values = self.get(key);
        match values.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(FilterError::MoreThanOne {
                key: key.to_string(),
            }),
        }
    }

    /// A prune's `until=`, as moby's `getUntilFromPruneFilters`: at most one value, read with
    /// [`get_timestamp`] relative to `now` (Go durations count back from `now`).
    pub fn until(&self, now: Timestamp, local: Offset) -> Result<Option<Timestamp>, FilterError> {
        match self.single("until")? {
            None => Ok(None),
            Some(v) => Ok(Some(get_timestamp_in(v, now, local)?)),
        }
    }

    /// `MatchKVList` on `key` (`label`): true when the key is absent; else every value must
    /// match: `k` needs the label to exist, `k=v` needs it to equal `v`.
    pub fn match_kv_list(&self, key: &str, labels: &BTreeMap<String, String>) -> bool {
        let Some(values) = self.fields.get(key).filter(|v| !v.is_empty()) else {
            return true;
        };
        if labels.is_empty() {
            return false;
        }
        values.iter().all(|value| match value.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|l| l == v),
            None => labels.contains_key(value.as_str()),
        })
    }

    /// A prune's `label=` and `label!=` together (moby's `matchLabels`): all `label` values
    /// match, and not all `label!` values match.
    pub fn match_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        if !self.match_kv_list("label", labels) {
            return false;
        }
        !(self.contains("label!") && self.match_kv_list("label!", labels))
    }

    /// `docker images`' `reference=`: true when absent, else whether any pattern matches the
    /// reference as [`familiar_match`] does. A malformed pattern is an error (the daemon
    /// returns it as soon as one reference is tested).
    pub fn match_reference(&self, reference: &Reference) -> Result<bool, FilterError> {
        let Some(patterns) = self.fields.get("reference") else {
            return Ok(true);
        };
        for pattern in patterns {
            if familiar_match(pattern, reference)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// distribution's `FamiliarMatch`: the glob against the familiar string (`ubuntu:20.04`), and
/// failing that against the familiar name (`ubuntu`). The error is the first match's, as in Go.
pub fn familiar_match(pattern: &str, reference: &Reference) -> Result<bool, BadPattern> {
    let first = glob_match(pattern, &reference.familiar());
    if let Ok(true) = first {
        return Ok(true);
    }
    let second = glob_match(pattern, &reference.familiar_name()).unwrap_or(false);
    first.map(|_| second)
}

// ---------------------------------------------------------------------------------------------
// Go's path.Match
// ---------------------------------------------------------------------------------------------

/// Go's `path.ErrBadPattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("syntax error in pattern")]
pub struct BadPattern;

/// Go's `path.Match`: `*` (any run without `/`), `?` (one character but `/`), `[…]` classes
/// with `^` negation and `a-z` ranges, `\` escapes. A malformed pattern is an error even when
/// the name would not match (Go 1.16+ checks the rest of the pattern).
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing * matches the rest of the name unless it has a /.
            return Ok(!name.contains(&b'/'));
        }
        let first = match_chunk(chunk, name);
        if let Ok(Some(t)) = first
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        first?;
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    // The last chunk must use up the name.
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // No match: still report a malformed rest of the pattern.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off leading stars and the chunk up to the next star outside a class.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // An escaped character is skipped (a trailing `\` is reported by match_chunk).
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches `chunk` at the start of `s`: the rest of `s` on a match, `None` on a mismatch.
/// After a mismatch it keeps reading the chunk, to report a malformed one.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<Option<&'a [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if ranges > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok((!failed).then_some(s))
}

/// One (possibly escaped) character of a class, and the rest of the chunk.
fn get_esc(mut chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        Some(_) => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == RUNE_ERROR && n == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

const RUNE_ERROR: u32 = 0xFFFD;

/// Go's `utf8.DecodeRuneInString`: the first character and its length; `(RuneError, 1)` for a
/// bad byte, `(RuneError, 0)` for an empty slice.
fn decode_rune(s: &[u8]) -> (u32, usize) {
    if s.is_empty() {
        return (RUNE_ERROR, 0);
    }
    let head = &s[..s.len().min(4)];
    let valid = match std::str::from_utf8(head) {
        Ok(v) => v,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => (c as u32, c.len_utf8()),
        None => (RUNE_ERROR, 1),
    }
}

// ---------------------------------------------------------------------------------------------
// moby's api/types/time.GetTimestamp
// ---------------------------------------------------------------------------------------------

/// Why an `until` / `since` value is not a time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// Neither a duration, a date nor a Unix timestamp.
    #[error("failed to parse value as time or duration: {}", go_quote(value))]
    Unparsable { value: String },
    /// It has a `-`, so it was read as a date, and Go's `time.Parse` refused it.
    #[error(transparent)]
    Time(#[from] TimeParseError),
}

/// Go's `time.ParseError`, with Go's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text())]
pub struct TimeParseError {
    layout: &'static str,
    value: String,
    layout_elem: &'static str,
    value_elem: String,
    /// Set for range and extra-text errors: `: month out of range`, `: extra text: "x"`.
    message: Option<String>,
}

impl TimeParseError {
    fn text(&self) -> String {
        match &self.message {
            Some(m) => format!("parsing time {}{m}", time_quote(&self.value)),
            None => format!(
                "parsing time {} as {}: cannot parse {} as {}",
                time_quote(&self.value),
                time_quote(self.layout),
                time_quote(&self.value_elem),
                time_quote(self.layout_elem)
            ),
        }
    }
}

/// [`get_timestamp_in`] with the system time zone's offset at `now` (the daemon's
/// `time.FixedZone(time.Now().Zone())`).
pub fn get_timestamp(value: &str, now: Timestamp) -> Result<Timestamp, TimestampError> {
    let local = jiff::tz::TimeZone::system().to_offset(now);
    get_timestamp_in(value, now, local)
}

/// moby's `GetTimestamp` followed by `ParseTimestamps`, as prune's `until` and the `since` /
/// `until` of `logs` and `events` read a time:
///
/// * a Go duration (`10m`, `1h30m`, `1.5h`, `-5m`) counts back from `now`, to whole seconds;
/// * a date: `2006-01-02`, `2006-01-02T15`, `2006-01-02T15:04`, `2006-01-02T15:04:05`, with
///   optional fractional seconds; in `local` unless it has `Z`, `+hh:mm` or a third `-`
///   (a `-hh:mm` offset) — then RFC 3339 (`2006-01-02Z07:00` for a bare date);
/// * a Unix timestamp with optional fraction (`1700000000`, `1700000000.5`, `0`).
///
/// A value with a `-` that fails as a date is Go's parse error; anything else that fails is
/// `failed to parse value as time or duration: "<value>"`.
pub fn get_timestamp_in(
    value: &str,
    now: Timestamp,
    local: Offset,
) -> Result<Timestamp, TimestampError> {
    if value != "0"
        && let Some(nanos) = parse_go_duration(value)
    {
        let at = now
            .checked_sub(jiff::SignedDuration::from_nanos(nanos))
            .unwrap_or(if nanos > 0 {
                Timestamp::MIN
            } else {
                Timestamp::MAX
            });
        // GetTimestamp formats `reference.Add(-d).Unix()`: whole seconds, rounded down.
        let mut secs = at.as_second();
        if at.subsec_nanosecond() < 0 {
            secs -= 1;
        }
        return Ok(from_unix(secs, 0));
    }
    let in_local = !value.contains(['z', 'Z', '+']) && value.matches('-').count() != 3;
    let layout = if value.contains('.') {
        if in_local {
            "2006-01-02T15:04:05.999999999"
        } else {
            "2006-01-02T15:04:05.999999999Z07:00"
        }
    } else if value.contains('T') {
        let mut colons = value.matches(':').count();
        if !in_local && !value.contains(['z', 'Z']) && colons > 0 {
            colons -= 1;
        }
        match (in_local, colons) {
            (true, 0) => "2006-01-02T15",
            (true, 1) => "2006-01-02T15:04",
            (true, _) => "2006-01-02T15:04:05",
            (false, 0) => "2006-01-02T15Z07:00",
            (false, 1) => "2006-01-02T15:04Z07:00",
            (false, _) => "2006-01-02T15:04:05Z07:00",
        }
    } else if in_local {
        "2006-01-02"
    } else {
        "2006-01-02Z07:00"
    };
    match go_time_parse(layout, value, local) {
        Ok(t) => Ok(t),
        Err(e) if value.contains('-') => Err(e.into()),
        Err(_) => parse_unix(value).ok_or_else(|| TimestampError::Unparsable {
            value: value.to_string(),
        }),
    }
}

fn from_unix(secs: i64, nanos: i64) -> Timestamp {
    let secs = secs.saturating_add(nanos.div_euclid(1_000_000_000));
    let nanos = nanos.rem_euclid(1_000_000_000) as i32;
    Timestamp::new(secs, nanos).unwrap_or(if secs < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// moby's `parseTimestamp`: `<int>[.<int>]`, the fraction scaled to nanoseconds.
fn parse_unix(value: &str) -> Option<Timestamp> {
    let (s, frac) = match value.split_once('.') {
        Some((s, f)) => (s, Some(f)),
        None => (value, None),
    };
    let secs = go_parse_int(s)?;
    let nanos = match frac {
        None => 0,
        Some(f) => {
            let n = go_parse_int(f)?;
            let digits = i32::try_from(f.len()).unwrap_or(i32::MAX);
            (n as f64 * 10f64.powi(9i32.saturating_sub(digits))) as i64
        }
    };
    Some(from_unix(secs, nanos))
}

/// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign, then ASCII digits.
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `time.Duration.String`.
pub fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let s = if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        format!("{}{unit}", frac(u, div))
    } else {
        let h = u / 3_600_000_000_000;
        let m = (u / 60_000_000_000) % 60;
        let secs = frac(u % 60_000_000_000, 1_000_000_000);
        if h > 0 {
            format!("{h}h{m}m{secs}s")
        } else if m > 0 {
            format!("{m}m{secs}s")
        } else {
            format!("{secs}s")
        }
    };
    if neg { format!("-{s}") } else { s }
}

fn frac(v: u64, div: u64) -> String {
    let whole = v / div;
    let rest = v % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{rest:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// Go's `time.ParseDuration`, in nanoseconds: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units `ns`,
/// `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`; `0` alone needs no unit.
pub fn parse_go_duration(value: &str) -> Option<i64> {
    const LIMIT: u64 = 1 << 63;
    let (neg, mut s) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return None;
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for &d in &b[..int_len] {
            if v > LIMIT / 10 {
                return None;
            }
            v = v * 10 + u64::from(d - b'0');
            if v > LIMIT {
                return None;
            }
        }
        s = &s[int_len..];
        let pre = int_len > 0;
        let (mut frac, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for d in rest.bytes().take(frac_len) {
                if overflow {
                    continue;
                }
                if frac > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = frac * 10 + u64::from(d - b'0');
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                frac = y;
                scale *= 10.0;
            }
            post = frac_len > 0;
            s = &rest[frac_len..];
        }
        if !pre && !post {
            return None;
        }
        let unit_len = s
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        let unit: u64 = match &s[..unit_len] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        s = &s[unit_len..];
        if v > LIMIT / unit {
            return None;
        }
        v *= unit;
        if frac > 0 {
            v += (frac as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return None;
            }
        }
        total = total.checked_add(v)?;
        if total > LIMIT {
            return None;
        }
    }
    if neg {
        // -(1<<63) is representable.
        return Some(0i64.wrapping_sub_unsigned(total));
    }
    i64::try_from(total).ok()
}

/// The layout elements GetTimestamp's layouts use.
#[derive(Clone, Copy)]
enum Elem {
    Lit(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac,
    Zone,
}

impl Elem {
    fn text(self) -> &'static str {
        match self {
            Elem::Lit(s) => s,
            Elem::Year => "2006",
            Elem::Month => "01",
            Elem::Day => "02",
            Elem::Hour => "15",
            Elem::Minute => "04",
            Elem::Second => "05",
            Elem::Frac => ".999999999",
            Elem::Zone => "Z07:00",
        }
    }
}

fn layout_elems(layout: &str) -> Vec<Elem> {
    let mut out = Vec::new();
    let mut rest = layout;
    let table = [
        Elem::Year,
        Elem::Month,
        Elem::Day,
        Elem::Hour,
        Elem::Minute,
        Elem::Second,
        Elem::Frac,
        Elem::Zone,
        Elem::Lit("-"),
        Elem::Lit("T"),
        Elem::Lit(":"),
    ];
    while !rest.is_empty() {
        match table.iter().find(|e| rest.starts_with(e.text())) {
            Some(e) => {
                out.push(*e);
                rest = &rest[e.text().len()..];
            }
            None => break,
        }
    }
    out
}

/// Go's `getnum`: one or two digits (`fixed`: exactly two).
fn getnum(v: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = v.as_bytes();
    let d0 = b.first().filter(|c| c.is_ascii_digit())?;
    match b.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some((i64::from(d0 - b'0') * 10 + i64::from(d1 - b'0'), &v[2..])),
        None if fixed => None,
        None => Some((i64::from(d0 - b'0'), &v[1..])),
    }
}

/// Go 1.19's `time.Parse` / `time.ParseInLocation` for the layouts above.
fn go_time_parse(
    layout: &'static str,
    value: &str,
    local: Offset,
) -> Result<Timestamp, TimeParseError> {
    let elems = layout_elems(layout);
    let bad = |elem: Elem, rest: &str| TimeParseError {
        layout,
        value: value.to_string(),
        layout_elem: elem.text(),
        value_elem: rest.to_string(),
        message: None,
    };
    let range = |what: &str| TimeParseError {
        layout,
        value: value.to_string(),
        layout_elem: "",
        value_elem: String::new(),
        message: Some(format!(": {what} out of range")),
    };
    let (mut year, mut month, mut day) = (0i64, 1i64, 1i64);
    let (mut hour, mut minute, mut second, mut nanos) = (0i64, 0i64, 0i64, 0i64);
    let mut offset: Option<i32> = None;
    let mut v = value;
    for (i, &elem) in elems.iter().enumerate() {
        let hold = v;
        match elem {
            Elem::Lit(lit) => v = v.strip_prefix(lit).ok_or_else(|| bad(elem, hold))?,
            Elem::Year => {
                let digits = v.get(..4).filter(|d| d.bytes().all(|c| c.is_ascii_digit()));
                let digits = digits.ok_or_else(|| bad(elem, hold))?;
                year = digits.parse().map_err(|_| bad(elem, hold))?;
                v = &v[4..];
            }
            Elem::Month => {
                (month, v) = getnum(v, true).ok_or_else(|| bad(elem, hold))?;
                if !(1..=12).contains(&month) {
                    return Err(range("month"));
                }
            }
            Elem::Day => (day, v) = getnum(v, true).ok_or_else(|| bad(elem, hold))?,
            Elem::Hour => {
                (hour, v) = getnum(v, false).ok_or_else(|| bad(elem, hold))?;
                if hour >= 24 {
                    return Err(range("hour"));
                }
            }
            Elem::Minute => {
                (minute, v) = getnum(v, true).ok_or_else(|| bad(elem, hold))?;
                if minute >= 60 {
                    return Err(range("minute"));
                }
            }
            Elem::Second => {
                (second, v) = getnum(v, true).ok_or_else(|| bad(elem, hold))?;
                if second >= 60 {
                    return Err(range("second"));
                }
                // A fraction the layout does not ask for is still read.
                let frac_next = matches!(elems.get(i + 1), Some(Elem::Frac));
                let b = v.as_bytes();
                if !frac_next
                    && b.len() >= 2
                    && (b[0] == b'.' || b[0] == b',')
                    && b[1].is_ascii_digit()
                {
                    let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nanos = parse_nanos(&v[1..n]);
                    v = &v[n..];
                }
            }
            Elem::Frac => {
                let b = v.as_bytes();
                if b.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
                    let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    nanos = parse_nanos(&v[1..n]);
                    v = &v[n..];
                }
            }
            Elem::Zone => {
                if let Some(rest) = v.strip_prefix('Z') {
                    offset = Some(0);
                    v = rest;
                } else {
                    let b = v.as_bytes();
                    if b.len() < 6 || b[3] != b':' {
                        return Err(bad(elem, hold));
                    }
                    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|d| getnum(d, true));
                    let (hh, _) = num(1..3).ok_or_else(|| bad(elem, hold))?;
                    let (mm, _) = num(4..6).ok_or_else(|| bad(elem, hold))?;
                    let secs = i32::try_from((hh * 60 + mm) * 60).map_err(|_| bad(elem, hold))?;
                    offset = Some(match b[0] {
                        b'+' => secs,
                        b'-' => -secs,
                        _ => return Err(bad(elem, hold)),
                    });
                    v = &v[6..];
                }
            }
        }
    }
    if !v.is_empty() {
        return Err(TimeParseError {
            layout,
            value: value.to_string(),
            layout_elem: "",
            value_elem: v.to_string(),
            message: Some(format!(": extra text: {}", time_quote(v))),
        });
    }
    let date = i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok())
        .and_then(|(y, m)| jiff::civil::Date::new(y, m, 1).ok());
    let days_in_month = date.map_or(31, |d| i64::from(d.days_in_month()));
    if day < 1 || day > days_in_month {
        return Err(range("day"));
    }
    let dt = jiff::civil::DateTime::new(
        i16::try_from(year).unwrap_or_default(),
        i8::try_from(month).unwrap_or(1),
        i8::try_from(day).unwrap_or(1),
        i8::try_from(hour).unwrap_or_default(),
        i8::try_from(minute).unwrap_or_default(),
        i8::try_from(second).unwrap_or_default(),
        i32::try_from(nanos).unwrap_or_default(),
    )
    .map_err(|_| range("day"))?;
    let offset = match offset {
        Some(secs) => Offset::from_seconds(secs).map_err(|_| bad(Elem::Zone, ""))?,
        None => local,
    };
    offset.to_timestamp(dt).map_err(|_| range("year"))
}

/// Go's `parseNanoseconds` on the digits after the separator: at most 9 are read.
fn parse_nanos(digits: &str) -> i64 {
    let used = &digits[..digits.len().min(9)];
    let mut n: i64 = used.parse().unwrap_or_default();
    for _ in used.len()..9 {
        n *= 10;
    }
    n
}

/// The `quote` of Go's time package: `"`, `\` escaped; bytes outside printable ASCII as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for &b in s.as_bytes() {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// Go's `%q` (`strconv.Quote`) for the texts that reach us.
pub(crate) fn go_quote(s: &str) -> String {
    use fmt::Write as _;
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(flags: &[&str]) -> Filters {
        Filters::from_flags(flags).unwrap_or_else(|e| panic!("{flags:?}: {e}"))
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn reference(s: &str) -> Reference {
        Reference::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn flag_parsing() {
        let f = filters(&["dangling=true", " Label = a=b ", "", "label=c", "label=c"]);
        assert_eq!(f.keys().collect::<Vec<_>>(), ["dangling", "label"]);
        assert_eq!(f.get("label"), ["a=b", "c"]);
        assert_eq!(f.get("nope"), Vec::<&str>::new());
        assert_eq!(f.len(), 2);
        assert!(Filters::new().is_empty());
        let f = filters(&["until="]);
        assert_eq!(f.get("until"), [""]);
        assert_eq!(
            Filters::from_flags(["dangling"]).map_err(|e| e.to_string()),
            Err("bad format of filter (expected name=value)".to_string())
        );
        let mut f = filters(&["a=1", "a=2"]);
        f.del("a", "1");
        assert_eq!(f.get("a"), ["2"]);
        f.del("a", "2");
        assert!(!f.contains("a"));
    }

    #[test]
    fn validation_and_error_texts() {
        let accepted = ["dangling", "label", "before", "since", "reference"];
        assert_eq!(
            filters(&["dangling=true", "label=x"]).validate(&accepted),
            Ok(())
        );
        let err = |flags: &[&str]| {
            filters(flags)
                .validate(&accepted)
                .map_err(|e| e.to_string())
        };
        assert_eq!(err(&["foo=bar"]), Err("Invalid filter 'foo'".to_string()));
        // `label!=x` splits at the first `=`: the key is `label!`.
        assert_eq!(
            err(&["label!=x"]),
            Err("Invalid filter 'label!'".to_string())
        );
        assert_eq!(
            FilterError::invalid_value("stars", "abc").to_string(),
            "Invalid filter 'stars=abc'"
        );
        assert_eq!(
            FilterError::MoreThanOne {
                key: "until".into()
            }
            .to_string(),
            "more than one until filter specified"
        );
    }

    #[test]
    fn images_dangling() {
        let text = |flags: &[&str]| {
            filters(flags)
                .exact_bool("dangling")
                .map_err(|e| e.to_string())
        };
        assert_eq!(text(&[]), Ok(None));
        assert_eq!(text(&["dangling=true"]), Ok(Some(true)));
        assert_eq!(text(&["dangling=false"]), Ok(Some(false)));
        assert_eq!(text(&["dangling=true", "dangling=false"]), Ok(Some(true)));
        assert_eq!(
            text(&["dangling=yes"]),
            Err("Invalid filter 'dangling=[yes]'".into())
        );
        assert_eq!(
            text(&["dangling=1"]),
            Err("Invalid filter 'dangling=[1]'".into())
        );
        assert_eq!(
            text(&["dangling=TRUE"]),
            Err("Invalid filter 'dangling=[TRUE]'".into())
        );
        assert_eq!(
            text(&["dangling=no", "dangling=yes"]),
            Err("Invalid filter 'dangling=[no yes]'".into())
        );
    }

    #[test]
    fn bool_filters() {
        let prune = |flags: &[&str]| {
            filters(flags)
                .prune_bool("dangling", true)
                .map_err(|e| e.to_string())
        };
        assert_eq!(prune(&[]), Ok(true));
        assert_eq!(prune(&["dangling=0"]), Ok(false));
        assert_eq!(prune(&["dangling=1"]), Ok(true));
        assert_eq!(prune(&["dangling=true", "dangling=false"]), Ok(false));
        assert_eq!(
            prune(&["dangling=x"]),
            Err("Invalid filter 'dangling=[x]'".into())
        );

        let get = |flags: &[&str]| {
            filters(flags)
                .get_bool_or_default("dangling", true)
                .map_err(|e| e.to_string())
        };
        assert_eq!(get(&[]), Ok(true));
        assert_eq!(get(&["dangling=false"]), Ok(false));
        assert_eq!(get(&["dangling=0"]), Ok(false));
        assert_eq!(get(&["dangling=1"]), Ok(true));
        assert_eq!(get(&["dangling=true", "dangling=1"]), Ok(true));
        assert_eq!(
            get(&["dangling=true", "dangling=0"]),
            Err("Invalid filter 'dangling=[0 true]'".into())
        );
        assert_eq!(
            get(&["dangling=yes"]),
            Err("Invalid filter 'dangling=[yes]'".into())
        );
    }

    #[test]
    fn exact_fuzzy_unique() {
        let f = filters(&["name=foo", "id=abc", "id=abd"]);
        assert!(f.exact_match("name", "foo"));
        assert!(!f.exact_match("name", "fo"));
        assert!(f.exact_match("absent", "x"));
        assert!(f.unique_exact_match("name", "foo"));
        assert!(!f.unique_exact_match("id", "abc"));
        assert!(f.fuzzy_match("name", "foobar"));
        assert!(!f.fuzzy_match("name", "bar"));
        assert!(f.fuzzy_match("absent", "x"));
    }

    #[test]
    fn single_values() {
        assert_eq!(filters(&[]).single("until"), Ok(None));
        assert_eq!(filters(&["until=1h"]).single("until"), Ok(Some("1h")));
        // The same value twice is one value (a set, as in Go).
        assert_eq!(
            filters(&["until=1h", "until=1h"]).single("until"),
            Ok(Some("1h"))
        );
        assert_eq!(
            filters(&["until=1h", "until=2h"])
                .single("until")
                .map_err(|e| e.to_string()),
            Err("more than one until filter specified".into())
        );
    }

    #[test]
    fn labels_match_kv_list() {
        let l = labels(&[("a", "1"), ("b", "")]);
        let cases: &[(&[&str], bool)] = &[
            (&[], true),
            (&["label=a"], true),
            (&["label=a=1"], true),
            (&["label=a=2"], false),
            (&["label=b="], true),
            (&["label=b"], true),
            (&["label=c"], false),
            (&["label=a", "label=b"], true),
            (&["label=a", "label=c"], false),
            // `label=k=v=w` compares the value `v=w`.
            (&["label=a=1=2"], false),
        ];
        for (flags, want) in cases {
            assert_eq!(
                filters(flags).match_kv_list("label", &l),
                *want,
                "{flags:?}"
            );
        }
        assert!(!filters(&["label=a"]).match_kv_list("label", &BTreeMap::new()));
        assert!(filters(&[]).match_kv_list("label", &BTreeMap::new()));
    }

    #[test]
    fn prune_labels() {
        let l = labels(&[("a", "1"), ("b", "2")]);
        let cases: &[(&[&str], bool)] = &[
            (&[], true),
            (&["label!=a"], false),
            (&["label!=c"], true),
            (&["label!=a=2"], true),
            (&["label!=a=1"], false),
            // Excluded only when every label! matches.
            (&["label!=a", "label!=c"], true),
            (&["label!=a", "label!=b"], false),
            (&["label=a", "label!=b=3"], true),
            (&["label=c", "label!=b=3"], false),
        ];
        for (flags, want) in cases {
            assert_eq!(filters(flags).match_labels(&l), *want, "{flags:?}");
        }
        assert!(filters(&["label!=a"]).match_labels(&BTreeMap::new()));
    }

    /// Go's `path` package `matchTests`.
    #[test]
    fn go_path_match_cases() {
        let bad = Err(BadPattern);
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", bad),
            ("[-]", "-", bad),
            ("[x-]", "x", bad),
            ("[x-]", "-", bad),
            ("[x-]", "z", bad),
            ("[-x]", "x", bad),
            ("[-x]", "-", bad),
            ("[-x]", "a", bad),
            ("\\", "a", bad),
            ("[a-b-c]", "a", bad),
            ("[", "a", bad),
            ("[^", "a", bad),
            ("[^bc", "a", bad),
            ("a[", "a", bad),
            ("a[", "ab", bad),
            ("a[", "x", bad),
            ("a/b[", "x", bad),
            ("*x", "xxx", Ok(true)),
            ("", "", Ok(true)),
            ("", "a", Ok(false)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(glob_match(pattern, name), *want, "{pattern:?} {name:?}");
        }
    }

    #[test]
    fn reference_filters() {
        let java = reference("java:8");
        let cases: &[(&str, bool)] = &[
            ("java", true),
            ("jav", false),
            ("ja*", true),
            ("java:8", true),
            ("java:*", true),
            ("java:7", false),
            ("*/java", false),
            ("library/java", false),
            ("docker.io/library/java", false),
        ];
        for (pattern, want) in cases {
            assert_eq!(familiar_match(pattern, &java), Ok(*want), "{pattern}");
        }
        let hub_user = reference("bob/app:1");
        assert_eq!(familiar_match("bob/*", &hub_user), Ok(true));
        assert_eq!(familiar_match("*", &hub_user), Ok(false));
        let private = reference("localhost:5000/app:1");
        assert_eq!(familiar_match("localhost:5000/*", &private), Ok(true));
        assert_eq!(familiar_match("[", &private), Err(BadPattern));

        assert_eq!(filters(&[]).match_reference(&java), Ok(true));
        assert_eq!(
            filters(&["reference=nope", "reference=j*"]).match_reference(&java),
            Ok(true)
        );
        assert_eq!(
            filters(&["reference=nope"]).match_reference(&java),
            Ok(false)
        );
        assert_eq!(
            filters(&["reference=a["])
                .match_reference(&java)
                .map_err(|e| e.to_string()),
            Err("syntax error in pattern".into())
        );
    }

    #[test]
    fn go_durations() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("-0", Some(0)),
            ("+0", Some(0)),
            ("5s", Some(5_000_000_000)),
            ("30s", Some(30_000_000_000)),
            ("1478s", Some(1_478_000_000_000)),
            ("-5s", Some(-5_000_000_000)),
            ("+5s", Some(5_000_000_000)),
            ("-0s", Some(0)),
            ("5.0s", Some(5_000_000_000)),
            ("5.6s", Some(5_600_000_000)),
            ("5.s", Some(5_000_000_000)),
            (".5s", Some(500_000_000)),
            ("1.0s", Some(1_000_000_000)),
            ("1.00s", Some(1_000_000_000)),
            ("1.004s", Some(1_004_000_000)),
            ("100.00100s", Some(100_001_000_000)),
            ("10ns", Some(10)),
            ("11us", Some(11_000)),
            ("12µs", Some(12_000)),
            ("12μs", Some(12_000)),
            ("13ms", Some(13_000_000)),
            ("14s", Some(14_000_000_000)),
            ("15m", Some(900_000_000_000)),
            ("16h", Some(57_600_000_000_000)),
            ("3h30m", Some(12_600_000_000_000)),
            ("10.5s4m", Some(250_500_000_000)),
            ("-2m3.4s", Some(-123_400_000_000)),
            ("1h2m3s4ms5us6ns", Some(3_723_004_005_006)),
            ("39h9m14.425s", Some(140_954_425_000_000)),
            ("52763797000ns", Some(52_763_797_000)),
            ("0.3333333333333333333h", Some(1_200_000_000_000)),
            ("9007199254740993ns", Some(9_007_199_254_740_993)),
            ("9223372036854775807ns", Some(i64::MAX)),
            ("9223372036854775.807us", Some(i64::MAX)),
            ("-9223372036854775808ns", Some(i64::MIN)),
            ("1.5h", Some(5_400_000_000_000)),
            ("", None),
            ("3", None),
            ("-", None),
            ("s", None),
            (".", None),
            ("-.", None),
            (".s", None),
            ("+.s", None),
            ("1d", None),
            ("1e3", None),
            ("1h30x", None),
            ("9223372036854775808ns", None),
            ("9223372036854775.808us", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_go_duration(input), *want, "{input:?}");
        }
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn unix(t: Timestamp) -> String {
        format!("{}.{:09}", t.as_second(), t.subsec_nanosecond())
    }

    /// moby's `TestGetTimestamp`, with `now` in UTC.
    #[test]
    fn moby_get_timestamp_cases() {
        let now = ts("2024-05-06T07:08:09.5Z");
        let utc = Offset::UTC;
        let cases: &[(&str, Option<&str>)] = &[
            (
                "2006-01-02T15:04:05.999999999+07:00",
                Some("1136189045.999999999"),
            ),
            (
                "2006-01-02T15:04:05.999999999Z",
                Some("1136214245.999999999"),
            ),
            (
                "2006-01-02T15:04:05.999999999",
                Some("1136214245.999999999"),
            ),
            ("2006-01-02T15:04:05Z", Some("1136214245.000000000")),
            ("2006-01-02T15:04:05", Some("1136214245.000000000")),
            ("2006-01-02T15:04:0Z", None),
            ("2006-01-02T15:04:0", None),
            ("2006-01-02T15:04Z", Some("1136214240.000000000")),
            ("2006-01-02T15:04+00:00", Some("1136214240.000000000")),
            ("2006-01-02T15:04-00:00", Some("1136214240.000000000")),
            ("2006-01-02T15:04", Some("1136214240.000000000")),
            ("2006-01-02T15:0Z", None),
            ("2006-01-02T15:0", None),
            ("2006-01-02T15Z", Some("1136214000.000000000")),
            ("2006-01-02T15+00:00", Some("1136214000.000000000")),
            ("2006-01-02T15-00:00", Some("1136214000.000000000")),
            ("2006-01-02T15", Some("1136214000.000000000")),
            ("2006-01-02T1Z", Some("1136163600.000000000")),
            ("2006-01-02T1", Some("1136163600.000000000")),
            ("2006-01-02TZ", None),
            ("2006-01-02T", None),
            ("2006-01-02+00:00", Some("1136160000.000000000")),
            ("2006-01-02-00:00", Some("1136160000.000000000")),
            ("2006-01-02-00:01", Some("1136160060.000000000")),
            ("2006-01-02Z", Some("1136160000.000000000")),
            ("2006-01-02", Some("1136160000.000000000")),
            ("2015-05-13T20:39:09Z", Some("1431549549.000000000")),
            ("1136073600", Some("1136073600.000000000")),
            ("1136073600.000000001", Some("1136073600.000000001")),
            ("1136073600.5", Some("1136073600.500000000")),
            ("0", Some("0.000000000")),
            ("1.5", Some("1.500000000")),
            ("+5", Some("5.000000000")),
            ("1m", Some("1714979229.000000000")),
            ("1.5h", Some("1714973889.000000000")),
            ("1h30m", Some("1714973889.000000000")),
            ("-10m", Some("1714979889.000000000")),
            ("invalid", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = get_timestamp_in(input, now, utc).map(unix).ok();
            assert_eq!(got.as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn local_offset_applies_without_a_zone() {
        let now = ts("2024-01-01T00:00:00Z");
        let plus2 = Offset::constant(2);
        let got = |v: &str| get_timestamp_in(v, now, plus2).map(unix).ok();
        assert_eq!(got("2006-01-02").as_deref(), Some("1136152800.000000000"));
        assert_eq!(got("2006-01-02Z").as_deref(), Some("1136160000.000000000"));
        assert_eq!(
            got("2006-01-02T15:04:05+01:00").as_deref(),
            Some("1136210645.000000000")
        );
        // A comma works as the fraction separator too (Go 1.17+).
        assert_eq!(
            got("2006-01-02T15:04:05,25").as_deref(),
            Some("1136207045.250000000")
        );
    }

    /// Error texts as dockerd 20.10.24 returns them for `image prune --filter until=…`.
    #[test]
    fn timestamp_error_texts() {
        let now = ts("2024-01-01T00:00:00Z");
        let err = |v: &str| match get_timestamp_in(v, now, Offset::UTC) {
            Ok(t) => panic!("{v:?} parsed as {t}"),
            Err(e) => e.to_string(),
        };
        let cases: &[(&str, &str)] = &[
            ("xyz", r#"failed to parse value as time or duration: "xyz""#),
            (
                "1h30x",
                r#"failed to parse value as time or duration: "1h30x""#,
            ),
            (
                "1.2.3",
                r#"failed to parse value as time or duration: "1.2.3""#,
            ),
            ("", r#"failed to parse value as time or duration: """#),
            ("1e3", r#"failed to parse value as time or duration: "1e3""#),
            (
                "99999999999999999999",
                r#"failed to parse value as time or duration: "99999999999999999999""#,
            ),
            (
                "2020-13-01",
                r#"parsing time "2020-13-01": month out of range"#,
            ),
            (
                "2020-02-30",
                r#"parsing time "2020-02-30": day out of range"#,
            ),
            (
                "2020-01-01T25",
                r#"parsing time "2020-01-01T25": hour out of range"#,
            ),
            (
                "2020-01-01T10:61",
                r#"parsing time "2020-01-01T10:61": minute out of range"#,
            ),
            (
                "2020-1-01",
                r#"parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01""#,
            ),
            (
                "abc-def",
                r#"parsing time "abc-def" as "2006-01-02": cannot parse "abc-def" as "2006""#,
            ),
            (
                "2020-01-01x",
                r#"parsing time "2020-01-01x": extra text: "x""#,
            ),
            (
                "2020-01-01T10:00:00.5z",
                r#"parsing time "2020-01-01T10:00:00.5z" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "z" as "Z07:00""#,
            ),
            (
                "2020/01-01",
                r#"parsing time "2020/01-01" as "2006-01-02": cannot parse "/01-01" as "-""#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(err(input), *want, "{input:?}");
        }
        // Leap years count.
        assert!(get_timestamp_in("2020-02-29", now, Offset::UTC).is_ok());
        assert!(get_timestamp_in("2021-02-29", now, Offset::UTC).is_err());
        // Go 1.19 does not range-check the zone offset.
        assert!(get_timestamp_in("2020-01-01T10:00:00+25:00", now, Offset::UTC).is_ok());
    }

    #[test]
    fn until_filter() {
        let now = ts("2024-01-01T00:00:00Z");
        let until = |flags: &[&str]| {
            filters(flags)
                .until(now, Offset::UTC)
                .map(|t| t.map(unix))
                .map_err(|e| e.to_string())
        };
        assert_eq!(until(&[]), Ok(None));
        assert_eq!(
            until(&["until=10m"]),
            Ok(Some("1704066600.000000000".into()))
        );
        assert_eq!(
            until(&["until=2020-01-01"]),
            Ok(Some("1577836800.000000000".into()))
        );
        assert_eq!(
            until(&["until=1h", "until=2h"]),
            Err("more than one until filter specified".into())
        );
        assert_eq!(
            until(&["until=xyz"]),
            Err(r#"failed to parse value as time or duration: "xyz""#.into())
        );
    }

    /// Odd bytes anywhere never panic (slicing is at ASCII boundaries only).
    #[test]
    fn no_panics_on_odd_input() {
        let now = ts("2024-01-01T00:00:00Z");
        let parts = [
            "", "€", "é", "2006", "-", "01", "02", "T", "15", ":", "04", "05", ".", ",", "5", "Z",
            "z", "+", "00", "[", "]", "^", "\\", "*", "?", "/", "a", "h", "µs",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let v = format!("2006-01-02{a}{b}{c}");
                    let _ = get_timestamp_in(&v, now, Offset::UTC);
                    let _ = get_timestamp_in(&format!("{v}+"), now, Offset::UTC);
                    let w = format!("{a}{b}{c}");
                    let _ = get_timestamp_in(&w, now, Offset::UTC);
                    let _ = parse_go_duration(&w);
                    let _ = glob_match(&w, "a€/b");
                    let _ = glob_match("a*[€-é]?", &w);
                    let _ = Reference::parse_any(&w);
                }
            }
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\x01é""#);
        assert_eq!(time_quote("a\"é"), r#""a\"\xc3\xa9""#);
    }
}
