#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Every command and query against every kind of session, in one table: the four staff
//! roles, each role of a customer's user, and a staff member impersonating the customer.
//! A cell is `Y` when the service lets the session through its permission gate (the command
//! then succeeds or fails on its own merits) and `n` when it refuses it for who acts. Crafted
//! commands naming another customer, and staff-only commands from a customer session or an
//! impersonation, are rows like any other.

mod common;

use common::{Fixture, PASSWORD, fixture};
use tenantry::domain::{CustomerRole, StaffRole};
use tenantry::service::query::{GetSetting, ShowCustomer, VerifyLog};
use tenantry::service::{
    Command, CustomerChanges, CustomerCommand, CustomerQuery, ImpersonationList, InvitationCommand,
    InvitationQuery, ListOutbox, LogQuery, MyCustomers, NewCustomer, NewInvitation, NewStaff,
    NewUser, Outcome, OwnerSpec, Query, ServiceError, Session, SettingsCommand, ShowUser,
    StaffCommand, UserChanges, UserCommand, UserQuery, WelcomePreview,
};

/// The sessions of the table's columns, in order.
const COLUMNS: [&str; 8] = [
    "owner", "admin", "operator", "auditor", "c-admin", "c-mod", "c-member", "imperson",
];

struct World {
    f: Fixture,
    sessions: Vec<Session>,
}

