//! The platform's catalogue records in `meta`, read and written as typed values: the service
//! catalogue, the target systems, the service plans and the custom field schema. Each is
//! absent until first changed, and then reads as its default. Enforces no rule.

use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::trees::meta_key;
use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName};
use crate::domain::fields::FieldSchema;
use crate::domain::plans::PlanList;
use crate::domain::services::ServiceCatalogue;
use crate::domain::systems::SystemList;

/// A record of settings kept under its own `meta` key.
pub trait CatalogueRecord: Serialize + DeserializeOwned + Default {
    const KEY: &'static [u8];
}

impl CatalogueRecord for ServiceCatalogue {
    const KEY: &'static [u8] = meta_key::SERVICES;
}
impl CatalogueRecord for SystemList {
    const KEY: &'static [u8] = meta_key::SYSTEMS;
}
impl CatalogueRecord for PlanList {
    const KEY: &'static [u8] = meta_key::PLANS;
}
impl CatalogueRecord for FieldSchema {
    const KEY: &'static [u8] = meta_key::FIELDS;
}

impl<E: From<StoreError>> Tx<'_, E> {
    /// The record `R`; its default until first changed.
    pub fn catalogue<R: CatalogueRecord>(&self) -> Result<R, TxError<E>> {
        Ok(self.get(TreeName::Meta, R::KEY)?.unwrap_or_default())
    }

    pub fn put_catalogue<R: CatalogueRecord>(&self, record: &R) -> Result<(), TxError<E>> {
        self.field_schema.replace(None);
        self.put(TreeName::Meta, R::KEY, record)
    }

    /// The custom field schema, read once per transaction attempt (the commands of a batch
    /// share it) and read again after any catalogue write.
    pub fn field_schema(&self) -> Result<Rc<FieldSchema>, TxError<E>> {
        if let Some(schema) = self.field_schema.borrow().as_ref() {
            return Ok(Rc::clone(schema));
        }
        let schema = Rc::new(self.catalogue::<FieldSchema>()?);
        self.field_schema.replace(Some(Rc::clone(&schema)));
        Ok(schema)
    }

    /// The service catalogue; the default one until first changed.
    pub fn service_catalogue(&self) -> Result<ServiceCatalogue, TxError<E>> {
        self.catalogue()
    }

    pub fn put_service_catalogue(&self, catalogue: &ServiceCatalogue) -> Result<(), TxError<E>> {
        self.put_catalogue(catalogue)
    }
}

impl Store {
    /// The record `R`; its default until first changed.
    pub fn catalogue<R: CatalogueRecord>(&self) -> Result<R, StoreError> {
        Ok(self.get_value(TreeName::Meta, R::KEY)?.unwrap_or_default())
    }

    /// The service catalogue; the default one until first changed.
    pub fn service_catalogue(&self) -> Result<ServiceCatalogue, StoreError> {
        self.catalogue()
    }
}
