//! A database for the Logs tab benchmark: `init`, ten staff members, N customers through the
//! service (every thousandth named "Café Zürich …", for a search past ASCII), then events up
//! to a total through the store's own chain append, 10 000 a transaction: mixed actions,
//! nine in ten about a customer, one in five hundred by `system`, one in two hundred while
//! impersonating, one in ten thousand by the tenth staff member, and a word ("escalated") in one event of fifty. Not an example itself.

use std::path::Path;
use std::time::Instant;

use tenantry::domain::{Actor, AuditEvent, CustomerRef, StaffRole, Timestamp};
use tenantry::service::{
    Command, CustomerCommand, InitRequest, NewCustomer, NewStaff, Service, ServiceError,
    StaffCommand,
};
use tenantry::store::{OpenMode, StoreOptions};

type Error = Box<dyn std::error::Error>;

/// How many staff members act in the log, and their emails' form.
pub const STAFF: usize = 10;

pub fn staff_email(i: usize) -> String {
    format!("staff{i:02}@bench.example")
}

/// The word that one event in fifty holds in its summary.
pub const FREQUENT_WORD: &str = "escalated";

/// Builds the database at `db` unless it is already there; says how long it took.
pub fn build(db: &Path, customers: usize, events: u64) -> Result<(), Error> {
    if db.join("sled").is_dir() {
        eprintln!("using the database already at {}", db.display());
        return Ok(());
    }
    let started = Instant::now();
    let service = Service::open(db, OpenMode::CreateIfMissing, &StoreOptions::default())?;
    let owner = service.init(&InitRequest {
        company: "Bench Hosting".into(),
        email: "owner@example.com".into(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        password: "correct horse battery".into(),
        unix_user: tenantry::system::current_unix_user(),
    })?;
    let staff: Vec<Command> = (0..STAFF)
        .map(|i| {
            StaffCommand::Add(NewStaff {
                email: staff_email(i),
                first_name: format!("Staff{i}"),
                last_name: "Bench".into(),
                role: StaffRole::Administrator,
                unix_user: None,
                password: None,
            })
            .into()
        })
        .collect();
    service.execute_batch(&owner, staff)?;
    let adds: Vec<Command> = (0..customers)
        .map(|i| {
            let name = if i % 1000 == 7 {
                format!("Café Zürich {i:07}")
            } else {
                format!("Customer {i:07}")
            };
            CustomerCommand::Add(NewCustomer {
                name,
                ..NewCustomer::default()
            })
            .into()
        })
        .collect();
    for batch in adds.chunks(500) {
        service.execute_batch(&owner, batch.to_vec())?;
    }
    let store = service.store();
    let refs: Vec<CustomerRef> = store
        .customers()
        .filter_map(Result::ok)
        .filter(|c| !c.is_provider)
        .map(|c| CustomerRef {
            id: c.id,
            slug: c.slug.as_str().to_owned(),
            name: c.name.clone(),
        })
        .collect();
    let actors: Vec<Actor> = (0..STAFF)
        .map(|i| {
            let email = staff_email(i);
            let id = store
                .user_id_by_email(&email)?
                .ok_or("a staff member was not stored")?;
            Ok(Actor::User { id, email })
        })
        .collect::<Result<_, Error>>()?;
    let written = store.audit_count() as u64;
    let mut done = written;
    while done < events {
        let batch = (events - done).min(10_000);
        store.transact(|tx| -> Result<(), tenantry::store::TxError<ServiceError>> {
            for i in done..done + batch {
                tx.append_audit(event(i, &refs, &actors))?;
            }
            Ok(())
        })?;
        done += batch;
    }
    service.flush()?;
    eprintln!(
        "built {customers} customers and {done} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Event number `i` of the generated part of the log.
fn event(i: u64, refs: &[CustomerRef], actors: &[Actor]) -> AuditEvent {
    // A cheap scramble, so neighbouring events concern customers far apart.
    let pick = (i.wrapping_mul(2_654_435_761) >> 7) as usize;
    let customer = (i % 10 != 0).then(|| refs[pick % refs.len()].clone());
    // The last staff member acts rarely: one event in ten thousand.
    let actor = if i % 500 == 3 {
        Actor::System
    } else if i % 10_000 == 5 {
        actors[actors.len() - 1].clone()
    } else {
        actors[(i as usize) % (actors.len() - 1)].clone()
    };
    let impersonating = (i % 200 == 11).then(|| customer.clone()).flatten();
    let (action, summary) = match i % 7 {
        0 => ("customer.suspend", "status: active → suspended".to_owned()),
        1 => ("customer.activate", "status: suspended → active".to_owned()),
        2 => ("user.add", format!("user{i:07}@bench.example as member")),
        3 => ("user.edit", format!("first name: First{i} → Fyrst{i}")),
        4 => (
            "invitation.create",
            format!("guest{i:07}@bench.example, 7 days"),
        ),
        _ => (
            "customer.edit",
            format!(
                "phone: (none) → +41 44 {:03} {:02} {:02}",
                i % 1000,
                i % 97,
                i % 89
            ),
        ),
    };
    let mut summary = summary;
    if i % 50 == 17 {
        summary.push_str("; ");
        summary.push_str(FREQUENT_WORD);
    }
    AuditEvent {
        seq: 0,
        at: Timestamp(1_767_225_600_000 + i as i64 * 1_000),
        actor,
        impersonating,
        customer,
        action: action.into(),
        summary,
        prev_hash: [0; 32],
        hash: [0; 32],
    }
}
