#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The log's actor filter in the service (D112): an email someone has now names that account
//! and walks its index (`audit_by_user`), keeping only what they did (not the events about
//! them); an email nobody has now matches the stored emails; `system` is the built-in actor.
//! Pages by sequence, combination with the customer filter, and steps of a search all agree
//! with the events read one by one.

mod common;

use common::fixture;
use tenantry::domain::{
    Actor, AuditEvent, CustomerRole, CustomerStatus, StaffRole, Timestamp, UserId,
};
use tenantry::service::{CustomerCommand, LogQuery, NewUser, ServiceError, UserCommand};

/// Appends an event straight to the chain, as an account since removed (or `system`) wrote it.
fn forge(f: &common::Fixture, actor: Actor, slug: &str, action: &str) -> u64 {
    let customer = f
        .service
        .store()
        .customer_id_by_slug(slug)
        .unwrap()
        .and_then(|id| f.service.store().customer(id).unwrap())
        .map(|c| tenantry::domain::CustomerRef {
            id: c.id,
            slug: c.slug.as_str().to_owned(),
            name: c.name.clone(),
        });
    let event = f
        .service
        .store()
        .transact(
            |tx| -> Result<AuditEvent, tenantry::store::TxError<ServiceError>> {
                tx.append_audit(AuditEvent {
                    seq: 0,
                    at: Timestamp(common::START.0 + 1),
                    actor: actor.clone(),
                    impersonating: None,
                    customer: customer.clone(),
                    action: action.into(),
                    summary: "forged for the test".into(),
                    prev_hash: [0; 32],
                    hash: [0; 32],
                })
            },
        )
        .unwrap();
    event.seq
}

fn seqs(f: &common::Fixture, query: LogQuery) -> Vec<u64> {
    let rows = f.service.audit_log(&f.owner, &query).unwrap();
    rows.iter().map(|r| r.seq).collect()
}

fn by(actor: &str) -> LogQuery {
    LogQuery {
        actor: Some(actor.into()),
        ..LogQuery::default()
    }
}

/// Every event, newest first, that `keep` picks: what a filter must equal.
fn expected(f: &common::Fixture, keep: impl Fn(&AuditEvent) -> bool) -> Vec<u64> {
    let events = f.service.store().audit_newest_first();
    events
        .map(Result::unwrap)
        .filter(|e| keep(e))
        .map(|e| e.seq)
        .collect()
}

fn set_status(
    f: &common::Fixture,
    who: &tenantry::service::Session,
    slug: &str,
    s: CustomerStatus,
) {
    let command = CustomerCommand::SetStatus {
        slug: slug.into(),
        status: s,
    };
    f.service.execute(who, command).unwrap();
}

#[test]
fn an_actor_with_an_account_is_read_from_their_index() {
    let f = fixture();
    f.add("Acme");
    f.add("Beta");
    let sam = f.staff("Sam@Example.com", StaffRole::Administrator);
    let sam_id = f
        .service
        .store()
        .user_id_by_email("sam@example.com")
        .unwrap()
        .unwrap();
    for _ in 0..3 {
        set_status(&f, &sam, "acme", CustomerStatus::Suspended);
        set_status(&f, &sam, "acme", CustomerStatus::Active);
        set_status(&f, &f.owner, "beta", CustomerStatus::Suspended);
        set_status(&f, &sam, "beta", CustomerStatus::Active);
    }
    let did = |e: &AuditEvent| matches!(e.actor, Actor::User { id, .. } if id == sam_id);
    let want = expected(&f, did);
    assert_eq!(want.len(), 9);
    // Any case; the event that added Sam is in his index but was not done by him.
    assert_eq!(seqs(&f, by("SAM@example.com")), want);
    // With the customer filter: both indexes walked together.
    let acme = f
        .service
        .store()
        .customer_id_by_slug("acme")
        .unwrap()
        .unwrap();
    let on_acme = expected(&f, |e| {
        did(e) && e.customer.as_ref().is_some_and(|c| c.id == acme)
    });
    assert_eq!(on_acme.len(), 6);
    let both = LogQuery {
        customer: Some("acme".into()),
        ..by("sam@example.com")
    };
    assert_eq!(seqs(&f, both.clone()), on_acme);
    // Pages of two by sequence, alone and with the customer.
    for (query, want) in [(by("sam@example.com"), &want), (both, &on_acme)] {
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = LogQuery {
                limit: Some(2),
                before: before.take(),
                ..query.clone()
            };
            let page = f.service.log_page(&f.owner, &page).unwrap();
            seen.extend(page.rows.iter().map(|r| r.seq));
            match page.next {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        assert_eq!(&seen, want);
    }
    // A search in steps of one event looks at Sam's index entries, not the whole log.
    let mut steps = 0;
    let mut found = Vec::new();
    let mut before = None;
    loop {
        let step = LogQuery {
            scan: Some(1),
            before: before.take(),
            ..by("sam@example.com")
        };
        let page = f.service.log_page(&f.owner, &step).unwrap();
        found.extend(page.rows.iter().map(|r| r.seq));
        steps += 1;
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(found, want);
    let total = f.service.store().audit_count();
    assert!(
        steps <= want.len() + 2 && steps < total,
        "{steps} steps, {total} events"
    );
}

#[test]
fn system_and_emails_nobody_has_now_match_the_stored_actor() {
    let f = fixture();
    f.add("Acme");
    let gone = Actor::User {
        id: UserId(9_999),
        email: "Gone@Example.com".into(),
    };
    let by_gone = forge(&f, gone, "acme", "customer.edit");
    let by_system = forge(&f, Actor::System, "acme", "customer.purge");
    f.add("Beta");
    assert_eq!(seqs(&f, by("system")), [by_system]);
    assert_eq!(seqs(&f, by("gone@example.COM")), [by_gone]);
    let with_customer = LogQuery {
        customer: Some("beta".into()),
        ..by("system")
    };
    assert_eq!(seqs(&f, with_customer), [0u64; 0]);
    // Once an account has that email, the email names it: its events, not the old ones.
    f.exec(UserCommand::Add(NewUser {
        customer: "acme".into(),
        email: "gone@example.com".into(),
        first_name: "New".into(),
        last_name: "Holder".into(),
        role: CustomerRole::Member,
        language: None,
        fields: Vec::new(),
    }))
    .unwrap();
    assert_eq!(seqs(&f, by("gone@example.com")), [0u64; 0]);
}
