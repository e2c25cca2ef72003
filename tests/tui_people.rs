//! The console's Users and Invitations tabs, driven as the operator would over a real
//! runtime and database: snapshots of both tabs and their forms at 80x24 and 120x36, an add
//! through the form reaching the service, a refused field shown at its field, every change
//! asked first, the new invitation code shown once, the countdown following the app's clock,
//! and hints following what the session may do. The sign-in screen's forms:
//! `tui_people_entry.rs`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::{DAY, Harness, T0, signed_in};
use tenantry::domain::{CustomerRole, InvitationState};
use tenantry::service::{
    InvitationCommand, InvitationQuery, NewInvitation, NewUser, UserCommand, UserQuery,
};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::keymap::Context;
use tenantry::tui::modals::Modal;
use tenantry::tui::tabs::{Tab, TabPane};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

/// Two users added by staff and two invitations (one valid for a day) in `acme-corp`.
fn with_people(w: u16, h: u16) -> Harness {
    let c = signed_in(w, h);
    for (email, first, last, role) in [
        (
            "bea.member@acme.example",
            "Bea",
            "Member",
            CustomerRole::Member,
        ),
        (
            "mo.moderator@acme.example",
            "Mo",
            "Moderator",
            CustomerRole::Moderator,
        ),
    ] {
        c.service
            .execute(
                &c.session,
                UserCommand::Add(NewUser {
                    customer: "acme-corp".into(),
                    email: email.into(),
                    first_name: first.into(),
                    last_name: last.into(),
                    role,
                    language: None,
                    fields: Vec::new(),
                }),
            )
            .unwrap();
    }
    for (email, days) in [("ivy@guest.example", 7), ("short@guest.example", 1)] {
        invite(&c, email, days);
    }
    c
}

fn invite(c: &Harness, email: &str, days: u32) -> String {
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
                expires_days: Some(days),
            }),
        )
        .unwrap();
    match outcome {
        tenantry::service::Outcome::Invitation { token, .. } => token,
        other => panic!("{other:?}"),
    }
}

fn hint_line(c: &Harness) -> String {
    c.screen().lines().last().unwrap_or_default().to_owned()
}

fn status_of(c: &Harness, email: &str) -> InvitationState {
    let page = c
        .service
        .invitations_page(&c.session, &InvitationQuery::default())
        .unwrap();
    page.rows
        .into_iter()
        .find(|r| r.email == email)
        .map(|r| r.status)
        .unwrap()
}

/// Selects the row whose email is `email` on the active tab (moving down from the top).
fn select_row(c: &mut Harness, email: &str) {
    c.press("g");
    for _ in 0..40 {
        let on = match c.app.tab {
            Tab::Users => c
                .app
                .tabs
                .users
                .selected()
                .is_some_and(|r| r.email == email),
            _ => c
                .app
                .tabs
                .invitations
                .selected()
                .is_some_and(|r| r.email == email),
        };
        if on {
            return;
        }
        c.press("j");
    }
    panic!("{email} not in the table:\n{}", c.screen());
}

#[test]
fn both_tabs_and_their_forms_at_80_and_120() {
    for (w, h) in SIZES {
        let mut c = with_people(w, h);
        c.press("2");
        let screen = c.screen();
        insta::assert_snapshot!(format!("users_{w}"), screen);
        for email in ["bea.member@acme.example", "ann@acme.example"] {
            assert!(screen.contains(email), "{w}: {email}:\n{screen}");
        }
        for membership in [
            "acme-corp:member ",
            "acme-corp:admin ",
            "acme-corp:member? ",
        ] {
            assert!(screen.contains(membership), "{w}: {membership}:\n{screen}");
        }
        c.press("a");
        insta::assert_snapshot!(format!("add_user_form_{w}"), c.screen());
        c.press("esc");
        c.press("3");
        let screen = c.screen();
        insta::assert_snapshot!(format!("invitations_{w}"), screen);
        assert!(screen.contains("in 7 days"), "{screen}");
        assert!(screen.contains("in 1 day"), "{screen}");
        c.press("a");
        insta::assert_snapshot!(format!("invite_form_{w}"), c.screen());
    }
}

