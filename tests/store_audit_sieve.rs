#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The store's byte sieve never drops an event the service's exact filter would keep: for
//! random events and needles (characters whose case folds oddly: `İ`, the Kelvin sign, `ß`,
//! `Σ`/`ς`, `ǅ`, combining marks; needles cut from a field, across two fields, or made up),
//! and for actor emails and `system`, "the filter matches" implies "the sieve admits" the
//! stored bytes. Known cases that must match are checked both ways.

use proptest::prelude::*;
use tenantry::domain::{Actor, AuditEvent, CustomerId, CustomerRef, Timestamp, UserId};
use tenantry::service::log_filter::{LogFilter, RawFilters};
use tenantry::store::AuditSieve;
use tenantry::store::codec;

fn event(actor: Actor, slug: &str, name: &str, action: &str, summary: &str) -> AuditEvent {
    AuditEvent {
        seq: 77_000,
        at: Timestamp(1_767_225_600_000),
        actor,
        impersonating: None,
        customer: Some(CustomerRef {
            id: CustomerId(12),
            slug: slug.into(),
            name: name.into(),
        }),
        action: action.into(),
        summary: summary.into(),
        prev_hash: [0x4b; 32],
        hash: [0x69; 32],
    }
}

fn user(email: &str) -> Actor {
    Actor::User {
        id: UserId(3),
        email: email.into(),
    }
}

/// What the service does: the filter from the raw text, the sieve from its needles.
fn filter_and_sieve(raw: RawFilters<'_>) -> Option<(LogFilter, AuditSieve)> {
    let filter = LogFilter::parse(raw, Timestamp(0)).ok()?;
    let sieve = AuditSieve::new(&filter.needles());
    let system = matches!(
        filter.actor(),
        Some(tenantry::service::log_filter::ActorFilter::System)
    );
    let sieve = if system {
        sieve.system_actor_only()
    } else {
        sieve
    };
    Some((filter, sieve))
}

fn admitted(sieve: &AuditSieve, event: &AuditEvent) -> bool {
    let stored = codec::encode(event).unwrap();
    sieve.admits(codec::checked_payload(&stored).unwrap())
}

#[test]
fn known_matches_pass_the_sieve() {
    let cases = [
        (
            event(
                user("o@x.io"),
                "cafe-zurich",
                "Café Zürich",
                "customer.add",
                "",
            ),
            "ZÜRICH",
        ),
        (
            event(
                user("o@x.io"),
                "k",
                "\u{212A}ELVIN Labs",
                "customer.add",
                "",
            ),
            "kelvin",
        ),
        (
            event(user("o@x.io"), "k", "İstanbul", "customer.add", ""),
            "i\u{307}stanbul",
        ),
        (
            event(user("o@x.io"), "k", "İstanbul", "customer.add", ""),
            "İSTANBUL",
        ),
        (
            event(user("o@x.io"), "k", "n", "customer.edit", "ΣΟΦΟΣ"),
            "ΣΟΦΟΣ",
        ),
        (
            event(user("o@x.io"), "k", "n", "customer.edit", "ΣΟΦΟΣ"),
            "ος",
        ),
        (
            event(user("o@x.io"), "k", "n", "customer.edit", "ǅemal"),
            "ǆem",
        ),
        (
            event(user("Ann@Example.COM"), "k", "n", "user.add", ""),
            "ANN@ex",
        ),
        (
            event(user("o@x.io"), "acme-corp", "n", "user.add", ""),
            "acme-c",
        ),
        (
            event(user("o@x.io"), "k", "n", "customer.suspend", ""),
            "r.SUS",
        ),
    ];
    for (event, needle) in cases {
        let raw = RawFilters {
            text: Some(needle),
            ..RawFilters::default()
        };
        let (filter, sieve) = filter_and_sieve(raw).unwrap();
        assert!(filter.matches(&event), "{needle:?} should match {event:?}");
        assert!(admitted(&sieve, &event), "the sieve dropped {needle:?}");
    }
    let (filter, sieve) = filter_and_sieve(RawFilters {
        actor: Some("ann@example.com"),
        ..RawFilters::default()
    })
    .unwrap();
    let by_ann = event(user("ANN@EXAMPLE.COM"), "k", "n", "user.add", "");
    assert!(filter.matches(&by_ann) && admitted(&sieve, &by_ann));
    let by_ann = event(user("Ann@Example.com"), "k", "n", "user.add", "");
    assert!(filter.matches(&by_ann) && admitted(&sieve, &by_ann));
    let (filter, sieve) = filter_and_sieve(RawFilters {
        actor: Some("ann@kelvin.io"),
        ..RawFilters::default()
    })
    .unwrap();
    let by_ann = event(user("ANN@\u{212A}ELVIN.io"), "k", "n", "user.add", "");
    assert!(filter.matches(&by_ann) && admitted(&sieve, &by_ann));
    // Needles the sieve can rule out are ruled out (it is not a sieve that keeps everything).
    let (_, sieve) = filter_and_sieve(RawFilters {
        text: Some("zürich"),
        ..RawFilters::default()
    })
    .unwrap();
    assert!(!admitted(
        &sieve,
        &event(user("o@x.io"), "a", "Zurich", "user.add", "")
    ));
}

