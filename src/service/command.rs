//! Every change is a [`Command`] value and every result an [`Outcome`]: plain, serialisable
//! values with no references into the store, so any front end (and later a server) can carry
//! them. Text arrives raw; the service validates it.
//!
//! A command is one of the areas' own enums (`customers`, `staff`, `settings`, `imports`,
//! `maintenance`); this file only routes by area. Adding a command to an existing area touches
//! that area alone; only a new area adds an arm here.

use serde::{Deserialize, Serialize};

use super::accounts::AccountCommand;
use super::customers::{self, CustomerCommand};
use super::fields::{FieldCommand, PreparedField};
use super::groups::GroupCommand;
use super::imports::{self, ImportCommand};
use super::independence::IndependenceCommand;
use super::invitations::{self, InvitationCommand};
use super::maintenance::MaintenanceCommand;
use super::plans::PlanCommand;
use super::rows::{CustomerRow, StaffRow};
use super::services::ServiceCommand;
use super::settings::{self, SettingsCommand};
use super::staff::{self, StaffCommand};
use super::systems::SystemCommand;
use super::users::{self, UserCommand};
use super::{Ctx, Service, ServiceError, Session, TxResult};
use crate::domain::{AuditAction, Privilege};
use crate::store::Tx;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Customer(CustomerCommand),
    Staff(StaffCommand),
    User(UserCommand),
    Invitation(InvitationCommand),
    Settings(SettingsCommand),
    Import(ImportCommand),
    Maintenance(MaintenanceCommand),
    Service(ServiceCommand),
    Account(AccountCommand),
    System(SystemCommand),
    Plan(PlanCommand),
    Group(GroupCommand),
    Independence(IndependenceCommand),
    Field(FieldCommand),
}

impl From<FieldCommand> for Command {
    fn from(c: FieldCommand) -> Self {
        Self::Field(c)
    }
}

impl From<GroupCommand> for Command {
    fn from(c: GroupCommand) -> Self {
        Self::Group(c)
    }
}

impl From<IndependenceCommand> for Command {
    fn from(c: IndependenceCommand) -> Self {
        Self::Independence(c)
    }
}

impl From<SystemCommand> for Command {
    fn from(c: SystemCommand) -> Self {
        Self::System(c)
    }
}

impl From<PlanCommand> for Command {
    fn from(c: PlanCommand) -> Self {
        Self::Plan(c)
    }
}

impl From<AccountCommand> for Command {
    fn from(c: AccountCommand) -> Self {
        Self::Account(c)
    }
}

impl From<ServiceCommand> for Command {
    fn from(c: ServiceCommand) -> Self {
        Self::Service(c)
    }
}

impl From<CustomerCommand> for Command {
    fn from(c: CustomerCommand) -> Self {
        Self::Customer(c)
    }
}

impl From<StaffCommand> for Command {
    fn from(c: StaffCommand) -> Self {
        Self::Staff(c)
    }
}

impl From<UserCommand> for Command {
    fn from(c: UserCommand) -> Self {
        Self::User(c)
    }
}

impl From<InvitationCommand> for Command {
    fn from(c: InvitationCommand) -> Self {
        Self::Invitation(c)
    }
}

impl From<SettingsCommand> for Command {
    fn from(c: SettingsCommand) -> Self {
        Self::Settings(c)
    }
}

impl From<ImportCommand> for Command {
    fn from(c: ImportCommand) -> Self {
        Self::Import(c)
    }
}

impl From<MaintenanceCommand> for Command {
    fn from(c: MaintenanceCommand) -> Self {
        Self::Maintenance(c)
    }
}

