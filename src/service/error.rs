//! Errors of the service layer, each with the exit status the CLI gives it.

use crate::domain::text::display_safe;
use crate::domain::{AuditAction, StaffRole, ValidationError};
use crate::store::StoreError;

/// Serde so a server can send it to a client as it is (D116): the `&'static str` fields come
/// back through [`interned`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// Two or more fields of one input refused, in the order of the input's fields, so a
    /// front end shows them all at once, each at its field (D68). One problem alone is
    /// [`ServiceError::Invalid`].
    #[error("{}", join_problems(.0))]
    InvalidFields(Vec<ValidationError>),
    #[error("no {what} {key}")]
    NotFound {
        #[serde(deserialize_with = "interned")]
        what: Label,
        key: String,
    },
    /// Something changed under the command (a purge plan that no longer matches); try again.
    #[error("{0}")]
    Conflict(String),
    /// A value that must be unique is already held by another record. Front ends match on
    /// `field` (a slug clash belongs to the slug or name field of a form), never on the text.
    #[error("{}", taken_message(*.field, .value, .holder))]
    Taken {
        field: UniqueField,
        value: String,
        holder: Holder,
    },
    #[error("{0}")]
    Refused(String),
    /// A customer command refused for what the customer is (the provider company, in the
    /// trash or not). The message's hint is chosen from `reason` and `action` together, so it
    /// fits what was tried (deleting the provider never suggests renaming it); front ends
    /// match on the fields, never on the text (D78).
    #[error("{}", customer_refusal_message(.slug, *.action, *.reason))]
    CustomerRefused {
        slug: String,
        action: AuditAction,
        reason: CustomerRefusal,
    },
    /// An action that would take a customer beyond a limit of its service plan.
    #[error(
        "{} would exceed plan {}: {limit} is {max} and it has {has}",
        display_safe(.slug), display_safe(.plan)
    )]
    OverLimit {
        slug: String,
        plan: String,
        /// The limit's name: `max users`.
        limit: String,
        max: u32,
        has: u64,
    },
    #[error("permission denied: {action} needs the \"{privilege}\" privilege")]
    PermissionDenied {
        #[serde(deserialize_with = "interned")]
        action: Label,
        #[serde(deserialize_with = "interned")]
        privilege: Label,
    },
    /// A customer session (a customer's user, or staff impersonating a customer) asked for
    /// something outside its customer and role: another customer, a staff-only command or
    /// query, or a role above its own. One message for every case (D94), so a session learns
    /// nothing of other customers or of who exists outside its own.
    #[error("{action}: not open to this customer session")]
    OutsideSession { action: String },
    /// Refused while a staff member impersonates a customer: setting or resetting anyone's
    /// password and accepting invitations stay with the people themselves.
    #[error("{action} is not done while impersonating: it stays with the person themselves")]
    NotWhileImpersonating {
        #[serde(deserialize_with = "interned")]
        action: Label,
    },
    /// The impersonation this session held is over (its time limit passed, the staff member
    /// lost the privilege, the customer was suspended or trashed): the front end ends it with
    /// [`super::Service::end_impersonation`] and returns to the staff view.
    #[error("the impersonation is over: {}", .why.describe())]
    ImpersonationOver {
        why: crate::domain::ImpersonationEnd,
    },
    /// A customer that cannot be impersonated, and why.
    #[error("{}", impersonation_refusal_message(.slug, *.reason))]
    ImpersonationRefused {
        slug: String,
        reason: ImpersonationRefusal,
    },
    /// The one message for an invitation or reset code that is unknown, malformed, used,
    /// revoked, expired or ended by a password change (R9): it never says which.
    #[error(
        "this code is not valid: it may be mistyped, used, withdrawn or expired; ask for a new one"
    )]
    InvalidToken,
    /// The invitation is for an account that existed before and has no password yet: its
    /// owner sets one through a reset message to its own address, then accepts.
    #[error(
        "password: this account has no password yet; set one with a reset message (Forgot password?), then accept the invitation"
    )]
    ResetFirst,
    /// Accepting this invitation sets the account's first password, and none was given.
    #[error("password: this invitation sets your password; give one")]
    PasswordNeeded,
    /// The one message for an unknown email, a wrong password, or an unusable account (R8).
    /// The right password of a user whose customers are all pending or suspended: said once
    /// the password is proven, so nobody learns a customer's state by guessing.
    #[error("{}", inactive_message(.customer, *.status))]
    CustomerNotActive {
        customer: String,
        status: crate::domain::CustomerStatus,
    },
    #[error("email or password is incorrect")]
    BadCredentials,
    #[error("too many failed sign-ins for this email; try again in {minutes} minute(s)")]
    LockedOut { minutes: i64 },
    #[error("this database is already initialised (provider company {company})")]
    AlreadyInitialised { company: String },
    #[error("command {index} of the batch failed: {source}")]
    InBatch {
        index: usize,
        #[source]
        source: Box<ServiceError>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The problems of an input as one line: `name: …; owner email: …`.
fn join_problems(problems: &[ValidationError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ServiceError {
    /// Every field problem this error names (none for other errors).
    pub fn field_problems(&self) -> &[ValidationError] {
        match self {
            Self::Invalid(v) => std::slice::from_ref(v),
            Self::InvalidFields(all) => all,
            Self::InBatch { source, .. } => source.field_problems(),
            _ => &[],
        }
    }

    /// Fails with every problem found while checking one input: `Invalid` for one,
    /// `InvalidFields` for several (duplicates dropped), nothing when the input is clean.
    pub(crate) fn from_problems<'a>(
        problems: impl IntoIterator<Item = Option<&'a ValidationError>>,
    ) -> Result<(), ServiceError> {
        let mut all: Vec<ValidationError> = Vec::new();
        for problem in problems.into_iter().flatten() {
            if !all.contains(problem) {
                all.push(problem.clone());
            }
        }
        match all.len() {
            0 => Ok(()),
            1 => Err(Self::Invalid(all.remove(0))),
            _ => Err(Self::InvalidFields(all)),
        }
    }

    /// The CLI exit status: 1 refused or not found, 3 database in use, 4 storage error,
    /// 128 + N for a backup or restore stopped by signal N.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Store(StoreError::InUse { .. }) => 3,
            Self::Store(
                StoreError::NoDatabase { .. }
                | StoreError::NotInitialised { .. }
                | StoreError::Refused { .. },
            ) => 1,
            // 128 + signal, as a shell reports a command killed by it.
            Self::Store(StoreError::Interrupted { signal, .. }) => 128 + signal,
            Self::Store(_) => 4,
            Self::InBatch { source, .. } => source.exit_code(),
            _ => 1,
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            key: crate::domain::text::preview(&key.into()),
        }
    }
}

