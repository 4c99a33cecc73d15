//! Times the phases of `docker images` in-process (store read, listing, rendering), for tuning.

use std::time::Instant;

use drydock::engine::Engine;
use drydock::engine::filters::Filters;

fn main() {
    let home = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: bench_phases HOME"));
    let engine = Engine::open(&home).expect("open");
    for _ in 0..3 {
        let t = Instant::now();
        let ids = engine.image_store().ids().expect("ids");
        let t_ids = t.elapsed();
        let t = Instant::now();
        for id in &ids {
            let _ = engine.image_store().get_with(id, false).expect("get");
        }
        let t_get = t.elapsed();
        let t = Instant::now();
        let refs = drydock::engine::image::refs::Refs::load(engine.paths()).expect("refs");
        let t_refs = t.elapsed();
        let _ = refs;
        let t = Instant::now();
        let list = engine.images(false, &Filters::new()).expect("images");
        let t_list = t.elapsed();
        println!(
            "ids {t_ids:?}  get×{} {t_get:?}  refs {t_refs:?}  images() {t_list:?} ({} rows)",
            ids.len(),
            list.len()
        );
    }
}
