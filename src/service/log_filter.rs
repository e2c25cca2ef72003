//! The audit log's filters, checked once and then matched against each event: actor (an email
//! the caller may resolve to an account, D112), action (exact or a family such as
//! `customer.*`), a time range and free text. The customer filter only chooses the index read
//! (`log_sources.rs`). A front end gives the raw text as typed; the rules of what is valid, and
//! the words of a refusal, live here once (D100). Pure: no store, no clock, no I/O.

use chrono::DateTime;

use crate::domain::text::preview;
use crate::domain::{Actor, AuditAction, AuditEvent, Timestamp, UserId, ValidationError};

/// Field names of the refusals, which are also the CLI's flag names (without `--`).
pub const ACTOR: &str = "actor";
pub const ACTION: &str = "action";
pub const SINCE: &str = "since";
pub const UNTIL: &str = "until";
pub const GREP: &str = "grep";

/// The longest free text or actor accepted: longer cannot match any stored field usefully.
const MAX_FILTER_TEXT: usize = 500;

/// Which actions an action filter lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ActionFilter {
    Exact(String),
    /// `customer.*`: every action starting with `customer.`.
    Family(String),
}

/// Whose events an actor filter lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorFilter {
    /// The built-in actor of automatic work.
    System,
    /// Events whose stored actor email is this one (lowercase).
    Email(String),
    /// Events by the user who has `email` now ([`LogFilter::resolve_actor`]), under any email.
    User { id: UserId, email: String },
}

/// The checked filters of one log query: every one given must hold (they combine with "and").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// `None` for "any".
    actor: Option<ActorFilter>,
    action: Option<ActionFilter>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    /// Lowercase needle.
    text: Option<String>,
}

/// The raw filters as typed, before checking.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawFilters<'a> {
    pub actor: Option<&'a str>,
    pub action: Option<&'a str>,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub text: Option<&'a str>,
}

impl LogFilter {
    /// Checks each filter, naming the first that is wrong. Relative times count back from
    /// `now`. An empty value is refused rather than taken as "no filter".
    pub fn parse(raw: RawFilters<'_>, now: Timestamp) -> Result<Self, ValidationError> {
        let actor = raw
            .actor
            .map(parse_actor)
            .transpose()?
            .map(|a| match a.as_str() {
                "system" => ActorFilter::System,
                _ => ActorFilter::Email(a),
            });
        let action = raw.action.map(parse_action).transpose()?;
        let since = raw.since.map(|t| parse_time(SINCE, t, now)).transpose()?;
        let until = raw.until.map(|t| parse_time(UNTIL, t, now)).transpose()?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(ValidationError::new(
                UNTIL,
                format!(
                    "{} is before the since time {}",
                    u.to_rfc3339(),
                    s.to_rfc3339()
                ),
            ));
        }
        let text = raw.text.map(parse_text).transpose()?;
        Ok(Self {
            actor,
            action,
            since,
            until,
            text,
        })
    }

    /// True when no filter is set: every event matches.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The actor filter, if one is set.
    pub fn actor(&self) -> Option<&ActorFilter> {
        self.actor.as_ref()
    }

    /// Turns an actor filter by email into one by the account that has it now, as `user`
    /// looks it up (`None`: nobody has it; the stored emails are matched).
    pub fn resolve_actor(&mut self, user: impl FnOnce(&str) -> Option<UserId>) {
        if let Some(ActorFilter::Email(email)) = &self.actor
            && let Some(id) = user(email)
        {
            self.actor = Some(ActorFilter::User {
                id,
                email: email.clone(),
            });
        }
    }

    /// Text (lowercase) a field of every matching event holds: the free text, a stored email.
    pub fn needles(&self) -> Vec<&str> {
        let email = match &self.actor {
            Some(ActorFilter::Email(email)) => Some(email.as_str()),
            _ => None,
        };
        self.text.as_deref().into_iter().chain(email).collect()
    }

    /// True when `event` passes every filter set.
    pub fn matches(&self, event: &AuditEvent) -> bool {
        if let Some(want) = &self.actor {
            let ok = match (want, &event.actor) {
                (ActorFilter::System, Actor::System) => true,
                (ActorFilter::Email(want), Actor::User { email, .. }) => {
                    email.to_lowercase() == *want
                }
                (ActorFilter::User { id: want, .. }, Actor::User { id, .. }) => id == want,
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        match &self.action {
            Some(ActionFilter::Exact(a)) if event.action != *a => return false,
            Some(ActionFilter::Family(prefix)) if !event.action.starts_with(prefix.as_str()) => {
                return false;
            }
            _ => {}
        }
        if self.since.is_some_and(|s| event.at < s) || self.until.is_some_and(|u| event.at > u) {
            return false;
        }
        match &self.text {
            None => true,
            Some(needle) => text_matches(event, needle),
        }
    }

    /// The filters as `key=value` words (`actor=ann@example.com action=customer.*`), times as
    /// RFC 3339: what an export's trailer and its audit event record. Empty when none is set.
    pub fn describe(&self) -> Vec<String> {
        let mut words = Vec::new();
        match &self.actor {
            Some(ActorFilter::System) => words.push("actor=system".to_owned()),
            Some(ActorFilter::Email(e) | ActorFilter::User { email: e, .. }) => {
                words.push(format!("actor={e}"));
            }
            None => {}
        }
        match &self.action {
            Some(ActionFilter::Exact(a)) => words.push(format!("action={a}")),
            Some(ActionFilter::Family(p)) => words.push(format!("action={p}*")),
            None => {}
        }
        if let Some(s) = self.since {
            words.push(format!("since={}", s.to_rfc3339()));
        }
        if let Some(u) = self.until {
            words.push(format!("until={}", u.to_rfc3339()));
        }
        if let Some(t) = &self.text {
            words.push(format!("grep={t}"));
        }
        words
    }
}

/// Case-insensitive search over the fields a person reads: action, summary, actor email,
/// customer slug and name.
fn text_matches(event: &AuditEvent, needle: &str) -> bool {
    let has = |hay: &str| hay.to_lowercase().contains(needle);
    has(&event.action)
        || has(&event.summary)
        || matches!(&event.actor, Actor::User { email, .. } if has(email))
        || event
            .customer
            .as_ref()
            .is_some_and(|c| has(&c.slug) || has(&c.name))
}

fn parse_actor(raw: &str) -> Result<String, ValidationError> {
    let value = raw.trim();
    let ok = value == "system"
        || (value.len() <= MAX_FILTER_TEXT
            && value.contains('@')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control()));
    if ok {
        Ok(value.to_lowercase())
    } else {
        Err(ValidationError::new(
            ACTOR,
            format!("must be an email or `system`, not {}", preview(raw)),
        ))
    }
}

