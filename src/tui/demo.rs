//! `tenantry demo`: a throwaway database in a new temporary directory, filled through the
//! service (so every change has its audit event) with a few hundred customers of both types,
//! their owners, some suspended and some in the trash. Creation times are spread over the past
//! year with a shifted clock. Nothing is written outside the directory, which is removed when
//! the [`Demo`] is dropped.

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::backend::{Backend, Local};
use crate::domain::{CustomerKind, CustomerStatus, Timestamp};
use crate::service::{
    Clock, InitRequest, NewCustomer, OwnerSpec, Service, ServiceError, SystemClock,
};
use crate::store::{OpenMode, StoreOptions};

pub const DEMO_EMAIL: &str = "demo@example.com";
pub const DEMO_PASSWORD: &str = "demo-password-2024";
/// A customer's user of the demo, administrator of one customer and member of another, to
/// try the customer's own view (and choosing between customers) with [`DEMO_PASSWORD`].
pub const DEMO_CUSTOMER_EMAIL: &str = "ada@customer.example";

/// The system clock moved by an adjustable offset, so sample data can be made "in the past".
#[derive(Default)]
pub struct ShiftedClock(AtomicI64);

impl ShiftedClock {
    pub fn set_offset(&self, millis: i64) {
        self.0.store(millis, Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> Timestamp {
        SystemClock.now().plus_millis(self.0.load(Ordering::SeqCst))
    }
}

/// The demo's temporary directory; removed on drop.
pub struct DemoDir(PathBuf);

impl DemoDir {
    pub fn create() -> std::io::Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("tenantry-demo-{}-{nanos:09}", std::process::id()));
        DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Self(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const COMPANY_A: [&str; 20] = [
    "Acme",
    "Blue",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Gringotts",
    "Oceanic",
    "Pied Piper",
    "Wonka",
    "Aperture",
    "Monarch",
    "Massive",
];
const COMPANY_B: [&str; 10] = [
    "Logistics",
    "Hosting",
    "Consulting",
    "Labs",
    "Foods",
    "Media",
    "Systems",
    "Bank",
    "Travel",
    "Energy",
];
pub(super) const FIRST: [&str; 16] = [
    "Anna", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Grace", "Hiro", "Ines", "Jonas", "Kwame",
    "Lena", "Mateo", "Nora", "Oskar", "Priya",
];
pub(super) const LAST: [&str; 12] = [
    "Müller", "Smith", "García", "Rossi", "Kowalski", "Nakamura", "Okafor", "Larsen", "Dubois",
    "Silva", "Yilmaz", "Novak",
];
const LANGUAGES: [&str; 6] = ["en", "de", "fr", "es", "pt-BR", "ja"];
/// Names that show wide characters and accents keep the table aligned.
const SPECIAL: [&str; 4] = [
    "北京贸易有限公司",
    "Café Zürich GmbH",
    "🎉 Party Supplies",
    "Straße & Söhne",
];

pub(super) fn customer(i: usize) -> NewCustomer {
    NewCustomer {
        status: Some(demo_status(i)),
        ..customer_details(i)
    }
}

/// Every eleventh customer (from the fifth) is still being set up; the rest are active until
/// the story suspends some (never a pending one: it could not be).
fn demo_status(i: usize) -> CustomerStatus {
    if i % 11 == 4 && i % 13 != 5 {
        CustomerStatus::Pending
    } else {
        CustomerStatus::Active
    }
}

fn customer_details(i: usize) -> NewCustomer {
    let language = Some(LANGUAGES[i % LANGUAGES.len()].to_owned());
    // Every third customer is a person; pairs of first and last name stay unique up to 576.
    let p = i / 3;
    let first = FIRST[p % FIRST.len()];
    let last = LAST[(p / FIRST.len()) % LAST.len()];
    if i % 3 == 2 {
        let name = format!("{first} {last}");
        let email = format!(
            "{}.{}{i}@example.net",
            first.to_lowercase(),
            last.to_lowercase()
        );
        return NewCustomer {
            name,
            kind: CustomerKind::Individual,
            language,
            owner: Some(OwnerSpec {
                email: deunicode::deunicode(&email),
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                password: None,
            }),
            ..NewCustomer::default()
        };
    }
    let name = match SPECIAL.get(i / 50).filter(|_| i % 50 == 7) {
        Some(special) => (*special).to_owned(),
        None => format!(
            "{} {} {}",
            COMPANY_A[i % COMPANY_A.len()],
            COMPANY_B[(i / COMPANY_A.len()) % COMPANY_B.len()],
            i
        ),
    };
    let domain = crate::domain::slugify("name", &name)
        .map(|s| s.to_string())
        .unwrap_or_else(|_| format!("company{i}"));
    NewCustomer {
        name,
        kind: CustomerKind::Corporate,
        language,
        owner: Some(OwnerSpec {
            email: deunicode::deunicode(&format!("{}@{domain}.example", first.to_lowercase())),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            password: None,
        }),
        contact_phone: (i % 4 == 0)
            .then(|| format!("+41 44 {:03} {:02} {:02}", i % 1000, i % 97, i % 89)),
        postal_address: (i % 3 == 0)
            .then(|| format!("Bahnhofstrasse {}, {} Zürich", i % 90 + 1, 8000 + i % 60)),
        website: (i % 2 == 0)
            .then(|| deunicode::deunicode(&format!("https://www.{domain}.example"))),
        ..NewCustomer::default()
    }
}

/// A demo database with `count` customers, and a backend signed in as its owner.
pub struct Demo {
    pub backend: Arc<dyn Backend>,
    /// Declared last so it is removed after the service is closed.
    pub dir: DemoDir,
}

impl Demo {
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("db")
    }
}

const DAY: i64 = Timestamp::MILLIS_PER_DAY;

/// A few users and invitations in the first live corporate customers: members and
/// moderators added by staff, and invitations pending, expired (made 10 days ago), revoked
/// and accepted, so the Users and Invitations tabs have something to show.
pub fn create(count: usize) -> Result<Demo, ServiceError> {
    let dir =
        DemoDir::create().map_err(|e| ServiceError::Refused(format!("demo directory: {e}")))?;
    let path = dir.path().join("db");
    let clock = Arc::new(ShiftedClock::default());
    let service = Service::open_with_clock(
        &path,
        OpenMode::CreateIfMissing,
        &StoreOptions::default(),
        clock.clone(),
    )?;
    clock.set_offset(-400 * DAY);
    let session = service.init(&InitRequest {
        company: "Demo Hosting Ltd".into(),
        email: DEMO_EMAIL.into(),
        first_name: "Dana".into(),
        last_name: "Demo".into(),
        password: DEMO_PASSWORD.into(),
        unix_user: None,
    })?;
    super::demo_story::run(&service, &session, &clock, count)?;
    clock.set_offset(0);
    Ok(Demo {
        backend: Arc::new(Local::signed_in(Arc::new(service), session)),
        dir,
    })
}
