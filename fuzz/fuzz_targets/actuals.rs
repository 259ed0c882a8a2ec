//! `cargo +nightly fuzz run actuals`: see `salesplit_fuzz::actuals` for the input layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: salesplit_fuzz::init(),
    |data: &[u8]| {
        if let Err(message) = salesplit_fuzz::actuals(data) {
            panic!("{message}");
        }
    }
);