/// True for `word(.word)*` with words of `a-z`, `0-9` and `_`.
fn is_dotted(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

fn parse_action(raw: &str) -> Result<ActionFilter, ValidationError> {
    let value = raw.trim();
    let wrong = |why: &str| ValidationError::new(ACTION, format!("{why}, not {}", preview(raw)));
    if let Some(family) = value.strip_suffix(".*") {
        if !is_dotted(family) {
            return Err(wrong("must be a dotted action or a family like customer.*"));
        }
        let prefix = format!("{family}.");
        if !AuditAction::ALL
            .iter()
            .any(|a| a.as_str().starts_with(&prefix))
        {
            return Err(wrong("names no family of actions tenantry writes"));
        }
        return Ok(ActionFilter::Family(prefix));
    }
    if !is_dotted(value) || !value.contains('.') {
        return Err(wrong("must be a dotted action or a family like customer.*"));
    }
    if AuditAction::parse(value).is_none() {
        return Err(wrong("is not an action tenantry writes"));
    }
    Ok(ActionFilter::Exact(value.to_owned()))
}

fn parse_text(raw: &str) -> Result<String, ValidationError> {
    if raw.is_empty() || raw.chars().count() > MAX_FILTER_TEXT {
        return Err(ValidationError::new(
            GREP,
            format!("must be 1 to {MAX_FILTER_TEXT} characters"),
        ));
    }
    Ok(raw.to_lowercase())
}

/// A time as RFC 3339 (`2026-11-23T13:39:20Z`, any offset), a date (`2026-11-23`, its
/// midnight UTC), or relative to `now`: a whole number and a unit, `s`, `m`, `h`, `d` or `w`
/// (`30m`, `2h`, `7d`), meaning that long before now.
pub fn parse_time(field: &str, raw: &str, now: Timestamp) -> Result<Timestamp, ValidationError> {
    let value = raw.trim();
    let wrong = || {
        ValidationError::new(
            field,
            format!(
                "must be a date (2026-11-23), an RFC 3339 time (2026-11-23T13:39:20Z) or a span back from now (30m, 2h, 7d), not {}",
                preview(raw)
            ),
        )
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(Timestamp(at.timestamp_millis()));
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(Timestamp(
            day.and_time(chrono::NaiveTime::MIN)
                .and_utc()
                .timestamp_millis(),
        ));
    }
    let split = value
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i)
        .ok_or_else(wrong)?;
    let (digits, unit) = value.split_at(split);
    let count: i64 = digits.parse().map_err(|_| wrong())?;
    let unit_ms: i64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => Timestamp::MILLIS_PER_DAY,
        "w" => 7 * Timestamp::MILLIS_PER_DAY,
        _ => return Err(wrong()),
    };
    let span = count.checked_mul(unit_ms).ok_or_else(wrong)?;
    Ok(Timestamp(now.0.saturating_sub(span)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CustomerId, CustomerRef, UserId};

    fn event(action: &str, email: &str, at: i64) -> AuditEvent {
        AuditEvent {
            seq: 1,
            at: Timestamp(at),
            actor: Actor::User {
                id: UserId(1),
                email: email.into(),
            },
            impersonating: None,
            customer: Some(CustomerRef {
                id: CustomerId(2),
                slug: "acme".into(),
                name: "Acme Corp".into(),
            }),
            action: action.into(),
            summary: "Status: active → suspended".into(),
            prev_hash: [0; 32],
            hash: [0; 32],
        }
    }

    fn filter(raw: RawFilters<'_>) -> LogFilter {
        LogFilter::parse(raw, Timestamp(10 * Timestamp::MILLIS_PER_DAY)).unwrap()
    }

    #[test]
    fn filters_combine_and_ignore_case() {
        let e = event("customer.suspend", "Ann@Example.com", 5);
        let f = filter(RawFilters {
            actor: Some("ann@EXAMPLE.com"),
            action: Some("customer.*"),
            text: Some("ACTIVE"),
            ..RawFilters::default()
        });
        assert!(f.matches(&e));
        assert!(!f.matches(&event("customer.suspend", "bob@example.com", 5)));
        assert!(!f.matches(&event("staff.add", "ann@example.com", 5)));
        let by_name = filter(RawFilters {
            text: Some("corp"),
            ..RawFilters::default()
        });
        assert!(by_name.matches(&e));
    }

    #[test]
    fn times_are_rfc3339_dates_or_spans_back_from_now() {
        let now = Timestamp(10 * Timestamp::MILLIS_PER_DAY);
        assert_eq!(
            parse_time(SINCE, "7d", now).unwrap(),
            Timestamp(3 * Timestamp::MILLIS_PER_DAY)
        );
        assert_eq!(parse_time(SINCE, "30m", now).unwrap().0, now.0 - 1_800_000);
        assert_eq!(
            parse_time(SINCE, "1970-01-02T00:00:00Z", now).unwrap(),
            Timestamp(Timestamp::MILLIS_PER_DAY)
        );
        // A date is its midnight UTC.
        assert_eq!(
            parse_time(SINCE, "1970-01-03", now).unwrap(),
            Timestamp(2 * Timestamp::MILLIS_PER_DAY)
        );
        for bad in [
            "",
            "7",
            "d",
            "7y",
            "-2h",
            "99999999999999999999d",
            "2h ago",
            "2026-13-01",
            "2026-1-1x",
        ] {
            let err = parse_time(SINCE, bad, now).unwrap_err();
            assert_eq!(err.field, SINCE, "{bad:?}");
        }
    }

    #[test]
    fn each_wrong_filter_is_refused_naming_it() {
        let now = Timestamp(0);
        let field = |raw: RawFilters<'_>| LogFilter::parse(raw, now).unwrap_err().field;
        for bad in [
            "customer",
            "Customer.add",
            "customer.*.*",
            "customer.frob",
            "nope.*",
        ] {
            let raw = RawFilters {
                action: Some(bad),
                ..RawFilters::default()
            };
            assert_eq!(field(raw), ACTION, "{bad:?}");
        }
        let raw = RawFilters {
            actor: Some("ann"),
            ..RawFilters::default()
        };
        assert_eq!(field(raw), ACTOR);
        let raw = RawFilters {
            text: Some(""),
            ..RawFilters::default()
        };
        assert_eq!(field(raw), GREP);
        let raw = RawFilters {
            since: Some("1970-01-03T00:00:00Z"),
            until: Some("1970-01-02T00:00:00Z"),
            ..RawFilters::default()
        };
        assert_eq!(field(raw), UNTIL);
    }
}
