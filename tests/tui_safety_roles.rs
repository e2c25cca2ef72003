//! Hints, help and keys follow what the session may do: an auditor is offered no change, an
//! operator no purge, and a refused action is refused before any form or confirmation.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "tui_safety/console.rs"]
mod console;

use console::{console, console_as, press};
use tenantry::domain::StaffRole;
use tenantry::tui::app::App;

fn hint_line(app: &App) -> String {
    common::screen::screen(app)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn hints_help_and_keys_follow_the_role() {
    let mut owner = console(120, 36);
    // On the provider row nothing but viewing is allowed: the hints say so, while the help
    // still lists what the role may do on other rows.
    assert!(
        !hint_line(&owner).contains("d delete"),
        "{}",
        hint_line(&owner)
    );
    press(&mut owner, "?");
    assert!(common::screen::screen(&owner).contains("delete (to the trash"));
    press(&mut owner, "esc j");
    let hints = hint_line(&owner);
    for offered in ["a add", "e edit", "d delete", "s suspend"] {
        assert!(
            hints.contains(offered),
            "{offered} missing for an owner: {hints}"
        );
    }
    press(&mut owner, "4");
    assert!(hint_line(&owner).contains("D delete permanently"));

    let mut auditor = console_as(StaffRole::Auditor, 120, 36);
    press(&mut auditor, "j");
    let hints = hint_line(&auditor);
    for hidden in ["a add", "e edit", "d delete", "s suspend", "i import"] {
        assert!(
            !hints.contains(hidden),
            "{hidden} offered to an auditor: {hints}"
        );
    }
    assert!(hints.contains("/ filter"), "{hints}");
    press(&mut auditor, "?");
    let help = common::screen::screen(&auditor);
    assert!(!help.contains("delete (to the trash"), "{help}");
    assert!(help.contains("filter"), "{help}");
    press(&mut auditor, "esc");
    for key in ["a", "d", "s", "e", "i"] {
        let effects = press(&mut auditor, key);
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(
            auditor.modals.is_empty(),
            "{key} opened something for an auditor"
        );
        let status = auditor.status.clone().unwrap().text;
        assert!(status.contains("permission denied"), "{key}: {status}");
    }

    // An operator may restore but not purge: refused before "type the slug" is asked.
    let mut operator = console_as(StaffRole::Operator, 120, 36);
    press(&mut operator, "4");
    let hints = hint_line(&operator);
    assert!(
        hints.contains("r restore") && !hints.contains("delete permanently"),
        "{hints}"
    );
    assert!(press(&mut operator, "D").is_empty());
    assert!(
        operator.modals.is_empty(),
        "no slug asked for a refused purge"
    );
    let status = operator.status.clone().unwrap().text;
    assert!(
        status.contains("permission denied") && status.contains("purge"),
        "{status}"
    );
}
