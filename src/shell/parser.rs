//! The shell's parser. STUB: being written.
