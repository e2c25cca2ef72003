//! Reads as data. Every read a front end makes is a value of one request type (one per
//! query), carried in the [`Query`] enum and answered by the matching [`Answer`]: plain,
//! owned rows and, for listings, a [`Page`] with an opaque [`Cursor`] to the next page. Nothing
//! in an answer borrows the service, and every value is serde-serialisable, so the same reads
//! can later cross a socket unchanged.
//!
//! Adding a query takes three places: its request type, one line in the `queries!` list
//! below, and one arm in [`Service::query`] (plus the method that does the reading). This
//! module must not check permissions itself: each method it calls does, for the session as
//! re-read by [`Service::acting`].

use serde::{Deserialize, Serialize};

use super::fields::{FieldRow, ListFields};
use super::imports::ImportRow;
use super::invitation_queries::InvitationQuery;
use super::invitation_rows::InvitationRow;
use super::log_queries::{ChainHead, LogHashes, LogHead};
use super::outbox_queries::{ListOutbox, OutboxRow, ShowOutboxMessage, WelcomePreview};
use super::plans::{ListPlans, PlanRow};
use super::queries::{CustomerQuery, LogQuery};
use super::rows::{AuditRow, CustomerDetail, CustomerRow, StaffRow};
use super::services::{ListServices, ServiceRow};
use super::stats::{Stats, StatsReport};
use super::systems::{ListSystems, SystemRow};
use super::user_queries::{MyAccount, ShowUser, UserQuery};
use super::user_rows::{UserDetail, UserRow};
use super::{
    CustomerChoice, ImpersonationList, ImpersonationRow, MyCustomers, Service, ServiceError,
    Session,
};
use crate::domain::ValidationError;
use crate::store::check::ChainReport;

/// Rows a page holds when the request names no limit, and the most it ever holds.
pub const PAGE_ROWS: usize = 1_000;
pub const MAX_PAGE_ROWS: usize = 10_000;

/// Where the next page of a listing starts. Made by the service from the last row of a page
/// and handed back unchanged; a front end cannot read or build one. A cursor from another
/// listing is refused as invalid, never misread.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor(Position);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Position {
    /// Customers in slug order: the next page starts after this slug.
    AfterSlug(String),
    /// The log newest first: the next page holds sequences below this one.
    BeforeSeq(u64),
    /// Users in id order: the next page starts after this id.
    AfterUser(u64),
    /// Imports newest first: the next page holds ids below this one.
    BeforeImport(u64),
    /// Users in email order: the next page starts after this lowercase email.
    AfterEmail(String),
}

fn wrong_cursor() -> ServiceError {
    ValidationError::new("cursor", "belongs to another listing").into()
}

impl Cursor {
    pub(crate) fn after_slug(slug: &str) -> Self {
        Self(Position::AfterSlug(slug.to_owned()))
    }
    pub(crate) fn before_seq(seq: u64) -> Self {
        Self(Position::BeforeSeq(seq))
    }
    pub(crate) fn after_user(id: u64) -> Self {
        Self(Position::AfterUser(id))
    }
    pub(crate) fn after_email(email_key: &str) -> Self {
        Self(Position::AfterEmail(email_key.to_owned()))
    }
    pub(crate) fn email(cursor: Option<&Self>) -> Result<Option<&str>, ServiceError> {
        match cursor.map(|c| &c.0) {
            None => Ok(None),
            Some(Position::AfterEmail(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_cursor()),
        }
    }
    pub(crate) fn before_import(id: u64) -> Self {
        Self(Position::BeforeImport(id))
    }

    pub(crate) fn slug(cursor: Option<&Self>) -> Result<Option<&str>, ServiceError> {
        match cursor.map(|c| &c.0) {
            None => Ok(None),
            Some(Position::AfterSlug(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_cursor()),
        }
    }
    pub(crate) fn seq(cursor: Option<&Self>) -> Result<Option<u64>, ServiceError> {
        match cursor.map(|c| &c.0) {
            None => Ok(None),
            Some(Position::BeforeSeq(n)) => Ok(Some(*n)),
            Some(_) => Err(wrong_cursor()),
        }
    }
    pub(crate) fn user(cursor: Option<&Self>) -> Result<Option<u64>, ServiceError> {
        match cursor.map(|c| &c.0) {
            None => Ok(None),
            Some(Position::AfterUser(n)) => Ok(Some(*n)),
            Some(_) => Err(wrong_cursor()),
        }
    }
    pub(crate) fn import(cursor: Option<&Self>) -> Result<Option<u64>, ServiceError> {
        match cursor.map(|c| &c.0) {
            None => Ok(None),
            Some(Position::BeforeImport(n)) => Ok(Some(*n)),
            Some(_) => Err(wrong_cursor()),
        }
    }
}

/// One page of a listing: the rows, and where the next page starts (`None` on the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<Cursor>,
}

/// The rows a request may put on one page.
pub(crate) fn page_rows(limit: Option<usize>) -> usize {
    limit.unwrap_or(PAGE_ROWS).clamp(1, MAX_PAGE_ROWS)
}

/// Makes a page from up to `limit + 1` rows read: the extra row, if there, only says that
/// a next page exists, and `cursor` names it from the last row kept.
pub(crate) fn page_of<T>(mut rows: Vec<T>, limit: usize, cursor: impl Fn(&T) -> Cursor) -> Page<T> {
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(cursor)
    } else {
        None
    };
    Page { rows, next }
}

