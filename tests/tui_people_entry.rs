//! The sign-in screen's other forms, driven as a person would over a real runtime: "I have
//! an invitation" accepts a code and sets the password (typed twice), "Forgot password?"
//! gives the one fixed answer whether or not the email has an account, and "I have a reset
//! code" sets the password with the code from that message and refuses a bad code with one
//! message that changes nothing.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::{Harness, signed_in};
use tenantry::domain::CustomerRole;
use tenantry::service::{InvitationCommand, NewInvitation, Outcome};
use tenantry::tui::app::Screen;
use tenantry::tui::modals::FormKind;

/// The console on its sign-in screen, its backend still open (as after a failed sign-in).
fn on_sign_in() -> Harness {
    let mut c = signed_in(80, 24);
    c.app.signed_in = None;
    c.app.screen = Screen::SignIn(Box::new(c.app.sign_in_form()));
    c
}

fn form_kind(c: &Harness) -> FormKind {
    match &c.app.screen {
        Screen::SignIn(f) => f.kind.clone(),
        other => panic!("not on the sign-in screen: {other:?}"),
    }
}

fn invite(c: &Harness, email: &str) -> String {
    let outcome = c
        .service
        .execute(
            &c.session,
            InvitationCommand::Create(NewInvitation {
                customer: "acme-corp".into(),
                email: email.into(),
                first_name: "Ivy".into(),
                last_name: "Guest".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: None,
            }),
        )
        .unwrap();
    match outcome {
        Outcome::Invitation { token, .. } => token,
        other => panic!("{other:?}"),
    }
}

fn user_status(c: &Harness, email: &str) -> (String, bool) {
    let row = c.service.show_user(&c.session, email).unwrap().row;
    (row.status, row.email_verified)
}

#[test]
fn an_invitation_code_is_accepted_on_the_sign_in_screen() {
    let mut c = on_sign_in();
    let token = invite(&c, "ivy@guest.example");
    assert!(c.screen().contains("F2 invitation"), "{}", c.screen());
    c.press("f2");
    assert_eq!(form_kind(&c), FormKind::AcceptInvitation);
    // Two passwords that differ: refused at the second, before anything is asked.
    c.type_text(&token);
    c.press("tab");
    c.type_text("a long enough password 1");
    c.press("tab");
    c.type_text("another password");
    let effects = c.press("enter");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        c.screen().contains("the two passwords differ"),
        "{}",
        c.screen()
    );
    assert_eq!(user_status(&c, "ivy@guest.example").0, "invited");
    c.press("ctrl-u");
    c.type_text("a long enough password 1");
    c.press("enter");
    assert_eq!(form_kind(&c), FormKind::SignIn, "{}", c.screen());
    assert!(c.screen().contains("invitation accepted"), "{}", c.screen());
    assert_eq!(
        user_status(&c, "ivy@guest.example"),
        ("active".to_owned(), true)
    );
    assert!(!c.screen().contains(&token));
    // Used once: the same code again gets the one refusal and changes nothing.
    c.press("f2");
    c.type_text(&token);
    c.press("tab");
    c.type_text("a long enough password 2");
    c.press("tab");
    c.type_text("a long enough password 2");
    c.press("enter");
    assert_eq!(form_kind(&c), FormKind::AcceptInvitation);
    let Screen::SignIn(form) = &c.app.screen else {
        unreachable!()
    };
    assert!(form.general_error.is_some(), "{}", c.screen());
    // Esc goes back to sign-in.
    c.press("esc");
    assert_eq!(form_kind(&c), FormKind::SignIn);
}

#[test]
fn forgot_password_answers_the_same_for_any_email() {
    let mut answers = Vec::new();
    for email in ["ann@acme.example", "nobody@nowhere.example"] {
        let mut c = on_sign_in();
        c.press("f3");
        assert_eq!(form_kind(&c), FormKind::ForgotPassword);
        c.type_text(email);
        c.press("enter");
        assert_eq!(form_kind(&c), FormKind::SignIn, "{}", c.screen());
        let Screen::SignIn(form) = &c.app.screen else {
            unreachable!()
        };
        answers.push(form.note.clone().unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].contains("reset"), "{}", answers[0]);
}

#[test]
fn a_bad_reset_code_gets_one_message_and_changes_nothing() {
    let mut c = on_sign_in();
    c.press("f4");
    assert_eq!(form_kind(&c), FormKind::ResetPassword);
    c.press("enter");
    let Screen::SignIn(form) = &c.app.screen else {
        unreachable!()
    };
    let token_field = form.fields.iter().position(|f| f.key == "token").unwrap();
    assert!(form.error_at(token_field).is_some(), "{:?}", form.errors);
    c.type_text("0123456789abcdef0123456789abcdef");
    c.press("tab");
    c.type_text("a long enough password 1");
    c.press("tab");
    c.type_text("a long enough password 1");
    c.press("enter");
    assert_eq!(form_kind(&c), FormKind::ResetPassword);
    let Screen::SignIn(form) = &c.app.screen else {
        unreachable!()
    };
    assert!(form.general_error.is_some(), "{}", c.screen());
    // The setup screen offers none of these forms.
    c.app.screen = Screen::Setup(Box::new(c.app.setup_form()));
    c.press("f2");
    assert!(matches!(c.app.screen, Screen::Setup(_)));
    assert!(!c.screen().contains("F2 invitation"), "{}", c.screen());
}

/// The code in the newest reset message to `email` in the outbox.
fn reset_code(c: &Harness, email: &str) -> String {
    let outbox = c.service.outbox().unwrap();
    let mut found = None;
    for file in outbox.list().unwrap() {
        if !file.id.contains("reset") {
            continue;
        }
        let bytes = outbox.read(&file.id).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        let to = parsed
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address());
        if to != Some(email) {
            continue;
        }
        let body = parsed.body_text(0).unwrap().into_owned();
        found = body
            .split(|ch: char| !ch.is_ascii_hexdigit())
            .find(|w| w.len() >= 32)
            .map(str::to_owned);
    }
    found.expect("a reset message with a code")
}

#[test]
fn a_reset_code_from_forgot_password_sets_the_password_on_the_sign_in_screen() {
    let mut c = on_sign_in();
    c.press("f3");
    c.type_text("owner@zeta.example");
    c.press("enter");
    let code = reset_code(&c, "owner@zeta.example");
    c.press("f4");
    c.type_text(&code);
    c.press("tab");
    c.type_text("a brand new password 42");
    c.press("tab");
    c.type_text("a brand new password 42");
    c.press("enter");
    assert_eq!(form_kind(&c), FormKind::SignIn, "{}", c.screen());
    assert!(
        c.screen().contains("password set for owner@zeta.example"),
        "{}",
        c.screen()
    );
    // The new password signs in; the old one no longer does.
    use tenantry::backend::Backend;
    let backend = tenantry::backend::Local::new(c.service.clone());
    assert!(
        backend
            .sign_in("owner@zeta.example", "correct horse battery")
            .is_err()
    );
    backend
        .sign_in("owner@zeta.example", "a brand new password 42")
        .unwrap();
}