fn owned(f: &Fixture, name: &str, email: &str) -> String {
    f.add_with(NewCustomer {
        name: name.into(),
        owner: Some(OwnerSpec {
            email: email.into(),
            first_name: Some("Ann".into()),
            last_name: Some("Owner".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    })
}

fn invitation(customer: &str, email: &str, role: CustomerRole) -> InvitationCommand {
    InvitationCommand::Create(NewInvitation {
        customer: customer.into(),
        email: email.into(),
        first_name: "In".into(),
        last_name: "Vited".into(),
        role,
        language: None,
        expires_days: None,
    })
}

/// A user of `customer` with `role` who has signed in: invited, accepted, signed in.
fn member(f: &Fixture, customer: &str, email: &str, role: CustomerRole) -> Session {
    let Outcome::Invitation { token, .. } = f.exec(invitation(customer, email, role)).unwrap()
    else {
        panic!("no invitation")
    };
    f.service
        .accept_invitation(&token, Some("a member's own long password"))
        .unwrap();
    f.service
        .sign_in(email, "a member's own long password")
        .unwrap()
}

/// Acme (with an administrator, a moderator and a member) and Globex, four staff, and a
/// staff operator impersonating Acme.
fn world() -> World {
    let f = fixture();
    owned(&f, "Acme", "ann@acme.example");
    owned(&f, "Globex", "gil@globex.example");
    f.exec(UserCommand::Add(NewUser {
        customer: "acme".into(),
        email: "una@acme.example".into(),
        first_name: "Una".into(),
        last_name: "User".into(),
        role: CustomerRole::Member,
        language: None,
        fields: Vec::new(),
    }))
    .unwrap();
    f.exec(invitation("acme", "ivy@acme.example", CustomerRole::Member))
        .unwrap();
    let admin = f.staff("adm@example.com", StaffRole::Administrator);
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let auditor = f.staff("aud@example.com", StaffRole::Auditor);
    let c_admin = f.service.sign_in("ann@acme.example", PASSWORD).unwrap();
    let c_mod = member(&f, "acme", "mo@acme.example", CustomerRole::Moderator);
    let c_member = member(&f, "acme", "mem@acme.example", CustomerRole::Member);
    let imp_staff = f.staff("imp@example.com", StaffRole::Operator);
    let imperson = f
        .service
        .start_impersonation(&imp_staff, "acme", "ticket 4411")
        .unwrap();
    let sessions = vec![
        f.owner.clone(),
        admin,
        operator,
        auditor,
        c_admin,
        c_mod,
        c_member,
        imperson,
    ];
    World { f, sessions }
}

/// True when `e` is a refusal of who acts, not of what was asked.
fn refused_for_who(e: &ServiceError) -> bool {
    match e {
        ServiceError::OutsideSession { .. }
        | ServiceError::PermissionDenied { .. }
        | ServiceError::NotWhileImpersonating { .. } => true,
        ServiceError::InBatch { source, .. } => refused_for_who(source),
        _ => false,
    }
}

fn mark(result: Result<(), ServiceError>) -> char {
    match result {
        Ok(()) => 'Y',
        Err(e) if refused_for_who(&e) => 'n',
        // Passed the gate, failed on its merits (a state the table's order left behind).
        Err(_) => 'Y',
    }
}

fn user_cmd(c: UserCommand) -> Command {
    c.into()
}

fn contact(slug: &str) -> Command {
    CustomerCommand::Edit {
        slug: slug.into(),
        changes: CustomerChanges {
            contact_phone: Some("+41 44 555 12 12".into()),
            ..CustomerChanges::default()
        },
    }
    .into()
}

/// Every command row: a name, the command, and the expected marks per column. Rows that
/// change what later rows need come last.
fn command_rows() -> Vec<(&'static str, Command, &'static str)> {
    let new_user = |customer: &str, email: &str, role| {
        user_cmd(UserCommand::Add(NewUser {
            customer: customer.into(),
            email: email.into(),
            first_name: "New".into(),
            last_name: "Person".into(),
            role,
            language: None,
            fields: Vec::new(),
        }))
    };
    vec![
        (
            "customer add",
            CustomerCommand::Add(NewCustomer {
                name: "Initech".into(),
                ..NewCustomer::default()
            })
            .into(),
            "YYYnnnnn",
        ),
        ("customer edit contact (own)", contact("acme"), "YYYnYnnY"),
        (
            "customer edit contact (other)",
            contact("globex"),
            "YYYnnnnn",
        ),
        (
            "customer edit name",
            CustomerCommand::Edit {
                slug: "acme".into(),
                changes: CustomerChanges {
                    name: Some("Acme Renamed".into()),
                    ..CustomerChanges::default()
                },
            }
            .into(),
            "YYYnnnnn",
        ),
        (
            "settings set",
            SettingsCommand::Set {
                key: "trash.retention_days".into(),
                value: "14".into(),
            }
            .into(),
            "Ynnnnnnn",
        ),
        (
            "staff add",
            StaffCommand::Add(NewStaff {
                email: "new-staff@example.com".into(),
                first_name: "New".into(),
                last_name: "Staff".into(),
                role: StaffRole::Auditor,
                unix_user: None,
                password: None,
            })
            .into(),
            "YYnnnnnn",
        ),
        (
            "user add member (own)",
            new_user("acme", "p1@acme.example", CustomerRole::Member),
            "YYYnYnnY",
        ),
        (
            "user add administrator (own)",
            new_user("acme", "p2@acme.example", CustomerRole::Administrator),
            "YYYnYnnY",
        ),
        (
            "user add (other customer)",
            new_user("globex", "p3@globex.example", CustomerRole::Member),
            "YYYnnnnn",
        ),
        (
            "invite member (own)",
            invitation("acme", "i1@acme.example", CustomerRole::Member).into(),
            "YYYnYYnY",
        ),
        (
            "invite moderator (own)",
            invitation("acme", "i2@acme.example", CustomerRole::Moderator).into(),
            "YYYnYnnY",
        ),
        (
            "invite (other customer)",
            invitation("globex", "i3@globex.example", CustomerRole::Member).into(),
            "YYYnnnnn",
        ),
        (
            "invite resend (own)",
            InvitationCommand::Resend {
                email: "ivy@acme.example".into(),
                customer: "acme".into(),
            }
            .into(),
            "YYYnYnnY",
        ),
        (
            "user edit role (own)",
            user_cmd(UserCommand::Edit {
                email: "una@acme.example".into(),
                changes: UserChanges {
                    role: Some(CustomerRole::Moderator),
                    customer: Some("acme".into()),
                    ..UserChanges::default()
                },
            }),
            "YYYnYnnY",
        ),
        (
            "user edit names (other customer's person)",
            user_cmd(UserCommand::Edit {
                email: "gil@globex.example".into(),
                changes: UserChanges {
                    first_name: Some("Gilbert".into()),
                    ..UserChanges::default()
                },
            }),
            "YYYnnnnn",
        ),
        (
            "user welcome (own)",
            user_cmd(UserCommand::Welcome {
                email: "una@acme.example".into(),
            }),
            "YYYnYnnY",
        ),
        (
            "user welcome (other customer's person)",
            user_cmd(UserCommand::Welcome {
                email: "gil@globex.example".into(),
            }),
            "YYYnnnnn",
        ),
        (
            "own notifications",
            user_cmd(UserCommand::SetOwnNotifications { on: false }),
            "YYYYYYYn",
        ),
        (
            "user disable (own)",
            user_cmd(UserCommand::Disable {
                email: "p1@acme.example".into(),
            }),
            "YYYnYnnY",
        ),
        (
            "user delete",
            user_cmd(UserCommand::Delete {
                email: "p2@acme.example".into(),
            }),
            "YYYnnnnn",
        ),
        (
            "customer suspend (other)",
            CustomerCommand::SetStatus {
                slug: "globex".into(),
                status: tenantry::domain::CustomerStatus::Suspended,
            }
            .into(),
            "YYYnnnnn",
        ),
    ]
}

/// Every query row.
fn query_rows() -> Vec<(&'static str, Query, &'static str)> {
    let users = |customer: Option<&str>| {
        Query::Users(UserQuery {
            customer: customer.map(Into::into),
            ..UserQuery::default()
        })
    };
    let log = |customer: Option<&str>| {
        Query::Log(LogQuery {
            customer: customer.map(Into::into),
            ..LogQuery::default()
        })
    };
    vec![
        (
            "customer list",
            Query::Customers(CustomerQuery::default()),
            "YYYYnnnn",
        ),
        (
            "show own customer",
            Query::Customer(ShowCustomer {
                slug: "acme".into(),
            }),
            "YYYYYYYY",
        ),
        (
            "show other customer",
            Query::Customer(ShowCustomer {
                slug: "globex".into(),
            }),
            "YYYYnnnn",
        ),
        ("users of own customer", users(Some("acme")), "YYYYYYnY"),
        ("users of other customer", users(Some("globex")), "YYYYnnnn"),
        ("every user", users(None), "YYYYYYnY"),
        (
            "show own customer's user",
            Query::User(ShowUser {
                email: "una@acme.example".into(),
            }),
            "YYYYYYnY",
        ),
        (
            "invitations of own customer",
            Query::Invitations(InvitationQuery {
                customer: Some("acme".into()),
                ..InvitationQuery::default()
            }),
            "YYYYYYnY",
        ),
        (
            "invitations of other customer",
            Query::Invitations(InvitationQuery {
                customer: Some("globex".into()),
                ..InvitationQuery::default()
            }),
            "YYYYnnnn",
        ),
        ("log of own customer", log(Some("acme")), "YYYYYnnY"),
        ("log of other customer", log(Some("globex")), "YYYYnnnn"),
        ("whole log", log(None), "YYYYYnnY"),
        ("verify log", Query::VerifyLog(VerifyLog), "YYYYnnnn"),
        (
            "read a setting",
            Query::Setting(GetSetting {
                key: "trash.retention_days".into(),
            }),
            "YYYYnnnn",
        ),
        ("outbox", Query::Outbox(ListOutbox), "YYYnnnnn"),
        (
            "welcome preview (own)",
            Query::WelcomePreview(WelcomePreview {
                email: "una@acme.example".into(),
            }),
            "YYYnYnnY",
        ),
        (
            "impersonation list",
            Query::Impersonations(ImpersonationList::default()),
            "YYYYnnnn",
        ),
        ("my customers", Query::MyCustomers(MyCustomers), "YYYYYYYY"),
        (
            "look-alike account",
            Query::LookalikeAccount(tenantry::service::query::LookalikeAccount {
                email: "x@example.com".into(),
            }),
            "YYYYnnnn",
        ),
        (
            "my account",
            Query::MyAccount(tenantry::service::MyAccount),
            "YYYYYYYY",
        ),
    ]
}

fn check_table(rows: Vec<(&str, String, String)>) {
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(_, want, got)| want != got)
        .map(|(name, want, got)| format!("{name:44} want {want} got {got}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "columns {COLUMNS:?}\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_command_against_every_kind_of_session() {
    let rows = command_rows();
    // One world per column, so what one session changes never decides another's mark.
    let mut got = vec![String::new(); rows.len()];
    for column in 0..COLUMNS.len() {
        let w = world();
        for (i, (_, command, _)) in command_rows().into_iter().enumerate() {
            let result = w.f.service.execute(&w.sessions[column], command).map(drop);
            got[i].push(mark(result));
        }
    }
    check_table(
        rows.into_iter()
            .zip(got)
            .map(|((name, _, want), got)| (name, want.to_owned(), got))
            .collect(),
    );
}

#[test]
fn every_query_against_every_kind_of_session() {
    let w = world();
    let rows = query_rows()
        .into_iter()
        .map(|(name, query, want)| {
            let got: String = w
                .sessions
                .iter()
                .map(|s| mark(w.f.service.query(s, query.clone()).map(drop)))
                .collect();
            (name, want.to_owned(), got)
        })
        .collect();
    check_table(rows);
}

#[test]
fn a_customer_session_reads_nothing_of_another_customer_through_its_own_rows() {
    let w = world();
    let c_admin = &w.sessions[4];
    // Gil of Globex is also invited to Acme: Acme's view of him names Acme only.
    w.f.exec(invitation(
        "acme",
        "gil@globex.example",
        CustomerRole::Member,
    ))
    .unwrap();
    let tenantry::service::Answer::User(gil) =
        w.f.service
            .query(
                c_admin,
                Query::User(ShowUser {
                    email: "gil@globex.example".into(),
                }),
            )
            .unwrap()
    else {
        panic!("not a user")
    };
    let slugs: Vec<&str> = gil.row.customers.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["acme"]);
    assert!(
        gil.recent_events
            .iter()
            .all(|e| e.customer_slug == "acme" || e.impersonated_slug == "acme"),
        "{:?}",
        gil.recent_events
    );
    // Someone of Globex only is as unknown to Acme as no one.
    let e =
        w.f.service
            .query(
                c_admin,
                Query::User(ShowUser {
                    email: "nobody-here@globex.example".into(),
                }),
            )
            .unwrap_err()
            .to_string();
    assert_eq!(e, "no user nobody-here@globex.example");
    // The whole user list, asked without a customer, is Acme's.
    let tenantry::service::Answer::Users(page) =
        w.f.service
            .query(c_admin, Query::Users(UserQuery::default()))
            .unwrap()
    else {
        panic!("not users")
    };
    assert!(
        page.rows
            .iter()
            .all(|r| r.customers.iter().all(|c| c.slug == "acme"))
    );
    assert!(!page.rows.iter().any(|r| r.email == "adm@example.com"));
}