#[test]
fn an_add_through_the_form_reaches_the_service() {
    let mut c = with_people(80, 24);
    c.press("2 a");
    assert_eq!(c.app.context(), Context::Form);
    // The customer field is prefilled from the selected user's first customer: replace it.
    c.press("ctrl-u");
    c.type_text("acme-corp");
    c.press("tab");
    c.type_text("new.person@acme.example");
    c.press("tab");
    c.type_text("New");
    c.press("tab");
    c.type_text("Person");
    c.press("tab space");
    let effects = c.press("enter");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Execute { .. })),
        "{effects:?}"
    );
    let user = c
        .service
        .show_user(&c.session, "new.person@acme.example")
        .unwrap();
    assert_eq!(user.row.first_name, "New");
    assert_eq!(user.row.customers[0].slug, "acme-corp");
    assert_eq!(user.row.customers[0].role, "moderator");
    // The form closed, the list was read again and shows the new user.
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert!(
        c.app
            .tabs
            .users
            .rows()
            .iter()
            .any(|r| r.email == "new.person@acme.example")
    );
}

#[test]
fn a_refused_field_shows_at_its_field_and_nothing_is_written() {
    let mut c = with_people(80, 24);
    let before = c
        .service
        .users_page(&c.session, &UserQuery::default())
        .unwrap()
        .rows
        .len();
    c.press("2 a tab");
    c.type_text("not-an-email");
    c.press("tab");
    c.type_text("Some");
    c.press("tab");
    c.type_text("One");
    c.press("enter");
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("the form closed:\n{}", c.screen());
    };
    let email_field = form.fields.iter().position(|f| f.key == "email").unwrap();
    assert!(form.error_at(email_field).is_some(), "{:?}", form.errors);
    assert_eq!(form.focus, email_field);
    assert!(c.screen().contains("not a valid email"), "{}", c.screen());
    let after = c
        .service
        .users_page(&c.session, &UserQuery::default())
        .unwrap()
        .rows
        .len();
    assert_eq!(before, after);
}

#[test]
fn revoke_resend_and_delete_each_ask_first() {
    let mut c = with_people(120, 36);
    c.press("3");
    select_row(&mut c, "ivy@guest.example");
    c.press("x");
    assert!(matches!(c.app.modals.last(), Some(Modal::Confirm(_))));
    assert!(
        c.screen()
            .contains("Revoke the invitation of ivy@guest.example")
    );
    // Enter is the safe answer: nothing changes.
    c.press("enter");
    assert_eq!(status_of(&c, "ivy@guest.example"), InvitationState::Pending);
    c.press("x y");
    assert_eq!(status_of(&c, "ivy@guest.example"), InvitationState::Revoked);
    // The list was read again: the row says revoked.
    select_row(&mut c, "ivy@guest.example");
    assert_eq!(
        c.app.tabs.invitations.selected().map(|r| r.status),
        Some(InvitationState::Revoked)
    );
    c.press("d");
    assert!(matches!(c.app.modals.last(), Some(Modal::Confirm(_))));
    c.press("n");
    assert!(
        c.app
            .tabs
            .invitations
            .all
            .iter()
            .any(|r| r.email == "ivy@guest.example")
    );
    c.press("d y");
    assert!(
        !c.app
            .tabs
            .invitations
            .all
            .iter()
            .any(|r| r.email == "ivy@guest.example")
    );

    // On the Users tab: disable asks first too.
    c.press("2");
    select_row(&mut c, "bea.member@acme.example");
    c.press("s");
    assert!(matches!(c.app.modals.last(), Some(Modal::Confirm(_))));
    c.press("n");
    let shown = |c: &Harness| {
        c.service
            .show_user(&c.session, "bea.member@acme.example")
            .unwrap()
            .row
            .status
    };
    assert_eq!(shown(&c), "invited");
    c.press("s y");
    assert_eq!(shown(&c), "disabled");
    assert_eq!(
        c.app.tabs.users.hint_label(&Action::ToggleUser),
        Some("enable")
    );
}

