//! Saving and loading a 256 MiB image streams: peak memory stays under 64 MiB whatever the
//! archive size. Its own test binary (so its own process) to read a clean peak RSS.

use std::sync::Arc;

use drydock::engine::hub::Hub;
use drydock::testing::TestContext;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn save_and_load_of_a_256_mib_image_keep_memory_flat() {
    let hub = Hub::new().with_big_image("library/bigfile", "latest", 256 << 20);
    let t = TestContext::with_hub(Arc::new(hub));
    let ok = |line: &str| {
        let (out, err, code) = t.docker(line);
        assert_eq!(code, 0, "{line}: {out}{err}");
        out
    };
    ok("pull -q bigfile");
    let id = ok("images -q --no-trunc bigfile");
    // Gzip-compressed in the content store: save decompresses and verifies it as it streams.
    ok("save -o big.tar bigfile");
    ok("rmi bigfile");
    assert_eq!(ok("load -i big.tar"), "Loaded image: bigfile:latest\n");
    assert_eq!(ok("images -q --no-trunc bigfile"), id);
    // The loaded copy (unpacked files and a tar-split) saves back to the same bytes.
    ok("save -o big2.tar bigfile");
    let a = std::fs::metadata(t.home.path().join("root/big.tar"))
        .unwrap()
        .len();
    let b = std::fs::metadata(t.home.path().join("root/big2.tar"))
        .unwrap()
        .len();
    assert_eq!(a, b);
    assert!(a > 256 << 20);
    // Byte for byte: the loaded layer is rebuilt from its files and tar-split.
    let same = std::process::Command::new("cmp")
        .arg(t.home.path().join("root/big.tar"))
        .arg(t.home.path().join("root/big2.tar"))
        .status()
        .expect("cmp");
    assert!(
        same.success(),
        "save after load differs from the first save"
    );
    let peak = peak_rss_kib();
    assert!(peak > 0, "VmHWM not readable");
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB is over 64 MiB");
}