/// Text from characters whose lowercase forms are unusual, mixed with plain ones.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            2 => proptest::char::range('A', 'Z'),
            1 => Just('İ'), 1 => Just('\u{212A}'), 1 => Just('ß'), 1 => Just('ẞ'),
            1 => Just('Σ'), 1 => Just('σ'), 1 => Just('ς'), 1 => Just('ǅ'), 1 => Just('ǆ'),
            1 => Just('\u{307}'), 1 => Just('ü'), 1 => Just('Ü'), 1 => Just(' '),
            1 => Just('@'), 1 => Just('.'), 1 => Just('→'), 1 => Just('ﬃ'),
        ],
        0..14,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn cut(s: &str, from: usize, len: usize) -> String {
    s.chars().skip(from).take(len).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_sieve_never_drops_what_the_filter_keeps(
        slug in text(), name in text(), summary in text(), email in text(),
        system in any::<bool>(), which in 0..5usize, from in 0..14usize, len in 1..8usize,
        across in any::<bool>(), made_up in text(), upper in any::<bool>(),
    ) {
        let email = format!("{}@{}", email.replace(' ', ""), slug.replace(' ', ""));
        let actor = if system { Actor::System } else { user(&email) };
        let action = "customer.edit";
        let e = event(actor, &slug, &name, action, &summary);
        let fields = [action, summary.as_str(), email.as_str(), slug.as_str(), name.as_str()];
        // A needle cut from one field, from the end of one and the start of the next, or
        // made up; sometimes typed in capitals.
        let mut needle = match (which, across) {
            (4, _) => made_up.clone(),
            (i, false) => cut(fields[i], from, len),
            (i, true) => {
                let a = fields[i];
                let tail = a.chars().count().saturating_sub(from % 4);
                format!("{}{}", cut(a, tail, 4), cut(fields[i + 1], 0, len))
            }
        };
        if upper {
            needle = needle.to_uppercase();
        }
        if let Some((filter, sieve)) = filter_and_sieve(RawFilters {
            text: Some(&needle),
            ..RawFilters::default()
        }) {
            prop_assert!(!filter.matches(&e) || admitted(&sieve, &e), "dropped {needle:?}");
        }
        // The actor filter: the event's own email (any case), a made-up one, and `system`.
        for actor in [email.to_uppercase(), email.clone(), made_up.clone(), "system".into()] {
            if let Some((filter, sieve)) = filter_and_sieve(RawFilters {
                actor: Some(&actor),
                text: (which == 0).then_some(needle.as_str()),
                ..RawFilters::default()
            }) {
                prop_assert!(!filter.matches(&e) || admitted(&sieve, &e), "dropped actor {actor:?}");
            }
        }
    }
}