#[test]
fn a_resend_shows_the_new_code_once_and_where_the_message_went() {
    let mut c = with_people(80, 24);
    c.press("3");
    select_row(&mut c, "ivy@guest.example");
    c.press("r y");
    let Some(Modal::Message { title, text }) = c.app.modals.last().cloned() else {
        panic!("no code dialog:\n{}", c.screen());
    };
    assert!(title.contains("shown once"), "{title}");
    assert!(text.contains("outbox"), "{text}");
    let code = text.lines().nth(1).unwrap().trim().to_owned();
    assert!(code.len() >= 32, "{text}");
    // The code works: accepting it activates the user.
    c.press("enter");
    assert!(c.app.modals.is_empty());
    assert!(!c.screen().contains(&code), "the code stays on screen");
    c.service
        .accept_invitation(&code, Some("a long enough password 1"))
        .unwrap();
    assert_eq!(
        status_of(&c, "ivy@guest.example"),
        InvitationState::Accepted
    );
}

#[test]
fn the_countdown_and_the_status_filter_follow_the_clock_in_actions() {
    let mut c = with_people(120, 36);
    c.press("3");
    // Three days pass with the console open (no idle lock, so it stays on the tab).
    c.app.idle_lock_ms = 0;
    c.act(Action::Tick(T0.plus_millis(3 * DAY)));
    let screen = c.screen();
    assert!(screen.contains("expired 2 days ago"), "{screen}");
    assert!(screen.contains("in 4 days"), "{screen}");
    // f steps through the statuses: pending first.
    c.press("f");
    assert_eq!(
        c.app.tabs.invitations.status,
        Some(InvitationState::Pending)
    );
    assert_eq!(c.app.tabs.invitations.table.len(), 2);
    c.press("f");
    assert_eq!(
        c.app.tabs.invitations.status,
        Some(InvitationState::Expired)
    );
    assert_eq!(c.app.tabs.invitations.table.len(), 0);
    c.press("f f f");
    assert_eq!(c.app.tabs.invitations.status, None);
}

#[test]
fn enter_opens_the_user_and_the_welcome_preview_is_written_only_when_asked() {
    let mut c = with_people(120, 36);
    c.service
        .execute(
            &c.session,
            UserCommand::Edit {
                email: "bea.member@acme.example".into(),
                changes: tenantry::service::UserChanges {
                    last_name: Some("Müller".into()),
                    ..Default::default()
                },
            },
        )
        .unwrap();
    c.press("2");
    select_row(&mut c, "bea.member@acme.example");
    c.press("enter");
    assert_eq!(c.app.context(), Context::UserDetail);
    let screen = c.screen();
    assert!(screen.contains("Customers (1)"), "{screen}");
    assert!(screen.contains("acme-corp"), "{screen}");
    assert!(screen.contains("Recent events"), "{screen}");
    c.press("w");
    assert_eq!(c.app.context(), Context::Welcome);
    let screen = c.screen();
    assert!(screen.contains("Subject:"), "{screen}");
    // Decoded for reading: the name as written, not as the message encodes it.
    assert!(
        screen.contains("To: Bea Müller <bea.member@acme.example>"),
        "{screen}"
    );
    assert!(screen.contains("Hello Bea Müller"), "{screen}");
    assert!(
        !screen.contains("=C3") && !screen.contains("=?"),
        "{screen}"
    );
    insta::assert_snapshot!("welcome_120", screen);
    let service = c.service.clone();
    let outbox = || service.outbox().unwrap().list().unwrap().len();
    let before = outbox();
    c.press("W n");
    assert_eq!(outbox(), before);
    c.press("W y");
    assert_eq!(outbox(), before + 1);
    c.press("esc esc");
    assert_eq!(c.app.context(), Context::Users);
}

#[test]
fn a_session_that_may_not_change_users_is_offered_no_change_and_refused_before_a_form() {
    let mut c = with_people(120, 36);
    c.press("2");
    assert!(c.app.tabs.users.may_manage, "the owner may manage users");
    assert!(hint_line(&c).contains("a add"), "{}", hint_line(&c));
    let rows = c.app.tabs.users.rows().to_vec();
    c.act(Action::UsersLoaded {
        rows,
        may_manage: false,
    });
    let hints = hint_line(&c);
    for hidden in ["a add", "e edit", "s disable", "r send"] {
        assert!(!hints.contains(hidden), "{hidden} offered: {hints}");
    }
    assert!(hints.contains("/ filter"), "{hints}");
    for key in ["a", "e", "s", "d", "r", "w"] {
        let effects = c.press(key);
        assert!(c.app.modals.is_empty(), "{key} opened a modal");
        assert!(effects.is_empty(), "{key}: {effects:?}");
    }
    assert!(c.screen().contains("error:"), "{}", c.screen());
}

