//! Every stored type's decoder on arbitrary bytes: an error is fine, a panic or an abort
//! (a length prefix asking for gigabytes) is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tenantry::store::codec::decode_every_stored_type(data);
    // The same bytes behind a valid header reach bincode itself.
    let mut sealed = vec![tenantry::store::codec::FORMAT_V1];
    sealed.extend_from_slice(&crc32fast_free(data).to_be_bytes());
    sealed.extend_from_slice(data);
    tenantry::store::codec::decode_every_stored_type(&sealed);
});

/// CRC32 (IEEE), bit by bit: the fuzz crate needs no dependency for it.
fn crc32fast_free(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
