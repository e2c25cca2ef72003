//! The envelope every stored value travels in (R5): one format-version byte, a big-endian
//! CRC32 of the payload, then the bincode 2 payload encoded with [`config`]. Decoding checks
//! all three and rejects trailing bytes, so random bytes, truncations and bit flips come back
//! as errors, never as a panic or a silently different value.

use serde::{Serialize, de::DeserializeOwned};

/// The format version of every value this build writes.
pub const FORMAT_V1: u8 = 1;

/// Header bytes before the payload: version and CRC32.
pub const HEADER_LEN: usize = 5;

/// The largest payload accepted; a corrupt length prefix can never ask for more.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// The one bincode configuration: standard, with a size limit.
pub fn config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<MAX_VALUE_BYTES>,
> {
    bincode::config::standard().with_limit::<MAX_VALUE_BYTES>()
}

/// Why a stored value could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("value is {0} bytes, shorter than its 5-byte header")]
    Truncated(usize),
    #[error("unknown format version {0}")]
    UnknownVersion(u8),
    #[error("checksum mismatch")]
    Checksum,
    #[error("payload does not decode: {0}")]
    Payload(String),
    #[error("{0} trailing bytes after the value")]
    Trailing(usize),
}

/// Why a value could not be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("value does not encode: {0}")]
pub struct EncodeError(pub String);

/// Encodes `value` in the current envelope.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let payload =
        bincode::serde::encode_to_vec(value, config()).map_err(|e| EncodeError(e.to_string()))?;
    let mut out = Vec::with_capacity(HEADER_LEN.saturating_add(payload.len()));
    out.push(FORMAT_V1);
    out.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Decodes a value written by [`encode`], checking version, checksum and length.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_payload(checked_payload(bytes)?)
}

/// The payload of a value written by [`encode`], its version and checksum checked: what a
/// reader may look at before paying for [`decode_payload`].
pub fn checked_payload(bytes: &[u8]) -> Result<&[u8], DecodeError> {
    if bytes.len() < HEADER_LEN {
        return Err(DecodeError::Truncated(bytes.len()));
    }
    let (header, payload) = bytes.split_at(HEADER_LEN);
    let version = header[0];
    if version != FORMAT_V1 {
        return Err(DecodeError::UnknownVersion(version));
    }
    let stored_crc = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
    if crc32fast::hash(payload) != stored_crc {
        return Err(DecodeError::Checksum);
    }
    Ok(payload)
}

/// Decodes a payload returned by [`checked_payload`], refusing trailing bytes.
pub fn decode_payload<T: DeserializeOwned>(payload: &[u8]) -> Result<T, DecodeError> {
    let (value, used) = bincode::serde::decode_from_slice::<T, _>(payload, config())
        .map_err(|e| DecodeError::Payload(e.to_string()))?;
    if used != payload.len() {
        return Err(DecodeError::Trailing(payload.len().saturating_sub(used)));
    }
    Ok(value)
}

/// The leading fields of a payload returned by [`checked_payload`], read as `T` (a tuple of
/// the first fields' types), the rest left unread; `None` when they do not read.
pub fn decode_head<T: DeserializeOwned>(payload: &[u8]) -> Option<T> {
    bincode::serde::decode_from_slice::<T, _>(payload, config())
        .ok()
        .map(|(value, _)| value)
}

/// Decodes `bytes` as each type the database stores; errors are expected, panics are not.
#[doc(hidden)]
pub fn decode_every_stored_type(bytes: &[u8]) {
    use crate::domain::import::ImportRecord;
    use crate::domain::user::SignInFailures;
    use crate::domain::{AuditEvent, Customer, CustomerRole, Membership, Settings, User};
    let _ = decode::<Customer>(bytes);
    let _ = decode::<super::legacy::CustomerV3>(bytes);
    let _ = decode::<super::legacy::CustomerV4>(bytes);
    let _ = decode::<super::legacy::ServiceCatalogueV4>(bytes);
    let _ = decode::<crate::domain::services::ServiceCatalogue>(bytes);
    let _ = decode::<crate::domain::systems::SystemList>(bytes);
    let _ = decode::<crate::domain::plans::PlanList>(bytes);
    let _ = decode::<crate::domain::fields::FieldSchema>(bytes);
    let _ = decode::<crate::domain::groups::UserGroups>(bytes);
    let _ = decode::<Vec<crate::domain::fields::FieldValue>>(bytes);
    let _ = decode::<User>(bytes);
    let _ = decode::<super::legacy::UserV1>(bytes);
    let _ = decode::<Membership>(bytes);
    let _ = decode::<super::MigrationPlace>(bytes);
    let _ = decode::<AuditEvent>(bytes);
    let _ = decode::<CustomerRole>(bytes);
    let _ = decode::<Settings>(bytes);
    let _ = decode::<super::legacy::SettingsV1>(bytes);
    let _ = decode::<SignInFailures>(bytes);
    let _ = decode::<ImportRecord>(bytes);
    let _ = decode::<crate::domain::Invitation>(bytes);
    let _ = decode::<crate::domain::ResetToken>(bytes);
    let _ = decode::<crate::domain::ResetRequests>(bytes);
    let _ = decode::<crate::domain::Impersonation>(bytes);
    let _ = decode::<crate::domain::ImpersonationSettings>(bytes);
    let _ = decode::<super::tx::AuditHead>(bytes);
    let _ = decode::<u64>(bytes);
    let _ = decode::<u32>(bytes);
}

