//! Fuzz target: see `vexora_fuzz::notification_verify`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vexora_fuzz::notification_verify::check(data);
});
