//! Hand-built, fixed-width, big-endian keys, so byte order is numeric order and time order.
//! Never bincode's default (little-endian, varint) encoding.

use crate::domain::{CustomerId, Timestamp, UserId};

use super::StoreError;

pub fn u64_key(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

/// Reads an 8-byte big-endian number; any other length is corruption of `tree`.
pub fn read_u64(tree: &str, bytes: &[u8]) -> Result<u64, StoreError> {
    let arr: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StoreError::corrupt(tree, bytes, "key is not 8 bytes"))?;
    Ok(u64::from_be_bytes(arr))
}

/// Timestamps as keys: the sign bit flipped so negative instants sort before positive ones.
pub fn time_key(at: Timestamp) -> [u8; 8] {
    ((at.0 as u64) ^ (1 << 63)).to_be_bytes()
}

pub fn read_time(bytes: [u8; 8]) -> Timestamp {
    Timestamp((u64::from_be_bytes(bytes) ^ (1 << 63)) as i64)
}

/// Two 8-byte parts, e.g. customer id ‖ user id.
pub fn pair_key(a: u64, b: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&a.to_be_bytes());
    key[8..].copy_from_slice(&b.to_be_bytes());
    key
}

/// Splits a 16-byte pair key; any other length is corruption of `tree`.
pub fn read_pair(tree: &str, bytes: &[u8]) -> Result<(u64, u64), StoreError> {
    if bytes.len() != 16 {
        return Err(StoreError::corrupt(tree, bytes, "key is not 16 bytes"));
    }
    let (a, b) = bytes.split_at(8);
    Ok((read_u64(tree, a)?, read_u64(tree, b)?))
}

pub fn customer_key(id: CustomerId) -> [u8; 8] {
    u64_key(id.0)
}

pub fn user_key(id: UserId) -> [u8; 8] {
    u64_key(id.0)
}

/// A customer id ‖ text (a lowercase email): the customer's entries in email order.
pub fn customer_text_key(id: CustomerId, text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len().saturating_add(8));
    key.extend_from_slice(&id.0.to_be_bytes());
    key.extend_from_slice(text.as_bytes());
    key
}

/// Splits a [`customer_text_key`]; too short or not UTF-8 after the id is corruption.
pub fn read_customer_text(tree: &str, bytes: &[u8]) -> Result<(CustomerId, String), StoreError> {
    if bytes.len() <= 8 {
        return Err(StoreError::corrupt(
            tree,
            bytes,
            "key is not an id and text",
        ));
    }
    let (id, text) = bytes.split_at(8);
    let text = std::str::from_utf8(text)
        .map_err(|_| StoreError::corrupt(tree, bytes, "key text is not UTF-8"))?;
    Ok((CustomerId(read_u64(tree, id)?), text.to_owned()))
}

/// A user's look-alike entry: the skeleton of the email, a 0 byte, the user id.
pub fn lookalike_key(skeleton: &str, id: UserId) -> Vec<u8> {
    let mut key = lookalike_prefix(skeleton);
    key.extend_from_slice(&id.0.to_be_bytes());
    key
}

/// Every look-alike entry of one skeleton starts with this.
pub fn lookalike_prefix(skeleton: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(skeleton.len().saturating_add(9));
    key.extend_from_slice(skeleton.as_bytes());
    key.push(0);
    key
}

/// Splits a [`lookalike_key`] into its skeleton and user id.
pub fn read_lookalike(tree: &str, bytes: &[u8]) -> Result<(String, UserId), StoreError> {
    let bad = || StoreError::corrupt(tree, bytes, "key is not a skeleton, 0 and an id");
    let split = bytes.len().checked_sub(9).ok_or_else(bad)?;
    let (text, rest) = bytes.split_at(split);
    if rest.first() != Some(&0) {
        return Err(bad());
    }
    let text = std::str::from_utf8(text).map_err(|_| bad())?;
    Ok((text.to_owned(), UserId(read_u64(tree, &rest[1..])?)))
}

pub fn trash_key(at: Timestamp, id: CustomerId) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&time_key(at));
    key[8..].copy_from_slice(&id.0.to_be_bytes());
    key
}

pub fn read_trash_key(tree: &str, bytes: &[u8]) -> Result<(Timestamp, CustomerId), StoreError> {
    let (t, id) = read_pair(tree, bytes)?;
    Ok((read_time(t.to_be_bytes()), CustomerId(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_order_is_byte_order_across_byte_boundaries() {
        let numbers = [
            0u64,
            1,
            255,
            256,
            65_535,
            65_536,
            1 << 32,
            u64::MAX - 1,
            u64::MAX,
        ];
        for pair in numbers.windows(2) {
            assert!(u64_key(pair[0]) < u64_key(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn time_order_is_byte_order_including_before_the_epoch() {
        let times = [i64::MIN, -86_400_000, -1, 0, 1, 1_700_000_000_000, i64::MAX];
        for pair in times.windows(2) {
            assert!(
                time_key(Timestamp(pair[0])) < time_key(Timestamp(pair[1])),
                "{pair:?}"
            );
        }
        for t in times {
            assert_eq!(read_time(time_key(Timestamp(t))), Timestamp(t));
        }
    }

    #[test]
    fn pair_and_trash_keys_round_trip_and_sort_by_first_part() {
        assert!(pair_key(1, u64::MAX) < pair_key(2, 0));
        assert_eq!(read_pair("t", &pair_key(7, 9)).unwrap(), (7, 9));
        assert!(read_pair("t", &[0; 15]).is_err());
        let key = trash_key(Timestamp(-5), CustomerId(3));
        assert_eq!(
            read_trash_key("t", &key).unwrap(),
            (Timestamp(-5), CustomerId(3))
        );
        assert!(
            trash_key(Timestamp(1), CustomerId(u64::MAX)) < trash_key(Timestamp(2), CustomerId(0))
        );
    }
}
