//! Damaged databases after hardening: once any command found the database damaged, no later
//! command writes into it until a clean `check` (writes made then would be lost when the
//! operator restores); an unreadable sled `conf` and a counter that cannot grow are reported
//! as a damaged database in one line naming the path and `tenantry restore`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::cli::CliDb;
use tenantry::store::{DAMAGE_FILE, Store, StoreOptions, TreeName, codec};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 4 and exactly one line on stderr naming `db` and how to restore.
fn assert_damaged_line(db: &Path, out: &Output, what: &str) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(4), "{what}: {text}");
    assert_eq!(text.lines().count(), 1, "{what}: not one line: {text}");
    assert!(
        text.contains(&db.display().to_string()),
        "{what}: no path: {text}"
    );
    assert!(
        text.contains("tenantry restore"),
        "{what}: no restore hint: {text}"
    );
}

/// Replaces the first customer's stored value with bytes that do not decode.
fn corrupt_a_customer(db: &Path) {
    let raw = common::raw_sled(db);
    let customers = raw.open_tree("customers").unwrap();
    let (key, _) = customers.iter().next().unwrap().unwrap();
    customers.insert(key, vec![1, 2, 3]).unwrap();
    raw.flush().unwrap();
}

fn customer_count(db: &Path) -> usize {
    let raw = common::raw_sled(db);
    raw.open_tree("customers").unwrap().len()
}

#[test]
fn writing_into_a_database_found_damaged_is_refused_by_every_later_command() {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    corrupt_a_customer(&db.path());
    let before = customer_count(&db.path());
    let list = db.output(&["customer", "list"]);
    assert_eq!(list.status.code(), Some(4), "{}", stderr(&list));

    let record = db.path().join(DAMAGE_FILE);
    let mode = std::fs::symlink_metadata(&record)
        .expect("the finding is recorded in the database directory")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&record)
            .unwrap()
            .contains("corrupt value in tree customers"),
        "the record says what was found"
    );

    for args in [
        &["customer", "add", "Written Anyway"][..],
        &[
            "staff",
            "add",
            "--email",
            "sam@example.com",
            "--first",
            "Sam",
            "--last",
            "Support",
            "--role",
            "operator",
        ],
        &["settings", "set", "trash.retention_days", "5"],
        &["log", "verify"],
    ] {
        let out = db.output(args);
        assert_damaged_line(&db.path(), &out, &format!("{args:?}"));
        assert!(stderr(&out).contains(DAMAGE_FILE), "{}", stderr(&out));
    }
    assert_eq!(customer_count(&db.path()), before, "nothing was written");

    // A wrong password could not be counted towards a lockout, so no password is tried: the
    // right one and a wrong one get the same refusal.
    let sign_in = |password: &str| {
        db.cmd()
            .env("TENANTRY_PASSWORD", password)
            .args(["--user", "ops@example.com", "customer", "list"])
            .output()
            .unwrap()
    };
    let right = sign_in(common::PASSWORD);
    assert_damaged_line(&db.path(), &right, "password sign-in");
    assert_eq!(stderr(&right), stderr(&sign_in("not the password")));
}

