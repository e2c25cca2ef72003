//! Hiding table columns by key, remembered in the console's state file (never the config),
//! with the config's `[columns]` overriding it and bad content reported once.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::signed_in;

#[test]
fn a_key_hides_a_column_and_the_choice_is_remembered() {
    let state_dir = tempfile::tempdir().unwrap();
    let state_file = state_dir.path().join("tenantry").join("console.toml");
    let mut c = signed_in(120, 36);
    c.rt.state_file = Some(state_file.clone());
    let header = |c: &harness::Harness| c.screen().lines().nth(2).unwrap().to_owned();
    assert!(header(&c).contains("Created"));
    let effects = c.press("-");
    assert_eq!(
        effects,
        vec![tenantry::tui::action::Effect::RememberColumns {
            table: "customers".into(),
            hidden: vec!["created".into()],
        }]
    );
    assert!(!header(&c).contains("Created"), "{}", header(&c));
    c.press("-");
    assert!(!header(&c).contains("Owner"), "{}", header(&c));
    assert!(
        c.app.status.clone().unwrap().text.contains("owner"),
        "{:?}",
        c.app.status
    );
    let text = std::fs::read_to_string(&state_file).unwrap();
    assert!(
        text.contains("customers = [\"owner\", \"created\"]"),
        "{text}"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A lock keeps the view; so does the next start, read from the state file.
    c.press("L");
    let (state, problems) = tenantry::tui::state::ViewState::load(&state_file);
    assert!(problems.is_empty(), "{problems:?}");
    let mut opts = harness::options();
    opts.config = tenantry::tui::config::Config::default().with_state(state, problems);
    let mut next = harness::signed_in_with(120, 36, opts);
    let h = header(&next);
    assert!(!h.contains("Owner") && !h.contains("Created"), "{h}");
    next.press("+");
    assert!(header(&next).contains("Owner"), "{}", header(&next));
    assert!(!header(&next).contains("Created"));
    // At 96 columns owner and created have given way already: hiding type keeps them hidden
    // when its room would let them back.
    let mut narrow = signed_in(96, 30);
    let h = header(&narrow);
    assert!(h.contains("Type") && !h.contains("Owner"), "{h}");
    narrow.press("-");
    let h = header(&narrow);
    assert!(
        !h.contains("Type") && !h.contains("Owner") && !h.contains("Created"),
        "{h}"
    );
    assert_eq!(
        narrow.app.status.clone().unwrap().text,
        "hid the type column"
    );
    narrow.press("+");
    let h = header(&narrow);
    assert!(h.contains("Type") && !h.contains("Owner"), "{h}");
    // The config's own [columns] override the remembered view.
    let mut opts = harness::options();
    let config = tenantry::tui::config::Config::parse("[columns]\ncustomers = []\n");
    let (state, _) = tenantry::tui::state::ViewState::load(&state_file);
    opts.config = config.with_state(state, Vec::new());
    let overridden = harness::signed_in_with(120, 36, opts);
    assert!(header(&overridden).contains("Created"));
}

#[test]
fn a_bad_state_file_is_reported_once_and_the_defaults_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("console.toml");
    std::fs::write(
        &path,
        "[columns]\ncustomers = [\"owner\", \"colour\"]\nnope = 3\n",
    )
    .unwrap();
    let (state, problems) = tenantry::tui::state::ViewState::load(&path);
    let mut opts = harness::options();
    opts.config = tenantry::tui::config::Config::default().with_state(state, problems);
    let app = tenantry::tui::app::App::new(opts, 120, 36, harness::T0);
    let status = app.status.clone().expect("reported").text;
    assert!(status.contains("colour"), "{status}");
    assert!(status.contains("columns.nope"), "{status}");
    let mut opts = harness::options();
    std::fs::write(&path, "[columns\n").unwrap();
    let (state, problems) = tenantry::tui::state::ViewState::load(&path);
    opts.config = tenantry::tui::config::Config::default().with_state(state, problems);
    let app = tenantry::tui::app::App::new(opts, 120, 36, harness::T0);
    assert!(app.status.clone().unwrap().text.contains("not valid TOML"));
    assert_eq!(app.tabs.customers.table.hidden, 0, "defaults kept");
}
