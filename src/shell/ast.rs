//! The shell's syntax tree. STUB: being written with the parser.