/// One customer with its members, by slug (live or trashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowCustomer {
    pub slug: String,
}

/// Staff members in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListStaff {
    pub after: Option<Cursor>,
    pub limit: Option<usize>,
}

/// Walks the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyLog;

/// Checks the whole database; answers the problems found (empty when consistent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDatabase;

/// Where the database is and how much it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeDatabase;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseSummary {
    /// The database directory, as the service opened it.
    pub path: String,
    /// Customers stored, live and trashed.
    pub customers: u64,
    pub audit_events: u64,
}

/// The value of a setting, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSetting {
    pub key: String,
}

/// Imports, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListImports {
    pub before: Option<Cursor>,
    pub limit: Option<usize>,
}

/// Ids of earlier imports of a file with this SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportsOfFile {
    pub sha256: String,
}

/// The interrupted import of a file with this SHA-256, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningImport {
    pub sha256: String,
}

/// True when one of `imports` created the customer with this slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedByAny {
    pub imports: Vec<u64>,
    pub slug: String,
}

/// Who holds a slug: answered by the customer's name and whether it is in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlugHolder {
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlugTaken {
    pub name: String,
    pub trashed: bool,
}

/// True when a user has this email (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserExists {
    pub email: String,
}

/// The existing account an email looks like without being it (UTS #39 skeletons), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookalikeAccount {
    pub email: String,
}

/// A request with its answer type: lets a front end ask for one query and get its own rows
/// back (see `BackendExt::ask`), while the wire carries [`Query`] and [`Answer`].
pub trait Request: Sized {
    type Output;
    fn into_query(self) -> Query;
    /// The output, when `answer` is this request's kind of answer.
    fn from_answer(answer: Answer) -> Option<Self::Output>;
}

