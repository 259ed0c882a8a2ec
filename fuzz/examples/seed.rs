//! Writes the seed corpora: `cargo run --example seed` (in `fuzz/`) fills
//! `corpus/<target>/` from the example plans, rosters and sales files.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for target in salesplit_fuzz::TARGETS {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).expect("create the corpus folder");
        let seeds = salesplit_fuzz::seeds(target);
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(format!("seed-{name}")), bytes).expect("write a seed");
        }
        println!("{}: {} seeds", dir.display(), seeds.len());
    }
}
