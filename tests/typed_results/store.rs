//! The store writes each record with its index entries through one function per entity.

use crate::common::fixture;

/// Every record goes through the one store function that writes its indexes too: a slug
/// change, a move to the trash, a new Unix link and removals each leave the invariant check
/// clean and the old index keys gone.
#[test]
fn each_entity_is_written_with_its_indexes_by_one_store_function() {
    use tenantry::domain::{Deletion, Slug, Timestamp};
    use tenantry::store::StoreError;

    let f = fixture();
    f.add_owned("Acme", "ann@acme.example");
    let store = f.service.store();
    let result: Result<(), StoreError> = store.transact(|tx| {
        let id = tx
            .customer_id_by_slug(&Slug::from_stored("acme".into()))?
            .unwrap();
        let mut customer = tx.customer(id)?.unwrap();
        customer.slug = Slug::from_stored("acme-two".into());
        customer.deleted = Some(Deletion {
            at: Timestamp(5),
            by: "test".into(),
        });
        tx.save_customer(&customer)?;
        assert_eq!(
            tx.customer_id_by_slug(&Slug::from_stored("acme".into()))?,
            None
        );
        assert_eq!(
            tx.customer_id_by_slug(&Slug::from_stored("acme-two".into()))?,
            Some(id)
        );
        let owner = tx.user_id_by_email("ann@acme.example")?.unwrap();
        let mut user = tx.user(owner)?.unwrap();
        user.unix_user = Some("ann".into());
        user.email = "Ann@New.example".into();
        tx.save_user(&user)?;
        assert_eq!(tx.user_id_by_unix("ann")?, Some(owner));
        assert_eq!(tx.user_id_by_email("ann@acme.example")?, None);
        assert_eq!(tx.user_id_by_email("ann@new.example")?, Some(owner));
        Ok(())
    });
    result.unwrap();
    assert!(store.check_invariants().unwrap().is_empty());
    assert_eq!(
        f.slugs(true),
        ["acme-two"],
        "the trash lists it by its trash entry"
    );

    // Removing the user and the customer takes their index entries with them.
    let result: Result<(), StoreError> = store.transact(|tx| {
        let owner = tx.user_id_by_unix("ann")?.unwrap();
        let id = tx
            .customer_id_by_slug(&Slug::from_stored("acme-two".into()))?
            .unwrap();
        tx.remove_membership(id, owner)?;
        assert!(tx.delete_user(owner)?.is_some());
        assert!(tx.delete_customer(id, &[])?.is_some());
        assert_eq!(tx.user_id_by_unix("ann")?, None);
        assert_eq!(tx.user_id_by_email("ann@new.example")?, None);
        Ok(())
    });
    result.unwrap();
    assert!(store.check_invariants().unwrap().is_empty());
    assert!(f.slugs(true).is_empty());
}
