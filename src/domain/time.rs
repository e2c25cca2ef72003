//! Time as stored: milliseconds since the Unix epoch, UTC. Formatting lives here so every front
//! end shows the same instant the same way.

use chrono::{DateTime, Local, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// An instant in UTC with millisecond precision. Stored as a plain `i64` so its encoding is
/// fixed and its order is numeric.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const MILLIS_PER_DAY: i64 = 86_400_000;

    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self(at.timestamp_millis())
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0)
            .single()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-23T13:22:03.000Z`. This exact text is
    /// what the audit hash covers.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Local time to the minute, for tables.
    /// `2026-01-08 14:30 UTC`: how messages name a time.
    pub fn to_rfc3339_minutes(self) -> String {
        self.to_datetime().format("%Y-%m-%d %H:%M UTC").to_string()
    }

    pub fn to_local_minutes(self) -> String {
        self.to_datetime()
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub fn plus_days(self, days: u32) -> Self {
        Self(
            self.0
                .saturating_add(i64::from(days) * Self::MILLIS_PER_DAY),
        )
    }

    pub fn plus_millis(self, millis: i64) -> Self {
        Self(self.0.saturating_add(millis))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_is_utc_with_millis() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Timestamp(1_795_440_123_456).to_rfc3339(),
            "2026-11-23T13:22:03.456Z"
        );
    }

    #[test]
    fn plus_days_adds_whole_days() {
        assert_eq!(Timestamp(5).plus_days(2).0, 5 + 2 * 86_400_000);
    }
}

/// Serde for [`Timestamp`] fields of rows shown to people and scripts: RFC 3339 text.
/// Stored types keep the plain integer.
pub mod as_rfc3339 {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&text)
            .map(|t| Timestamp(t.timestamp_millis()))
            .map_err(D::Error::custom)
    }

    /// The same for optional fields.
    pub mod option {
        use super::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer, de::Error};

        pub fn serialize<S: Serializer>(at: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => s.serialize_str(&at.to_rfc3339()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            let text = Option::<String>::deserialize(d)?;
            text.map(|t| {
                chrono::DateTime::parse_from_rfc3339(&t)
                    .map(|t| Timestamp(t.timestamp_millis()))
                    .map_err(D::Error::custom)
            })
            .transpose()
        }
    }
}