macro_rules! queries {
    ($($(#[$doc:meta])* $variant:ident($req:ty) -> $out:ty;)+) => {
        /// Every read the service answers.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Query { $($(#[$doc])* $variant($req),)+ }

        /// The answer to each [`Query`], variant for variant.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Answer { $($variant($out),)+ }

        $(impl Request for $req {
            type Output = $out;
            fn into_query(self) -> Query {
                Query::$variant(self)
            }
            fn from_answer(answer: Answer) -> Option<$out> {
                match answer {
                    Answer::$variant(out) => Some(out),
                    _ => None,
                }
            }
        })+
    };
}

queries! {
    /// Live customers (or the trash) in slug order.
    Customers(CustomerQuery) -> Page<CustomerRow>;
    /// Boxed: a customer with its members is many times larger than any other answer.
    Customer(ShowCustomer) -> Box<CustomerDetail>;
    Staff(ListStaff) -> Page<StaffRow>;
    /// The audit log newest first by sequence.
    Log(LogQuery) -> Page<AuditRow>;
    VerifyLog(VerifyLog) -> ChainReport;
    CheckDatabase(CheckDatabase) -> Vec<String>;
    Database(DescribeDatabase) -> DatabaseSummary;
    Setting(GetSetting) -> String;
    Imports(ListImports) -> Page<ImportRow>;
    ImportsOfFile(ImportsOfFile) -> Vec<u64>;
    RunningImport(RunningImport) -> Option<u64>;
    CreatedByAny(CreatedByAny) -> bool;
    SlugHolder(SlugHolder) -> Option<SlugTaken>;
    UserExists(UserExists) -> bool;
    LookalikeAccount(LookalikeAccount) -> Option<String>;
    /// Users in email order, filtered.
    Users(UserQuery) -> Page<UserRow>;
    /// Boxed like a customer: a user with their history.
    User(ShowUser) -> Box<UserDetail>;
    Invitations(InvitationQuery) -> Page<InvitationRow>;
    Outbox(ListOutbox) -> Vec<OutboxRow>;
    OutboxMessage(ShowOutboxMessage) -> String;
    WelcomePreview(WelcomePreview) -> String;
    /// The customers a customer's user may enter.
    MyCustomers(MyCustomers) -> Vec<CustomerChoice>;
    Impersonations(ImpersonationList) -> Vec<ImpersonationRow>;
    MyAccount(MyAccount) -> UserRow;
    LogHead(LogHead) -> ChainHead;
    /// Stored (sequence, hash) pairs oldest first.
    LogHashes(LogHashes) -> Vec<(u64, String)>;
    /// The dashboard's numbers, from the counters.
    Stats(Stats) -> StatsReport;
    Services(ListServices) -> Vec<ServiceRow>;
    Systems(ListSystems) -> Vec<SystemRow>;
    Plans(ListPlans) -> Vec<PlanRow>;
    Fields(ListFields) -> Vec<FieldRow>;
}

impl Service {
    /// Answers one query for `session`. Each arm's method re-reads who acts and checks what
    /// that user may read.
    pub fn query(&self, session: &Session, query: Query) -> Result<Answer, ServiceError> {
        Ok(match query {
            Query::Customers(q) => Answer::Customers(self.customers_page(session, &q)?),
            Query::Customer(q) => Answer::Customer(Box::new(self.show_customer(session, &q.slug)?)),
            Query::Staff(q) => Answer::Staff(self.staff_page(session, &q)?),
            Query::Log(q) => Answer::Log(self.log_page(session, &q)?),
            Query::VerifyLog(VerifyLog) => Answer::VerifyLog(self.verify_log(session)?),
            Query::CheckDatabase(CheckDatabase) => {
                Answer::CheckDatabase(self.check_database(session)?)
            }
            Query::Database(DescribeDatabase) => Answer::Database(self.describe(session)?),
            Query::Setting(q) => Answer::Setting(self.get_setting(session, &q.key)?),
            Query::Imports(q) => Answer::Imports(self.imports_page(session, &q)?),
            Query::ImportsOfFile(q) => {
                Answer::ImportsOfFile(self.imports_of_file(session, &q.sha256)?)
            }
            Query::RunningImport(q) => {
                Answer::RunningImport(self.running_import(session, &q.sha256)?)
            }
            Query::CreatedByAny(q) => {
                Answer::CreatedByAny(self.created_by_any(session, &q.imports, &q.slug)?)
            }
            Query::SlugHolder(q) => Answer::SlugHolder(self.slug_holder(session, &q.slug)?),
            Query::UserExists(q) => Answer::UserExists(self.user_exists(session, &q.email)?),
            Query::LookalikeAccount(q) => {
                Answer::LookalikeAccount(self.lookalike_account(session, &q.email)?)
            }
            Query::Users(q) => Answer::Users(self.users_page(session, &q)?),
            Query::User(q) => Answer::User(Box::new(self.show_user(session, &q.email)?)),
            Query::Invitations(q) => Answer::Invitations(self.invitations_page(session, &q)?),
            Query::Outbox(ListOutbox) => Answer::Outbox(self.list_outbox(session)?),
            Query::OutboxMessage(q) => {
                Answer::OutboxMessage(self.show_outbox_message(session, &q.id)?)
            }
            Query::WelcomePreview(q) => {
                Answer::WelcomePreview(self.welcome_preview(session, &q.email)?)
            }
            Query::MyCustomers(MyCustomers) => Answer::MyCustomers(self.my_customers(session)?),
            Query::MyAccount(MyAccount) => Answer::MyAccount(self.my_account(session)?),
            Query::Impersonations(q) => Answer::Impersonations(self.impersonations(
                session,
                q.customer.as_deref(),
                q.limit,
            )?),
            Query::LogHead(LogHead) => Answer::LogHead(self.log_head(session)?),
            Query::LogHashes(q) => Answer::LogHashes(self.log_hashes(session, &q)?),
            Query::Stats(Stats) => Answer::Stats(self.stats(session)?),
            Query::Services(ListServices) => Answer::Services(self.list_services(session)?),
            Query::Systems(ListSystems) => Answer::Systems(self.list_systems(session)?),
            Query::Plans(ListPlans) => Answer::Plans(self.list_plans(session)?),
            Query::Fields(ListFields) => Answer::Fields(self.list_fields(session)?),
        })
    }
}
