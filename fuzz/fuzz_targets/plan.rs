//! `cargo +nightly fuzz run plan`: see `salesplit_fuzz::plan` for the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: salesplit_fuzz::init(),
    |data: &[u8]| {
        if let Err(message) = salesplit_fuzz::plan(data) {
            panic!("{message}");
        }
    }
);
