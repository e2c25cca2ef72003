//! Tests of checking an export: both formats, the trailer's scope, a kept head, gaps
//! filled by events out of order, and damaged or random bytes never panicking.

use super::*;
use crate::audit_file::{ExportFormat, ExportWriter, Scope, Trailer};
use crate::domain::{Actor, AuditEvent, Timestamp, UserId};
use crate::service::AuditRow;

/// A chain of `n` sealed events as export rows.
fn chain(n: u64) -> Vec<AuditRow> {
    let mut prev = [0u8; 32];
    (1..=n)
        .map(|seq| {
            let event = AuditEvent {
                seq,
                at: Timestamp(seq as i64),
                actor: Actor::User {
                    id: UserId(1),
                    email: "ann@example.com".into(),
                },
                impersonating: None,
                customer: None,
                action: "customer.add".into(),
                summary: format!("=event {seq}"),
                prev_hash: [0; 32],
                hash: [0; 32],
            }
            .seal(prev);
            prev = event.hash;
            AuditRow::new(&event)
        })
        .collect()
}

fn file(rows: &[AuditRow], format: ExportFormat, scope: Scope, head: u64) -> Vec<u8> {
    let mut w = ExportWriter::new(Vec::new(), format).unwrap();
    for row in rows {
        w.push(row).unwrap();
    }
    let trailer = Trailer {
        trailer: crate::audit_file::EXPORT_FORMAT.into(),
        head_seq: head,
        head_hash: rows.last().map(|r| r.hash.clone()).unwrap_or_default(),
        scope,
        filter: String::new(),
        rows: rows.len() as u64,
        start_seq: 1,
        start_prev_hash: String::new(),
    };
    w.finish(&trailer).unwrap()
}

fn problems(bytes: &[u8], kept: Option<&KeptHead>) -> Vec<String> {
    verify_export(bytes, None, kept).unwrap().unwrap().problems
}

#[test]
fn both_formats_verify_and_undo_the_csv_escape() {
    let rows = chain(5);
    for format in [ExportFormat::Csv, ExportFormat::Jsonl] {
        let bytes = file(&rows, format, Scope::Complete, 5);
        assert!(problems(&bytes, None).is_empty(), "{format:?}");
    }
    let csv = String::from_utf8(file(&rows, ExportFormat::Csv, Scope::Complete, 5)).unwrap();
    assert!(csv.contains(",'=event 3,"), "{csv}");
}

#[test]
fn a_complete_export_missing_its_oldest_or_newest_events_fails() {
    let rows = chain(6);
    let oldest_gone = file(&rows[2..], ExportFormat::Jsonl, Scope::Complete, 6);
    assert_eq!(problems(&oldest_gone, None), ["events 1..2: missing"]);
    let text =
        String::from_utf8(file(&rows[..4], ExportFormat::Jsonl, Scope::Complete, 4)).unwrap();
    let text = text.replace("\"head_seq\":4", "\"head_seq\":6");
    assert_eq!(
        problems(text.as_bytes(), None),
        ["events 5..6: missing (the trailer's head is event 6)"]
    );
    // The same files as filtered exports pass: gaps are theirs by design.
    let filtered = file(&rows[2..], ExportFormat::Jsonl, Scope::Filtered, 6);
    assert!(problems(&filtered, None).is_empty());
}

#[test]
fn a_kept_head_must_be_present_with_its_hash() {
    let rows = chain(4);
    let bytes = file(&rows, ExportFormat::Csv, Scope::Complete, 4);
    let good = KeptHead::parse(&format!("3:{}", rows[2].hash)).unwrap();
    assert!(problems(&bytes, Some(&good)).is_empty());
    let wrong = KeptHead::parse(&format!("3:{}", rows[1].hash)).unwrap();
    assert_eq!(problems(&bytes, Some(&wrong)).len(), 1);
    let later = KeptHead::parse(&format!("9:{}", rows[1].hash)).unwrap();
    assert_eq!(problems(&bytes, Some(&later)).len(), 1);
    for bad in ["", "3", "x:ab", "0:00", "3:abc"] {
        assert!(KeptHead::parse(bad).is_none(), "{bad:?}");
    }
}

#[test]
fn an_event_out_of_order_is_not_also_missing() {
    let mut gaps = vec![(3, 7)];
    fill_gap(&mut gaps, 5);
    assert_eq!(gaps, [(3, 4), (6, 7)]);
    fill_gap(&mut gaps, 3);
    assert_eq!(gaps, [(4, 4), (6, 7)]);
    fill_gap(&mut gaps, 4);
    assert_eq!(gaps, [(6, 7)]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, fork: false, ..Default::default() })]
    /// A real export with bytes overwritten anywhere is reported, never a panic, and the
    /// untouched file verifies.
    #[test]
    fn a_damaged_export_never_panics(
        csv in proptest::bool::ANY,
        at in 0usize..4000,
        junk in proptest::collection::vec(proptest::num::u8::ANY, 1..8),
    ) {
        let format = if csv { ExportFormat::Csv } else { ExportFormat::Jsonl };
        let mut bytes = file(&chain(4), format, Scope::Complete, 4);
        proptest::prop_assert!(problems(&bytes, None).is_empty());
        let at = at % bytes.len();
        let end = (at + junk.len()).min(bytes.len());
        bytes.splice(at..end, junk);
        let mut lookup = |_: u64| Ok(super::StoredEvent::Missing);
        let _ = verify_export(bytes.as_slice(), Some(&mut lookup), None);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let _ = verify_export(bytes.as_slice(), None, None);
    }
}
