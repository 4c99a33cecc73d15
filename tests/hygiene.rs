//! Repository hygiene as tests: the dependency rules of DESIGN.md (the engine never imports the
//! front ends or prints; `lab` never imports `shell`, `cli` or `repl`), no `dbg!`/`todo!` left
//! behind, and the README keeps its two set-up commands.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

fn src(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub)
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for f in rust_files(&src(dir)) {
        let text = std::fs::read_to_string(&f).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    bad.push(format!("{}:{}: {word}", f.display(), n + 1));
                }
            }
        }
    }
    bad
}

#[test]
fn the_engine_never_imports_front_ends_or_prints() {
    let bad = offenders(
        "engine",
        &[
            "crate::cli",
            "crate::shell",
            "crate::lab",
            "crate::repl",
            "crate::app",
            "println!",
            "eprintln!",
            "print!(",
        ],
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn lab_never_imports_the_shell_or_the_cli() {
    let bad = offenders(
        "lab",
        &["crate::shell", "crate::cli", "crate::repl", "crate::app"],
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_debugging_leftovers() {
    let bad = offenders("", &["dbg!(", "todo!(", "unimplemented!("]);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn readme_keeps_the_two_setup_commands() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    assert!(readme.contains("cargo run --release"));
    assert!(readme.contains("cargo test"));
}
