//! The import preview, readable: a reason the table cuts is shown in full for the selected
//! row, and the report can be saved from the preview, also when every row is bad.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::Timestamp;
use tenantry::import::{ImportSummary, Problem, RowOutcome, RowReport};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::modals::import::{ImportReport, KeptRows};
use tenantry::tui::modals::{FormKind, Modal, Stage};

const T0: Timestamp = Timestamp(1_795_440_123_456);

const LONG_REASON: &str = "is not a valid email address: the part after @ must be a domain name such as example.com, with no spaces, no quotes and at most 253 characters";

fn app(width: u16, height: u16) -> App {
    let opts = AppOptions {
        config: Config::default(),
        db_label: "/srv/tenantry/db".into(),
        unix_user: Some("ops".into()),
        force_sign_in: false,
        utc_offset_secs: 0,
        color: false,
        sign_in_note: None,
    };
    let mut app = App::new(opts, width, height, T0);
    app.update(Action::SignedIn {
        email: "owner@zeta.example".into(),
    });
    app.update(Action::FirstPage(Vec::new()));
    app.update(Action::IndexLoaded);
    app
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for k in keys.split_whitespace() {
        let key = KeySpec::parse(k).unwrap();
        let mut modifiers = KeyModifiers::NONE;
        if key.ctrl {
            modifiers |= KeyModifiers::CONTROL;
        }
        out.extend(app.handle_key(&KeyEvent::new(key.code, modifiers), T0));
    }
    out
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), T0);
    }
}

fn bad_row(line: u64, name: &str, problems: &[(&str, &str)]) -> RowReport {
    RowReport {
        line,
        name: name.into(),
        slug: String::new(),
        owner: String::new(),
        outcome: RowOutcome::Error,
        problems: problems
            .iter()
            .map(|(column, reason)| Problem {
                line,
                column: (*column).into(),
                reason: (*reason).into(),
                preview: name.into(),
            })
            .collect(),
    }
}

/// A checked file where every row is bad; the second has two problems, one long.
fn all_bad() -> ImportReport {
    let rows = vec![
        bad_row(2, "Acme", &[("Type", "expected corporate or individual")]),
        bad_row(
            3,
            "Beta Trading",
            &[
                ("Owner Email", LONG_REASON),
                ("Language", "unknown code xx"),
            ],
        ),
    ];
    ImportReport {
        summary: ImportSummary {
            file: "bad.csv".into(),
            sha256: "cd".repeat(32),
            delimiter: "comma (detected)".into(),
            rows: 2,
            new: 0,
            already_imported: 0,
            errors: 2,
            warnings: Vec::new(),
            dry_run: true,
            import: None,
        },
        kept: KeptRows { rows, left_out: 0 },
    }
}

fn previewed(width: u16, height: u16) -> App {
    let mut a = app(width, height);
    press(&mut a, "i");
    type_text(&mut a, "/data/bad.csv");
    press(&mut a, "enter");
    a.update(Action::ImportPreviewed(Box::new(all_bad())));
    assert!(matches!(
        a.modals.last(),
        Some(Modal::Import(s)) if matches!(s.stage, Stage::Preview { .. })
    ));
    a
}

/// The screen's lines joined, box borders dropped, so wrapped text reads as one.
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_reason_the_table_cuts_is_shown_in_full_for_the_selected_row() {
    for (w, h) in [(80, 24), (120, 36)] {
        let mut a = previewed(w, h);
        let before = common::screen::screen(&a);
        assert!(
            !before.contains("at most 253 characters"),
            "the table cuts it:\n{before}"
        );
        press(&mut a, "j");
        let screen = common::screen::screen(&a);
        let text = joined(&screen);
        for word in LONG_REASON.split(' ') {
            assert!(text.contains(word), "{w}: {word:?} missing:\n{screen}");
        }
        assert!(text.contains("unknown code xx"), "every problem: {screen}");
        assert!(screen.contains("row 2 of 2 listed"), "{screen}");
        insta::assert_snapshot!(format!("import_preview_reasons_{w}"), screen);
    }
}

#[test]
fn a_report_can_be_saved_from_the_preview_when_every_row_is_bad() {
    let mut a = previewed(80, 24);
    // Nothing to import, but the report can be kept.
    press(&mut a, "enter");
    assert!(matches!(a.modals.last(), Some(Modal::Import(_))));
    press(&mut a, "s");
    let Some(Modal::Form(form)) = a.modals.last() else {
        panic!("no save form: {:?}", a.modals.last())
    };
    assert_eq!(form.kind, FormKind::SaveReport);
    assert_eq!(form.value("path"), "import-bad-report.txt");
    let effects = press(&mut a, "enter");
    let [
        Effect::SaveReport {
            path,
            text,
            overwrite,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(path, "import-bad-report.txt");
    assert!(!overwrite);
    assert!(
        text.contains("import id: none (nothing was written)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("line 3: Owner Email: {LONG_REASON}")),
        "{text}"
    );
    assert!(
        text.contains("line 2: Type: expected corporate or individual"),
        "{text}"
    );
    a.update(Action::ReportSaved(path.clone()));
    assert!(
        matches!(a.modals.last(), Some(Modal::Import(s)) if matches!(s.stage, Stage::Preview { .. })),
        "back on the preview"
    );
}

#[test]
fn the_preview_keeps_slugs_whole_and_rows_that_differ_at_their_end_apart() {
    let new_row = |line: u64, name: &str| RowReport {
        line,
        name: name.into(),
        slug: name.to_lowercase().replace(' ', "-"),
        owner: format!("owner.{line}@wonka-confectionery.example"),
        outcome: RowOutcome::New,
        problems: Vec::new(),
    };
    let mut report = all_bad();
    report.kept.rows = vec![
        new_row(2, "Wonka Confectionery Laboratories 276"),
        new_row(3, "Wonka Confectionery Laboratories 76"),
    ];
    let mut a = app(80, 24);
    press(&mut a, "i");
    type_text(&mut a, "/data/w.csv");
    press(&mut a, "enter");
    a.update(Action::ImportPreviewed(Box::new(report)));
    let screen = common::screen::screen(&a);
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("wonka-")).collect();
    assert_eq!(rows.len(), 2, "{screen}");
    assert!(
        rows[0].contains("wonka-confectionery-laboratories-276"),
        "{screen}"
    );
    assert!(
        rows[1].contains("wonka-confectionery-laboratories-76"),
        "{screen}"
    );
    let name = |l: &str| l.split("wonka-").next().unwrap_or("").to_owned();
    assert_ne!(name(rows[0]), name(rows[1]), "{screen}");
}