#[test]
fn a_check_that_finds_problems_records_them_and_a_clean_check_clears_the_record() {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    let index = |put: bool| {
        let raw = common::raw_sled(&db.path());
        let tree = raw.open_tree("customer_slug_to_id").unwrap();
        let kept = tree.get("acme").unwrap();
        if put {
            tree.insert(
                "acme",
                std::fs::read(db.dir.path().join("acme-id")).unwrap(),
            )
            .unwrap();
        } else {
            std::fs::write(db.dir.path().join("acme-id"), kept.unwrap()).unwrap();
            tree.remove("acme").unwrap();
        }
        raw.flush().unwrap();
    };
    index(false);
    let check = db.output(&["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("1 problem found"),
        "{}",
        stderr(&check)
    );
    assert!(db.path().join(DAMAGE_FILE).exists());
    let add = db.output(&["customer", "add", "Beta"]);
    assert_damaged_line(&db.path(), &add, "add after a failed check");

    // The operator put the entry back by hand (tenantry never does): a clean check says so
    // and writing is allowed again.
    index(true);
    db.run(&["check"])
        .success()
        .stdout(predicates::str::contains("removed the record"));
    assert!(!db.path().join(DAMAGE_FILE).exists());
    db.run(&["customer", "add", "Beta"]).success();
}

#[test]
fn a_flipped_sled_conf_is_a_damaged_database() {
    let db = CliDb::init();
    let conf = db.path().join("sled").join("conf");
    let mut bytes = std::fs::read(&conf).unwrap();
    assert!(bytes.len() > 8, "sled wrote no conf");
    for b in &mut bytes[..8] {
        *b ^= 0xFF;
    }
    std::fs::write(&conf, bytes).unwrap();
    let out = db.output(&["customer", "list"]);
    assert_damaged_line(&db.path(), &out, "flipped conf");
}

/// Sets the stored id counter to its largest value: no tenantry writes that (it would take
/// 2^64 records), so it is damage, which a restore refuses and a write must report.
fn counter_at_its_maximum(db: &Path) {
    let raw = common::raw_sled(db);
    raw.open_tree("meta")
        .unwrap()
        .insert("next_id", codec::encode(&u64::MAX).unwrap())
        .unwrap();
    raw.flush().unwrap();
}

#[test]
fn a_counter_that_cannot_grow_is_one_line_naming_the_database() {
    let db = CliDb::init();
    counter_at_its_maximum(&db.path());
    let out = db.output(&["customer", "add", "Acme"]);
    assert_damaged_line(&db.path(), &out, "add with the counter at its maximum");
    assert!(stderr(&out).contains("cannot grow"), "{}", stderr(&out));
    let check = db.output(&["check"]);
    assert!(
        stderr(&check).contains("1 problem found"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_restore_refusing_one_inconsistency_counts_it_in_the_singular() {
    let f = common::fixture();
    f.add("Acme");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false, None).unwrap();
    let mut trees = tenantry::store::forge::backup_entries(&std::fs::read(&file).unwrap()).unwrap();
    let meta = &mut trees
        .iter_mut()
        .find(|(t, _)| *t == TreeName::Meta)
        .unwrap()
        .1;
    meta.retain(|(k, _)| k.as_slice() != b"next_id");
    meta.push((b"next_id".to_vec(), codec::encode(&u64::MAX).unwrap()));
    meta.sort();
    let forged = dir.path().join("forged.tnb");
    std::fs::write(&forged, tenantry::store::forge::forge_backup(&trees)).unwrap();
    let err = Store::restore_backup(
        &forged,
        &dir.path().join("restored"),
        &StoreOptions::default(),
        None,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(err.contains("1 inconsistency:"), "{err}");
    assert!(!err.contains("inconsistencies"), "{err}");
}

/// Commands of each kind a worn database has seen.
const ROUNDS: u32 = 1500;

/// A database that has seen many writes (several 512 KiB sled segments), built through the
/// service: customers added, renamed and some trashed, each command flushed.
fn worn_database(db: &Path) -> u64 {
    use tenantry::service::{CustomerChanges, CustomerCommand, InitRequest, NewCustomer, Service};
    let mut service = Service::open(
        db,
        tenantry::store::OpenMode::CreateIfMissing,
        &StoreOptions::default(),
    )
    .unwrap();
    let owner = service
        .init(&InitRequest {
            company: "Worn Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: common::PASSWORD.into(),
            unix_user: tenantry::system::current_unix_user(),
        })
        .unwrap();
    let data = db.join("sled").join("db");
    // sled grows its file a segment ahead, so the file's size says little: count commands.
    // Reopened every few rounds, as separate CLI commands would: sled lays its pages out
    // differently across restarts, and one of those layouts made the audit walk spin.
    for round in 0..ROUNDS {
        if round % 10 == 9 {
            drop(service);
            service = reopen(db);
        }
        let Ok(tenantry::service::Outcome::Customer(row)) = service.execute(
            &owner,
            CustomerCommand::Add(NewCustomer {
                name: format!("Worn customer number {round} with a longish name"),
                ..NewCustomer::default()
            }),
        ) else {
            panic!("add {round}");
        };
        let changes = CustomerChanges {
            name: Some(format!("Worn customer {round}, renamed once")),
            ..CustomerChanges::default()
        };
        let slug = row.slug;
        service
            .execute(
                &owner,
                CustomerCommand::Edit {
                    slug: slug.clone(),
                    changes,
                },
            )
            .unwrap();
        if round % 4 == 0 {
            service
                .execute(&owner, CustomerCommand::SoftDelete { slug })
                .unwrap();
        }
    }
    std::fs::metadata(&data).unwrap().len()
}

/// Opens `db` again, as the next CLI command would (the open waits for sled's own lock).
fn reopen(db: &Path) -> tenantry::service::Service {
    tenantry::service::Service::open(
        db,
        tenantry::store::OpenMode::Existing,
        &StoreOptions::default(),
    )
    .expect("reopen")
}

/// Runs the binary on `db` with a 3-second stall limit; `None` when it had not ended by itself
/// after `deadline` (it is then killed).
fn run_bounded(db: &Path, home: &Path, args: &[&str], deadline: Duration) -> Option<Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TENANTRY_LOG_DIR", home.join("log"))
        .env("TENANTRY_DB", db)
        .env(tenantry::store::watchdog::LIMIT_ENV, "3")
        .args(args)
        .stdin(std::process::Stdio::null())
        // Not read while waiting: a listing would fill the pipe and block the child.
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// A damaged page made the audit walk spin for ever (sled yields the same error on every
/// step, and the walk noted it and went on), and sled may loop inside one call, which the
/// watchdog must end as a damaged database. Cuts at fractions and around 512 KiB segment boundaries, and 16-byte
/// flips of a database reopened every few commands (the layout that spins); every run must
/// end by itself, 0 or 4 (1 for a broken chain), in one line. The watchdog itself is
/// covered by the injected stall in `store::watchdog`: no damage here loops inside one call.
#[test]
fn no_command_spins_for_ever_on_a_damaged_database() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let size = worn_database(&original);
    let segment = 512 * 1024;
    let mut cuts: Vec<u64> = [
        3u64, 7, 13, 18, 23, 29, 35, 41, 47, 52, 58, 64, 70, 77, 83, 88, 91, 94, 96, 98, 99,
    ]
    .iter()
    .map(|pct| size * pct / 100)
    .collect();
    let mut boundary = segment;
    while boundary < size {
        cuts.extend([boundary - 1, boundary + 4097]);
        boundary += segment;
    }
    // Damage as (offset, flip): a cut at the offset, or 16 bytes flipped there.
    let mut damage: Vec<(u64, bool)> = cuts.into_iter().map(|c| (c, false)).collect();
    for at in [8, size / 3, size / 2 + 11, segment + 1000, 2 * segment + 48] {
        damage.push((at, true));
    }
    // Flips inside the oldest pages, where a damaged page made the audit walk spin.
    damage.extend((1..16).map(|k| (k * 64 * 1024 + 7 * k, true)));
    let mut stalls = 0;
    for (cut, flip) in damage {
        let copy = dir.path().join(format!("damage-{cut}-{flip}"));
        common::copy_dir(&original, &copy);
        let data = copy.join("sled").join("db");
        if flip {
            let mut bytes = std::fs::read(&data).unwrap();
            let at = usize::try_from(cut).unwrap();
            for b in bytes.iter_mut().skip(at).take(16) {
                *b ^= 0xFF;
            }
            std::fs::write(&data, bytes).unwrap();
        } else {
            let file = std::fs::OpenOptions::new().write(true).open(&data).unwrap();
            file.set_len(cut).unwrap();
        }
        for args in [&["log", "verify"][..], &["customer", "list"]] {
            let out = run_bounded(&copy, dir.path(), args, Duration::from_secs(30)).unwrap_or_else(
                || panic!("{args:?} on damage at {cut} (flip: {flip}) ran for 30 s"),
            );
            if out.status.code() == Some(0) {
                continue;
            }
            if args == ["log", "verify"] && out.status.code() == Some(1) {
                // A damaged page ends the walk as a broken chain, which is recorded.
                let text = stderr(&out);
                assert_eq!(text.lines().count(), 1, "{text}");
                assert!(text.contains("audit chain broken"), "{text}");
                assert!(copy.join(DAMAGE_FILE).exists(), "{text}");
                continue;
            }
            assert_damaged_line(
                &copy,
                &out,
                &format!("{args:?} damage at {cut} (flip: {flip})"),
            );
            if stderr(&out).contains("made no progress") {
                stalls += 1;
            }
        }
    }
    if stalls == 0 {
        eprintln!(
            "note: no damage here made one engine call loop on this machine; the watchdog is covered by store::watchdog's injected stall"
        );
    }
}
