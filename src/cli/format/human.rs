//! Human units as Docker prints them: sizes (`72.8MB`), durations (`2 weeks`) and Go's
//! `time.Time.String()` (`2021-10-05 19:05:42 +0000 UTC`).
//!
//! These mirror `github.com/docker/go-units` (`HumanSizeWithPrecision`, `HumanDuration`) and
//! Go's `fmt` `%g` verb, quirks included: 999 999 bytes at three digits is `1e+03kB`, because
//! Go rounds to three significant digits *after* choosing the unit. The `%g` emulation lives in
//! [`format_g`] and is shared with the template engine's `printf`.
//!
//! Owns no I/O and no clock: callers pass the duration or timestamp.

use jiff::{SignedDuration, Timestamp};

/// Decimal units used by go-units' `HumanSize` (powers of 1000).
const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// go-units `HumanSizeWithPrecision`: `fmt.Sprintf("%.*g%s", precision, size, unit)` after
/// dividing by 1000 until the value is below 1000 (or the units run out).
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    let mut size = size;
    let mut unit = 0;
    while size >= 1000.0 && unit < DECIMAL_UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", format_g(size, Some(precision)), DECIMAL_UNITS[unit])
}

/// go-units `HumanSize`: four significant digits (`72.78MB`, `2.048kB`).
pub fn human_size(bytes: i64) -> String {
    human_size_with_precision(bytes as f64, 4)
}

