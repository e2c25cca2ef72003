//! The console's vocabulary: [`Action`]s go into `App::update` (from the keymap, the mouse,
//! the clock, or as the result of an effect) and [`Effect`]s come out, to be carried out by the
//! runtime. Both are plain values so the update logic is testable without a terminal or a
//! database. Only the actions listed in [`BINDABLE`] can be bound to keys.

use ratatui_textarea::Input;

use super::modals::import::{ImportReport, KeptRows};
use crate::domain::{ImpersonationEnd, Timestamp};
use crate::service::{
    AuditRow, Command, CustomerChoice, CustomerDetail, CustomerRow, IndexEntry, InitRequest,
    InvitationRow, Outcome, ServiceError, SessionInfo, UserDetail, UserRow,
};

/// Something that changes the console's state.
#[derive(Debug, Clone)]
pub enum Action {
    // Global
    Quit,
    /// Quits without asking (what the quit confirmation carries).
    QuitNow,
    /// Closes the top form without saving (what the discard confirmation carries).
    DiscardForm,
    Help,
    NextTab,
    PrevTab,
    GoTab(usize),
    Lock,
    /// Opens the message log.
    Messages,
    // Lists
    SelectNext,
    SelectPrev,
    PageDown,
    PageUp,
    SelectFirst,
    SelectLast,
    StartFilter,
    ClearFilter,
    SortNext,
    SortReverse,
    /// Hides the next optional column (the one that gives way first); remembered.
    HideColumn,
    /// Shows again the column hidden last; remembered.
    ShowColumn,
    OpenDetail,
    Back,
    // Customers
    AddCustomer,
    EditCustomer,
    ChangeSlug,
    ToggleStatus,
    DeleteCustomer,
    /// Opens the import modal.
    ImportCustomers,
    // Import
    /// Saves the import summary to a file (asks for its name).
    SaveReport,
    /// Writes the checked file; what the import confirmation carries.
    RunImport {
        skip_invalid: bool,
    },
    /// Saves the report over an existing file; what the overwrite confirmation carries.
    SaveReportOverwrite {
        path: String,
    },
    // Trash
    RestoreCustomer,
    PurgeCustomer,
    // Users
    AddUser,
    EditUser,
    /// Disables an enabled user, enables a disabled one (asks first).
    ToggleUser,
    DeleteUser,
    /// Opens the scrollable preview of the user's welcome message.
    PreviewWelcome,
    /// Writes the previewed welcome message to the outbox (asks first).
    WriteWelcome,
    /// Sends the selected user a password-reset message (asks first).
    SendReset,
    // Invitations
    Invite,
    ResendInvitation,
    RevokeInvitation,
    DeleteInvitation,
    /// Shows the next invitation status only (pending, expired, accepted, revoked, all).
    CycleStatus,
    /// From a customer's detail view: the Users tab showing that customer's users.
    CustomerUsers,
    /// From a customer's detail view: the Invitations tab showing that customer's.
    CustomerInvitations,
    // Logs
    /// Shows only the events of the selected event's customer.
    LogByCustomer,
    /// Shows only the events of the selected event's actor.
    LogByActor,
    /// Shows only the events of the selected event's action family (`customer.*`).
    LogByAction,
    /// Follow mode on or off: new events appear at the top as they are written.
    ToggleFollow,
    /// Exports the events the filter shows to a file (asks for its name and format).
    ExportLog,
    /// Searches the whole log for a text (asks for it), in the background.
    SearchLog,
    /// Opens the Logs tab's filter form.
    FilterLog,
    /// The Logs tab reads with this filter (from its form, already checked).
    ApplyLogFilter(Box<crate::tui::tabs::logs::LogView>),
    /// The search form's text: the Logs tab starts its search for it.
    BeginSearch(String),
    // Impersonation and the customer's own view
    /// Asks for a reason, then impersonates the selected customer.
    Impersonate,
    /// Ends the impersonation and returns to the staff view (asks first over unsaved input).
    BackToStaff,
    /// Ends the impersonation without asking (what the confirmation carries).
    BackToStaffNow,
    /// Chooses another of the user's customers.
    SwitchCustomer,
    /// The Overview tab: edits the customer's contact details.
    EditContact,
    /// Asks for the slug, then makes the selected customer an independent organisation.
    MakeIndependent,
    /// Opens the copy dialog of the selected customer.
    CopyCustomer,
    /// The detail view: opens the dialog that changes the customer's user groups.
    CustomerGroups,
    /// The detail view: opens the dialog of the customer's services.
    CustomerServices,
    /// The Overview tab of an independent organisation: asks, then hands management back.
    HandBack,
    /// My settings: turns the user's own notifications on or off.
    ToggleNotifications,
    /// My settings: changes the user's own password.
    ChangeOwnPassword,
    // Sign-in screen
    /// Opens the "I have an invitation" form on the sign-in screen.
    AcceptInvitationForm,
    /// Opens the "Forgot password?" form on the sign-in screen.
    ForgotPassword,
    /// Opens the "I have a reset code" form on the sign-in screen.
    ResetCodeForm,
    // Forms and dialogs
    NextField,
    PrevField,
    Submit,
    Cancel,
    ToggleChoice,
    ConfirmYes,
    ConfirmNo,
    RetryOpen,
    /// A key typed into the focused text field.
    Type(Input),
    // Mouse
    Click {
        column: u16,
        row: u16,
    },
    ScrollDown,
    ScrollUp,
    // From the loop
    Resize {
        width: u16,
        height: u16,
    },
    Tick(Timestamp),
    // Results of effects
    Opened {
        initialised: bool,
        signed_in: Option<String>,
    },
    OpenFailed(ServiceError),
    SignedIn {
        email: String,
    },
    SignInFailed(ServiceError),
    /// A customer's user signed in (or entered another customer): the session, and the
    /// customers they may choose from.
    MemberSignedIn {
        info: Box<SessionInfo>,
        choices: Vec<CustomerChoice>,
    },
    /// An impersonation started: the session and the customer it acts in.
    ImpersonationStarted {
        info: Box<SessionInfo>,
        customer: CustomerChoice,
    },
    /// An impersonation ended, saying `how`; the staff member's email, or why they can no
    /// longer act.
    ImpersonationEnded {
        how: ImpersonationEnd,
        result: Result<String, ServiceError>,
    },
    /// A page of the log; `older` when it continues the one shown.
    LogLoaded {
        rows: Vec<AuditRow>,
        next: Option<crate::service::Cursor>,
        older: bool,
    },
    /// A step of the log search: its matches, how many events it has looked at of `total`,
    /// and whether it is done.
    SearchProgress {
        rows: Vec<AuditRow>,
        scanned: u64,
        total: u64,
        done: bool,
    },
    /// An export of the log was written; the status line's words.
    LogExported(String),
    /// The customer of a customer's own view, for its Overview tab.
    OverviewLoaded(Box<CustomerDetail>),
    /// The newest events of the customer's own log.
    CustomerLogLoaded(Vec<AuditRow>),
    /// The Dashboard's numbers.
    StatsLoaded(Box<crate::service::StatsReport>),
    /// Reads the Dashboard's numbers again.
    RefreshStats,
    /// The session's own account, for My settings.
    MyAccountLoaded(Box<UserRow>),
    /// The own password was changed.
    PasswordChanged,
    /// The custom fields of customers in use, read with the first page (the forms ask for
    /// them, and those marked as columns are columns of the table).
    CustomerFields(Vec<crate::service::FieldRow>),
    FirstPage(Vec<CustomerRow>),
    IndexChunk(Vec<IndexEntry>),
    IndexLoaded,
    TrashLoaded(Vec<CustomerRow>),
    /// The first page of users, and whether the session may change users (the hints follow
    /// it); the rest follows in [`Action::UsersChunk`]s.
    UsersLoaded {
        rows: Vec<UserRow>,
        may_manage: bool,
    },
    /// More users from the people loader; `done` on the last one (D90).
    UsersChunk {
        rows: Vec<UserRow>,
        done: bool,
    },
    /// One user as it is now after a change (`row: None`: the user is gone), so the list
    /// changes one row and is not read again (D92).
    UserRefreshed {
        email: String,
        row: Option<Box<UserRow>>,
    },
    UserLoaded(Box<UserDetail>),
    /// The first page of invitations, and whether the session may change them; the rest
    /// follows in [`Action::InvitationsChunk`]s.
    InvitationsLoaded {
        rows: Vec<InvitationRow>,
        may_manage: bool,
    },
    /// More invitations from the people loader; `done` on the last one (D90).
    InvitationsChunk {
        rows: Vec<InvitationRow>,
        done: bool,
    },
    /// The welcome message of `email` as it would be written.
    WelcomeLoaded {
        email: String,
        text: String,
    },
    /// What the confirm of "send reset" carries: asks for the reset message to `email`.
    ResetConfirmed {
        email: String,
    },
    /// The service's one answer to a reset request (the same whether or not the email has
    /// an account).
    ResetRequested(String),
    /// A session-less answer of the sign-in screen's forms (accepted, reset requested, reset
    /// done): the form closes and the sign-in form says `text`.
    EntryDone(String),
    /// A refusal of one of those forms.
    EntryFailed(ServiceError),
    DetailLoaded(Box<CustomerDetail>),
    SlugChecked {
        slug: String,
        taken_by: Option<String>,
    },
    /// A command succeeded: `action` says which it was (decisions read it), `done` is the
    /// status line's wording.
    CommandDone {
        outcome: Box<Outcome>,
        action: crate::domain::AuditAction,
        done: String,
    },
    CommandFailed(ServiceError),
    Purged(Vec<String>),
    /// Rows checked so far by the import worker.
    ImportChecked(u64),
    /// The dry run's result.
    ImportPreviewed(Box<ImportReport>),
    /// The writing pass: rows written of those to write, and the time since it started.
    ImportWriting {
        written: u64,
        to_write: u64,
        elapsed_ms: u64,
    },
    ImportFinished(Box<ImportReport>),
    /// The check or import ended without a result; `kept` holds the rows seen until then.
    ImportFailed {
        reason: String,
        kept: Box<KeptRows>,
    },
    ReportSaved(String),
    /// The report file exists; saving again needs a yes.
    ReportExists(String),
    ReportFailed(String),
    /// Runs a command; what a confirm dialog carries.
    Run {
        command: Box<Command>,
        done: String,
    },
    Failed(String),
}

