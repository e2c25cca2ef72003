//! The customer's own view, as the console holds it: which customer the session acts in, with
//! which role, which tabs that role sees, and, while staff impersonate the customer, what the
//! impersonation bar says and where the staff view is kept until it comes back.
//!
//! Plain state and pure functions: the service decides what the session may do (it refuses
//! anything outside the customer whatever this shows); this module only chooses what to
//! offer and how the bar reads. It must not perform I/O or read the clock.

use super::action::Action;
use super::tabs::{Tab, Tabs};
use crate::domain::{CustomerRole, Timestamp};
use crate::service::CustomerChoice;

/// The tabs of a staff session, in the order of the tab bar.
pub const STAFF_TABS: [Tab; 6] = [
    Tab::Customers,
    Tab::Users,
    Tab::Invitations,
    Tab::Trash,
    Tab::Logs,
    Tab::Dashboard,
];

/// What an administrator of the customer sees (and staff impersonating it).
const ADMIN_TABS: [Tab; 5] = [
    Tab::Overview,
    Tab::Users,
    Tab::Invitations,
    Tab::CustomerLog,
    Tab::MySettings,
];
/// Moderators invite members and see users; the log is the administrators'.
const MODERATOR_TABS: [Tab; 4] = [Tab::Overview, Tab::Users, Tab::Invitations, Tab::MySettings];
/// Members see their customer's profile and their own settings.
const MEMBER_TABS: [Tab; 2] = [Tab::Overview, Tab::MySettings];

/// Where the operator was in the staff view, kept whole while they impersonate.
#[derive(Debug, Clone)]
pub struct StaffPlace {
    pub tabs: Box<Tabs>,
    pub tab: Tab,
}

/// A staff member's impersonation of the customer, as the bar shows it.
#[derive(Debug, Clone)]
pub struct ImpersonationBar {
    pub staff_email: String,
    pub reason: String,
    pub until: Timestamp,
    /// The staff view to return to.
    pub place: StaffPlace,
    /// Its end has been asked for (the time limit, a refusal): asked once.
    pub ending: bool,
}

/// The customer a session acts in, and how.
#[derive(Debug, Clone)]
pub struct CustomerView {
    pub customer: CustomerChoice,
    pub role: CustomerRole,
    /// Every customer the user may switch to (one for an impersonation).
    pub choices: Vec<CustomerChoice>,
    pub impersonation: Option<ImpersonationBar>,
}

impl CustomerView {
    /// The tabs this view shows, in the order of the tab bar.
    pub fn tabs(&self) -> &'static [Tab] {
        match self.role {
            CustomerRole::Administrator => &ADMIN_TABS,
            CustomerRole::Moderator => &MODERATOR_TABS,
            CustomerRole::Member => &MEMBER_TABS,
        }
    }

    /// False for the global keys this view has no use for: the number keys past its tabs,
    /// Ctrl-B unless staff impersonate, `C` with one customer.
    pub fn offers_key(&self, action: &Action) -> bool {
        match action {
            Action::GoTab(i) => *i < self.tabs().len(),
            Action::BackToStaff => self.impersonation.is_some(),
            Action::SwitchCustomer => self.impersonation.is_none() && self.choices.len() > 1,
            _ => true,
        }
    }

    /// A binding's words in the help of this view: a number key names the tab it goes to
    /// here, not the staff tab of the same number.
    pub fn key_words(&self, action: &Action, what: &'static str) -> &'static str {
        match action {
            Action::GoTab(i) => self.tabs().get(*i).map_or(what, |tab| tab_key_words(*tab)),
            _ => what,
        }
    }

    /// True when the role may change the customer's contact details and its people.
    pub fn administers(&self) -> bool {
        self.role == CustomerRole::Administrator
    }
}

/// What a number key does in a customer's own view, as the help says it.
pub fn tab_key_words(tab: Tab) -> &'static str {
    match tab {
        Tab::Overview => "Overview tab (the customer's profile)",
        Tab::Users => "Users tab (the customer's people)",
        Tab::Invitations => "Invitations tab (the customer's)",
        Tab::CustomerLog => "Log tab (the customer's own log)",
        Tab::MySettings => "My settings tab",
        Tab::Customers => "Customers tab",
        Tab::Trash => "Trash tab",
        Tab::Logs => "Logs tab",
        Tab::Dashboard => "Dashboard tab",
    }
}

/// A key as the bar names it: `ctrl-b` reads `Ctrl-B`.
pub fn key_label(key: &str) -> String {
    match key.strip_prefix("ctrl-") {
        Some(rest) => format!("Ctrl-{}", rest.to_uppercase()),
        None => key.to_owned(),
    }
}

