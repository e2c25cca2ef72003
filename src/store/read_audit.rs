//! Audit reads oldest first from a position: what exporting the log and checking an export
//! against the stored chain walk. Reads only; the newest-first reads of the log's pages are
//! in `read.rs`.

use super::{Store, StoreError, TreeName, keys};
use crate::domain::{AuditEvent, CustomerId};

impl Store {
    /// Audit events oldest first, from sequence `from` on.
    pub fn audit_oldest_from(
        &self,
        from: u64,
    ) -> impl Iterator<Item = Result<AuditEvent, StoreError>> + '_ {
        let tree = TreeName::Audit;
        let start = keys::u64_key(from).to_vec();
        super::engine::Guarded::new(&self.path, self.tree(tree).range(start..))
            .map(move |item| self.decode_entry(tree, item))
    }

    /// Sequences of the events concerning one customer, oldest first.
    pub fn audit_seqs_oldest_for(
        &self,
        customer: CustomerId,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        let tree = TreeName::AuditByCustomer;
        super::engine::Guarded::new(
            &self.path,
            self.tree(tree).scan_prefix(keys::customer_key(customer)),
        )
        .map(move |item| {
            let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            Ok(keys::read_pair(tree.as_str(), &k)?.1)
        })
    }
}
