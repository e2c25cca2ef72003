#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Invitations, password resets and the outbox through the service, with an injected clock:
//! the life of every token (R9), the one answer to reset requests, and every message parsed
//! back as RFC 5322 by a mail library.

mod common;

use common::{PASSWORD, fixture};
use tenantry::domain::{CustomerRole, InvitationState, StaffRole};
use tenantry::service::{
    CustomerCommand, InvitationCommand, InvitationQuery, NewCustomer, NewInvitation, Outcome,
    RESET_REQUESTED, ServiceError, StaffChanges, StaffCommand,
};

const NEW_PASSWORD: &str = "a long new password";

fn invite(customer: &str, email: &str) -> InvitationCommand {
    InvitationCommand::Create(NewInvitation {
        customer: customer.into(),
        email: email.into(),
        first_name: "Zoë".into(),
        last_name: "Müller".into(),
        role: CustomerRole::Moderator,
        language: None,
        expires_days: None,
    })
}

/// Runs an invitation command and returns the token it issued.
fn token_of(result: Result<Outcome, ServiceError>) -> String {
    match result {
        Ok(Outcome::Invitation { token, .. }) => {
            assert!(!token.is_empty());
            token
        }
        other => panic!("expected an invitation, got {other:?}"),
    }
}

/// The messages in the fixture's outbox, parsed.
fn outbox(f: &common::Fixture) -> Vec<Vec<u8>> {
    let outbox = f.service.outbox().unwrap();
    outbox
        .list()
        .unwrap()
        .into_iter()
        .map(|m| outbox.read(&m.id).unwrap())
        .collect()
}

fn event_count(f: &common::Fixture) -> usize {
    f.service.store().audit_count()
}

#[test]
fn an_invitation_writes_a_message_and_accepting_it_makes_an_active_verified_member() {
    let f = fixture();
    let acme = f.add("Acme");
    let token = token_of(f.exec(invite(&acme, "zoe@example.com")));
    let messages = outbox(&f);
    assert_eq!(messages.len(), 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&messages[0])
        .unwrap();
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.name(), Some("Zoë Müller"));
    assert_eq!(to.address(), Some("zoe@example.com"));
    assert_eq!(parsed.subject(), Some("You are invited to Acme"));
    assert!(parsed.date().is_some() && parsed.message_id().is_some());
    let raw = String::from_utf8_lossy(&messages[0]);
    assert!(raw.contains("MIME-Version: 1.0"), "{raw}");
    let body = parsed.body_text(0).unwrap();
    assert!(body.contains(&token), "{body}");
    assert!(body.contains("Example Hosting"), "{body}");
    // Until accepted, the membership grants nothing and the user cannot sign in.
    assert!(
        f.service
            .sign_in_member("zoe@example.com", NEW_PASSWORD, &acme)
            .is_err()
    );
    let accepted = f
        .service
        .accept_invitation(&token, Some(NEW_PASSWORD))
        .unwrap();
    assert_eq!(accepted.customer, acme);
    let session = f
        .service
        .sign_in_member("zoe@example.com", NEW_PASSWORD, &acme)
        .unwrap();
    assert_eq!(session.info().customer_role, Some(CustomerRole::Moderator));
    let row = f
        .service
        .show_user(&f.owner, "zoe@example.com")
        .unwrap()
        .row;
    assert_eq!(row.status, "active");
    assert!(row.email_verified);
    assert_eq!(row.origin, "invitation");
    assert_eq!(row.customers[0].status, "active");
    // The token was used up in the transaction that accepted it.
    let events = event_count(&f);
    let again = f
        .service
        .accept_invitation(&token, Some(NEW_PASSWORD))
        .unwrap_err();
    assert!(matches!(again, ServiceError::InvalidToken), "{again}");
    assert_eq!(event_count(&f), events, "a refused token changes nothing");
    // No event or summary ever carries a token.
    for event in f.service.store().audit_newest_first() {
        assert!(!event.unwrap().summary.contains(&token));
    }
}

