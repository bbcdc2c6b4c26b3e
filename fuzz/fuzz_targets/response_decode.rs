//! Fuzz target: see `vexora_fuzz::response_decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vexora_fuzz::response_decode::check(data);
});
