//! The shell's parser. STUB: being written.

/// Whether `src` needs another line (an open quote, a trailing `|`, `&&` or `\`, an open
/// here-document). STUB until the parser lands.
pub fn is_incomplete(src: &str) -> bool {
    src.ends_with('\\') || src.matches('\'').count() % 2 == 1 || src.matches('"').count() % 2 == 1
}
