//! Hashes a file through `engine::digest::HashingReader` with the content store's 1 MiB reads,
//! the path every blob and layer takes. Used by the `bench` script against `openssl dgst -sha256`.

use std::io::Read;

use drydock::engine::digest::HashingReader;

fn main() {
    let path = std::env::args().nth(1).expect("usage: bench_hash FILE");
    let file = std::fs::File::open(&path).expect("open");
    let mut r = HashingReader::new(file);
    let mut buf = vec![0u8; 1 << 20];
    while r.read(&mut buf).expect("read") > 0 {}
    println!("{}  {path}", r.finish().0);
}