#[test]
fn every_unusable_token_gets_the_same_message_and_changes_nothing() {
    let f = fixture();
    let acme = f.add("Acme");
    let used = token_of(f.exec(invite(&acme, "used@example.com")));
    f.service
        .accept_invitation(&used, Some(NEW_PASSWORD))
        .unwrap();
    let revoked = token_of(f.exec(invite(&acme, "revoked@example.com")));
    f.exec(InvitationCommand::Revoke {
        email: "revoked@example.com".into(),
        customer: acme.clone(),
    })
    .unwrap();
    let expired = token_of(f.exec(invite(&acme, "late@example.com")));
    let replaced = token_of(f.exec(invite(&acme, "twice@example.com")));
    token_of(f.exec(InvitationCommand::Resend {
        email: "twice@example.com".into(),
        customer: acme.clone(),
    }));
    f.clock.advance_days(8);
    let before = event_count(&f);
    let mut messages = Vec::new();
    for token in [
        "not a token",
        &"0".repeat(40),
        &used,
        &revoked,
        &expired,
        &replaced,
    ] {
        let err = f
            .service
            .accept_invitation(token, Some(NEW_PASSWORD))
            .unwrap_err();
        assert!(matches!(err, ServiceError::InvalidToken), "{token}: {err}");
        messages.push(err.to_string());
    }
    messages.dedup();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(event_count(&f), before);
    // The expired one is listed as expired, not gone.
    let rows = f
        .service
        .invitations_page(
            &f.owner,
            &InvitationQuery {
                status: Some(InvitationState::Expired),
                ..InvitationQuery::default()
            },
        )
        .unwrap()
        .rows;
    let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
    assert_eq!(emails, ["late@example.com", "twice@example.com"]);
}

#[test]
fn resend_ends_the_old_token_at_once_and_gives_a_new_expiry() {
    let f = fixture();
    let acme = f.add("Acme");
    let first = token_of(f.exec(invite(&acme, "zoe@example.com")));
    f.clock.advance_days(6);
    let second = token_of(f.exec(InvitationCommand::Resend {
        email: "ZOE@example.com".into(),
        customer: acme.clone(),
    }));
    assert_ne!(first, second);
    assert_eq!(outbox(&f).len(), 2, "resend writes a new message");
    assert!(matches!(
        f.service.accept_invitation(&first, Some(NEW_PASSWORD)),
        Err(ServiceError::InvalidToken)
    ));
    // Valid seven days from the resend, not from the first message.
    f.clock.advance_days(6);
    f.service
        .accept_invitation(&second, Some(NEW_PASSWORD))
        .unwrap();
}

#[test]
fn deleting_an_invitation_deletes_the_user_it_created_unless_they_belong_elsewhere() {
    let f = fixture();
    let acme = f.add("Acme");
    let globex = f.add("Globex");
    token_of(f.exec(invite(&acme, "only@example.com")));
    token_of(f.exec(invite(&acme, "both@example.com")));
    token_of(f.exec(invite(&globex, "both@example.com")));
    for email in ["only@example.com", "both@example.com"] {
        f.exec(InvitationCommand::Delete {
            email: email.into(),
            customer: acme.clone(),
        })
        .unwrap();
    }
    let store = f.service.store();
    assert!(
        store
            .user_id_by_email("only@example.com")
            .unwrap()
            .is_none()
    );
    let both = store.user_id_by_email("both@example.com").unwrap().unwrap();
    assert_eq!(store.customers_of(both).unwrap().len(), 1, "globex stays");
}