/// Three significant digits, as `docker images` and `docker history` print SIZE (`72.8MB`).
pub fn human_size3(bytes: i64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// go-units `HumanDuration` (without the ` ago` that callers append).
///
/// Thresholds follow go-units exactly: seconds and minutes truncate, hours round to nearest,
/// days/weeks/months derive from the rounded hours, months are 30 days and years 365 days.
pub fn human_duration(d: SignedDuration) -> String {
    let nanos = d.as_nanos();
    // Go: int(d.Seconds()) and int(d.Minutes()) truncate toward zero.
    let seconds = nanos / 1_000_000_000;
    if seconds < 1 {
        return "Less than a second".to_string();
    }
    if seconds == 1 {
        return "1 second".to_string();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_string();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // Go: int(d.Hours() + 0.5), on float64 hours.
    let hours = (nanos as f64 / 3.6e12 + 0.5) as i64;
    if hours == 1 {
        return "About an hour".to_string();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    // Go: int(d.Hours())/24/365 — truncated hours here, not rounded.
    format!("{} years", (nanos as f64 / 3.6e12) as i64 / 24 / 365)
}

/// [`human_duration`] for a whole number of seconds.
pub fn human_duration_secs(seconds: i64) -> String {
    human_duration(SignedDuration::from_secs(seconds))
}

/// Go's `time.Time.String()` for a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`, the
/// fraction trimmed of trailing zeros and left out when zero.
pub fn go_time_string(ts: Timestamp) -> String {
    let base = ts.strftime("%Y-%m-%d %H:%M:%S").to_string();
    let nanos = ts.subsec_nanosecond();
    if nanos == 0 {
        return format!("{base} +0000 UTC");
    }
    let frac = format!("{:09}", nanos.unsigned_abs());
    format!("{base}.{} +0000 UTC", frac.trim_end_matches('0'))
}

/// Decimal digits of a finite, non-negative float: `digits` without trailing zeros (at least
/// one digit, "0" for zero) and the decimal point position `dp`, meaning the value is
/// `0.d1d2d3… × 10^dp` — the shape Go's `strconv` works on.
struct Decimal {
    digits: Vec<u8>,
    dp: i32,
}

impl Decimal {
    /// Rounds `v` (finite, non-negative) to `sig` significant digits, or to the shortest
    /// representation that round-trips when `sig` is `None`.
    fn new(v: f64, sig: Option<usize>) -> Decimal {
        if v == 0.0 {
            return Decimal {
                digits: vec![b'0'],
                dp: 1,
            };
        }
        // Rust's `{:e}` yields correctly rounded digits (shortest, or fixed precision) as
        // `d.ddddde±x`, which is what Go's strconv computes too.
        let text = match sig {
            Some(p) => format!("{:.*e}", p.max(1) - 1, v),
            None => format!("{v:e}"),
        };
        let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        while digits.len() > 1 && digits.last() == Some(&b'0') {
            digits.pop();
        }
        Decimal {
            digits,
            dp: exp + 1,
        }
    }
}

/// Go's `%e` body for a decimal: `d.ddde±xx` with `prec` digits after the point.
fn fmt_e(d: &Decimal, prec: usize, out: &mut String) {
    out.push(d.digits[0] as char);
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.digits.get(i).copied().unwrap_or(b'0') as char);
        }
    }
    let exp = if d.digits == [b'0'] { 0 } else { d.dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// Go's `%f` body for a decimal with `prec` digits after the point.
fn fmt_f(d: &Decimal, prec: usize, out: &mut String) {
    if d.dp > 0 {
        for i in 0..d.dp as usize {
            out.push(d.digits.get(i).copied().unwrap_or(b'0') as char);
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i32 {
            let j = d.dp + i;
            let c = if j < 0 {
                b'0'
            } else {
                d.digits.get(j as usize).copied().unwrap_or(b'0')
            };
            out.push(c as char);
        }
    }
}

/// Go's `strconv.FormatFloat(v, 'g', prec, 64)` — which is also `fmt`'s `%g` and `%v` for
/// floats (`prec` `None` = shortest, `%v`).
///
/// `%e` form is used when the exponent is < -4 or >= the precision (6 when shortest), and
/// trailing zeros are removed, so `format_g(999.999, Some(3))` is `1e+03`.
pub fn format_g(v: f64, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    // Go treats precision 0 as 1 for %g.
    let prec = prec.map(|p| p.max(1));
    let d = Decimal::new(v.abs(), prec);
    let nd = d.digits.len() as i32;
    let mut eprec = match prec {
        Some(p) => p as i32,
        None => 6,
    };
    if prec.is_some() && eprec > nd && nd >= d.dp {
        eprec = nd;
    }
    let exp = d.dp - 1;
    if exp < -4 || exp >= eprec {
        let p = prec.map_or(nd, |p| (p as i32).min(nd));
        fmt_e(&d, (p - 1).max(0) as usize, &mut out);
        return out;
    }
    let p = match prec {
        Some(p) if (p as i32) <= d.dp => p as i32,
        _ => nd,
    };
    fmt_f(&d, (p - d.dp).max(0) as usize, &mut out);
    out
}

/// Go's `strconv.FormatFloat(v, 'e', prec, 64)` (`%e`, default precision 6).
pub fn format_e(v: f64, prec: usize) -> String {
    if !v.is_finite() {
        return format_g(v, None);
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    let d = Decimal::new(v.abs(), Some(prec + 1));
    fmt_e(&d, prec, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_go_units() {
        let cases: &[(i64, usize, &str)] = &[
            (0, 3, "0B"),
            (7, 3, "7B"),
            (999, 3, "999B"),
            (1000, 3, "1kB"),
            (1024, 4, "1.024kB"),
            (2048, 4, "2.048kB"),
            (999_999, 3, "1e+03kB"),
            (999_999, 4, "1000kB"),
            (999_500, 4, "999.5kB"),
            (1_240_000, 3, "1.24MB"),
            (72_784_000, 3, "72.8MB"),
            (72_784_000, 4, "72.78MB"),
            (123_456_789, 3, "123MB"),
            (1_200_000_000, 3, "1.2GB"),
            (100_000, 3, "100kB"),
        ];
        for &(bytes, prec, want) in cases {
            assert_eq!(
                human_size_with_precision(bytes as f64, prec),
                want,
                "{bytes} at {prec}"
            );
        }
        assert_eq!(human_size3(5_590_000), "5.59MB");
        assert_eq!(human_size(72_784_000), "72.78MB");
    }

    #[test]
    fn format_g_matches_go() {
        // Expected values observed with real Docker's `printf "%v"` / `%g` (Go 1.19).
        let cases: &[(f64, Option<usize>, &str)] = &[
            (1e6, None, "1e+06"),
            (123456789.0, None, "1.23456789e+08"),
            (0.00001, None, "1e-05"),
            (100000.0, None, "100000"),
            (1.5, None, "1.5"),
            (0.000012345, None, "1.2345e-05"),
            (0.0, None, "0"),
            (-2.5, None, "-2.5"),
            (1.23456, Some(3), "1.23"),
            (100.0, Some(3), "100"),
            (0.0001, None, "0.0001"),
        ];
        for &(v, p, want) in cases {
            assert_eq!(format_g(v, p), want, "{v} {p:?}");
        }
        assert_eq!(format_e(1234.5678, 6), "1.234568e+03");
        assert_eq!(format_e(0.0, 2), "0.00e+00");
    }

    #[test]
    fn durations_match_go_units() {
        let s = |n: i64| SignedDuration::from_secs(n);
        let min = 60;
        let hour = 60 * min;
        let day = 24 * hour;
        let week = 7 * day;
        let month = 30 * day;
        let year = 365 * day;
        let cases: &[(SignedDuration, &str)] = &[
            (SignedDuration::from_millis(450), "Less than a second"),
            (s(0), "Less than a second"),
            (s(1), "1 second"),
            (s(59), "59 seconds"),
            (s(60), "About a minute"),
            (s(35 * min + 40), "35 minutes"),
            (s(59 * min), "59 minutes"),
            (s(hour), "About an hour"),
            (s(hour + 29 * min), "About an hour"),
            (s(hour + 30 * min), "2 hours"),
            (s(hour + 31 * min), "2 hours"),
            (s(47 * hour), "47 hours"),
            (s(2 * day), "2 days"),
            (s(13 * day + 5 * hour), "13 days"),
            (s(14 * day), "2 weeks"),
            (s(4 * week + 3 * day), "4 weeks"),
            (s(59 * day), "8 weeks"),
            (s(2 * month), "2 months"),
            (s(24 * month), "24 months"),
            (s(24 * month + 2 * week), "2 years"),
            (s(3 * year + 2 * month), "3 years"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(*d), *want, "{d:?}");
        }
        assert_eq!(human_duration_secs(-5), "Less than a second");
    }

    #[test]
    fn go_time_strings() {
        let ts: Timestamp = "2021-10-05T19:05:42Z".parse().expect("valid");
        assert_eq!(go_time_string(ts), "2021-10-05 19:05:42 +0000 UTC");
        let ts: Timestamp = "2021-10-05T19:05:42.1234Z".parse().expect("valid");
        assert_eq!(go_time_string(ts), "2021-10-05 19:05:42.1234 +0000 UTC");
        let ts: Timestamp = "0001-01-01T00:00:00Z".parse().expect("valid");
        assert_eq!(go_time_string(ts), "0001-01-01 00:00:00 +0000 UTC");
    }
}
