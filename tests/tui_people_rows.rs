#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The people tabs offer, for the selected row, only what the service would do to it: no
//! resend or revoke of an accepted or revoked invitation, no deleting the owner's
//! invitation, no disabling or deleting a staff member as a user. Pressing such a key says
//! why at once and asks nothing.

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::signed_in;
use tenantry::domain::CustomerRole;
use tenantry::service::{InvitationCommand, NewInvitation};
use tenantry::tui::action::Action;
use tenantry::tui::keymap::Context;

#[test]
fn a_revoked_invitation_offers_no_resend_or_revoke_and_says_why() {
    let mut c = signed_in(120, 36);
    c.service
        .execute(
            &c.session,
            InvitationCommand::Create(NewInvitation {
                customer: "acme-corp".into(),
                email: "ivy@guest.example".into(),
                first_name: "Ivy".into(),
                last_name: "Guest".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: None,
            }),
        )
        .unwrap();
    c.service
        .execute(
            &c.session,
            InvitationCommand::Revoke {
                email: "ivy@guest.example".into(),
                customer: "acme-corp".into(),
            },
        )
        .unwrap();
    c.press("3");
    // Every status, so the revoked one is listed.
    while c.app.tabs.invitations.selected().map(|r| r.email.as_str()) != Some("ivy@guest.example") {
        let before = c.app.tabs.invitations.selected().map(|r| r.id);
        c.press("j");
        if c.app.tabs.invitations.selected().map(|r| r.id) == before {
            c.press("f");
        }
    }
    assert_eq!(
        c.app.tabs.invitations.selected().map(|r| r.email.as_str()),
        Some("ivy@guest.example")
    );
    for action in [Action::ResendInvitation, Action::RevokeInvitation] {
        assert!(!c.app.offers(Context::Invitations, &action), "{action:?}");
    }
    assert!(
        c.app
            .offers(Context::Invitations, &Action::DeleteInvitation)
    );
    c.press("r");
    assert!(c.app.modals.is_empty(), "asked anyway");
    let said = c.app.status.clone().unwrap().text;
    assert!(
        said.contains("is revoked: there is nothing to resend"),
        "{said}"
    );
}

#[test]
fn a_staff_member_is_not_offered_for_disabling_or_deleting_as_a_user() {
    let mut c = signed_in(120, 36);
    c.press("2");
    for _ in 0..50 {
        if c.app.tabs.users.selected().map(|r| r.email.as_str()) == Some("owner@zeta.example") {
            break;
        }
        c.press("j");
    }
    assert_eq!(
        c.app.tabs.users.selected().map(|r| r.email.as_str()),
        Some("owner@zeta.example")
    );
    assert!(!c.app.offers(Context::Users, &Action::ToggleUser));
    assert!(!c.app.offers(Context::Users, &Action::DeleteUser));
    assert!(c.app.offers(Context::Users, &Action::EditUser));
    c.press("s");
    assert!(c.app.modals.is_empty(), "asked anyway");
    let said = c.app.status.clone().unwrap().text;
    assert!(said.contains("is a staff member"), "{said}");
}

#[test]
fn an_invitation_change_moves_its_row_without_reading_the_list_again() {
    let mut c = signed_in(120, 36);
    c.service
        .execute(
            &c.session,
            InvitationCommand::Create(NewInvitation {
                customer: "acme-corp".into(),
                email: "ivy@guest.example".into(),
                first_name: "Ivy".into(),
                last_name: "Guest".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: None,
            }),
        )
        .unwrap();
    c.press("3");
    for _ in 0..50 {
        if c.app.tabs.invitations.selected().map(|r| r.email.as_str()) == Some("ivy@guest.example")
        {
            break;
        }
        c.press("j");
    }
    c.press("x");
    let effects = c.press("y");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, tenantry::tui::action::Effect::Execute { .. })),
        "{effects:?}"
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, tenantry::tui::action::Effect::LoadInvitations)),
        "{effects:?}"
    );
    let ivy = c
        .app
        .tabs
        .invitations
        .all
        .iter()
        .find(|r| r.email == "ivy@guest.example")
        .unwrap();
    assert_eq!(ivy.status, tenantry::domain::InvitationState::Revoked);
    assert!(!ivy.open);
}
