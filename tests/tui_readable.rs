//! Readable at 80 columns: the table's columns adapt to the width (snapshots at 80 and 120),
//! cut cells keep the end that tells rows apart, dates take one form per column with the zone
//! named once, the title shows the position, and names sort naturally.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::signed_in;
use tenantry::service::CustomerCommand;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

/// The lines of the table body (below the title and header).
fn body(screen: &str) -> Vec<String> {
    screen.lines().skip(3).map(str::to_owned).collect()
}

#[test]
fn columns_adapt_to_the_width_at_80_and_120() {
    for (w, h) in SIZES {
        let mut c = signed_in(w, h);
        c.service
            .execute(
                &c.session,
                CustomerCommand::SoftDelete {
                    slug: "acme-corp".into(),
                },
            )
            .unwrap();
        let screen = c.screen();
        insta::assert_snapshot!(format!("customers_{w}"), screen);
        // Every slug is shown whole at both widths.
        for slug in c.shown_slugs() {
            assert!(screen.contains(&slug), "{w}: {slug} cut:\n{screen}");
        }
        let header = screen.lines().nth(2).unwrap();
        if w == 80 {
            // The optional columns gave way to the slug, created first.
            assert!(!header.contains("Created"), "{header}");
        } else {
            for title in ["Name", "Slug", "Type", "Status", "Owner", "Created"] {
                assert!(header.contains(title), "{title} missing: {header}");
            }
        }
        c.press("4");
        let screen = c.screen();
        insta::assert_snapshot!(format!("trash_{w}"), screen);
        assert!(screen.contains("acme-corp"), "{screen}");
    }
}

#[test]
fn rows_that_differ_only_at_their_end_stay_distinguishable() {
    for (w, h) in SIZES {
        let c = signed_in(w, h);
        let screen = c.screen();
        let rows: Vec<String> = body(&screen)
            .into_iter()
            .filter(|l| l.contains("Wonka Conf"))
            .collect();
        assert_eq!(rows.len(), 2, "{screen}");
        // Compare the name cells: what comes before the slug.
        let name = |l: &str| {
            let end = l.find(" wonka-").unwrap_or(l.len());
            l.get(3..end).unwrap_or("").to_owned()
        };
        assert_ne!(name(&rows[0]), name(&rows[1]), "{w}:\n{screen}");
        assert!(rows.iter().any(|r| name(r).contains("276")), "{screen}");
        assert!(
            rows.iter().any(|r| name(r).trim_end().ends_with("76")),
            "{screen}"
        );
    }
}
