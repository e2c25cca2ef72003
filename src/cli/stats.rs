//! `tenantry stats [--format table|json]`: the dashboard's numbers for scripts and monitoring.
//! The table is one `name value` line per number (names that `grep` and `awk` can pick, the
//! same as the JSON's where they can be), the JSON the service's report whole, the newest
//! events included. Every number is the service's; nothing here counts.

use std::io::Write;

use super::CliError;
use super::args::ShowFormat;
use crate::backend::{Backend, BackendExt};
use crate::domain::text::display_safe;
use crate::service::{Stats, StatsReport};

pub fn run(service: &dyn Backend, format: ShowFormat, out: &mut dyn Write) -> Result<(), CliError> {
    let report = service.ask(Stats)?;
    match format {
        ShowFormat::Json => {
            crate::json::to_writer(&mut *out, &report)?;
            writeln!(out)?;
        }
        ShowFormat::Table => {
            for (name, value) in lines(&report) {
                writeln!(out, "{name:<34} {}", display_safe(&value))?;
            }
        }
    }
    Ok(())
}

/// The report as named lines, in the dashboard's order.
fn lines(report: &StatsReport) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |name: String, value: String| out.push((name, value));
    for t in &report.customers {
        push(format!("customers.{}", t.name), t.count.to_string());
    }
    for w in &report.new_customers {
        let day = w.week_of.get(..10).unwrap_or(&w.week_of);
        push(format!("customers.new.week_of.{day}"), w.count.to_string());
    }
    push("users".to_owned(), report.users.to_string());
    for t in &report.staff_by_role {
        push(format!("staff.{}", t.name), t.count.to_string());
    }
    for t in &report.members_by_role {
        push(format!("members.{}", t.name), t.count.to_string());
    }
    let i = &report.invitations;
    for (name, n) in [
        ("pending", i.pending),
        ("expiring_48h", i.expiring_soon),
        ("expired", i.expired),
        ("accepted", i.accepted),
        ("revoked", i.revoked),
    ] {
        push(format!("invitations.{name}"), n.to_string());
    }
    push(
        "trash.retention_days".to_owned(),
        report.trash_retention_days.to_string(),
    );
    for p in &report.next_purges {
        push(
            "trash.next_purge".to_owned(),
            format!("{} {}", p.purge_at, p.slug),
        );
    }
    out
}