/// Why a customer cannot be impersonated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImpersonationRefusal {
    /// The provider company is the platform itself, not a customer.
    ProviderCompany,
    InTrash,
    Suspended,
    /// The session already impersonates a customer: return to the staff view first.
    AlreadyImpersonating,
    /// An independent organisation manages itself (D129).
    Independent,
}

fn impersonation_refusal_message(slug: &str, reason: ImpersonationRefusal) -> String {
    let slug = display_safe(slug);
    match reason {
        ImpersonationRefusal::ProviderCompany => format!(
            "customer \"{slug}\" is the provider company, the platform itself: it has no customer view to impersonate"
        ),
        ImpersonationRefusal::Independent => format!(
            "customer \"{slug}\" is an independent organisation and manages itself: staff do not impersonate it"
        ),
        ImpersonationRefusal::InTrash => format!(
            "customer \"{slug}\" is in the trash and cannot be impersonated; restore it first"
        ),
        ImpersonationRefusal::Suspended => format!(
            "customer \"{slug}\" is suspended and cannot be impersonated; its users cannot sign in either (activate it first)"
        ),
        ImpersonationRefusal::AlreadyImpersonating => format!(
            "already impersonating; return to the staff view before impersonating \"{slug}\""
        ),
    }
}

/// Why a customer command was refused by the state of the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CustomerRefusal {
    /// The provider company, which only `settings set company.name` changes.
    ProviderCompany,
    /// The customer is in the trash.
    InTrash,
    /// The command needs a trashed customer and this one is not in the trash.
    NotInTrash,
    /// Activating a pending customer that has no user yet.
    NoUsers,
    /// Suspending a pending customer: it is not in use yet.
    Pending,
    /// Staff acting on the people of (or deleting, or impersonating) an independent
    /// organisation, which manages itself (D129).
    Independent,
    /// Handing back a customer that is not independent, or by someone not its own.
    NotIndependent,
}

impl CustomerRefusal {
    /// What the operator can do instead of `action`, when there is something.
    pub fn hint(self, action: AuditAction, slug: &str) -> Option<String> {
        use AuditAction as A;
        match (self, action) {
            (Self::NoUsers, _) => Some(format!(
                "add a user first (`tenantry user add --customer {slug} …`), then activate it"
            )),
            (Self::ProviderCompany, A::CustomerEdit) => {
                Some("its name is changed with `tenantry settings set company.name NAME`".into())
            }
            (Self::ProviderCompany, A::CustomerSuspend | A::CustomerActivate) => {
                Some("the provider company is always active".into())
            }
            (Self::ProviderCompany, A::CustomerDelete | A::CustomerPurge) => {
                Some("the provider company stays for as long as the database".into())
            }
            (Self::InTrash, A::CustomerEdit | A::CustomerSuspend | A::CustomerActivate) => {
                Some("restore it first".into())
            }
            (Self::Independent, A::CustomerIndependent | A::CustomerHandBack) => None,
            (Self::Independent, _) => Some(
                "only its own administrators can hand management back, from their own view".into(),
            ),
            (Self::NotInTrash, A::CustomerPurge) => Some(format!(
                "delete it first with `tenantry customer delete {slug}` (only trashed customers can be purged)"
            )),
            _ => None,
        }
    }
}

