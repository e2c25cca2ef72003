#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The console's Dashboard tab over a real runtime and database: the numbers the service's
//! counters give, drawn without colour at 80x24 (the most important panels, and a line naming
//! what was left out) and at 120x36 (everything), and read again after a change made in the
//! console.

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::{Harness, signed_in};
use tenantry::domain::CustomerRole;
use tenantry::service::{CustomerCommand, InvitationCommand, NewInvitation, Stats};
use tenantry::tui::tabs::Tab;

/// Adds what the harness lacks: an invitation, a suspended and a trashed customer.
fn with_more(c: &Harness) {
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
                expires_days: Some(1),
            }),
        )
        .unwrap();
    c.service
        .execute(
            &c.session,
            CustomerCommand::SetStatus {
                slug: "wonka-labs-7".into(),
                status: tenantry::domain::CustomerStatus::Suspended,
            },
        )
        .unwrap();
    c.service
        .execute(
            &c.session,
            CustomerCommand::SoftDelete {
                slug: "wonka-labs-76".into(),
            },
        )
        .unwrap();
}

fn on_dashboard(w: u16, h: u16) -> Harness {
    let mut c = signed_in(w, h);
    with_more(&c);
    c.press("6");
    assert_eq!(c.app.tab, Tab::Dashboard);
    assert!(c.app.tabs.dashboard.report.is_some(), "{}", c.screen());
    c
}

#[test]
fn the_dashboard_shows_the_services_numbers_at_both_sizes() {
    for (w, h) in [(80u16, 24u16), (120, 36)] {
        let c = on_dashboard(w, h);
        let report = c.service.stats(&c.session).unwrap();
        let screen = c.screen();
        assert!(screen.contains("Customers · 7 live"), "{screen}");
        assert!(screen.contains("suspended"), "{screen}");
        assert_eq!(report.customers_named("trashed"), 1);
        assert!(screen.contains("wonka-labs-76"), "the next purge: {screen}");
        assert_eq!(report.invitations.expiring_soon, 1);
        assert!(
            screen
                .lines()
                .any(|l| l.contains("expiring in 48 h") && l.contains(" 1")),
            "{screen}"
        );
        assert!(
            screen.contains(&format!("Users · {}", report.users)),
            "{screen}"
        );
        if w == 80 {
            assert!(screen.contains("Not shown: weekly chart"), "{screen}");
            assert!(screen.contains("new per week"), "{screen}");
        } else {
            assert!(screen.contains("New customers per week"), "{screen}");
            assert!(screen.contains("Last 10 events"), "{screen}");
            assert!(!screen.contains("Not shown"), "{screen}");
        }
        insta::assert_snapshot!(format!("dashboard_{w}x{h}"), screen);
    }
}

#[test]
fn a_change_made_in_the_console_is_on_the_dashboard_when_it_is_shown_again() {
    let mut c = on_dashboard(120, 36);
    let before = c.app.tabs.dashboard.report.clone().unwrap();
    assert_eq!(before.customers_named("suspended"), 1);
    // Suspend Acme Corp from the Customers tab, then come back.
    c.press("1");
    c.press("/");
    c.type_text("acme");
    c.press("enter");
    c.press("s");
    c.press("y");
    assert_eq!(
        c.service
            .stats(&c.session)
            .unwrap()
            .customers_named("suspended"),
        2,
        "{}",
        c.screen()
    );
    c.press("6");
    let after = c.app.tabs.dashboard.report.clone().unwrap();
    assert_eq!(after.customers_named("suspended"), 2);
    assert_eq!(after.last_events[0].action, "customer.suspend");
    let _ = Stats;
}
