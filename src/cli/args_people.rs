//! The command-line contract of `tenantry user|invite|password|outbox …`: the people of each
//! customer, their invitations, password resets and the outbox of messages (see `args.rs`).
//! Names, flags and exit statuses are the contract of the people issue; do not rename them.

use clap::{Args, Subcommand, ValueEnum};

use super::args::{ListOutput, ShowFormat};
use super::examples as ex;
use crate::domain::{CustomerRole, InvitationState, UserStatus};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CustomerRoleArg {
    Member,
    Moderator,
    Administrator,
}

impl From<CustomerRoleArg> for CustomerRole {
    fn from(r: CustomerRoleArg) -> Self {
        match r {
            CustomerRoleArg::Member => CustomerRole::Member,
            CustomerRoleArg::Moderator => CustomerRole::Moderator,
            CustomerRoleArg::Administrator => CustomerRole::Administrator,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum UserStatusArg {
    Invited,
    Active,
    Disabled,
}

impl From<UserStatusArg> for UserStatus {
    fn from(s: UserStatusArg) -> Self {
        match s {
            UserStatusArg::Invited => UserStatus::Invited,
            UserStatusArg::Active => UserStatus::Active,
            UserStatusArg::Disabled => UserStatus::Disabled,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InvitationStatusArg {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl From<InvitationStatusArg> for InvitationState {
    fn from(s: InvitationStatusArg) -> Self {
        match s {
            InvitationStatusArg::Pending => InvitationState::Pending,
            InvitationStatusArg::Accepted => InvitationState::Accepted,
            InvitationStatusArg::Revoked => InvitationState::Revoked,
            InvitationStatusArg::Expired => InvitationState::Expired,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OnOff {
    On,
    Off,
}

/// The person's names, email and language, shared by `user add` and `invite create`.
#[derive(Debug, Args)]
pub struct PersonArgs {
    /// The customer's slug (a corporate customer)
    #[arg(long, value_name = "SLUG")]
    pub customer: String,
    /// The person's email (one account per email, shared with staff)
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// First name
    #[arg(long, value_name = "FIRST")]
    pub first: String,
    /// Last name
    #[arg(long, value_name = "LAST")]
    pub last: String,
    /// The role in the customer
    #[arg(long, value_enum, default_value = "member")]
    pub role: CustomerRoleArg,
    /// Language of messages to the person, such as en, de or fr-CH [default: the customer's]
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user to a customer directly (no message is sent; they set a password through a
    /// reset, or get a welcome message from `user welcome`)
    #[command(after_help = ex::USER_ADD)]
    Add {
        #[command(flatten)]
        person: PersonArgs,
        /// A users' custom field's value (`tenantry field list --for users`); repeat for more
        #[arg(long = "field", value_name = "NAME=VALUE", value_parser = super::args_customer::field_value)]
        fields: Vec<(String, String)>,
    },
    /// List users in email order
    #[command(after_help = ex::USER_LIST)]
    List(UserListArgs),
    /// Show one user with their customers and recent events
    #[command(after_help = ex::USER_SHOW)]
    Show {
        /// The user's email
        email: String,
        /// Output format: key/value lines and tables, or one JSON object
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// Change a user's names, language, notifications, or role in one customer
    #[command(after_help = ex::USER_EDIT)]
    Edit(UserEditArgs),
    /// Disable a user (their sessions end at once)
    #[command(after_help = ex::USER_DISABLE)]
    Disable {
        /// The user's email
        email: String,
    },
    /// Enable a disabled user again
    #[command(after_help = ex::USER_ENABLE)]
    Enable {
        /// The user's email
        email: String,
    },
    /// Delete a user with their memberships and invitations (not an owner, not staff)
    #[command(after_help = ex::USER_DELETE)]
    Delete {
        /// The user's email
        email: String,
    },
    /// End a user's membership in one customer
    #[command(after_help = ex::USER_REMOVE)]
    Remove {
        /// The user's email
        email: String,
        /// The customer's slug
        #[arg(long, value_name = "SLUG")]
        customer: String,
    },
    /// Write a user's welcome message to the outbox, or with --print only show it
    #[command(after_help = ex::USER_WELCOME)]
    Welcome {
        /// The user's email
        email: String,
        /// Print the message instead of writing it
        #[arg(long)]
        print: bool,
    },
}

#[derive(Debug, Args)]
pub struct UserListArgs {
    /// Only members of this customer
    #[arg(long, value_name = "SLUG")]
    pub customer: Option<String>,
    /// Only users holding this role (in --customer when given)
    #[arg(long, value_enum)]
    pub role: Option<CustomerRoleArg>,
    /// Only users with this status
    #[arg(long, value_enum)]
    pub status: Option<UserStatusArg>,
    /// Only users whose name or email contains this text (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// At most this many users
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Debug, Args)]
pub struct UserEditArgs {
    /// The user's email
    pub email: String,
    /// New first name
    #[arg(long, value_name = "FIRST")]
    pub first: Option<String>,
    /// New last name
    #[arg(long, value_name = "LAST")]
    pub last: Option<String>,
    /// New language of messages
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
    /// New role in the customer given with --customer
    #[arg(long, value_enum, requires = "customer")]
    pub role: Option<CustomerRoleArg>,
    /// The customer whose role --role changes
    #[arg(long, value_name = "SLUG")]
    pub customer: Option<String>,
    /// Notifications on or off
    #[arg(long, value_enum)]
    pub notifications: Option<OnOff>,
    /// A users' custom field's value; an empty value clears it; repeat for more fields
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = super::args_customer::field_value)]
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Invite a person into a customer; prints the invitation code as the last line
    #[command(after_help = ex::INVITE_CREATE)]
    Create {
        #[command(flatten)]
        person: PersonArgs,
        /// Days the invitation is valid, 1 to 30
        #[arg(long, value_name = "N", default_value_t = 7)]
        expires_days: u32,
    },
    /// List invitations, oldest first
    #[command(after_help = ex::INVITE_LIST)]
    List {
        /// Only invitations into this customer
        #[arg(long, value_name = "SLUG")]
        customer: Option<String>,
        /// Only invitations in this state
        #[arg(long, value_enum)]
        status: Option<InvitationStatusArg>,
        #[command(flatten)]
        output: ListOutput,
    },
    /// Send a new code with a new expiry; the old code stops working at once
    #[command(after_help = ex::INVITE_RESEND)]
    Resend(InvitationArgs),
    /// End an invitation and its pending membership
    #[command(after_help = ex::INVITE_REVOKE)]
    Revoke(InvitationArgs),
    /// Delete an invitation, its membership, and the user it created unless they belong
    /// elsewhere or are staff
    #[command(after_help = ex::INVITE_DELETE)]
    Delete(InvitationArgs),
    /// Accept an invitation with its code and set your password (TENANTRY_NEW_PASSWORD, else
    /// a prompt typed twice)
    #[command(after_help = ex::INVITE_ACCEPT)]
    Accept {
        /// The invitation code from the message
        token: String,
    },
}

/// One person's invitation into one customer.
#[derive(Debug, Args)]
pub struct InvitationArgs {
    /// The invited person's email
    pub email: String,
    /// The customer's slug
    #[arg(long, value_name = "SLUG")]
    pub customer: String,
}

#[derive(Debug, Subcommand)]
pub enum PasswordCommand {
    /// Write a password-reset message to EMAIL (the same answer whether or not it has an
    /// account)
    #[command(after_help = ex::PASSWORD_RESET_REQUEST)]
    ResetRequest {
        /// The account's email
        email: String,
    },
    /// Set a new password with the code from a reset message (TENANTRY_NEW_PASSWORD, else a
    /// prompt typed twice)
    #[command(after_help = ex::PASSWORD_RESET)]
    Reset {
        /// The code from the reset message
        token: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// The messages waiting in the outbox, oldest first
    #[command(after_help = ex::OUTBOX_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Print one message of the outbox as a person reads it: From, To, Subject, Date and the
    /// text, decoded; with --raw the file as written (needs "manage staff")
    #[command(after_help = ex::OUTBOX_SHOW)]
    Show {
        /// The message's id, as `outbox list` shows it
        id: String,
        /// The message file as written (RFC 5322, encoded), for a mail program or a check
        #[arg(long)]
        raw: bool,
    },
}