impl Command {
    /// The audit action it writes (also what permission messages call it) and the privilege
    /// the session needs for it.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        match self {
            Self::Customer(c) => c.spec(),
            Self::Staff(c) => c.spec(),
            Self::User(c) => c.spec(),
            Self::Invitation(c) => c.spec(),
            Self::Settings(c) => c.spec(),
            Self::Import(c) => c.spec(),
            Self::Maintenance(c) => c.spec(),
            Self::Service(c) => c.spec(),
            Self::Account(c) => c.spec(),
            Self::System(c) => c.spec(),
            Self::Plan(c) => c.spec(),
            Self::Group(c) => c.spec(),
            Self::Independence(c) => c.spec(),
            Self::Field(c) => c.spec(),
        }
    }

    /// The audit action it writes.
    pub fn action(&self) -> AuditAction {
        self.spec().0
    }

    /// What the command asks of a customer session (`scope.rs`); `None` for what only staff
    /// do.
    pub(crate) fn customer_need(&self) -> Option<super::scope::CustomerNeed<'_>> {
        match self {
            Self::Customer(c) => c.customer_need(),
            Self::User(c) => c.customer_need(),
            Self::Invitation(c) => Some(c.customer_need()),
            Self::Group(c) => Some(c.customer_need()),
            Self::Independence(c) => c.customer_need(),
            Self::Staff(_)
            | Self::Settings(_)
            | Self::Import(_)
            | Self::Maintenance(_)
            | Self::Service(_)
            | Self::Account(_)
            | Self::System(_)
            | Self::Plan(_)
            | Self::Field(_) => None,
        }
    }

    /// True for the commands that act on the session's own account only.
    pub(crate) fn is_self_service(&self) -> bool {
        matches!(self, Self::User(c) if c.is_self_service())
    }

    /// True for commands that run on their own, never inside a batch.
    pub(crate) fn runs_alone(&self) -> bool {
        matches!(self, Self::Maintenance(_))
    }

    /// Validates and reads what the command needs before its transaction (permission already
    /// checked).
    pub(crate) fn prepare(
        self,
        service: &Service,
        session: &Session,
    ) -> Result<Prepared, ServiceError> {
        Ok(match self {
            Self::Customer(c) => Prepared::Customer(c.prepare(service)?),
            Self::Staff(c) => Prepared::Staff(c.prepare(service, session)?),
            Self::User(c) => Prepared::User(c.prepare(service, session)?),
            Self::Invitation(c) => Prepared::Invitation(c.prepare(service, session)?),
            Self::Settings(c) => Prepared::Settings(c.prepare()?),
            Self::Import(c) => Prepared::Import(c.prepare(service, session)?),
            Self::Service(c) => Prepared::Service(c.prepare()?),
            Self::Account(c) => Prepared::Account(c.prepare()?),
            Self::System(c) => Prepared::System(c.prepare()?),
            Self::Plan(c) => Prepared::Plan(c.prepare()?),
            Self::Group(c) => Prepared::Group(c.prepare()?),
            Self::Independence(c) => Prepared::Independence(c),
            Self::Field(c) => Prepared::Field(c.prepare(service)?),
            Self::Maintenance(_) => {
                return Err(ServiceError::Refused(
                    "purge-expired runs on its own".into(),
                ));
            }
        })
    }
}

/// A command ready for its transaction: validated, hashed, and with the reads made that a
/// transaction cannot make.
pub(crate) enum Prepared {
    Customer(customers::Prepared),
    Staff(staff::Prepared),
    User(users::Prepared),
    Invitation(invitations::Prepared),
    Settings(settings::Prepared),
    Import(imports::Prepared),
    Service(ServiceCommand),
    Account(AccountCommand),
    System(SystemCommand),
    Plan(PlanCommand),
    Group(GroupCommand),
    Independence(IndependenceCommand),
    Field(PreparedField),
}

impl Prepared {
    /// What happens once the transaction committed (a staged message made visible); returns
    /// what became of it, for the outcome.
    pub(crate) fn after_commit(self, service: &Service) -> Option<String> {
        match self {
            Self::Invitation(p) => p.after_commit(service),
            Self::User(p) => p.after_commit(service),
            _ => None,
        }
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        match self {
            Self::Customer(p) => p.apply(tx, ctx, action),
            Self::Staff(p) => p.apply(tx, ctx, action),
            Self::User(p) => p.apply(tx, ctx, action),
            Self::Invitation(p) => p.apply(tx, ctx, action),
            Self::Settings(p) => p.apply(tx, ctx, action),
            Self::Import(p) => p.apply(tx, ctx),
            Self::Service(p) => p.apply(tx, ctx, action),
            Self::Account(p) => p.apply(tx, ctx, action),
            Self::System(p) => p.apply(tx, ctx, action),
            Self::Plan(p) => p.apply(tx, ctx, action),
            Self::Group(p) => p.apply(tx, ctx, action),
            Self::Independence(p) => p.apply(tx, ctx, action),
            Self::Field(p) => p.apply(tx, ctx, action),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Customer(CustomerRow),
    /// Slugs of the customers purged.
    Purged(Vec<String>),
    /// A service of the catalogue as it now stands (or stood, when removed).
    Service(super::services::ServiceRow),
    /// The target systems as they now stand.
    Systems(Vec<super::systems::SystemRow>),
    /// A customer's groups after a change to them.
    Groups(Vec<super::groups::GroupRow>),
    /// The service plans as they now stand.
    Plans(Vec<super::plans::PlanRow>),
    /// The custom field schema as it now stands.
    Fields(Vec<super::fields::FieldRow>),
    /// What `log prune` removed and where the chain now begins.
    Pruned(super::log_prune::PruneReport),
    Setting {
        key: String,
        value: String,
    },
    Staff(StaffRow),
    /// An invitation as it now stands; `token` is the new token of a create or resend (shown
    /// once, empty otherwise) and `message` what became of its message.
    Invitation {
        row: super::invitation_rows::InvitationRow,
        token: String,
        message: String,
    },
    /// A message written for `to`; `message` says what became of it.
    Message {
        to: String,
        message: String,
    },
    /// The user a user command acted on (read the rest with a user query).
    User {
        id: u64,
        email: String,
    },
    Import(super::imports::ImportRow),
    Imported {
        created: u64,
    },
}
