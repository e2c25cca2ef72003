//! Ways in that are not: an empty password variable counted as a sign-in attempt, and a
//! link to a Unix account this machine does not have counted as an owner who can sign in.

use predicates::str::contains;

use super::common::{PASSWORD, cli::CliDb};

#[test]
fn an_empty_password_variable_counts_as_unset_not_as_a_failed_sign_in() {
    let db = CliDb::init();
    // More runs than the lockout threshold: none may count.
    for _ in 0..6 {
        db.cmd()
            .env("TENANTRY_PASSWORD", "")
            .args(["--user", "ops@example.com", "customer", "list"])
            .assert()
            .code(2)
            .stderr(contains("a password is needed"));
    }
    db.cmd()
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args(["--user", "ops@example.com", "customer", "list"])
        .assert()
        .success();
    let log = db.stdout(&["log", "--format", "json"]);
    assert!(!log.contains("user.lockout"), "{log}");
    // The same for a new password: empty is no password, not a too-short one.
    db.cmd()
        .env("TENANTRY_NEW_PASSWORD", "")
        .args(["staff", "edit", "ops@example.com", "--password"])
        .assert()
        .code(2)
        .stderr(contains("a password is needed: set TENANTRY_NEW_PASSWORD"));
}