/// Work for the runtime: service calls and loads. Each reports back as actions.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenDatabase,
    CloseDatabase,
    Init(InitRequest),
    SignIn {
        email: String,
        password: String,
    },
    /// Signs in as the staff member linked to the Unix user, if any.
    SignInAsUnixUser,
    LoadFirstPage,
    StartIndexLoad {
        offset: usize,
    },
    LoadTrash,
    /// Every user (every page) and whether the session may change them.
    LoadUsers,
    LoadUser(String),
    /// Reads one user again after a change to update its row ([`Action::UserRefreshed`]).
    RefreshUser(String),
    LoadInvitations,
    LoadWelcome(String),
    /// Asks for a password-reset message to `email` (the sign-in screen and the Users tab).
    RequestReset {
        email: String,
    },
    /// The sign-in screen's "I have an invitation".
    AcceptInvitation {
        token: String,
        password: String,
    },
    /// The sign-in screen's "I have a reset code".
    ResetPassword {
        token: String,
        password: String,
    },
    LoadDetail(String),
    CheckSlug(String),
    /// Executes a command; `done` is the past-tense verb for the status line.
    Execute {
        command: Command,
        done: String,
    },
    PurgeExpired,
    /// Starts the dry run of the file at `path` (as typed; `~` is the home directory).
    CheckImport {
        path: String,
    },
    /// Starts writing the file at `path`.
    RunImport {
        path: String,
        skip_invalid: bool,
    },
    /// Asks the import worker to stop at the next row or batch.
    StopImport,
    /// Writes `text` to `path` (mode 0600); an existing file only with `overwrite`.
    SaveReport {
        path: String,
        text: String,
        overwrite: bool,
    },
    /// A page of the log; `older` when it continues the one shown.
    LoadLog {
        query: crate::service::LogQuery,
        older: bool,
    },
    /// Searches the log with this query (its `grep`) on a worker thread.
    SearchLog(Box<crate::service::LogQuery>),
    /// Stops the log search.
    StopSearch,
    /// Writes an export of the log.
    ExportLog(Box<crate::service::LogExport>),
    /// Impersonates the customer `slug` for `reason`.
    StartImpersonation {
        slug: String,
        reason: String,
    },
    /// Ends the impersonation, saying how.
    EndImpersonation(ImpersonationEnd),
    /// Enters (or switches to) the customer `slug` as the signed-in customer's user.
    EnterCustomer(String),
    /// The customer `slug` for a customer's own Overview tab.
    LoadOverview(String),
    /// The newest events of the session's customer.
    LoadCustomerLog,
    /// The session's own account.
    LoadMyAccount,
    /// The Dashboard's numbers ([`Action::StatsLoaded`]).
    LoadStats,
    /// Changes the signed-in user's own password.
    ChangeOwnPassword {
        current: String,
        new: String,
    },
    /// Remembers the hidden columns of the table `table` (`customers`, `trash`) in the
    /// console's state file.
    RememberColumns {
        table: String,
        hidden: Vec<String>,
    },
    Quit,
}

