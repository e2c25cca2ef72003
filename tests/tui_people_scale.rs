#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The people tabs at scale (D90, D92): the Users and Invitations tabs draw a first page and
//! take the rest from the people loader in chunks, keep the rows shown while a reload of a
//! complete list gathers, and after a change read that one user again instead of the list.

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::{Harness, signed_in};
use tenantry::domain::CustomerRole;
use tenantry::service::{
    Command, InvitationCommand, NewInvitation, NewUser, UserCommand, UserQuery,
};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::tabs::TabPane;

/// More users than one first page holds.
const EXTRA: usize = 260;

fn with_many_users() -> Harness {
    let c = signed_in(120, 36);
    let batch: Vec<Command> = (0..EXTRA)
        .map(|i| {
            UserCommand::Add(NewUser {
                customer: "acme-corp".into(),
                email: format!("user{i:04}@many.example"),
                first_name: "Many".into(),
                last_name: format!("User{i}"),
                role: CustomerRole::Member,
                language: None,
                fields: Vec::new(),
            })
            .into()
        })
        .collect();
    c.service.execute_batch(&c.session, batch).unwrap();
    c
}

fn every_user(c: &Harness) -> usize {
    tenantry::backend::every_page(None, |after, limit| {
        c.service.users_page(
            &c.session,
            &UserQuery {
                after,
                limit: Some(limit),
                ..UserQuery::default()
            },
        )
    })
    .unwrap()
    .len()
}

#[test]
fn the_users_load_answers_a_first_page_and_sends_the_rest_in_chunks() {
    let mut c = with_many_users();
    let total = every_user(&c);
    assert!(total > 200 + 50, "{total}");
    let actions = c.rt.run(Effect::LoadUsers);
    let Some(Action::UsersLoaded { rows, .. }) = actions.first() else {
        panic!("{actions:?}")
    };
    assert_eq!(
        rows.len(),
        200,
        "the first screen waits for one small page only"
    );
    let mut rest = 0;
    for (i, action) in actions.iter().enumerate().skip(1) {
        let Action::UsersChunk { rows, done } = action else {
            panic!("{action:?}")
        };
        rest += rows.len();
        assert_eq!(*done, i == actions.len() - 1, "only the last chunk is done");
    }
    assert_eq!(200 + rest, total);
}

#[test]
fn the_users_tab_is_usable_and_says_loading_until_the_last_chunk() {
    let mut c = with_many_users();
    let total = every_user(&c);
    c.press("2");
    c.app.tabs.users.reset();
    let mut actions = c.rt.run(Effect::LoadUsers).into_iter();
    c.app.update(actions.next().unwrap());
    assert!(c.screen().contains("loading…"), "{}", c.screen());
    assert_eq!(c.app.tabs.users.table.len(), 200);
    let before = c.app.tabs.users.selected().map(|r| r.id);
    c.press("j");
    assert_ne!(
        c.app.tabs.users.selected().map(|r| r.id),
        before,
        "moves while loading"
    );
    for action in actions {
        c.app.update(action);
    }
    assert!(!c.screen().contains("loading…"), "{}", c.screen());
    assert_eq!(c.app.tabs.users.table.len(), total);
}

#[test]
fn a_reload_of_a_complete_list_keeps_every_row_shown_until_it_is_whole() {
    let mut c = with_many_users();
    let total = every_user(&c);
    c.press("2");
    assert_eq!(c.app.tabs.users.table.len(), total);
    let mut actions = c.rt.run(Effect::LoadUsers).into_iter();
    c.app.update(actions.next().unwrap());
    assert_eq!(
        c.app.tabs.users.table.len(),
        total,
        "not cut to a first page"
    );
    for action in actions {
        c.app.update(action);
    }
    assert_eq!(c.app.tabs.users.table.len(), total);
}

#[test]
fn the_people_loader_thread_fills_the_users_tab_in_the_background() {
    let mut c = with_many_users();
    let total = every_user(&c);
    c.rt.inline_loads = false;
    c.press("2");
    assert_eq!(
        c.app.tabs.users.table.len(),
        200,
        "drawn from the first page"
    );
    for _ in 0..2_000 {
        if c.app.tabs.users.arrival.complete {
            break;
        }
        for action in c.rt.poll() {
            let effects = c.app.update(action);
            c.run(effects);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(c.app.tabs.users.arrival.complete, "the loader finished");
    assert_eq!(c.app.tabs.users.table.len(), total);
}

#[test]
fn a_user_change_reads_that_user_again_and_not_the_whole_list() {
    let mut c = with_many_users();
    c.press("2");
    let email = "user0007@many.example".to_owned();
    let effects = c.act(Action::Run {
        command: Box::new(
            UserCommand::Disable {
                email: email.clone(),
            }
            .into(),
        ),
        done: "disabled".into(),
    });
    assert!(
        effects.contains(&Effect::RefreshUser(email.clone())),
        "{effects:?}"
    );
    assert!(!effects.contains(&Effect::LoadUsers), "{effects:?}");
    let row = c.app.tabs.users.rows().iter().find(|r| r.email == email);
    assert_eq!(row.map(|r| r.status.as_str()), Some("disabled"));
}

#[test]
fn a_deleted_user_leaves_the_list_without_a_reload() {
    let mut c = with_many_users();
    let total = every_user(&c);
    c.press("2");
    let email = "user0009@many.example".to_owned();
    let effects = c.act(Action::Run {
        command: Box::new(
            UserCommand::Delete {
                email: email.clone(),
            }
            .into(),
        ),
        done: "deleted".into(),
    });
    assert!(!effects.contains(&Effect::LoadUsers), "{effects:?}");
    assert!(c.app.tabs.users.rows().iter().all(|r| r.email != email));
    assert_eq!(c.app.tabs.users.table.len(), total - 1);
}

#[test]
fn an_invitation_adds_its_user_row_without_a_reload() {
    let mut c = with_many_users();
    c.press("2");
    let email = "newcomer@guest.example";
    let effects = c.act(Action::Run {
        command: Box::new(
            InvitationCommand::Create(NewInvitation {
                customer: "acme-corp".into(),
                email: email.into(),
                first_name: "New".into(),
                last_name: "Comer".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: Some(7),
            })
            .into(),
        ),
        done: "invited".into(),
    });
    assert!(!effects.contains(&Effect::LoadUsers), "{effects:?}");
    let listed = every_user(&c);
    assert_eq!(c.app.tabs.users.rows().len(), listed, "{effects:?}");
}
