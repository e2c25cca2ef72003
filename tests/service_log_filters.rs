#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The log's filters in the service, against a known set of events: actor, action (exact and
//! family), since/until (absolute and relative), free text and customer, combined; pages of
//! filtered events keep `limit` matching rows with a cursor; wrong filters are refused
//! naming the filter; an export is itself an audited event.

mod common;

use common::{START, fixture};
use tenantry::domain::{CustomerStatus, StaffRole, Timestamp};
use tenantry::service::{CustomerCommand, LogQuery, ServiceError};

const DAY: i64 = Timestamp::MILLIS_PER_DAY;

/// Events: 1 init, 2 add acme, 3 add beta-labs (day 0); 4 staff add sam (day 2);
/// 5 sam suspends acme (day 2); 6 owner deletes beta-labs (day 5). The clock ends on day 5.
fn known() -> common::Fixture {
    let f = fixture();
    f.add("Acme");
    f.add("Beta Labs");
    f.clock.set(Timestamp(START.0 + 2 * DAY));
    let sam = f.staff("Sam@Example.com", StaffRole::Administrator);
    f.service
        .execute(
            &sam,
            CustomerCommand::SetStatus {
                slug: "acme".into(),
                status: CustomerStatus::Suspended,
            },
        )
        .unwrap();
    f.clock.set(Timestamp(START.0 + 5 * DAY));
    f.exec(CustomerCommand::SoftDelete {
        slug: "beta-labs".into(),
    })
    .unwrap();
    f
}

fn seqs(f: &common::Fixture, query: LogQuery) -> Vec<u64> {
    f.service
        .audit_log(&f.owner, &query)
        .unwrap()
        .iter()
        .map(|r| r.seq)
        .collect()
}

fn at(days: i64) -> String {
    Timestamp(START.0 + days * DAY).to_rfc3339()
}

#[test]
fn filters_combine_against_a_known_event_set() {
    let f = known();
    assert_eq!(seqs(&f, LogQuery::default()), [6, 5, 4, 3, 2, 1]);
    let q = |edit: fn(&mut LogQuery)| {
        let mut query = LogQuery::default();
        edit(&mut query);
        query
    };
    // Actor: exact email in any case.
    assert_eq!(
        seqs(&f, q(|q| q.actor = Some("sam@EXAMPLE.com".into()))),
        [5]
    );
    assert_eq!(
        seqs(&f, q(|q| q.actor = Some("sam@example.co".into()))),
        [0u64; 0]
    );
    // Action: exact and family.
    assert_eq!(
        seqs(&f, q(|q| q.action = Some("customer.*".into()))),
        [6, 5, 3, 2]
    );
    assert_eq!(seqs(&f, q(|q| q.action = Some("staff.add".into()))), [4]);
    // Time range, absolute and relative to the service's clock (day 5).
    assert_eq!(seqs(&f, q(|q| q.since = Some(at(2)))), [6, 5, 4]);
    assert_eq!(seqs(&f, q(|q| q.until = Some(at(2)))), [5, 4, 3, 2, 1]);
    assert_eq!(seqs(&f, q(|q| q.since = Some("4d".into()))), [6, 5, 4]);
    assert_eq!(seqs(&f, q(|q| q.since = Some("1d".into()))), [6]);
    // Free text over action, summary, actor email, customer slug and name, any case.
    assert_eq!(seqs(&f, q(|q| q.grep = Some("BETA".into()))), [6, 3]);
    assert_eq!(seqs(&f, q(|q| q.grep = Some("suspended".into()))), [5]);
    assert_eq!(seqs(&f, q(|q| q.grep = Some("sam@".into()))), [5, 4]);
    // Combined: each must hold.
    let combined = LogQuery {
        customer: Some("acme".into()),
        action: Some("customer.*".into()),
        since: Some(at(1)),
        ..LogQuery::default()
    };
    assert_eq!(seqs(&f, combined), [5]);
    let combined = LogQuery {
        action: Some("customer.add".into()),
        grep: Some("labs".into()),
        until: Some(at(0)),
        ..LogQuery::default()
    };
    assert_eq!(seqs(&f, combined), [3]);
}

