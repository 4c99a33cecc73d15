//! The shell's lexer. STUB: being written.
