//! JSON bytes as Go's `encoding/json` writes them, for files whose bytes matter (the save archive's
//! `manifest.json`, `repositories`, the per-layer `json` and the v1 IDs hashed from it).
//!
//! serde_json and Go agree on everything these files hold except string escaping: Go escapes
//! `<`, `>` and `&` (HTML safety, on by default), U+2028 and U+2029, and writes backspace and form
//! feed as `\u0008` and `\u000c` (Go 1.19, which built Docker 20.10), where serde_json writes the
//! characters or `\b`/`\f`.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

struct GoFormatter;

impl Formatter for GoFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let esc = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(esc.as_bytes())?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        let s: String = match char_escape {
            CharEscape::Quote => "\\\"".into(),
            CharEscape::ReverseSolidus => "\\\\".into(),
            CharEscape::LineFeed => "\\n".into(),
            CharEscape::CarriageReturn => "\\r".into(),
            CharEscape::Tab => "\\t".into(),
            CharEscape::Backspace => "\\u0008".into(),
            CharEscape::FormFeed => "\\u000c".into(),
            CharEscape::AsciiControl(b) => format!("\\u{b:04x}"),
            _ => return Err(io::Error::other("unknown JSON escape")),
        };
        writer.write_all(s.as_bytes())
    }
}

/// Go's `json.Marshal(v)`: compact, HTML-escaped.
pub fn to_vec<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, GoFormatter);
    // Plain structs, maps and strings cannot fail to serialise into memory.
    let _ = v.serialize(&mut ser);
    out
}

/// Go's `json.NewEncoder(w).Encode(v)`: [`to_vec`] and a newline.
pub fn to_line<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut out = to_vec(v);
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let s = to_vec(&serde_json::json!({"a": "x<y>&z\u{8}\u{c}\u{1}\u{2028}\"\\"}));
        assert_eq!(
            String::from_utf8(s).unwrap(),
            r#"{"a":"x\u003cy\u003e\u0026z\u0008\u000c\u0001\u2028\"\\"}"#
        );
    }
}