#[test]
fn filtered_pages_hold_limit_matching_rows_and_a_cursor() {
    let f = fixture();
    for i in 0..30 {
        let slug = f.add(&format!("Customer {i}"));
        if i % 3 == 0 {
            f.exec(CustomerCommand::SetStatus {
                slug,
                status: CustomerStatus::Suspended,
            })
            .unwrap();
        }
    }
    let query = LogQuery {
        action: Some("customer.suspend".into()),
        limit: Some(4),
        ..LogQuery::default()
    };
    let mut seen = Vec::new();
    let mut page = f.service.log_page(&f.owner, &query).unwrap();
    loop {
        assert!(page.rows.iter().all(|r| r.action == "customer.suspend"));
        seen.extend(page.rows.iter().map(|r| r.seq));
        let Some(next) = page.next else { break };
        assert_eq!(page.rows.len(), 4, "a page before the last is full");
        page = f
            .service
            .log_page(
                &f.owner,
                &LogQuery {
                    before: Some(next),
                    ..query.clone()
                },
            )
            .unwrap();
    }
    assert_eq!(seen.len(), 10);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeat"
    );
}

#[test]
fn wrong_filters_are_refused_naming_the_filter() {
    let f = known();
    let refused = |query: LogQuery| match f.service.log_page(&f.owner, &query) {
        Err(ServiceError::Invalid(v)) => v.field,
        other => panic!("{other:?}"),
    };
    for (query, field) in [
        (
            LogQuery {
                action: Some("customer".into()),
                ..LogQuery::default()
            },
            "action",
        ),
        (
            LogQuery {
                action: Some("custmer.*".into()),
                ..LogQuery::default()
            },
            "action",
        ),
        (
            LogQuery {
                actor: Some("not an email".into()),
                ..LogQuery::default()
            },
            "actor",
        ),
        (
            LogQuery {
                since: Some("yesterday".into()),
                ..LogQuery::default()
            },
            "since",
        ),
        (
            LogQuery {
                until: Some("2026-13-01T00:00:00Z".into()),
                ..LogQuery::default()
            },
            "until",
        ),
        (
            LogQuery {
                grep: Some(String::new()),
                ..LogQuery::default()
            },
            "grep",
        ),
    ] {
        assert_eq!(refused(query), field);
    }
}

#[test]
fn an_export_is_an_audited_event_naming_its_filter_and_count() {
    let f = known();
    let file = f.dir.path().join("acme.jsonl");
    let summary = f
        .service
        .export_log(
            &f.owner,
            &tenantry::service::LogExport {
                query: LogQuery {
                    customer: Some("acme".into()),
                    ..LogQuery::default()
                },
                format: tenantry::audit_file::ExportFormat::Jsonl,
                file: file.clone(),
                force: false,
            },
        )
        .unwrap();
    assert_eq!(summary.trailer.rows, 2);
    assert_eq!(summary.trailer.head_seq, 6);
    let newest = &f.service.audit_log(&f.owner, &LogQuery::default()).unwrap()[0];
    assert_eq!(newest.seq, 7);
    assert_eq!(newest.action, "log.export");
    assert!(newest.summary.contains("2 events"), "{}", newest.summary);
    assert!(
        newest.summary.contains("customer=acme"),
        "{}",
        newest.summary
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    f.assert_consistent();
}

/// A search in steps (`scan`): each step looks at no more than its events, goes on after the
/// last one looked at, and the steps together find what one unlimited read finds.
#[test]
fn a_search_in_steps_finds_what_one_read_finds() {
    let f = known();
    let whole = seqs(
        &f,
        LogQuery {
            grep: Some("a".into()),
            ..LogQuery::default()
        },
    );
    assert!(whole.len() > 2);
    let total = f.service.store().audit_count();
    let mut found = Vec::new();
    let mut before = None;
    let mut steps = 0;
    loop {
        let page = f
            .service
            .log_page(
                &f.owner,
                &LogQuery {
                    grep: Some("a".into()),
                    scan: Some(2),
                    before: before.take(),
                    ..LogQuery::default()
                },
            )
            .unwrap();
        assert!(page.rows.len() <= 2);
        found.extend(page.rows.iter().map(|r| r.seq));
        steps += 1;
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(found, whole);
    assert!(
        steps >= total.div_ceil(2),
        "{steps} steps over {total} events"
    );
}