// Test arithmetic works on fixed sample values, not stored data.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::domain::{
        Actor, AuditEvent, Customer, CustomerId, CustomerKind, CustomerRef, CustomerRole,
        CustomerStatus, Deletion, Membership, MembershipStatus, Settings, Slug, StaffRole,
        Timestamp, User, UserId, UserOrigin, UserStatus,
    };
    use crate::store::legacy::UserV1;

    fn customer() -> Customer {
        Customer {
            id: CustomerId(7),
            name: "Café".into(),
            slug: Slug::from_stored("cafe".into()),
            kind: CustomerKind::Individual,
            status: CustomerStatus::Suspended,
            language: "de".into(),
            owner: Some(UserId(2)),
            contact_email: Some("a@b.co".into()),
            contact_phone: None,
            is_provider: false,
            created_at: Timestamp(1000),
            updated_at: Timestamp(2000),
            deleted: Some(Deletion {
                at: Timestamp(3000),
                by: "system".into(),
            }),
            postal_address: Some("Gasse 1, Bern".into()),
            website: None,
            services: vec![crate::domain::services::ServiceOverride {
                service: crate::domain::services::ServiceId(5),
                on: true,
            }],
            system: crate::domain::systems::SystemId(2),
            plan: Some(crate::domain::plans::PlanId(3)),
            independent: Some(crate::domain::Independence {
                since: Timestamp(4000),
                by: "a@b.co".into(),
            }),
            fields: vec![crate::domain::fields::FieldValue {
                field: crate::domain::fields::FieldId(1),
                value: "CC-7".into(),
            }],
        }
    }

    fn customer_v4() -> crate::store::legacy::CustomerV4 {
        let c = customer();
        crate::store::legacy::CustomerV4 {
            id: c.id,
            name: c.name,
            slug: c.slug,
            kind: c.kind,
            status: c.status,
            language: c.language,
            owner: c.owner,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            is_provider: c.is_provider,
            created_at: c.created_at,
            updated_at: c.updated_at,
            deleted: c.deleted,
            postal_address: c.postal_address,
            website: c.website,
        }
    }

    fn customer_v3() -> crate::store::legacy::CustomerV3 {
        let c = customer();
        crate::store::legacy::CustomerV3 {
            id: c.id,
            name: c.name,
            slug: c.slug,
            kind: c.kind,
            status: c.status,
            language: c.language,
            owner: c.owner,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            is_provider: c.is_provider,
            created_at: c.created_at,
            updated_at: c.updated_at,
            deleted: c.deleted,
        }
    }

    fn user_v1() -> UserV1 {
        UserV1 {
            id: UserId(2),
            email: "Ann@x.io".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            status: UserStatus::Active,
            password_hash: Some("$argon2id$h".into()),
            staff_role: Some(StaffRole::Auditor),
            unix_user: Some("ann".into()),
            created_at: Timestamp(1),
            updated_at: Timestamp(-1),
        }
    }

    fn user() -> User {
        let mut user = User::new(
            UserId(2),
            "Ann@x.io".into(),
            "Ann".into(),
            "Lee".into(),
            Timestamp(1),
        );
        user.status = UserStatus::Active;
        user.password_hash = Some("$argon2id$h".into());
        user.staff_role = Some(StaffRole::Auditor);
        user.unix_user = Some("ann".into());
        user.updated_at = Timestamp(-1);
        user.language = "de".into();
        user.notifications = false;
        user.email_verified = true;
        user.origin = UserOrigin::Import;
        user.created_by = Some(UserId(1));
        user.last_sign_in = Some(Timestamp(9));
        user.password_epoch = 3;
        user
    }

    fn event() -> AuditEvent {
        AuditEvent {
            seq: 300,
            at: Timestamp(5),
            actor: Actor::User {
                id: UserId(1),
                email: "o@x.io".into(),
            },
            impersonating: None,
            customer: Some(CustomerRef {
                id: CustomerId(7),
                slug: "cafe".into(),
                name: "Café".into(),
            }),
            action: "customer.add".into(),
            summary: "s".into(),
            prev_hash: [1; 32],
            hash: [2; 32],
        }
    }

    /// Golden bytes pin the stored form of each stored type: a change here means old
    /// databases no longer read, so it needs a migration instead (and the old form moves to
    /// `store::legacy`, keeping its golden bytes here).
    #[test]
    fn golden_bytes_of_each_stored_type() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "customer (schema 1 to 3)",
                encode(&customer_v3()).unwrap(),
                "014e4147fd0705436166c3a904636166650101026465010201066140622e636f0000fbd007fba00f01fb70170673797374656d",
            ),
            (
                "customer (schema 4)",
                encode(&customer_v4()).unwrap(),
                "014c07cc3e0705436166c3a904636166650101026465010201066140622e636f0000fbd007fba00f01fb70170673797374656d010d476173736520312c204265726e00",
            ),
            (
                "audit settings",
                encode(&crate::domain::AuditSettings {
                    retention_days: Some(400),
                })
                .unwrap(),
                "01262f9ec401fb9001",
            ),
            (
                "service catalogue (schema 4)",
                encode(&crate::store::legacy::ServiceCatalogueV4 {
                    services: vec![crate::store::legacy::ServiceDefV4 {
                        name: "DNS".into(),
                        default_on: true,
                    }],
                })
                .unwrap(),
                "01b5dd59770103444e5301",
            ),
            (
                "customer (schema 5)",
                encode(&customer()).unwrap(),
                "01a8ebc0600705436166c3a904636166650101026465010201066140622e636f0000fbd007fba00f01fb70170673797374656d010d476173736520312c204265726e0001050102010301fb401f066140622e636f01010443432d37",
            ),
            (
                "service catalogue (schema 5)",
                encode(&crate::domain::services::ServiceCatalogue {
                    services: vec![crate::domain::services::ServiceDef {
                        id: crate::domain::services::ServiceId(3),
                        name: "DNS".into(),
                        default_on: true,
                    }],
                    next_id: 4,
                })
                .unwrap(),
                "01b8c003f2010303444e530104",
            ),
            (
                "target systems",
                encode(&crate::domain::systems::SystemList::default()).unwrap(),
                "0133c659960101046d61696e0002",
            ),
            (
                "service plans",
                encode(&{
                    let mut plans = crate::domain::plans::PlanList::default();
                    plans.push(
                        "Gold".into(),
                        crate::domain::plans::PlanLimits {
                            max_users: Some(10),
                            storage_gb: None,
                            websites: Some(3),
                        },
                    );
                    plans
                })
                .unwrap(),
                "01f05565e9010104476f6c64010a0001030002",
            ),
            (
                "custom fields",
                encode(&crate::domain::fields::FieldSchema {
                    fields: vec![crate::domain::fields::FieldDef {
                        id: crate::domain::fields::FieldId(1),
                        target: crate::domain::fields::FieldTarget::Users,
                        name: "Tier".into(),
                        kind: crate::domain::fields::FieldKind::Choice,
                        choices: vec!["A".into(), "B".into()],
                        required: true,
                        customer_visible: false,
                        removed: false,
                        column: true,
                    }],
                    next_id: 2,
                })
                .unwrap(),
                "010d25460e01010104546965720302014101420100000102",
            ),
            (
                "user groups",
                encode(&crate::domain::groups::UserGroups {
                    groups: vec![crate::domain::groups::UserGroup {
                        id: 0,
                        name: "Billing".into(),
                        members: vec![crate::domain::UserId(7)],
                    }],
                    next_id: 1,
                })
                .unwrap(),
                "01cc886de101000742696c6c696e67010701",
            ),
            (
                "audit checkpoint",
                encode(&crate::store::audit_prune::AuditCheckpoint {
                    seq: 9,
                    hash: [3; 32],
                    at: Timestamp(5),
                })
                .unwrap(),
                "013517e5ff0903030303030303030303030303030303030303030303030303030303030303030a",
            ),
            (
                "user (schema 1)",
                encode(&user_v1()).unwrap(),
                "01e44bc5b00208416e6e40782e696f03416e6e034c656501010b246172676f6e326964246801030103616e6e0201",
            ),
            (
                "event",
                encode(&event()).unwrap(),
                "01fe4c1ccbfb2c010a0101066f40782e696f000107046361666505436166c3a90c637573746f6d65722e616464017301010101010101010101010101010101010101010101010101010101010101010202020202020202020202020202020202020202020202020202020202020202",
            ),
            (
                "user (schema 2)",
                encode(&user()).unwrap(),
                "012253197a0208416e6e40782e696f03416e6e034c656501010b246172676f6e326964246801030103616e6e02010264650001030101011203",
            ),
            (
                "role (membership of schema 1)",
                encode(&CustomerRole::Moderator).unwrap(),
                "01a505df1b01",
            ),
            (
                "membership (schema 2)",
                encode(&Membership {
                    role: CustomerRole::Moderator,
                    status: MembershipStatus::Pending,
                    since: Timestamp(4),
                })
                .unwrap(),
                "01f0583b17010008",
            ),
            (
                "settings (schema 1)",
                encode(&crate::store::legacy::SettingsV1 {
                    trash_retention_days: 30,
                })
                .unwrap(),
                "01280dd2ee1e",
            ),
            (
                "settings (schema 2)",
                encode(&Settings {
                    trash_retention_days: 30,
                    mail_from: Some("a@b.co".into()),
                    mail_outbox: None,
                    portal_url: Some("https://p".into()),
                })
                .unwrap(),
                "01c7f0a0221e01066140622e636f00010968747470733a2f2f70",
            ),
            ("u64", encode(&42u64).unwrap(), "0109b9265b2a"),
        ];
        for (name, bytes, golden) in cases {
            assert_eq!(hex::encode(&bytes), golden, "{name}");
        }
        assert_eq!(
            decode::<Customer>(&encode(&customer()).unwrap()).unwrap(),
            customer()
        );
        assert_eq!(decode::<User>(&encode(&user()).unwrap()).unwrap(), user());
        assert_eq!(
            decode::<AuditEvent>(&encode(&event()).unwrap()).unwrap(),
            event()
        );
    }

    #[test]
    fn damaged_values_are_errors() {
        let good = encode(&customer()).unwrap();
        assert_eq!(
            decode::<Customer>(&good[..3]),
            Err(DecodeError::Truncated(3))
        );
        let mut version = good.clone();
        version[0] = 9;
        assert_eq!(
            decode::<Customer>(&version),
            Err(DecodeError::UnknownVersion(9))
        );
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x10;
        assert_eq!(decode::<Customer>(&flipped), Err(DecodeError::Checksum));
        // A consistent envelope around a payload with bytes left over.
        let mut payload = good[HEADER_LEN..].to_vec();
        payload.push(0);
        let mut trailing = vec![FORMAT_V1];
        trailing.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
        trailing.extend_from_slice(&payload);
        assert_eq!(decode::<Customer>(&trailing), Err(DecodeError::Trailing(1)));
        // A truncated payload with a matching checksum.
        let short = &good[HEADER_LEN..good.len() - 4];
        let mut cut = vec![FORMAT_V1];
        cut.extend_from_slice(&crc32fast::hash(short).to_be_bytes());
        cut.extend_from_slice(short);
        assert!(matches!(
            decode::<Customer>(&cut),
            Err(DecodeError::Payload(_))
        ));
    }

    /// A huge length prefix inside a valid envelope must be refused by the size limit rather
    /// than attempted (which aborts the process).
    #[test]
    fn oversized_length_prefix_is_refused() {
        let payload = [0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        let mut bytes = vec![FORMAT_V1];
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
        bytes.extend_from_slice(&payload);
        assert!(decode::<String>(&bytes).is_err());
        assert!(decode::<Vec<u64>>(&bytes).is_err());
        assert!(decode::<Customer>(&bytes).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, fork: false, ..Default::default() })]
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = decode::<Customer>(&bytes);
            let _ = decode::<User>(&bytes);
            let _ = decode::<AuditEvent>(&bytes);
        }

        /// Random payloads behind a valid header reach the bincode decoder itself.
        #[test]
        fn random_payloads_with_valid_checksum_never_panic(payload in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let mut bytes = vec![FORMAT_V1];
            bytes.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
            bytes.extend_from_slice(&payload);
            let _ = decode::<Customer>(&bytes);
            let _ = decode::<User>(&bytes);
            let _ = decode::<AuditEvent>(&bytes);
        }

        /// Every stored type, behind random bytes and behind a valid header alike.
        #[test]
        fn every_stored_type_decodes_random_bytes_without_panicking(
            payload in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            sealed in proptest::bool::ANY,
        ) {
            let bytes = if sealed {
                let mut bytes = vec![FORMAT_V1];
                bytes.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
                bytes.extend_from_slice(&payload);
                bytes
            } else {
                payload
            };
            decode_every_stored_type(&bytes);
        }

        #[test]
        fn every_truncation_and_bit_flip_is_an_error(cut in 0usize..200, bit in 0usize..1600) {
            let good = encode(&customer()).unwrap();
            let cut = cut.min(good.len() - 1);
            proptest::prop_assert!(decode::<Customer>(&good[..cut]).is_err());
            let mut flipped = good.clone();
            let bit = bit % (good.len() * 8);
            flipped[bit / 8] ^= 1 << (bit % 8);
            proptest::prop_assert!(decode::<Customer>(&flipped).is_err());
        }
    }
}
