//! `cargo +nightly fuzz run roster`: see `salesplit_fuzz::roster` for the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: salesplit_fuzz::init(),
    |data: &[u8]| {
        if let Err(message) = salesplit_fuzz::roster(data) {
            panic!("{message}");
        }
    }
);
