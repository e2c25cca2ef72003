//! The console's import flow: `App::update` through the real keymap with the worker's results
//! fed in as actions, snapshots of its screens at 80x24 and 120x36, and one run of the real
//! worker against a temporary database.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use common::screen::screen;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::Timestamp;
use tenantry::import::{ImportSummary, Problem, RowOutcome, RowReport};
use tenantry::service::{FixedClock, ImportRow, InitRequest, Service};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::modals::import::{ImportReport, KeptRows};
use tenantry::tui::modals::{FormKind, Modal, Stage};
use tenantry::tui::runtime::Runtime;

const T0: Timestamp = Timestamp(1_795_440_123_456);

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

fn stage(app: &App) -> &Stage {
    match app.modals.iter().rev().find_map(|m| match m {
        Modal::Import(s) => Some(s),
        _ => None,
    }) {
        Some(state) => &state.stage,
        None => panic!("no import modal"),
    }
}

fn row(line: u64, name: &str, outcome: RowOutcome, problem: Option<(&str, &str)>) -> RowReport {
    let slug = name.to_lowercase().replace(' ', "-");
    RowReport {
        line,
        name: name.into(),
        slug: if problem.is_some() {
            String::new()
        } else {
            slug
        },
        owner: if line % 2 == 0 {
            "ann@acme.example".into()
        } else {
            String::new()
        },
        outcome,
        problems: problem
            .map(|(column, reason)| Problem {
                line,
                column: column.into(),
                reason: reason.into(),
                preview: name.into(),
            })
            .into_iter()
            .collect(),
    }
}

/// A checked file of 7 rows: 4 new, 1 already imported, 2 errors (one with a bidi control).
fn preview() -> ImportReport {
    let rows = vec![
        row(2, "Acme Corp", RowOutcome::New, None),
        row(3, "北京贸易有限公司", RowOutcome::New, None),
        row(
            4,
            "Bad\u{202E}Name",
            RowOutcome::Error,
            Some(("Name", "contains a hidden character U+202E")),
        ),
        row(5, "Old Import", RowOutcome::AlreadyImported, None),
        row(6, "Café Zürich", RowOutcome::New, None),
        row(
            7,
            "",
            RowOutcome::Error,
            Some((
                "Owner Email",
                "\"not-an-email\" is not a valid email address",
            )),
        ),
        row(8, "🎉 Party Supplies", RowOutcome::New, None),
    ];
    ImportReport {
        summary: ImportSummary {
            file: "customers.csv".into(),
            sha256: "ab".repeat(32),
            delimiter: "semicolon (detected)".into(),
            rows: 7,
            new: 4,
            already_imported: 1,
            errors: 2,
            warnings: vec!["unknown column(s) ignored: Notes".into()],
            dry_run: true,
            import: None,
        },
        kept: KeptRows { rows, left_out: 0 },
    }
}

fn finished(mut report: ImportReport) -> ImportReport {
    report.summary.dry_run = false;
    report.summary.import = Some(ImportRow {
        id: 7,
        started_at: T0,
        finished_at: Some(T0),
        actor: "owner@zeta.example".into(),
        file: "customers.csv".into(),
        sha256: report.summary.sha256.clone(),
        rows: 7,
        created: 4,
        already: 1,
        skipped: 2,
        undone: 0,
        status: "finished".into(),
    });
    report
}

