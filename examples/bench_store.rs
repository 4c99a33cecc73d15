//! Builds a home with N images (default 1000) for `bench`: each image has its own config (so its
//! own ID) over one shared layer, and a tag `bench/img:<n>`. Used by the `bench` script only.

use std::path::PathBuf;

use drydock::engine::Engine;
use drydock::engine::digest::Digest;
use drydock::engine::image::refs::Refs;
use drydock::engine::oci::{ContainerConfig, ImageConfig, RootFs};
use drydock::engine::reference::Reference;

fn main() {
    let mut args = std::env::args().skip(1);
    let home = PathBuf::from(args.next().expect("usage: bench_store HOME [N]"));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let engine = Engine::open(&home).expect("open");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(5);
    h.set_mode(0o644);
    b.append_data(&mut h, "etc/hello", &b"hello"[..])
        .expect("tar");
    let layer = b.into_inner().expect("tar");
    let diff = Digest::of(&layer);
    let store = engine.image_store();
    store
        .layers
        .register(None, &diff, &mut &layer[..])
        .expect("layer");
    let mut refs = Refs::load(engine.paths()).expect("refs");
    for i in 0..n {
        let cfg = ImageConfig {
            architecture: "amd64".into(),
            author: String::new(),
            comment: String::new(),
            config: Some(ContainerConfig {
                cmd: Some(vec!["sh".into()]),
                ..Default::default()
            }),
            container: String::new(),
            container_config: None,
            created: Some(format!("2021-01-01T00:{:02}:{:02}Z", (i / 60) % 60, i % 60)),
            docker_version: "20.10.7".into(),
            history: vec![],
            os: "linux".into(),
            os_version: String::new(),
            parent: String::new(),
            rootfs: RootFs {
                kind: "layers".into(),
                diff_ids: vec![diff.clone()],
            },
            variant: String::new(),
        };
        let id = store.put(&cfg.to_bytes(), None).expect("config");
        refs.set(
            &Reference::parse(&format!("bench/img:{i}")).expect("ref"),
            &id,
        );
        store.commit(&id).expect("commit");
    }
    refs.save(engine.paths()).expect("save");
}
