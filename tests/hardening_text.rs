//! Text that deceives, through the real binary: invisible and look-alike characters refused
//! on input, no raw control character on stdout, stderr or in the log whatever is planted in
//! arguments, paths and files, every echoed value cut to a preview, and CSV cells that no
//! spreadsheet runs as a formula while export → import → export stays exact.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "hardening_text/drive.rs"]
mod drive;

use std::path::PathBuf;

use common::cli::CliDb as Db;
use tenantry::domain::text::display_safe;

use drive::{PLANT, drive_every_command};

/// Control characters (other than the newline ending a line) in program output.
fn raw_controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect()
}

fn staff_add(db: &Db, email: &str) -> std::process::Output {
    db.output(&[
        "staff", "add", "--email", email, "--first", "Adam", "--last", "Admin", "--role",
        "operator",
    ])
}

fn customer_count(db: &Db) -> usize {
    let json: serde_json::Value =
        serde_json::from_str(&db.stdout(&["customer", "list", "--format", "json"])).unwrap();
    json.as_array().unwrap().len()
}

#[test]
fn invisible_and_undefined_characters_are_refused_and_shown() {
    let db = Db::init();
    let before = customer_count(&db);
    let sneaky = [
        '\u{115F}',
        '\u{1160}',
        '\u{3164}',
        '\u{FFA0}', // Hangul fillers
        '\u{E0041}',
        '\u{E007F}', // tag characters
        '\u{FE0F}',
        '\u{E0100}', // variation selectors
        '\u{FFF9}',
        '\u{FFFB}', // interlinear annotation
        '\u{034F}', // combining grapheme joiner
        '\u{E000}',
        '\u{F8FF}', // private use
        '\u{0378}',
        '\u{FDD0}', // unassigned, noncharacter
    ];
    for c in sneaky {
        let code = format!("U+{:04X}", u32::from(c));
        let out = db.output(&["customer", "add", &format!("Acme{c}Corp")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{code} accepted in a name");
        assert!(
            err.starts_with("tenantry: name: ") && err.contains(&code),
            "{err}"
        );
        let out = staff_add(&db, &format!("ad{c}min@example.com"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{code} accepted in an email");
        assert!(err.contains("email: ") && err.contains(&code), "{err}");
        assert!(
            display_safe(&format!("a{c}b")).contains(&format!("<{code}>")),
            "display_safe leaves {code} hidden"
        );
    }
    let zalgo = format!("Z{}algo", "\u{0316}\u{0317}\u{0318}\u{0319}\u{031C}");
    let out = db.output(&["customer", "add", &zalgo]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("combining marks"),
        "{err}"
    );
    assert!(display_safe(&zalgo).contains("\u{0318}<U+0319>\u{031C}"));
    // Real text with marks still passes: Tibetan stacks, Vietnamese, Devanagari.
    for name in ["བསྒྲུབས", "Nguyễn Thị", "क्षत्रिय"] {
        db.run(&[
            "customer",
            "add",
            name,
            "--slug",
            &format!("ok-{}", name.len()),
        ])
        .success();
    }
    assert_eq!(customer_count(&db), before + 3);
    let staff = db.stdout(&["staff", "list", "--format", "json"]);
    assert!(!staff.contains("Adam"), "a refused staff member was stored");
}

#[test]
fn lookalike_emails_of_existing_accounts_are_refused() {
    let db = Db::init();
    assert!(staff_add(&db, "admin@example.com").status.success());
    for fake in [
        "\u{0430}dmin@example.com", // Cyrillic а
        "adrnin@example.com",       // rn for m
        "admin@examp1e.com",        // 1 for l
        "ADMIN@example.com",        // the same address: not a look-alike
    ] {
        let out = staff_add(&db, fake);
        let err = String::from_utf8_lossy(&out.stderr);
        if fake.eq_ignore_ascii_case("admin@example.com") {
            assert!(!err.contains("looks like"), "{err}");
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{fake}: {err}");
        assert!(
            err.contains("looks like the existing account admin@example.com"),
            "{err}"
        );
        assert!(raw_controls(&out.stderr).is_empty());
    }
    // A new customer owner's address is checked the same way (D84).
    let lookalike_owner = "\u{043E}ps@example.com"; // Cyrillic о: looks like ops@example.com
    let out = db.output(&[
        "customer",
        "add",
        "Acme",
        "--owner-email",
        lookalike_owner,
        "--owner-first",
        "Olga",
        "--owner-last",
        "Fake",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("owner email: ")
            && err.contains("looks like the existing account ops@example.com"),
        "{err}"
    );
    // The importer checks a new owner the same way: the row is refused by line and column,
    // and nothing is written.
    let before = customer_count(&db);
    let csv = db.dir.path().join("lookalike.csv");
    std::fs::write(
        &csv,
        format!(
            "Name,Owner Email,Owner First Name,Owner Last Name\nAcme,{lookalike_owner},Olga,Fake\n"
        ),
    )
    .unwrap();
    let out = db.output(&["import", "customers", csv.to_str().unwrap()]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("looks like the existing account ops@example.com"),
        "{said}"
    );
    assert_eq!(customer_count(&db), before);
    let out = staff_add(&db, lookalike_owner);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("email: ") && err.contains("looks like the existing account ops@example.com"),
        "{err}"
    );
    assert!(staff_add(&db, "adminx@example.com").status.success());
    let staff = db.stdout(&["staff", "list", "--format", "json"]);
    assert_eq!(staff.matches("@examp").count(), 3, "{staff}");
}

#[test]
fn raw_controls_never_reach_stdout_stderr_or_the_log() {
    let db = Db::init();
    let odd: PathBuf = db.dir.path().join(format!("odd{PLANT}dir"));
    std::fs::create_dir(&odd).unwrap();
    let runs = drive_every_command(&db, &odd);
    let mut leaks = Vec::new();
    let mut succeeded = 0;
    for (args, out) in &runs {
        succeeded += usize::from(out.status.success());
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let found = raw_controls(bytes);
            if !found.is_empty() {
                leaks.push(format!("{args}: {stream} has {found:?}"));
            }
        }
    }
    // The planted paths really were used: init, import, backup and restore succeeded.
    assert!(odd.join(format!("backup{PLANT}.tnb")).exists());
    assert!(odd.join(format!("restored{PLANT}")).exists());
    assert!(succeeded >= 20, "only {succeeded} commands succeeded");
    let log_dir = db.dir.path().join("log");
    for entry in std::fs::read_dir(&log_dir).unwrap() {
        let entry = entry.unwrap();
        let found = raw_controls(&std::fs::read(entry.path()).unwrap());
        if !found.is_empty() {
            leaks.push(format!("{}: {found:?}", entry.path().display()));
        }
    }
    assert!(
        leaks.is_empty(),
        "raw control characters:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn echoed_values_are_cut_to_a_preview() {
    let db = Db::init();
    db.run(&["customer", "add", "Acme"]).success();
    // Just under the kernel's limit for one argument.
    let big = "x".repeat(131_000);
    let b = big.as_str();
    let cases: Vec<Vec<&str>> = vec![
        vec!["customer", "add", b],
        vec!["customer", "add", "Beta", "--slug", b],
        vec!["customer", "add", "Beta", "--language", b],
        vec!["customer", "add", "Beta", "--email", b],
        vec!["customer", "add", "Beta", "--phone", b],
        vec!["customer", "add", "Beta", "--owner-email", b],
        vec![
            "customer",
            "add",
            "Beta",
            "--owner-email",
            "o@x.example",
            "--owner-first",
            b,
            "--owner-last",
            "L",
        ],
        vec!["customer", "add", "Beta", "--type", b],
        vec!["customer", "edit", "acme", "--language", b],
        vec!["customer", "edit", b, "--name", "x"],
        vec!["customer", "show", b],
        vec!["customer", "suspend", b],
        vec!["customer", "purge", b],
        vec!["customer", "list", "--format", b],
        vec!["customer", "list", "--status", b],
        vec!["settings", "get", b],
        vec!["settings", "set", b, "1"],
        vec!["settings", "set", "trash.retention_days", b],
        vec!["settings", "set", "company.name", b],
        vec![
            "staff", "add", "--email", b, "--first", "S", "--last", "T", "--role", "operator",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            b,
            "--last",
            "T",
            "--role",
            "operator",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            "operator",
            "--unix-user",
            b,
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            b,
        ],
        vec!["staff", "edit", b, "--first", "x"],
        vec!["staff", "edit", "ops@example.com", "--unix-user", b],
        vec!["staff", "disable", b],
        vec!["log", "--customer", b],
        vec!["import", "customers", "crlf.csv", "--delimiter", b],
        vec!["import", "undo", b],
        vec![b],
    ];
    for args in cases {
        let out = db.output(&args);
        let label = display_safe(&args.join(" "))
            .chars()
            .take(80)
            .collect::<String>();
        assert!(!out.status.success(), "{label}: accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| !l.is_empty()).collect();
        assert!(!lines.is_empty(), "{label}: no message");
        // A refusal is one line; a usage error (docs/cli.md) adds at most clap's detail line,
        // the synopsis and where the help is.
        assert!(lines.len() <= 4, "{label}: {} lines", lines.len());
        for line in &lines {
            assert!(line.len() < 300, "{label}: a {} byte line", line.len());
        }
    }
    assert_eq!(customer_count(&db), 2, "a refused value was stored");

    // Header cells of a file are echoed as previews too (a field may hold 4 KiB).
    let long = "y".repeat(4000);
    let unknown = db.dir.path().join("unknown.csv");
    std::fs::write(&unknown, format!("Name,{long}\nBeta,1\n")).unwrap();
    let twice = db.dir.path().join("twice.csv");
    std::fs::write(&twice, format!("Name,{long},{long}\nBeta,1,2\n")).unwrap();
    for file in [&unknown, &twice] {
        let out = db.output(&["import", "customers", &file.to_string_lossy(), "--dry-run"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.is_empty(), "{}: no warning or refusal", file.display());
        for line in err.lines() {
            assert!(
                line.len() < 300,
                "{}: a {} byte line",
                file.display(),
                line.len()
            );
        }
    }
}

/// Names a spreadsheet would run, and names that really start with `'`.
const FORMULA_NAMES: [&str; 8] = [
    "=SUM(A1:A9)",
    "+Plus Ltd",
    "-Minus Ltd",
    "@At Ltd",
    "'=Quoted Formula",
    "''@Twice Quoted",
    "'Plain Quote",
    "O'Brien & Sons",
];

#[test]
fn csv_formula_cells_are_escaped_and_round_trip_exactly() {
    let first = Db::init();
    for (i, name) in FORMULA_NAMES.iter().enumerate() {
        let email = format!("-owner{i}@example.com");
        first
            .run(&[
                "customer",
                "add",
                "--slug",
                &format!("c{i}"),
                &format!("--owner-email={email}"),
                "--owner-first=-Ann",
                "--owner-last=+Lee",
                "--",
                name,
            ])
            .success();
    }
    let exported = first.stdout(&["export", "customers"]);
    let listed = first.stdout(&["customer", "list", "--format", "csv"]);
    for text in [&exported, &listed] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "a cell a spreadsheet runs: {cell:?}\n{text}"
                );
            }
        }
    }
    assert!(exported.contains("'=SUM(A1:A9)") && exported.contains("''=Quoted Formula"));
    assert!(exported.contains("\n'Plain Quote,c6,") && exported.contains("\nO'Brien & Sons,c7,"));
    let file = first.dir.path().join("export.csv");
    std::fs::write(&file, &exported).unwrap();

    let second = Db::init();
    let file_arg = file.to_string_lossy().into_owned();
    second.run(&["import", "customers", &file_arg]).success();
    let json: serde_json::Value =
        serde_json::from_str(&second.stdout(&["customer", "list", "--format", "json"])).unwrap();
    let mut names: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["is_provider"] == false)
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = FORMULA_NAMES.iter().map(|n| (*n).to_owned()).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "import did not read the escaped cells back"
    );
    assert_eq!(second.stdout(&["export", "customers"]), exported);
}

#[test]
fn text_stored_under_older_rules_stays_readable_and_is_shown_safely() {
    use tenantry::domain::Slug;
    use tenantry::store::{OpenMode, Store, StoreError, StoreOptions};

    let db = Db::init();
    db.run(&["customer", "add", "Acme"]).success();
    // What the older rules let through: a Hangul filler, an emoji presentation selector and
    // a stack of five combining marks.
    let old_name = "Old\u{3164}Name \u{2764}\u{FE0F} Z\u{316}\u{317}\u{318}\u{319}\u{31C}";
    {
        let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
        let renamed: Result<(), StoreError> = store.transact(|tx| {
            let id = tx
                .customer_id_by_slug(&Slug::from_stored("acme".into()))?
                .unwrap();
            let mut customer = tx.customer(id)?.unwrap();
            customer.name = old_name.into();
            tx.save_customer(&customer)
        });
        renamed.unwrap();
        store.flush().unwrap();
    }
    let show = db.stdout(&["customer", "show", "acme"]);
    assert!(
        show.contains("Old<U+3164>Name \u{2764}<U+FE0F> Z\u{316}\u{317}\u{318}<U+0319>\u{31C}"),
        "{show}"
    );
    let list = db.stdout(&["customer", "list"]);
    assert!(list.contains("Old<U+3164>Name"), "{list}");
    // Scripts still get the stored value exactly; the database itself is still consistent.
    let json = db.stdout(&["customer", "show", "acme", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["name"], old_name);
    db.run(&["check"]).success();
    // Table columns keep their width: every hidden character takes the columns it is shown in.
    for c in ['\u{115F}', '\u{3164}', '\u{FFA0}', '\u{FE0F}', '\u{E0041}'] {
        let cell = tenantry::cli::output::pad(&format!("a{c}b"), 14);
        assert!(cell.contains("<U+"), "{c:?} drawn raw in a table");
        assert_eq!(unicode_width::UnicodeWidthStr::width(cell.as_str()), 14);
    }
}
