//! Well-formed backup files around arbitrary entries, for tests and fuzz targets: correct
//! record CRCs, entry count and digest, so that whatever the entries hold reaches the checks
//! `restore` runs after loading them (a backup with valid checksums can carry any bytes).
//!
//! Not part of the API and never used by the program itself; it must follow the format the
//! reader in `backup.rs` accepts and nothing more.

use sha2::{Digest, Sha256};

use super::TreeName;
use super::backup::{FORMAT_VERSION, MAGIC};

/// The entries of one backup, tree by tree, in the order they are written.
pub type ForgedTrees = Vec<(TreeName, Vec<(Vec<u8>, Vec<u8>)>)>;

struct Out {
    bytes: Vec<u8>,
    hash: Sha256,
}

impl Out {
    fn put(&mut self, data: &[u8]) {
        self.hash.update(data);
        self.bytes.extend_from_slice(data);
    }

    fn record(&mut self, kind: u8, payload: &[u8], hashed: bool) {
        let len = u32::try_from(payload.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes();
        let mut crc = crc32fast::Hasher::new();
        crc.update(&[kind]);
        crc.update(&len);
        crc.update(payload);
        let crc = crc.finalize().to_be_bytes();
        if hashed {
            self.put(&[kind]);
            self.put(&len);
            self.put(payload);
            self.put(&crc);
        } else {
            self.bytes.push(kind);
            self.bytes.extend_from_slice(&len);
            self.bytes.extend_from_slice(payload);
            self.bytes.extend_from_slice(&crc);
        }
    }
}

/// Builds the bytes of a backup holding exactly `trees`, with every checksum right.
#[doc(hidden)]
pub fn forge_backup(trees: &ForgedTrees) -> Vec<u8> {
    let mut out = Out {
        bytes: Vec::new(),
        hash: Sha256::new(),
    };
    out.put(MAGIC);
    out.put(&FORMAT_VERSION.to_be_bytes());
    let mut entries = 0u64;
    for (tree, items) in trees {
        out.record(b'T', tree.as_str().as_bytes(), true);
        for (key, value) in items {
            let klen = u32::try_from(key.len()).unwrap_or(u32::MAX).to_be_bytes();
            let mut payload = Vec::with_capacity(key.len().saturating_add(value.len()));
            payload.extend_from_slice(&klen);
            payload.extend_from_slice(key);
            payload.extend_from_slice(value);
            out.record(b'K', &payload, true);
            entries = entries.saturating_add(1);
        }
    }
    let digest: [u8; 32] = out.hash.clone().finalize().into();
    let mut end = entries.to_be_bytes().to_vec();
    end.extend_from_slice(&digest);
    out.record(b'E', &end, false);
    out.bytes
}

/// Reads the entries back out of a backup written by `tenantry backup` (or [`forge_backup`]),
/// without checking anything: for tests that alter one entry and forge the file again.
/// `None` when the bytes are not laid out as a backup.
#[doc(hidden)]
pub fn backup_entries(bytes: &[u8]) -> Option<ForgedTrees> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?.get(4..)?;
    let mut trees: ForgedTrees = Vec::new();
    loop {
        let kind = *rest.first()?;
        let len = u32::from_be_bytes(rest.get(1..5)?.try_into().ok()?) as usize;
        let payload = rest.get(5..5usize.checked_add(len)?)?;
        rest = rest.get(len.checked_add(9)?..)?;
        match kind {
            b'T' => {
                let tree = TreeName::from_name(std::str::from_utf8(payload).ok()?)?;
                trees.push((tree, Vec::new()));
            }
            b'K' => {
                let klen = u32::from_be_bytes(payload.get(..4)?.try_into().ok()?) as usize;
                let key = payload.get(4..4usize.checked_add(klen)?)?;
                let value = payload.get(4usize.checked_add(klen)?..)?;
                trees.last_mut()?.1.push((key.to_vec(), value.to_vec()));
            }
            b'E' => return Some(trees),
            _ => return None,
        }
    }
}