impl Effect {
    /// Effects after which the screen is redrawn before running them: slow ones (password
    /// hashing, opening), and the list loader, so the first page is on screen before the
    /// loader thread competes for the CPU.
    pub fn draw_first(&self) -> bool {
        matches!(
            self,
            Self::Init(_)
                | Self::SignIn { .. }
                | Self::AcceptInvitation { .. }
                | Self::ResetPassword { .. }
                | Self::ChangeOwnPassword { .. }
                | Self::OpenDatabase
                | Self::Execute { .. }
                | Self::StartIndexLoad { .. }
        )
    }
}

/// The actions users may bind, by their configuration names, with what they do.
/// Makes a fresh action value.
type MakeAction = fn() -> Action;

pub const BINDABLE: &[(&str, MakeAction)] = &[
    ("quit", || Action::Quit),
    ("help", || Action::Help),
    ("next_tab", || Action::NextTab),
    ("prev_tab", || Action::PrevTab),
    ("tab_customers", || Action::GoTab(0)),
    ("tab_users", || Action::GoTab(1)),
    ("tab_invitations", || Action::GoTab(2)),
    ("tab_trash", || Action::GoTab(3)),
    ("tab_logs", || Action::GoTab(4)),
    ("tab_dashboard", || Action::GoTab(5)),
    ("lock", || Action::Lock),
    ("messages", || Action::Messages),
    ("select_next", || Action::SelectNext),
    ("select_prev", || Action::SelectPrev),
    ("page_down", || Action::PageDown),
    ("page_up", || Action::PageUp),
    ("select_first", || Action::SelectFirst),
    ("select_last", || Action::SelectLast),
    ("start_filter", || Action::StartFilter),
    ("clear_filter", || Action::ClearFilter),
    ("sort_next", || Action::SortNext),
    ("sort_reverse", || Action::SortReverse),
    ("hide_column", || Action::HideColumn),
    ("show_column", || Action::ShowColumn),
    ("refresh_stats", || Action::RefreshStats),
    ("open_detail", || Action::OpenDetail),
    ("back", || Action::Back),
    ("add_customer", || Action::AddCustomer),
    ("edit_customer", || Action::EditCustomer),
    ("change_slug", || Action::ChangeSlug),
    ("toggle_status", || Action::ToggleStatus),
    ("delete_customer", || Action::DeleteCustomer),
    ("import_customers", || Action::ImportCustomers),
    ("save_report", || Action::SaveReport),
    ("restore_customer", || Action::RestoreCustomer),
    ("purge_customer", || Action::PurgeCustomer),
    ("add_user", || Action::AddUser),
    ("edit_user", || Action::EditUser),
    ("toggle_user", || Action::ToggleUser),
    ("delete_user", || Action::DeleteUser),
    ("preview_welcome", || Action::PreviewWelcome),
    ("write_welcome", || Action::WriteWelcome),
    ("send_reset", || Action::SendReset),
    ("invite", || Action::Invite),
    ("resend_invitation", || Action::ResendInvitation),
    ("revoke_invitation", || Action::RevokeInvitation),
    ("delete_invitation", || Action::DeleteInvitation),
    ("cycle_status", || Action::CycleStatus),
    ("customer_users", || Action::CustomerUsers),
    ("customer_invitations", || Action::CustomerInvitations),
    ("log_by_customer", || Action::LogByCustomer),
    ("log_by_actor", || Action::LogByActor),
    ("log_by_action", || Action::LogByAction),
    ("toggle_follow", || Action::ToggleFollow),
    ("export_log", || Action::ExportLog),
    ("search_log", || Action::SearchLog),
    ("filter_log", || Action::FilterLog),
    ("impersonate", || Action::Impersonate),
    ("back_to_staff", || Action::BackToStaff),
    ("switch_customer", || Action::SwitchCustomer),
    ("edit_contact", || Action::EditContact),
    ("make_independent", || Action::MakeIndependent),
    ("copy_customer", || Action::CopyCustomer),
    ("customer_groups", || Action::CustomerGroups),
    ("customer_services", || Action::CustomerServices),
    ("hand_back", || Action::HandBack),
    ("toggle_notifications", || Action::ToggleNotifications),
    ("change_own_password", || Action::ChangeOwnPassword),
    ("accept_invitation", || Action::AcceptInvitationForm),
    ("forgot_password", || Action::ForgotPassword),
    ("reset_code", || Action::ResetCodeForm),
    ("next_field", || Action::NextField),
    ("prev_field", || Action::PrevField),
    ("submit", || Action::Submit),
    ("cancel", || Action::Cancel),
    ("toggle_choice", || Action::ToggleChoice),
    ("confirm_yes", || Action::ConfirmYes),
    ("confirm_no", || Action::ConfirmNo),
    ("retry_open", || Action::RetryOpen),
];

/// The configuration name of a bindable action.
pub fn action_name(action: &Action) -> Option<&'static str> {
    let wanted = std::mem::discriminant(action);
    BINDABLE.iter().find_map(|(name, make)| {
        let candidate = make();
        let same = std::mem::discriminant(&candidate) == wanted
            && match (&candidate, action) {
                (Action::GoTab(a), Action::GoTab(b)) => a == b,
                _ => true,
            };
        same.then_some(*name)
    })
}

/// The bindable action with this configuration name.
pub fn action_by_name(name: &str) -> Option<Action> {
    BINDABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, make)| make())
}
