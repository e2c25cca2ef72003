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
