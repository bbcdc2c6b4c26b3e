//! Fuzz target: see `vexora_fuzz::sandbox_request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vexora_fuzz::sandbox_request::check(data);
});
