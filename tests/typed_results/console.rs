//! What a session may do to each customer is computed by the service, and the console offers
//! only that for the selected row: driven through `App::update` and a runtime over a real
//! database, no terminal.

use std::sync::Arc;

use crate::common::fixture;
use tenantry::domain::{StaffRole, Timestamp};
use tenantry::service::{
    Command, CustomerCommand, FixedClock, InitRequest, NewCustomer, NewStaff, Service, Session,
    StaffCommand,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::runtime::Runtime;

const T0: Timestamp = Timestamp(1_795_440_123_456);
const PASSWORD: &str = "correct horse battery";

struct Console {
    app: App,
    rt: Runtime,
    _dir: tempfile::TempDir,
}

impl Console {
    /// A console signed in with `role`, over a database with the provider, "acme" (live) and
    /// "gone" (in the trash).
    fn as_role(role: StaffRole) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store =
            Store::open(&path, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
        let service = Service::new(store, Arc::new(FixedClock::new(T0)));
        let owner = service
            .init(&InitRequest {
                company: "Zeta Hosting".into(),
                email: "owner@zeta.example".into(),
                first_name: "Olga".into(),
                last_name: "Owner".into(),
                password: PASSWORD.into(),
                unix_user: None,
            })
            .unwrap();
        for name in ["Acme", "Gone"] {
            let new = NewCustomer {
                name: name.into(),
                status: Some(tenantry::domain::CustomerStatus::Active),
                ..NewCustomer::default()
            };
            service.execute(&owner, CustomerCommand::Add(new)).unwrap();
        }
        service
            .execute(
                &owner,
                CustomerCommand::SoftDelete {
                    slug: "gone".into(),
                },
            )
            .unwrap();
        let session: Session = if role == StaffRole::Owner {
            owner
        } else {
            let staff = NewStaff {
                email: "staff@zeta.example".into(),
                first_name: "Sam".into(),
                last_name: "Staff".into(),
                role,
                unix_user: None,
                password: Some(PASSWORD.into()),
            };
            service.execute(&owner, StaffCommand::Add(staff)).unwrap();
            service.sign_in("staff@zeta.example", PASSWORD).unwrap()
        };
        let email = session.actor().label();
        let mut rt = Runtime::with_service(path, service, session);
        rt.inline_loads = true;
        let options = AppOptions {
            config: Config::default(),
            db_label: "/srv/tenantry/db".into(),
            unix_user: None,
            force_sign_in: false,
            utc_offset_secs: 0,
            color: false,
            sign_in_note: None,
        };
        let mut c = Self {
            app: App::new(options, 120, 36, T0),
            rt,
            _dir: dir,
        };
        c.act(Action::Opened {
            initialised: true,
            signed_in: Some(email),
        });
        c
    }

    /// Runs an action and every effect it leads to; returns the effects.
    fn act(&mut self, action: Action) -> Vec<Effect> {
        let mut seen = Vec::new();
        let mut pending: std::collections::VecDeque<_> = self.app.update(action).into();
        while let Some(effect) = pending.pop_front() {
            seen.push(effect.clone());
            for next in self.rt.run(effect) {
                pending.extend(self.app.update(next));
            }
        }
        seen
    }

    fn select(&mut self, slug: &str) {
        self.act(Action::SelectFirst);
        for _ in 0..self.app.tabs.customers.len() {
            if self
                .app
                .tabs
                .customers
                .selected()
                .is_some_and(|e| e.slug == slug)
            {
                return;
            }
            self.act(Action::SelectNext);
        }
        panic!("no row {slug}");
    }

    fn status(&self) -> String {
        self.app.status.clone().map(|s| s.text).unwrap_or_default()
    }
}

#[test]
fn the_console_offers_only_what_the_service_allows_for_the_row() {
    // An auditor reads: no action on a live customer opens a dialog or reaches the service.
    let mut c = Console::as_role(StaffRole::Auditor);
    c.select("acme");
    for action in [
        Action::DeleteCustomer,
        Action::ToggleStatus,
        Action::EditCustomer,
        Action::ChangeSlug,
    ] {
        let effects = c.act(action.clone());
        assert!(effects.is_empty(), "{action:?} led to {effects:?}");
        assert!(c.app.modals.is_empty(), "{action:?} opened a dialog");
        assert!(c.status().contains("permission denied"), "{}", c.status());
    }
    // Nor on a trashed one.
    c.act(Action::GoTab(3));
    assert!(c.act(Action::RestoreCustomer).is_empty());
    assert!(c.status().contains("permission denied"), "{}", c.status());

    // An operator may restore but not purge.
    let mut c = Console::as_role(StaffRole::Operator);
    c.act(Action::GoTab(3));
    c.act(Action::PurgeCustomer);
    assert!(
        c.app.modals.is_empty(),
        "purge confirm offered to an operator"
    );
    assert!(c.status().contains("\"purge\" privilege"), "{}", c.status());
    assert!(
        c.act(Action::RestoreCustomer).is_empty(),
        "restore asks first"
    );
    let effects = c.act(Action::ConfirmYes);
    assert!(
        matches!(effects.first(), Some(Effect::Execute { .. })),
        "{effects:?}"
    );
}

#[test]
fn the_status_key_follows_the_service_not_a_status_string() {
    let mut c = Console::as_role(StaffRole::Owner);
    c.select("acme");
    assert!(
        c.act(Action::ToggleStatus).is_empty(),
        "the status key asks first"
    );
    let effects = c.act(Action::ConfirmYes);
    assert!(
        matches!(
            effects.first(),
            Some(Effect::Execute {
                command: Command::Customer(CustomerCommand::SetStatus {
                    status: tenantry::domain::CustomerStatus::Suspended,
                    ..
                }),
                ..
            })
        ),
        "{effects:?}"
    );
    assert_eq!(c.status(), "suspended acme");
    assert!(
        c.act(Action::ToggleStatus).is_empty(),
        "the status key asks first"
    );
    let effects = c.act(Action::ConfirmYes);
    assert!(
        matches!(
            effects.first(),
            Some(Effect::Execute {
                command: Command::Customer(CustomerCommand::SetStatus {
                    status: tenantry::domain::CustomerStatus::Active,
                    ..
                }),
                ..
            })
        ),
        "{effects:?}"
    );
    assert_eq!(c.status(), "activated acme");
}

fn allowed_of(
    f: &crate::common::Fixture,
    session: &tenantry::service::Session,
    slug: &str,
) -> tenantry::service::AllowedActions {
    f.service
        .show_customer(session, slug)
        .expect("show")
        .row
        .allowed
}

/// The service computes per row what the session may do: the provider company is never
/// offered for change, a trashed customer only restore or purge, a role only what it holds.
#[test]
fn allowed_actions_per_row_are_computed_by_the_service_from_session_and_record() {
    use tenantry::service::{CustomerAction as A, Denial};
    let f = fixture();
    f.add("Acme");
    f.add("Gone");
    f.exec(CustomerCommand::SoftDelete {
        slug: "gone".into(),
    })
    .unwrap();
    let provider = f.slugs(false).into_iter().find(|s| s != "acme").unwrap();
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let auditor = f.staff("au@example.com", StaffRole::Auditor);

    let live = allowed_of(&f, &f.owner, "acme");
    for a in [
        A::Edit,
        A::ChangeSlug,
        A::Suspend,
        A::Delete,
        A::Copy,
        A::Groups,
        A::Services,
    ] {
        assert!(live.allows(a), "{a:?}");
    }
    assert_eq!(
        live.denial(A::Activate),
        Some(Denial::AlreadyStatus(
            tenantry::domain::CustomerStatus::Active
        ))
    );
    assert_eq!(live.denial(A::Purge), Some(Denial::NotInTrash));

    let company = allowed_of(&f, &f.owner, &provider);
    for a in [A::Edit, A::ChangeSlug, A::Suspend, A::Delete, A::Purge] {
        assert_eq!(company.denial(a), Some(Denial::ProviderCompany), "{a:?}");
    }
    let text = company
        .refusal(A::Delete, &provider, "Example Hosting")
        .unwrap();
    assert!(text.contains("is the provider company"), "{text}");

    let trashed = allowed_of(&f, &f.owner, "gone");
    assert!(trashed.allows(A::Restore) && trashed.allows(A::Purge));
    assert_eq!(trashed.denial(A::Edit), Some(Denial::InTrash));
    assert_eq!(trashed.denial(A::Copy), Some(Denial::InTrash));

    // An operator manages customers but may not purge; an auditor only reads.
    let op = allowed_of(&f, &operator, "gone");
    assert!(op.allows(A::Restore));
    assert_eq!(
        op.denial(A::Purge),
        Some(Denial::Privilege(tenantry::domain::Privilege::Purge))
    );
    let au = allowed_of(&f, &auditor, "acme");
    assert!(A::ALL.iter().all(|a| !au.allows(*a)));
    assert_eq!(
        au.refusal(A::Delete, "acme", "Acme").unwrap(),
        "permission denied: customer.delete needs the \"manage customers\" privilege"
    );
    // What the service allows is what it then executes, and what it denies it refuses.
    let err = f
        .service
        .execute(
            &operator,
            CustomerCommand::Purge {
                slug: "gone".into(),
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            tenantry::service::ServiceError::PermissionDenied { .. }
        ),
        "{err}"
    );
}
