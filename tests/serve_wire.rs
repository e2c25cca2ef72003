//! The wire of `tenantry serve` from a client that speaks it by hand: malformed, oversized
//! and truncated frames, a client that never reads, too many connections and a version
//! mismatch are each answered or dropped, and another client is served throughout. Who the
//! peer is comes from the socket, never from the client.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::cli::CliDb;
use common::server::{Server, ask, cmd};
use tenantry::server::wire::{self, Hello, Reply, Request, Response, WireError};
use tenantry::service::query::ListStaff;
use tenantry::service::{Query, ServiceError};

/// Another client still gets its answers.
fn still_serves(server: &Server, db: &CliDb) {
    assert_eq!(server.status().pid, u32::try_from(server.pid()).unwrap());
    cmd(db).args(["customer", "list"]).assert().success();
}

#[test]
fn a_malformed_request_gets_an_error_answer_and_the_connection_stays() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut client = server.client();
    for junk in [
        &b"{not json"[..],
        b"{\"Execute\":{\"Nonsense\":1}}",
        b"",
        &[0xff; 64],
    ] {
        let mut frame = u32::try_from(junk.len()).unwrap().to_be_bytes().to_vec();
        frame.extend_from_slice(junk);
        client.write_all(&frame).unwrap();
        match wire::read_frame::<Response>(&mut client).unwrap() {
            Response::BadRequest(_) => {}
            other => panic!("{junk:?} answered with {other:?}"),
        }
    }
    assert!(matches!(
        ask(&mut client, &Request::Status),
        Response::Status(_)
    ));
    still_serves(&server, &db);
}

#[test]
fn an_oversized_frame_is_refused_and_its_connection_dropped() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut client = server.client();
    client
        .write_all(&(wire::MAX_FRAME + 1).to_be_bytes())
        .unwrap();
    match wire::read_frame::<Response>(&mut client).unwrap() {
        Response::Refused(why) => assert!(why.contains("over the limit"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        wire::read_frame::<Response>(&mut client),
        Err(WireError::Closed)
    ));
    still_serves(&server, &db);
}

#[test]
fn a_truncated_frame_and_a_vanished_client_do_not_affect_another() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut client = server.client();
    client.write_all(&100u32.to_be_bytes()).unwrap();
    client.write_all(b"{\"Quer").unwrap();
    drop(client);
    // Half a length, then gone, before the handshake.
    let mut early = server.connect();
    early.write_all(&[0, 0]).unwrap();
    drop(early);
    still_serves(&server, &db);
}

#[test]
fn a_handshake_that_is_not_one_is_refused() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut client = server.connect();
    wire::write_frame(&mut client, &Request::Status).unwrap();
    match wire::read_frame::<Response>(&mut client).unwrap() {
        Response::Refused(why) => assert!(why.contains("expected the handshake"), "{why}"),
        other => panic!("{other:?}"),
    }
    still_serves(&server, &db);
}

#[test]
fn a_version_mismatch_is_refused_saying_which_side_to_restart() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let cases = [
        ("0.0.1", wire::PROTOCOL, "this client is older"),
        ("999.0.0", wire::PROTOCOL + 1, "the server is older"),
    ];
    for (version, protocol, says) in cases {
        let mut client = server.connect();
        let hello = Hello {
            protocol,
            version: version.into(),
        };
        wire::write_frame(&mut client, &hello).unwrap();
        match wire::read_frame::<Response>(&mut client).unwrap() {
            Response::Refused(why) => {
                assert!(why.contains(says), "{why}");
                assert!(
                    why.contains(version) && why.contains(wire::VERSION),
                    "{why}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
    still_serves(&server, &db);
}

#[test]
fn a_client_that_never_reads_does_not_hold_up_another() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut stuck = server.client();
    stuck
        .set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let list = Request::Query(Query::Staff(ListStaff::default()));
    // Requests whose answers are never read, until the socket's buffers are full both ways.
    let mut sent = 0;
    while wire::write_frame(&mut stuck, &list).is_ok() && sent < 100_000 {
        sent += 1;
    }
    assert!(sent > 0);
    let started = Instant::now();
    still_serves(&server, &db);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "another client waited {:?}",
        started.elapsed()
    );
    drop(stuck);
}

#[test]
fn connections_past_the_cap_of_one_account_are_refused() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let cap = tenantry::server::Limits::default().per_uid;
    // Waits until only the asking connection is open. The server counts a closed connection
    // out a moment after the close, so until then asking may itself be refused at the cap.
    let counted_out = || {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut stream = server.connect();
            wire::write_frame(&mut stream, &Hello::ours()).unwrap();
            let open = match wire::read_frame::<Response>(&mut stream).unwrap() {
                Response::Welcome { .. } => match ask(&mut stream, &Request::Status) {
                    Response::Status(status) => status.clients,
                    other => panic!("status answered with {other:?}"),
                },
                Response::Refused(_) => usize::MAX,
                other => panic!("handshake answered with {other:?}"),
            };
            if open <= 1 {
                return;
            }
            assert!(Instant::now() < deadline, "connections not counted out");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let held: Vec<_> = (0..cap).map(|_| server.client()).collect();
    let mut one_more = server.connect();
    match wire::read_frame::<Response>(&mut one_more).unwrap() {
        Response::Refused(why) => assert!(why.contains("too many connections"), "{why}"),
        other => panic!("{other:?}"),
    }
    drop(held);
    // Closed connections are counted out again.
    counted_out();
    still_serves(&server, &db);
}

#[test]
fn the_server_names_the_peer_from_the_socket_and_keeps_its_session() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let mut client = server.client();
    // Before anyone signs in on this connection, nothing is answered.
    match ask(
        &mut client,
        &Request::Query(Query::Staff(ListStaff::default())),
    ) {
        Response::Done(answer) => match *answer {
            Err(ServiceError::Refused(why)) => assert!(why.contains("not signed in"), "{why}"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // The test's Unix user is linked to the owner by `init`.
    match ask(&mut client, &Request::PeerAuthenticate) {
        Response::Done(answer) => match *answer {
            Ok(Reply::MaybeSession(Some(info))) => assert_eq!(info.email, "ops@example.com"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match ask(
        &mut client,
        &Request::Query(Query::Staff(ListStaff::default())),
    ) {
        Response::Done(answer) => assert!(matches!(*answer, Ok(Reply::Answer(_)))),
        other => panic!("{other:?}"),
    }
    // Another connection has its own session: nobody yet.
    let mut other = server.client();
    match ask(&mut other, &Request::Session) {
        Response::Done(answer) => assert!(matches!(*answer, Ok(Reply::MaybeSession(None)))),
        other => panic!("{other:?}"),
    }
    let mut rest = Vec::new();
    client
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let _ = client.read_to_end(&mut rest);
    assert!(rest.is_empty(), "nothing unasked for arrives");
}