#[test]
fn invitations_need_a_corporate_customer_and_one_per_person_and_customer() {
    let f = fixture();
    let solo = f.add_owned("Solo", "solo@example.com");
    let said = f
        .exec(invite(&solo, "x@example.com"))
        .unwrap_err()
        .to_string();
    assert!(
        said.contains("only corporate customers take invitations"),
        "{said}"
    );
    let acme = f.add("Acme");
    token_of(f.exec(invite(&acme, "zoe@example.com")));
    let said = f
        .exec(invite(&acme, "Zoe@Example.com"))
        .unwrap_err()
        .to_string();
    assert!(said.contains("already has an invitation"), "{said}");
    // A refused command leaves no message behind.
    assert_eq!(outbox(&f).len(), 1);
    let pending = std::fs::read_dir(f.service.outbox().unwrap().dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(pending, 0);
    // Every problem of the input at once.
    let err = f
        .exec(InvitationCommand::Create(NewInvitation {
            customer: acme.clone(),
            email: "not an email".into(),
            first_name: "".into(),
            last_name: "Ok".into(),
            role: CustomerRole::Member,
            language: Some("klingon".into()),
            expires_days: Some(31),
        }))
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_problems()
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert_eq!(fields, ["email", "first name", "language", "expires-days"]);
}

#[test]
fn an_auditor_may_not_invite_and_an_operator_may() {
    let f = fixture();
    let acme = f.add("Acme");
    let auditor = f.staff("aud@example.com", StaffRole::Auditor);
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let refused = f.service.execute(&auditor, invite(&acme, "a@example.com"));
    assert!(matches!(
        refused,
        Err(ServiceError::PermissionDenied { .. })
    ));
    token_of(f.service.execute(&operator, invite(&acme, "b@example.com")));
}

#[test]
fn purging_a_customer_removes_its_invitations_and_the_users_they_created() {
    let f = fixture();
    let acme = f.add("Acme");
    token_of(f.exec(invite(&acme, "zoe@example.com")));
    f.exec(CustomerCommand::SoftDelete { slug: acme.clone() })
        .unwrap();
    f.exec(CustomerCommand::Purge { slug: acme.clone() })
        .unwrap();
    assert_eq!(f.service.store().invitations().count(), 0);
    assert!(
        f.service
            .store()
            .user_id_by_email("zoe@example.com")
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_reset_request_gets_one_answer_and_at_most_three_messages_an_hour() {
    let f = fixture();
    let acme = f.add_with(NewCustomer {
        name: "Acme".into(),
        owner: Some(tenantry::service::OwnerSpec {
            email: "ann@acme.example".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    });
    for email in [
        "nobody@example.com",
        "ann@acme.example",
        "  ANN@acme.example ",
    ] {
        assert_eq!(
            f.service.request_password_reset(email).unwrap(),
            RESET_REQUESTED
        );
    }
    assert_eq!(outbox(&f).len(), 2, "none for an unknown email");
    assert_eq!(
        f.service
            .request_password_reset("ann@acme.example")
            .unwrap(),
        RESET_REQUESTED
    );
    assert_eq!(
        f.service
            .request_password_reset("ann@acme.example")
            .unwrap(),
        RESET_REQUESTED
    );
    assert_eq!(outbox(&f).len(), 3, "the fourth in the hour writes nothing");
    f.clock.advance_millis(61 * 60 * 1000);
    f.service
        .request_password_reset("ann@acme.example")
        .unwrap();
    assert_eq!(outbox(&f).len(), 4);
    let _ = acme;
}

/// The token in the newest reset message of the outbox.
fn newest_reset_token(f: &common::Fixture) -> String {
    let messages = outbox(f);
    let parsed = mail_parser::MessageParser::default()
        .parse(messages.last().unwrap())
        .unwrap();
    assert_eq!(parsed.subject(), Some("Reset your password"));
    let body = parsed.body_text(0).unwrap().into_owned();
    body.split_whitespace()
        .find(|w| w.len() == 40 && w.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap()
        .to_owned()
}

#[test]
fn a_reset_token_works_once_for_an_hour_and_a_password_change_ends_the_others() {
    let f = fixture();
    f.staff("op@example.com", StaffRole::Operator);
    f.service.request_password_reset("op@example.com").unwrap();
    let first = newest_reset_token(&f);
    f.clock.advance_millis(60 * 1000);
    f.service.request_password_reset("op@example.com").unwrap();
    let second = newest_reset_token(&f);
    assert_ne!(first, second);
    let email = f.service.reset_password(&second, NEW_PASSWORD).unwrap();
    assert_eq!(email, "op@example.com");
    f.service.sign_in("op@example.com", NEW_PASSWORD).unwrap();
    // Used once; and the first token ended with the password change.
    for token in [&second, &first] {
        assert!(matches!(
            f.service.reset_password(token, "another long password"),
            Err(ServiceError::InvalidToken)
        ));
    }
    // A password set by staff ends the user's reset tokens too.
    f.service.request_password_reset("op@example.com").unwrap();
    let third = newest_reset_token(&f);
    f.exec(StaffCommand::Edit {
        email: "op@example.com".into(),
        changes: StaffChanges {
            password: Some("set by the owner here".into()),
            ..StaffChanges::default()
        },
    })
    .unwrap();
    assert!(matches!(
        f.service.reset_password(&third, "another long password"),
        Err(ServiceError::InvalidToken)
    ));
    // And a token is good for one hour only.
    f.clock.advance_millis(61 * 60 * 1000);
    f.service.request_password_reset("op@example.com").unwrap();
    let fourth = newest_reset_token(&f);
    f.clock.advance_millis(60 * 60 * 1000);
    assert!(matches!(
        f.service.reset_password(&fourth, "another long password"),
        Err(ServiceError::InvalidToken)
    ));
}

#[test]
fn a_welcome_message_is_previewed_then_written_and_the_outbox_lists_its_headers() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(tenantry::service::UserCommand::Add(
        tenantry::service::NewUser {
            customer: acme.clone(),
            email: "zoe@example.com".into(),
            first_name: "Zoë".into(),
            last_name: "Müller".into(),
            role: CustomerRole::Member,
            language: None,
            fields: Vec::new(),
        },
    ))
    .unwrap();
    assert!(
        outbox(&f).is_empty(),
        "a user added by staff gets no message by itself"
    );
    let preview = f
        .service
        .welcome_preview(&f.owner, "zoe@example.com")
        .unwrap();
    let parsed = mail_parser::MessageParser::default()
        .parse(preview.as_bytes())
        .unwrap();
    assert_eq!(parsed.subject(), Some("Welcome to Example Hosting"));
    assert!(parsed.body_text(0).unwrap().contains("for Acme"));
    assert!(outbox(&f).is_empty(), "a preview writes nothing");
    let written = f
        .exec(tenantry::service::UserCommand::Welcome {
            email: "zoe@example.com".into(),
        })
        .unwrap();
    let Outcome::Message { message, .. } = written else {
        panic!("{written:?}")
    };
    assert!(
        message.starts_with("written to the outbox as "),
        "{message}"
    );
    let rows = f.service.list_outbox(&f.owner).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].to, "zoe@example.com");
    assert_eq!(rows[0].subject, "Welcome to Example Hosting");
    // Reading a message whole needs "manage staff": a reset message sets a password.
    let operator = f.staff("op@example.com", StaffRole::Operator);
    assert!(f.service.list_outbox(&operator).is_ok());
    assert!(matches!(
        f.service.show_outbox_message(&operator, &rows[0].id),
        Err(ServiceError::PermissionDenied { .. })
    ));
    let whole = f
        .service
        .show_outbox_message(&f.owner, &rows[0].id)
        .unwrap();
    assert!(whole.contains("Message-ID: <"), "{whole}");
}

#[test]
fn a_delivery_command_takes_the_message_and_its_failure_leaves_it_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken.eml");
    let script = dir.path().join("sendmail");
    std::fs::write(&script, format!("#!/bin/sh\ncat > {}\n", taken.display())).unwrap();
    std::fs::set_permissions(
        &script,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755),
    )
    .unwrap();
    for (command, delivered) in [
        // Run through /bin/sh: executing a file this process just wrote can fail with "text
        // file busy" while another test thread forks.
        (
            vec![
                "/bin/sh".to_owned(),
                script.display().to_string(),
                "-t".into(),
                "-i".into(),
            ],
            true,
        ),
        (vec!["/bin/false".to_owned()], false),
    ] {
        let f = common::fixture_with_mail(command);
        let acme = f.add("Acme");
        let result = f.exec(invite(&acme, "zoe@example.com")).unwrap();
        let Outcome::Invitation { message, token, .. } = result else {
            panic!("{result:?}")
        };
        if delivered {
            assert!(message.starts_with("handed to "), "{message}");
            assert!(outbox(&f).is_empty());
            let sent = std::fs::read_to_string(&taken).unwrap();
            assert!(sent.contains(&token));
        } else {
            assert!(message.contains("left in the outbox"), "{message}");
            assert!(message.contains("exited with status 1"), "{message}");
            assert_eq!(outbox(&f).len(), 1);
        }
    }
}
