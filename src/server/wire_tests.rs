//! Tests of the frames and the handshake's verdict, and of the service's errors crossing the
//! wire unchanged.
#![cfg(test)]

use std::io::Cursor;

use super::*;
use crate::store::StoreError;

#[test]
fn a_frame_over_the_cap_is_refused_from_its_length_alone() {
    let mut input = Cursor::new((MAX_FRAME + 1).to_be_bytes().to_vec());
    assert!(matches!(read_body(&mut input), Err(WireError::TooLarge(n)) if n == MAX_FRAME + 1));
}

#[test]
fn an_end_between_frames_is_closed_and_within_one_is_an_error() {
    assert!(matches!(
        read_body(&mut Cursor::new(Vec::new())),
        Err(WireError::Closed)
    ));
    assert!(matches!(
        read_body(&mut Cursor::new(vec![0, 0])),
        Err(WireError::Io(_))
    ));
    let mut cut = 10u32.to_be_bytes().to_vec();
    cut.extend_from_slice(b"{\"a\"");
    assert!(matches!(
        read_body(&mut Cursor::new(cut)),
        Err(WireError::Io(_))
    ));
}

#[test]
fn a_frame_reads_back_as_written() {
    let mut buffer = Vec::new();
    write_frame(&mut buffer, &Hello::ours()).unwrap();
    assert_eq!(
        &buffer[..4],
        &u32::try_from(buffer.len() - 4).unwrap().to_be_bytes()
    );
    let back: Hello = read_frame(&mut Cursor::new(buffer)).unwrap();
    assert_eq!(back, Hello::ours());
}

#[test]
fn the_service_errors_cross_the_wire_unchanged() {
    let errors = [
        ServiceError::PermissionDenied {
            action: "adding a customer",
            privilege: "customer.write",
        },
        ServiceError::not_found("customer", "acme"),
        ServiceError::NotWhileImpersonating {
            action: "setting a password",
        },
        ServiceError::InBatch {
            index: 3,
            source: Box::new(ServiceError::Store(StoreError::InUse {
                path: "/srv/db".into(),
                pid: "12".into(),
                user: "ops".into(),
                since: "now".into(),
            })),
        },
        ServiceError::LockedOut { minutes: 15 },
    ];
    for error in errors {
        let sent = Response::Done(Box::new(Err(error.clone())));
        let mut buffer = Vec::new();
        write_frame(&mut buffer, &sent).unwrap();
        match read_frame::<Response>(&mut Cursor::new(buffer)).unwrap() {
            Response::Done(answer) => {
                let back = answer.err().unwrap();
                assert_eq!(back, error);
                assert_eq!(back.exit_code(), error.exit_code());
                assert_eq!(back.to_string(), error.to_string());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_handshake_accepts_only_this_version_and_says_which_side_is_older() {
    assert_eq!(mismatch(&Hello::ours()), None);
    let older = Hello {
        protocol: PROTOCOL,
        version: "0.0.1".into(),
    };
    assert!(mismatch(&older).unwrap().contains("this client is older"));
    let newer = Hello {
        protocol: PROTOCOL,
        version: "99.1.0".into(),
    };
    assert!(mismatch(&newer).unwrap().contains("the server is older"));
    let same_version_other_protocol = Hello {
        protocol: PROTOCOL + 1,
        version: VERSION.into(),
    };
    assert!(mismatch(&same_version_other_protocol).is_some());
}

#[test]
fn only_reads_are_safe_to_ask_again() {
    use crate::service::{Command, CustomerCommand, Query, Stats};
    assert!(Request::Query(Query::Stats(Stats)).only_reads());
    assert!(Request::Status.only_reads());
    let suspend = Command::Customer(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    });
    for change in [
        Request::Execute(suspend.clone()),
        Request::ExecuteBatch(vec![suspend]),
        Request::PurgeExpired,
        Request::PruneLog,
        Request::UndoImport(1),
        Request::PeerAuthenticate,
    ] {
        assert!(!change.only_reads(), "{change:?}");
    }
}