#[test]
fn the_flow_goes_from_path_to_preview_confirm_progress_summary_and_save() {
    let mut a = app(80, 24);
    assert!(press(&mut a, "i").is_empty());
    assert!(matches!(stage(&a), Stage::Path { error: None }));
    type_text(&mut a, "~/missing.csv");
    let effects = press(&mut a, "enter");
    assert_eq!(
        effects,
        vec![Effect::CheckImport {
            path: "~/missing.csv".into()
        }]
    );
    assert!(matches!(stage(&a), Stage::Checking { .. }));
    a.update(Action::ImportFailed {
        reason: "cannot be opened: No such file or directory (os error 2)".into(),
        kept: Box::default(),
    });
    assert!(matches!(stage(&a), Stage::Path { error: Some(e) } if e.contains("No such file")));
    let Some(Modal::Import(state)) = a.modals.last() else {
        panic!()
    };
    assert_eq!(state.path_text(), "~/missing.csv", "the input is kept");

    press(&mut a, "ctrl-u");
    type_text(&mut a, "/data/customers.csv");
    press(&mut a, "enter");
    a.update(Action::ImportChecked(1000));
    assert!(matches!(stage(&a), Stage::Checking { rows: 1000 }));
    a.update(Action::ImportPreviewed(Box::new(preview())));
    assert!(matches!(stage(&a), Stage::Preview { .. }));
    press(&mut a, "j j G g");
    press(&mut a, "enter");
    let Some(Modal::Confirm(confirm)) = a.modals.last() else {
        panic!("no confirm")
    };
    assert!(
        confirm.text.contains("2 of 7 rows have errors"),
        "{}",
        confirm.text
    );
    assert!(confirm.text.contains("4 valid"), "{}", confirm.text);
    let effects = press(&mut a, "y");
    assert_eq!(
        effects,
        vec![Effect::RunImport {
            path: "/data/customers.csv".into(),
            skip_invalid: true
        }]
    );
    assert!(matches!(stage(&a), Stage::Writing { started: false, .. }));
    a.update(Action::ImportWriting {
        written: 0,
        to_write: 4,
        elapsed_ms: 0,
    });
    a.update(Action::ImportWriting {
        written: 2,
        to_write: 4,
        elapsed_ms: 500,
    });
    let Some(Modal::Import(state)) = a.modals.last() else {
        panic!()
    };
    let (per_sec, left) = state.rate().unwrap();
    assert_eq!((per_sec.round(), left.round()), (4.0, 1.0));
    // The idle lock waits for a running import.
    assert!(
        a.update(Action::Tick(T0.plus_millis(30 * 60_000)))
            .is_empty()
    );
    let effects = a.update(Action::ImportFinished(Box::new(finished(preview()))));
    assert_eq!(
        effects,
        vec![Effect::StartIndexLoad { offset: 0 }],
        "the list reloads"
    );
    assert!(matches!(stage(&a), Stage::Done { stopped: None, .. }));
    assert_eq!(a.status.clone().unwrap().text, "imported 4 customer(s)");

    press(&mut a, "s");
    let Some(Modal::Form(form)) = a.modals.last() else {
        panic!("no form")
    };
    assert_eq!(form.kind, FormKind::SaveReport);
    assert_eq!(form.value("path"), "import-7-report.txt");
    let effects = press(&mut a, "enter");
    let [
        Effect::SaveReport {
            path,
            text,
            overwrite: false,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(path, "import-7-report.txt");
    assert!(text.contains("import id: 7"), "{text}");
    assert!(
        text.contains("line 4: Name: contains a hidden character"),
        "{text}"
    );
    assert!(
        text.contains("Bad<U+202E>Name"),
        "hidden characters are made visible: {text}"
    );
    a.update(Action::ReportExists(path.clone()));
    let effects = press(&mut a, "y");
    assert!(matches!(
        effects.as_slice(),
        [Effect::SaveReport {
            overwrite: true,
            ..
        }]
    ));
    a.update(Action::ReportSaved("/home/ops/import-7-report.txt".into()));
    assert!(
        matches!(a.modals.last(), Some(Modal::Import(_))),
        "the form closed"
    );
    press(&mut a, "esc");
    assert!(a.modals.is_empty());
}

#[test]
fn esc_stops_a_check_and_a_stopped_import_explains_what_stays() {
    let mut a = app(80, 24);
    press(&mut a, "i");
    type_text(&mut a, "big.csv");
    press(&mut a, "enter");
    assert_eq!(press(&mut a, "esc"), vec![Effect::StopImport]);
    a.update(Action::ImportFailed {
        reason: "stopped".into(),
        kept: Box::default(),
    });
    assert!(matches!(stage(&a), Stage::Path { .. }));
    press(&mut a, "enter");
    let mut clean = preview();
    clean.summary.errors = 0;
    clean.kept.rows.retain(|r| r.outcome != RowOutcome::Error);
    a.update(Action::ImportPreviewed(Box::new(clean)));
    press(&mut a, "enter");
    let Some(Modal::Confirm(confirm)) = a.modals.last() else {
        panic!("no confirm")
    };
    assert_eq!(confirm.text, "Import 4 customer(s) from customers.csv?");
    let effects = press(&mut a, "y");
    assert!(matches!(
        effects.as_slice(),
        [Effect::RunImport {
            skip_invalid: false,
            ..
        }]
    ));
    assert_eq!(press(&mut a, "esc"), vec![Effect::StopImport]);
    assert!(matches!(stage(&a), Stage::Writing { stopping: true, .. }));
    a.update(Action::ImportFailed {
        reason: "stopped; batches already written stay, and importing the same file again resumes"
            .into(),
        kept: Box::default(),
    });
    assert!(matches!(
        stage(&a),
        Stage::Done {
            stopped: Some(_),
            ..
        }
    ));
}

#[test]
fn quitting_during_an_import_asks_first() {
    let mut a = app(80, 24);
    press(&mut a, "i");
    type_text(&mut a, "customers.csv");
    press(&mut a, "enter");
    let mut clean = preview();
    clean.summary.errors = 0;
    clean.kept.rows.retain(|r| r.outcome != RowOutcome::Error);
    a.update(Action::ImportPreviewed(Box::new(clean)));
    press(&mut a, "enter");
    press(&mut a, "y");
    assert!(matches!(stage(&a), Stage::Writing { .. }));
    assert!(press(&mut a, "ctrl-c").is_empty(), "nothing quits yet");
    let Some(Modal::Confirm(confirm)) = a.modals.last() else {
        panic!("ctrl-c during an import must ask first")
    };
    assert_eq!(confirm.title, "Quit during the import?");
    press(&mut a, "n");
    assert!(matches!(stage(&a), Stage::Writing { .. }));
    assert!(!a.quit);
}

#[test]
fn screens_of_the_import_flow() {
    for (w, h) in [(80u16, 24u16), (120, 36)] {
        let mut a = app(w, h);
        press(&mut a, "i");
        type_text(&mut a, "~/imports/missing-customers-file.csv");
        press(&mut a, "enter");
        a.update(Action::ImportFailed {
            reason: "cannot be opened: No such file or directory (os error 2)".into(),
            kept: Box::default(),
        });
        insta::assert_snapshot!(format!("import_path_error_{w}"), screen(&a));
        press(&mut a, "enter");
        a.update(Action::ImportPreviewed(Box::new(preview())));
        insta::assert_snapshot!(format!("import_preview_{w}"), screen(&a));
        press(&mut a, "enter y");
        a.update(Action::ImportWriting {
            written: 0,
            to_write: 4,
            elapsed_ms: 0,
        });
        a.update(Action::ImportWriting {
            written: 3,
            to_write: 4,
            elapsed_ms: 1500,
        });
        insta::assert_snapshot!(format!("import_progress_{w}"), screen(&a));
        a.update(Action::ImportFinished(Box::new(finished(preview()))));
        insta::assert_snapshot!(format!("import_summary_{w}"), screen(&a));
    }
}

/// The real worker: a dry run, then the import, against a temporary database.
#[test]
fn the_worker_imports_a_file_and_the_customers_exist_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = Store::open(&db, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
    let service = Service::new(store, Arc::new(FixedClock::new(T0)));
    let session = service
        .init(&InitRequest {
            company: "Zeta Hosting".into(),
            email: "owner@zeta.example".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: "correct horse battery".into(),
            unix_user: None,
        })
        .unwrap();
    let csv = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv/semicolon.csv"
    );
    let mut rt = Runtime::with_service(db, service, session);
    rt.inline_loads = true;
    let mut a = app(120, 36);
    press(&mut a, "i");
    type_text(&mut a, csv);
    let mut pending = press(&mut a, "enter");
    let deadline = Instant::now() + Duration::from_secs(30);
    let step = |a: &mut App, rt: &mut Runtime, pending: &mut Vec<Effect>| {
        for effect in std::mem::take(pending) {
            for action in rt.run(effect) {
                pending.extend(a.update(action));
            }
        }
        for action in rt.poll() {
            pending.extend(a.update(action));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    while !matches!(stage(&a), Stage::Preview { .. }) {
        assert!(Instant::now() < deadline, "no preview: {:?}", stage(&a));
        step(&mut a, &mut rt, &mut pending);
    }
    let Stage::Preview { report, .. } = stage(&a) else {
        unreachable!()
    };
    assert_eq!((report.summary.rows, report.summary.new), (2, 2));
    pending.extend(press(&mut a, "enter y"));
    while !matches!(stage(&a), Stage::Done { .. }) || !pending.is_empty() {
        assert!(Instant::now() < deadline, "not done: {:?}", stage(&a));
        step(&mut a, &mut rt, &mut pending);
    }
    let Stage::Done {
        report, stopped, ..
    } = stage(&a)
    else {
        unreachable!()
    };
    assert_eq!(stopped, &None);
    assert_eq!(report.summary.import.as_ref().map(|i| i.created), Some(2));
    let slugs: Vec<String> = (0..a.tabs.customers.len())
        .filter_map(|n| a.tabs.customers.index().visible(n).map(|e| e.slug.clone()))
        .collect();
    assert!(slugs.contains(&"semi-gmbh".to_owned()), "{slugs:?}");
    assert_eq!(
        slugs.len(),
        3,
        "the provider and the two imported: {slugs:?}"
    );
}
