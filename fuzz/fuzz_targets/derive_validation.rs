//! Fuzz target: see `vexora_fuzz::derive_validation`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vexora_fuzz::derive_validation::check(data);
});
