//! Pulling a 256 MiB layer streams: peak memory stays under 64 MiB whatever the layer size. This
//! file is its own test binary (so its own process) to read a clean peak RSS.

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
fn pulling_a_256_mib_layer_keeps_memory_flat() {
    let size = 256 << 20;
    let hub = Hub::new().with_big_image("library/bigfile", "latest", size);
    let t = TestContext::with_hub(Arc::new(hub));
    let (out, err, code) = t.docker("pull bigfile");
    assert_eq!(code, 0, "{out}{err}");
    let (out, _, _) = t.docker("images --format '{{.Repository}} {{.Size}}'");
    assert_eq!(out, "bigfile 268MB\n");
    let peak = peak_rss_kib();
    assert!(peak > 0, "VmHWM not readable");
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB is over 64 MiB");
}
