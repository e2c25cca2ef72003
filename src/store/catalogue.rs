//! The platform's catalogue records in `meta`, read and written as typed values: the service
//! catalogue (absent means the default catalogue). Enforces no rule.

use super::trees::meta_key;
use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName};

impl<E: From<StoreError>> Tx<'_, E> {
    /// The service catalogue; the default one until first changed.
    pub fn service_catalogue(
        &self,
    ) -> Result<crate::domain::services::ServiceCatalogue, TxError<E>> {
        Ok(self
            .get(TreeName::Meta, meta_key::SERVICES)?
            .unwrap_or_default())
    }

    pub fn put_service_catalogue(
        &self,
        catalogue: &crate::domain::services::ServiceCatalogue,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::SERVICES, catalogue)
    }
}

impl Store {
    /// The service catalogue; the default one until first changed.
    pub fn service_catalogue(
        &self,
    ) -> Result<crate::domain::services::ServiceCatalogue, StoreError> {
        Ok(self
            .get_value(TreeName::Meta, meta_key::SERVICES)?
            .unwrap_or_default())
    }
}