/// `mm:ss` left until `until` (never negative); hours show as more minutes.
pub fn time_left(until: Timestamp, now: Timestamp) -> String {
    let secs = until.0.saturating_sub(now.0).max(0) / 1_000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// The impersonation bar's text for `width` columns. It always says IMPERSONATING, the
/// customer and how to get back. When the line is too long the reason is shortened first, then
/// the staff member's email goes, then the reason, then the slug, then the name is cut.
pub fn bar_text(
    customer: &CustomerChoice,
    bar: &ImpersonationBar,
    now: Timestamp,
    back_key: &str,
    width: usize,
) -> String {
    use super::render::text::fit;
    use unicode_width::UnicodeWidthStr;
    let head = "IMPERSONATING ";
    let tail = format!(
        " · {} left · {back_key} back to admin",
        time_left(bar.until, now)
    );
    let slug = format!(" ({})", customer.slug);
    let staff = format!(" as {}", bar.staff_email);
    let reason = format!(" · reason: {}", bar.reason);
    // The shortest reason worth showing: its label and a few characters.
    let min_reason = " · reason: ".width() + 6;
    let room = width.saturating_sub(head.width() + tail.width());
    for staff in [&staff[..], ""] {
        let who = format!("{}{slug}{staff}", customer.name);
        let left = room.saturating_sub(who.width());
        if who.width() + reason.width() <= room {
            return format!("{head}{who}{reason}{tail}");
        }
        if left >= min_reason {
            return format!("{head}{who}{}{tail}", fit(&reason, left));
        }
    }
    // No room for a reason: the slug still tells customers of one name apart.
    let named = format!("{}{slug}", customer.name);
    if named.width() <= room {
        return format!("{head}{named}{tail}");
    }
    if customer.name.width() <= room {
        return format!("{head}{}{tail}", customer.name);
    }
    if room >= 8 {
        return format!("{head}{}{tail}", fit(&customer.name, room));
    }
    // Narrower than the fixed parts: still the word and the way back.
    fit(&format!("IMPERSONATING · {back_key} back"), width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CustomerId;

    fn bar() -> (CustomerChoice, ImpersonationBar) {
        (
            CustomerChoice {
                id: CustomerId(3),
                slug: "acme-corp".into(),
                name: "Acme Corp".into(),
                role: CustomerRole::Administrator,
            },
            ImpersonationBar {
                staff_email: "ada@example.com".into(),
                reason: "ticket 4411, the customer cannot see their invoices since Monday".into(),
                until: Timestamp(27 * 60_000 + 41_000),
                place: StaffPlace {
                    tabs: Box::default(),
                    tab: Tab::Customers,
                },
                ending: false,
            },
        )
    }

    #[test]
    fn the_bar_shortens_the_reason_first_and_never_the_word_or_the_way_back() {
        let (customer, bar) = bar();
        let wide = bar_text(&customer, &bar, Timestamp(0), "Ctrl-B", 200);
        assert!(wide.starts_with(
            "IMPERSONATING Acme Corp (acme-corp) as ada@example.com · reason: ticket 4411"
        ));
        assert!(
            wide.ends_with(" · 27:41 left · Ctrl-B back to admin"),
            "{wide}"
        );
        let narrow = bar_text(&customer, &bar, Timestamp(0), "Ctrl-B", 120);
        assert!(
            narrow.starts_with(
                "IMPERSONATING Acme Corp (acme-corp) as ada@example.com · reason: tick"
            ),
            "{narrow}"
        );
        assert!(
            narrow.ends_with("… · 27:41 left · Ctrl-B back to admin"),
            "{narrow}"
        );
        assert_eq!(unicode_width::UnicodeWidthStr::width(narrow.as_str()), 120);
        // At 80 columns the email gives way before the reason does.
        let eighty = bar_text(&customer, &bar, Timestamp(0), "Ctrl-B", 90);
        assert!(
            eighty.starts_with("IMPERSONATING Acme Corp (acme-corp) · reason: "),
            "{eighty}"
        );
        let eighty = bar_text(&customer, &bar, Timestamp(0), "Ctrl-B", 80);
        assert!(
            eighty.starts_with("IMPERSONATING Acme Corp (acme-corp) · 27:41"),
            "{eighty}"
        );
        assert!(eighty.ends_with("Ctrl-B back to admin"), "{eighty}");
        assert!(unicode_width::UnicodeWidthStr::width(eighty.as_str()) <= 80);
        let tiny = bar_text(&customer, &bar, Timestamp(0), "Ctrl-B", 60);
        assert!(tiny.starts_with("IMPERSONATING Acme Corp"), "{tiny}");
        assert!(tiny.ends_with("Ctrl-B back to admin"), "{tiny}");
    }

    #[test]
    fn time_left_counts_down_and_stops_at_zero() {
        assert_eq!(time_left(Timestamp(90_000), Timestamp(0)), "1:30");
        assert_eq!(time_left(Timestamp(0), Timestamp(5_000)), "0:00");
    }
}
