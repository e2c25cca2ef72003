//! Look-alikes the UTS #39 skeleton alone missed: a Latin small capital in an email address
//! (`ᴍ` U+1D0D maps to Cyrillic `м`, not `m`), and names whose "spaces" are not U+0020 or that
//! draw nothing at all.

use predicates::str::contains;

use super::common::cli::CliDb;

fn add_staff(db: &CliDb, email: &str) -> assert_cmd::assert::Assert {
    db.run(&[
        "staff", "add", "--email", email, "--first", "Ada", "--last", "Admin", "--role", "operator",
    ])
}

#[test]
fn an_email_with_a_small_capital_looks_like_the_plain_one() {
    let db = CliDb::init();
    add_staff(&db, "admin@example.com").success();
    add_staff(&db, "admin@example.co\u{1D0D}")
        .failure()
        .stderr(contains(
            "looks like the existing account admin@example.com",
        ));
    add_staff(&db, "\u{0280}oot@example.com").success();
    add_staff(&db, "root@example.com")
        .failure()
        .stderr(contains("looks like the existing account"));
}

#[test]
fn other_spaces_in_names_become_plain_spaces_and_blank_symbols_are_refused() {
    let db = CliDb::init();
    for (raw, stored) in [
        ("Acme\u{00A0}Corp", "Acme Corp"),
        ("Globex\u{3000}Ltd", "Globex Ltd"),
        ("\u{3000}Initech\u{2009}AG\u{00A0}", "Initech AG"),
    ] {
        let slug = db.stdout(&["customer", "add", raw]).trim().to_owned();
        let shown = db.stdout(&["customer", "show", &slug, "--format", "json"]);
        assert!(
            shown.contains(&format!("\"name\": \"{stored}\"")),
            "{raw:?}: {shown}"
        );
    }
    // The same name written with another space is the same name.
    db.run(&["customer", "add", "Acme Corp"]).failure();
    db.run(&["customer", "add", "\u{2800}"])
        .failure()
        .stderr(contains("draws nothing (U+2800)"));
    db.run(&["customer", "add", "Umbrella\u{2800}Corp"])
        .failure()
        .stderr(contains("U+2800"));
}