/// The one text of a [`ServiceError::CustomerRefused`]: the refusal, then the hint that fits.
fn customer_refusal_message(slug: &str, action: AuditAction, reason: CustomerRefusal) -> String {
    let slug = display_safe(slug);
    let refusal = match (reason, action) {
        (CustomerRefusal::ProviderCompany, _) => format!(
            "\"{slug}\" is the provider company and cannot be {}",
            action.past_tense()
        ),
        (CustomerRefusal::InTrash, AuditAction::CustomerDelete) => {
            format!("customer \"{slug}\" is already in the trash")
        }
        (CustomerRefusal::InTrash, _) => format!("customer \"{slug}\" is in the trash"),
        (CustomerRefusal::NotInTrash, _) => format!("customer \"{slug}\" is not in the trash"),
        (CustomerRefusal::NoUsers, _) => {
            format!("customer \"{slug}\" has no users yet and cannot be activated")
        }
        (CustomerRefusal::Independent, AuditAction::CustomerIndependent) => {
            format!("customer \"{slug}\" is already an independent organisation")
        }
        (
            CustomerRefusal::Independent,
            AuditAction::CustomerDelete | AuditAction::CustomerPurge,
        ) => {
            format!(
                "customer \"{slug}\" is an independent organisation and is not deleted by staff"
            )
        }
        (CustomerRefusal::Independent, AuditAction::CustomerHandBack) => format!(
            "customer \"{slug}\" is an independent organisation: only its own administrators hand management back, from their own view"
        ),
        (CustomerRefusal::Independent, _) => format!(
            "customer \"{slug}\" is an independent organisation and manages its own users, invitations and groups"
        ),
        (CustomerRefusal::NotIndependent, _) => {
            format!("customer \"{slug}\" is managed by the provider, not independent")
        }
        (CustomerRefusal::Pending, _) => {
            format!(
                "customer \"{slug}\" is pending: it is not in use yet, so there is nothing to suspend"
            )
        }
    };
    match reason.hint(action, &slug) {
        Some(hint) => format!("{refusal}; {hint}"),
        None => refusal,
    }
}

fn inactive_message(customer: &str, status: crate::domain::CustomerStatus) -> String {
    let customer = display_safe(customer);
    match status {
        crate::domain::CustomerStatus::Pending => format!(
            "\"{customer}\" is not active yet: its users can sign in once the provider activates it"
        ),
        _ => format!(
            "\"{customer}\" is suspended: its users cannot sign in until the provider activates it again"
        ),
    }
}

/// The values tenantry keeps unique, each behind an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UniqueField {
    /// A customer slug (live or trashed: a trashed customer keeps its slug reserved).
    Slug,
    /// A staff member's email.
    StaffEmail,
    /// A Unix account linked to a staff member.
    UnixUser,
}

/// Who already holds a unique value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Holder {
    /// A customer, by name; `trashed` when it is in the trash.
    Customer { name: String, trashed: bool },
    /// The staff member with that email, who has this role.
    Staff { role: StaffRole },
    /// Another staff member, not named in the message.
    OtherStaff,
    /// An index entry whose record could not be read.
    Unknown,
}

/// The one text of a [`ServiceError::Taken`]; every user-derived part is made visible-safe.
fn taken_message(field: UniqueField, value: &str, holder: &Holder) -> String {
    let value = display_safe(value);
    match field {
        UniqueField::Slug => {
            let by = match holder {
                Holder::Customer { name, trashed } => format!(
                    " by \"{}\"{}",
                    display_safe(name),
                    if *trashed {
                        ", which is in the trash"
                    } else {
                        ""
                    }
                ),
                _ => String::new(),
            };
            format!("slug \"{value}\" is already taken{by}")
        }
        UniqueField::StaffEmail => match holder {
            Holder::Staff { role } => {
                format!("{value} is already a staff member ({})", role.as_str())
            }
            _ => format!("{value} is already a staff member"),
        },
        UniqueField::UnixUser => {
            format!("Unix user \"{value}\" is already linked to another staff member")
        }
    }
}

/// A fixed label of the service (a privilege, an action). Named so serde reads it with
/// [`interned`] instead of borrowing it from the input, which a `'static` field cannot.
type Label = &'static str;

/// The most distinct texts [`interned`] keeps: far more than the service has labels, so a
/// peer sending made-up ones cannot make the table grow without bound.
const MOST_INTERNED: usize = 512;

/// Reads one of the service's fixed labels (a privilege, an action, what was not found) back
/// as `&'static str`. Each distinct text is kept once for the life of the process; past
/// [`MOST_INTERNED`] texts, an unknown one reads as "(unknown)".
fn interned<'de, D>(deserializer: D) -> Result<&'static str, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static TABLE: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    let mut table = TABLE
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(kept) = table.get(text.as_str()) {
        return Ok(kept);
    }
    if table.len() >= MOST_INTERNED {
        return Ok("(unknown)");
    }
    let kept: &'static str = Box::leak(text.into_boxed_str());
    table.insert(kept);
    Ok(kept)
}
