//! Prints the offline hub's repositories, one a line (for the `bench` script).

fn main() {
    for r in drydock::engine::hub::Hub::new().repositories() {
        println!("{}", r.strip_prefix("library/").unwrap_or(&r));
    }
}
