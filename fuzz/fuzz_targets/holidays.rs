//! `cargo +nightly fuzz run holidays`: see `salesplit_fuzz::holidays` for the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: salesplit_fuzz::init(),
    |data: &[u8]| {
        if let Err(message) = salesplit_fuzz::holidays(data) {
            panic!("{message}");
        }
    }
);
