//! The compact index against the paged query's filter, and its sort orders.

use super::*;
use crate::service::queries::row_matches;

fn row(id: u64, slug: &str, name: &str, owner: Option<&str>) -> CustomerRow {
    CustomerRow {
        id,
        slug: slug.into(),
        name: name.into(),
        kind: CustomerKind::Corporate,
        status: CustomerStatus::Active,
        language: "en".into(),
        owner_email: owner.map(Into::into),
        owner_name: None,
        owner_first_name: None,
        owner_last_name: None,
        contact_email: None,
        contact_phone: None,
        postal_address: None,
        website: None,
        is_provider: id == 1,
        independent: false,
        created_at: Timestamp(i64::try_from(id).unwrap_or(0)),
        updated_at: Timestamp(0),
        deleted_at: None,
        deleted_by: None,
        purge_at: None,
        fields: Default::default(),
        allowed: Default::default(),
    }
}

fn slugs(index: &CustomerIndex) -> Vec<String> {
    (0..index.visible_len())
        .map(|n| index.visible(n).unwrap().slug.clone())
        .collect()
}

#[test]
fn filters_like_the_query_and_pins_the_provider() {
    let rows = [
        row(2, "acme", "Acme", Some("Ann@Acme.com")),
        row(3, "beta", "Beta Café", None),
        row(1, "zeta", "Zeta Hosting", None),
    ];
    let mut index = CustomerIndex::new();
    index.extend(rows.iter().map(|r| IndexEntry::from_row(r, &[])));
    assert_eq!(slugs(&index), ["zeta", "acme", "beta"]);
    for needle in ["ann@", "café", "ACME", "et", "zzz"] {
        index.set_filter(needle);
        let expected: Vec<String> = ["zeta", "acme", "beta"]
            .iter()
            .filter(|s| {
                let r = rows.iter().find(|r| r.slug == **s).unwrap();
                row_matches(r, &needle.to_lowercase())
            })
            .map(|s| s.to_string())
            .collect();
        assert_eq!(slugs(&index), expected, "{needle}");
    }
}

#[test]
fn narrowing_and_sorting_keep_each_other() {
    let mut index = CustomerIndex::new();
    index.extend((2..50).map(|i| {
        IndexEntry::from_row(
            &row(i, &format!("c{i:02}"), &format!("N{}", 60 - i), None),
            &[],
        )
    }));
    index.set_sort(SortKey::Name, false);
    index.set_filter("c1");
    index.set_filter("c12");
    assert_eq!(slugs(&index), ["c12"]);
    index.set_filter("c1");
    assert_eq!(slugs(&index).first().map(String::as_str), Some("c19"));
    index.set_filter("c12");
    index.set_filter("c2");
    assert_eq!(index.visible_len(), 10);
    assert!(slugs(&index).iter().all(|s| s.contains("c2")));
    index.set_filter("");
    assert_eq!(index.visible_len(), 48);
    index.set_filter("c1");
    index.set_sort(SortKey::Created, true);
    assert_eq!(slugs(&index).first().map(String::as_str), Some("c19"));
    assert_eq!(index.visible_len(), 10);
}

#[test]
fn typing_and_erasing_always_matches_a_fresh_search() {
    let mut index = CustomerIndex::new();
    index.extend((1..300).map(|i| {
        let owner = format!("o{}@x{}.example", i % 7, i % 11);
        IndexEntry::from_row(
            &row(i, &format!("s{i}"), &format!("Name {i}"), Some(&owner)),
            &[],
        )
    }));
    let mut typed = String::new();
    // A fixed walk of keys: characters typed, '<' erases one.
    for (step, key) in "s1<<na<me 1<2<<<@x1<<o3@x<<<<<1x9<<<<".chars().enumerate() {
        if key == '<' {
            typed.pop();
        } else {
            typed.push(key);
        }
        index.set_filter(&typed);
        let mut fresh = index.clone();
        fresh.narrowed_from.clear();
        fresh.refilter();
        assert_eq!(index.visible, fresh.visible, "step {step}: {typed:?}");
    }
}

#[test]
fn upsert_and_remove_follow_outcomes() {
    let mut index = CustomerIndex::new();
    index.extend([IndexEntry::from_row(&row(2, "b", "B", None), &[])]);
    index.upsert(IndexEntry::from_row(&row(3, "a", "A", None), &[]));
    assert_eq!(slugs(&index), ["a", "b"]);
    index.upsert(IndexEntry::from_row(&row(3, "c", "A", None), &[]));
    assert_eq!(slugs(&index), ["b", "c"]);
    index.remove(2);
    assert_eq!(slugs(&index), ["c"]);
    assert_eq!(index.position_of(3), Some(0));
}