#[test]
fn a_customers_users_and_invitations_are_one_key_from_its_detail_view() {
    let mut c = with_people(120, 36);
    c.service
        .execute(
            &c.session,
            InvitationCommand::Create(NewInvitation {
                customer: "wonka-labs-7".into(),
                email: "elsewhere@guest.example".into(),
                first_name: "Else".into(),
                last_name: "Where".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: None,
            }),
        )
        .unwrap();
    // The customers table is sorted by slug: acme-corp is the first row.
    let acme = c
        .shown_slugs()
        .iter()
        .position(|s| s == "acme-corp")
        .unwrap();
    c.press("g");
    for _ in 0..acme {
        c.press("j");
    }
    c.press("enter");
    assert_eq!(c.app.context(), Context::Detail);
    c.press("u");
    assert_eq!(c.app.tab, Tab::Users);
    let shown: Vec<String> = (0..c.app.tabs.users.table.len())
        .filter_map(|n| {
            use tenantry::tui::table::RowSource;
            c.app
                .tabs
                .users
                .table
                .source
                .get(n)
                .map(|r| r.email.clone())
        })
        .collect();
    assert!(
        shown.contains(&"bea.member@acme.example".to_owned()),
        "{shown:?}"
    );
    assert!(
        !shown.iter().any(|e| e.contains("wonka")),
        "another customer's user: {shown:?}"
    );
    assert!(c.screen().contains("Users of acme-corp"), "{}", c.screen());
    // Adding from here prefills the customer.
    c.press("a");
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("no form");
    };
    assert_eq!(form.value("customer"), "acme-corp");
    c.press("esc");
    // Esc shows everyone again.
    c.press("esc");
    assert_eq!(c.app.tabs.users.customer, None);
    assert_eq!(c.app.tabs.users.table.len(), c.app.tabs.users.rows().len());

    c.press("1");
    assert_eq!(
        c.app.context(),
        Context::Detail,
        "the detail view stays open"
    );
    c.press("n");
    assert_eq!(c.app.tab, Tab::Invitations);
    assert_eq!(
        c.app.tabs.invitations.customer.as_deref(),
        Some("acme-corp")
    );
    assert_eq!(c.app.tabs.invitations.all.len(), 3);
    assert_eq!(c.app.tabs.invitations.table.len(), 2, "only acme-corp's");
}

#[test]
fn a_lock_keeps_a_half_filled_invitation_for_the_same_staff_member() {
    let mut c = with_people(80, 24);
    c.press("3 a tab");
    c.type_text("half@guest.example");
    c.app.update(Action::Lock);
    let (who, form) = c.app.kept_form.clone().expect("the form is kept");
    assert_eq!(who, "owner@zeta.example");
    assert_eq!(form.value("email"), "half@guest.example");
    c.app.update(Action::SignedIn {
        email: "owner@zeta.example".into(),
    });
    let Some(Modal::Form(back)) = c.app.modals.last() else {
        panic!("the form did not come back:\n{}", c.screen());
    };
    assert_eq!(back.value("email"), "half@guest.example");
}

#[test]
fn the_status_key_shows_one_user_status_at_a_time() {
    let mut c = with_people(120, 36);
    c.press("2 f");
    assert_eq!(c.app.tabs.users.status, Some("invited"));
    let invited = c.app.tabs.users.table.len();
    c.press("f");
    assert_eq!(c.app.tabs.users.status, Some("active"));
    // Only the provider's owner has signed in (set up a password) so far.
    assert_eq!(c.app.tabs.users.table.len(), 1, "{}", c.screen());
    assert!(c.screen().contains("owner@zeta.example"));
    c.press("f");
    assert_eq!(c.app.tabs.users.table.len(), 0);
    assert!(
        c.screen().contains("No user has this status"),
        "{}",
        c.screen()
    );
    c.press("f");
    assert_eq!(c.app.tabs.users.status, None);
    assert_eq!(c.app.tabs.users.table.len(), invited + 1);
}
