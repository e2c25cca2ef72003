#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Accounts in depth in the console: copying a customer from its row with a checkbox per
//! service, and an independent organisation (D129): staff make a customer independent from
//! its row, with its slug typed; the row is marked and staff are refused what it now manages;
//! its own administrator sees it on the Overview and hands management back there.

mod common;
#[path = "common/customer_console.rs"]
mod customer_console;

use customer_console::{ANN, PASSWORD, options, staff_console};

fn status(c: &customer_console::Console) -> String {
    c.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn staff_make_a_customer_independent_and_only_its_administrator_hands_it_back() {
    let mut c = staff_console(80, 24, options(false, 15));
    c.select("acme-corp");
    c.press("N");
    // Enter counts only once the slug is typed.
    c.press("enter");
    assert!(
        !c.app.modals.is_empty(),
        "asks for the slug:\n{}",
        c.screen()
    );
    c.type_text("acme-corp");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert_eq!(status(&c), "made independent: acme-corp");
    let row = c
        .screen()
        .lines()
        .find(|l| l.contains("acme-corp"))
        .unwrap()
        .to_owned();
    assert!(row.starts_with("◇"), "marked: {row}");
    // What it manages itself is refused with the reason; asking again says it already is.
    c.press("d");
    assert!(
        status(&c).contains("is not deleted by staff"),
        "{}",
        status(&c)
    );
    c.press("N");
    assert!(
        status(&c).contains("already an independent organisation"),
        "{}",
        status(&c)
    );
    c.press("I");
    assert!(
        c.app.modals.is_empty(),
        "no reason asked for:\n{}",
        c.screen()
    );
    assert!(!c.app.impersonating());
    assert!(
        status(&c).contains("staff do not impersonate it"),
        "{}",
        status(&c)
    );
    // Its administrator reads it on the Overview and hands it back after a question.
    c.sign_in_as(ANN, PASSWORD);
    assert!(c.app.customer_view.is_some(), "{}", c.screen());
    assert!(
        c.screen().contains("yourselves, an independent"),
        "{}",
        c.screen()
    );
    c.press("H");
    c.press("y");
    assert_eq!(status(&c), "handed back: acme-corp");
    assert!(c.screen().contains("your provider"), "{}", c.screen());
    c.press("H");
    assert!(
        status(&c).contains("nothing to hand back"),
        "{}",
        status(&c)
    );
}

#[test]
fn a_copy_is_made_from_the_row_with_the_services_checked_and_opens_for_its_users() {
    let mut c = staff_console(80, 24, options(false, 15));
    c.select("acme-corp");
    c.press("C");
    let screen = c.screen();
    for service in ["Websites", "Email", "DNS", "Backups"] {
        assert!(screen.contains(service), "{service}:\n{screen}");
    }
    assert!(
        !screen.contains("Storage"),
        "only what it has on:\n{screen}"
    );
    c.type_text("Acme Lite");
    // Leave Email out: the second checkbox.
    c.press("tab tab space");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert_eq!(
        status(&c),
        "copied: acme-lite, pending: add its users (u), then activate it (s)"
    );
    let detail = c
        .app
        .tabs
        .customers
        .detail
        .as_ref()
        .expect("the copy is open");
    assert_eq!(detail.row.slug, "acme-lite");
    let on: Vec<&str> = detail
        .account
        .services
        .iter()
        .filter(|s| s.on)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(on, ["Websites", "DNS", "Backups"]);
    assert!(detail.members.is_empty());
}

#[test]
fn the_detail_view_changes_a_customers_groups_one_change_at_a_time() {
    let mut c = staff_console(80, 24, options(false, 15));
    c.select("acme-corp");
    c.press("enter");
    // Without a group the dialog starts at adding one.
    c.press("m");
    c.press("tab");
    c.type_text("Billing");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert_eq!(status(&c), "group added: Billing");
    c.press("m");
    c.press("enter");
    assert_eq!(status(&c), "added to the group: ann@acme.example (Billing)");
    let detail = c.app.tabs.customers.detail.as_ref().unwrap();
    assert_eq!(detail.groups[0].members, ["ann@acme.example"]);
    c.press("G");
    assert!(c.screen().contains("Groups (1)"), "{}", c.screen());
    // A refusal stays in the dialog at its field, and nothing changes.
    c.press("m");
    c.press("tab ctrl-u");
    c.type_text("Nobody");
    c.press("enter");
    let form = match c.app.modals.last() {
        Some(tenantry::tui::modals::Modal::Form(f)) => f.clone(),
        _ => panic!("the dialog stays:\n{}", c.screen()),
    };
    let (at, reason) = form.errors.first().cloned().unwrap();
    assert_eq!(form.fields[at].key, "group");
    assert!(reason.contains("no group"), "{reason}");
}

#[test]
fn the_services_dialog_overrides_a_service_and_resets_it_to_the_catalogue() {
    let mut c = staff_console(80, 24, options(false, 15));
    c.select("acme-corp");
    c.press("enter");
    c.press("v");
    // Email (the second) off; nothing else touched.
    c.press("tab space space");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert_eq!(status(&c), "services changed: acme-corp");
    let email = |c: &customer_console::Console| {
        let d = c.app.tabs.customers.detail.as_ref().unwrap();
        let s = d
            .account
            .services
            .iter()
            .find(|s| s.name == "Email")
            .unwrap();
        (s.on, s.source.as_str().to_owned())
    };
    assert_eq!(email(&c), (false, "overridden".to_owned()));
    // Back to the catalogue's default: on, inherited.
    c.press("v");
    c.press("tab space");
    c.press("enter");
    assert_eq!(email(&c), (true, "inherited".to_owned()));
    // Nothing changed: the dialog closes and says so, and the log has no event for it.
    let events = c.log().len();
    c.press("v");
    c.press("enter");
    assert!(c.app.modals.is_empty());
    assert_eq!(c.log().len(), events);
}

/// Custom fields in the console: a field marked as a column is a column of the table, the add
/// and edit forms ask for every field (a choice as a choice, a required one marked), a value
/// the service refuses is shown at its field, and the detail view lists them.
#[test]
fn custom_fields_are_columns_form_inputs_and_a_section_of_the_detail_view() {
    use tenantry::domain::fields::{FieldKind, FieldTarget};
    use tenantry::service::{FieldCommand, NewField};
    let field = |name: &str, kind, required, column| NewField {
        target: FieldTarget::Customers,
        name: name.into(),
        kind,
        choices: if kind == FieldKind::Choice {
            vec!["Gold".into(), "Silver".into()]
        } else {
            Vec::new()
        },
        required,
        customer_visible: false,
        column,
    };
    let mut c = customer_console::staff_console_with(120, 36, options(false, 15), |s, owner| {
        for new in [
            field("Cost centre", FieldKind::Text, false, true),
            field("Tier", FieldKind::Choice, false, true),
            field("Seats", FieldKind::Number, false, false),
        ] {
            s.execute(owner, FieldCommand::Add(new)).unwrap();
        }
    });
    let header = c.screen().lines().nth(2).unwrap().to_owned();
    assert!(
        header.contains("Cost centre") && header.contains("Tier"),
        "{header}"
    );
    assert!(!header.contains("Seats"), "not a column: {header}");
    c.press("a");
    c.type_text("Delta Inc");
    let form = |c: &customer_console::Console| match c.app.modals.last() {
        Some(tenantry::tui::modals::Modal::Form(f)) => f.clone(),
        other => panic!("no form: {other:?}"),
    };
    let keys: Vec<String> = form(&c).fields.iter().map(|f| f.key.to_string()).collect();
    assert!(
        keys.ends_with(&["Cost centre".into(), "Tier".into(), "Seats".into()]),
        "{keys:?}"
    );
    let tier = form(&c)
        .fields
        .iter()
        .find(|f| f.key == "Tier")
        .unwrap()
        .clone();
    assert_eq!(tier.choices.unwrap().0, ["—", "Gold", "Silver"]);
    // To the custom fields: past the customer's own eleven.
    for _ in 0..11 {
        c.press("tab");
    }
    c.type_text("CC-9");
    c.press("tab");
    c.press("right");
    c.press("tab");
    c.type_text("many");
    c.press("enter");
    let refused = form(&c);
    let at = refused
        .errors
        .first()
        .map(|(i, _)| refused.fields[*i].key.to_string());
    assert_eq!(at.as_deref(), Some("Seats"), "{}", c.screen());
    assert!(
        c.screen().contains("\"many\" is not a number"),
        "{}",
        c.screen()
    );
    c.press("ctrl-u");
    c.type_text("12");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let row = c
        .screen()
        .lines()
        .find(|l| l.contains("delta-inc"))
        .unwrap()
        .to_owned();
    assert!(row.contains("CC-9") && row.contains("Gold"), "{row}");
    c.select("delta-inc");
    c.press("enter");
    let screen = c.screen();
    assert!(screen.contains("Custom fields"), "{screen}");
    assert!(screen.contains("Seats                   12"), "{screen}");
    // Edited: the choice set back to none clears it.
    c.press("e");
    let tier_at = form(&c)
        .fields
        .iter()
        .position(|f| f.key == "Tier")
        .unwrap();
    for _ in 0..tier_at {
        c.press("tab");
    }
    c.press("left");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let detail = c.service().show_customer(&c.owner, "delta-inc").unwrap();
    let tier = detail.fields.iter().find(|f| f.name == "Tier").unwrap();
    assert_eq!(tier.value, None);
}

/// A customer's own administrator sees on the Overview only the custom fields the customer
/// sees, and changes them in the contact form; the provider's other fields stay hidden.
#[test]
fn a_customers_administrator_sees_and_changes_only_its_visible_fields() {
    use tenantry::domain::fields::{FieldKind, FieldTarget};
    use tenantry::service::{CustomerChanges, CustomerCommand, FieldCommand, NewField};
    let mut c = customer_console::staff_console_with(120, 36, options(false, 15), |s, owner| {
        for (name, visible) in [("Tier", true), ("Margin", false)] {
            let new = NewField {
                target: FieldTarget::Customers,
                name: name.into(),
                kind: if visible {
                    FieldKind::Choice
                } else {
                    FieldKind::Number
                },
                choices: if visible {
                    vec!["Gold".into(), "Silver".into()]
                } else {
                    Vec::new()
                },
                required: false,
                customer_visible: visible,
                column: false,
            };
            s.execute(owner, FieldCommand::Add(new)).unwrap();
        }
        let values = CustomerChanges {
            fields: vec![
                ("Tier".into(), "Gold".into()),
                ("Margin".into(), "30".into()),
            ],
            ..Default::default()
        };
        s.execute(
            owner,
            CustomerCommand::Edit {
                slug: "acme-corp".into(),
                changes: values,
            },
        )
        .unwrap();
    });
    c.sign_in_as(ANN, PASSWORD);
    let screen = c.screen();
    assert!(screen.contains("Custom fields"), "{screen}");
    assert!(screen.contains("Gold"), "{screen}");
    assert!(
        !screen.contains("Margin") && !screen.contains("30"),
        "{screen}"
    );
    c.press("e");
    let keys: Vec<String> = match c.app.modals.last() {
        Some(tenantry::tui::modals::Modal::Form(f)) => {
            f.fields.iter().map(|f| f.key.to_string()).collect()
        }
        other => panic!("no form: {other:?}"),
    };
    assert_eq!(keys, ["email", "phone", "address", "website", "Tier"]);
    for _ in 0..4 {
        c.press("tab");
    }
    c.press("right");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    assert!(c.screen().contains("Silver"), "{}", c.screen());
    let detail = c.service().show_customer(&c.owner, "acme-corp").unwrap();
    let value = |name: &str| {
        detail
            .fields
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.clone())
    };
    assert_eq!(value("Tier").as_deref(), Some("Silver"));
    assert_eq!(
        value("Margin").as_deref(),
        Some("30"),
        "the provider's field is kept"
    );
}
