//! The `salesplit` binary: everything happens in [`salesplit::cli`].

fn main() {
    std::process::exit(salesplit::cli::main());
}
