//! A byte-level sieve for reading the audit log: before an event is decoded, its stored
//! payload is looked at for text that every match would have to contain, so a search over a
//! million events decodes only those that may match. The sieve answers "cannot match" or "may
//! match"; the caller's exact filter (`service::log_filter`) decides on what passes.
//!
//! Why it never drops a true match. bincode stores each string as a length and its UTF-8
//! bytes, so the text of every field an event is searched by (action, summary, actor email,
//! customer slug and name) lies whole in the payload. The exact filter matches a lowercase
//! needle against each field's `to_lowercase()`. Take the needle's longest run `R` of ASCII
//! characters. An ASCII character lowercases to one ASCII character; every other character
//! lowercases to characters that are not ASCII, except the two in
//! [`NON_ASCII_TO_ASCII_LOWERCASE`] (a test over every `char` pins that list). So, unless a
//! field holds one of those two, a run of ASCII characters in its lowercase form comes from a
//! run of the same length in the field itself, equal but for ASCII case; and since the bytes
//! of a non-ASCII character in UTF-8 are never ASCII, that run is found among the payload's
//! bytes, ASCII case ignored. A payload holding one of the two characters always passes.
//! A needle without ASCII characters sieves nothing: every event passes.
//!
//! Must not: decide a match, decode anything, or hold a business rule; only the store sees
//! the bytes, and only the service's filter says what matches.

use std::cell::RefCell;
use std::sync::OnceLock;

use memchr::memmem::Finder;

/// The needle's characters outside ASCII looked for, at most: more add cost, not much sieve.
const MAX_CHARS: usize = 4;

/// Characters at or above this lowercase to themselves (pinned by a test), so the table of
/// changed characters stops here.
const LOWERCASE_CHANGES_BELOW: u32 = 0x2_0000;

/// The only characters outside ASCII whose lowercase form holds an ASCII character: `İ`
/// (U+0130, lowercase "i̇") and the Kelvin sign (U+212A, lowercase "k").
pub const NON_ASCII_TO_ASCII_LOWERCASE: [char; 2] = ['\u{130}', '\u{212A}'];

/// Text every event let through must contain somewhere in its stored bytes, ignoring ASCII
/// case: one entry per needle of the filter (free text, actor email), all required.
pub struct AuditSieve {
    needles: Vec<Needle>,
    /// Only events by the built-in actor.
    system_actor: bool,
    /// The payload being looked at, ASCII-lowercased (reused, so sieving allocates nothing).
    folded: RefCell<Vec<u8>>,
}

struct Needle {
    /// The needle's longest ASCII run, lowercase; `None` when it has no ASCII character.
    run: Option<Finder<'static>>,
    /// The run holds `i` or `k`, which a field may also hold as `İ` or `K`.
    widened: bool,
    /// Per character outside ASCII looked for: the UTF-8 of every character that may stand
    /// for it in a field (empty: nothing can, so no event matches).
    chars: Vec<Vec<Vec<u8>>>,
}

impl Needle {
    fn new(needle: &str) -> Self {
        let run = longest_ascii_run(needle).to_ascii_lowercase();
        let mut seen: Vec<char> = Vec::new();
        for c in needle.chars().filter(|c| !c.is_ascii()) {
            if !seen.contains(&c) && seen.len() < MAX_CHARS {
                seen.push(c);
            }
        }
        Self {
            widened: run.contains(['i', 'k']),
            run: (!run.is_empty()).then(|| Finder::new(run.as_bytes()).into_owned()),
            chars: seen.into_iter().map(standing_for).collect(),
        }
    }

    /// Whether `folded` (a payload, ASCII-lowercased) may hold the needle; `wide` caches
    /// whether it holds `İ` or `K`.
    fn admits(&self, folded: &[u8], wide: &mut Option<bool>) -> bool {
        let run_ok = match &self.run {
            None => true,
            Some(run) => {
                run.find(folded).is_some()
                    || (self.widened && *wide.get_or_insert_with(|| holds_widening(folded)))
            }
        };
        run_ok
            && self.chars.iter().all(|forms| {
                forms
                    .iter()
                    .any(|form| memchr::memmem::find(folded, form).is_some())
            })
    }
}

/// The UTF-8 forms of every character whose lowercase form holds `c`.
fn standing_for(c: char) -> Vec<Vec<u8>> {
    let mut out: Vec<char> = Vec::new();
    if c.to_lowercase().any(|l| l == c) {
        out.push(c);
    }
    for (from, lower) in lowercase_changes() {
        if lower.contains(c) && !out.contains(from) {
            out.push(*from);
        }
    }
    // `str::to_lowercase` writes a capital sigma at the end of a word as `ς`.
    if c == 'ς' && !out.contains(&'Σ') {
        out.push('Σ');
    }
    out.into_iter()
        .map(|ch| ch.to_string().into_bytes())
        .collect()
}

/// Every character that lowercasing changes, with its lowercase form.
fn lowercase_changes() -> &'static [(char, String)] {
    static TABLE: OnceLock<Vec<(char, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..LOWERCASE_CHANGES_BELOW)
            .filter_map(char::from_u32)
            .filter_map(|c| {
                let lower: String = c.to_lowercase().collect();
                (lower != c.to_string()).then_some((c, lower))
            })
            .collect()
    })
}

impl AuditSieve {
    /// A sieve that lets every event through.
    pub fn everything() -> Self {
        Self::new(&[])
    }

    /// A sieve for needles that one of an event's searched fields must each contain when
    /// lowercased (each needle lowercase, as the filter matches it).
    pub fn new(needles: &[&str]) -> Self {
        Self {
            needles: needles.iter().map(|n| Needle::new(n)).collect(),
            system_actor: false,
            folded: RefCell::new(Vec::new()),
        }
    }

    /// The same sieve, letting through only events by the built-in actor.
    pub fn system_actor_only(mut self) -> Self {
        self.system_actor = true;
        self
    }

    /// True when the sieve lets every event through.
    pub fn is_open(&self) -> bool {
        !self.system_actor
            && self
                .needles
                .iter()
                .all(|n| n.run.is_none() && n.chars.is_empty())
    }

    /// False only when the event stored as `payload` (a checked envelope's payload) cannot
    /// match: some needle is nowhere in its bytes, or its actor is not the one asked for.
    pub fn admits(&self, payload: &[u8]) -> bool {
        if self.system_actor && !by_system(payload) {
            return false;
        }
        if self.needles.is_empty() {
            return true;
        }
        let Ok(mut folded) = self.folded.try_borrow_mut() else {
            return true;
        };
        folded.clear();
        folded.extend(payload.iter().map(u8::to_ascii_lowercase));
        let mut wide = None;
        self.needles.iter().all(|n| n.admits(&folded, &mut wide))
    }
}

/// Whether an event's payload names the built-in actor: its first fields are the sequence,
/// the time and the actor's variant (`Actor::System` is variant 0). A payload whose head does
/// not read passes, for the decoder to report.
fn by_system(payload: &[u8]) -> bool {
    super::codec::decode_head::<(u64, i64, u32)>(payload).is_none_or(|(_, _, variant)| variant == 0)
}

/// Whether the bytes hold `İ` or `K` in UTF-8.
fn holds_widening(bytes: &[u8]) -> bool {
    let mut utf8 = [0u8; 4];
    NON_ASCII_TO_ASCII_LOWERCASE.iter().any(|c| {
        let encoded = c.encode_utf8(&mut utf8);
        memchr::memmem::find(bytes, encoded.as_bytes()).is_some()
    })
}

/// The longest run of ASCII characters in `text` (the first of the longest when several tie).
fn longest_ascii_run(text: &str) -> &str {
    let mut best = "";
    for run in text.split(|c: char| !c.is_ascii()) {
        if run.len() > best.len() {
            best = run;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_two_characters_outside_ascii_lowercase_to_ascii() {
        let found: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(found, NON_ASCII_TO_ASCII_LOWERCASE);
        // Whole strings lowercase per character but for the final sigma, which is not ASCII.
        assert_eq!("ΣΑΣ".to_lowercase(), "σας");
    }

    #[test]
    fn no_character_from_the_table_s_end_on_lowercases_to_another() {
        let changed = (LOWERCASE_CHANGES_BELOW..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .find(|c| c.to_lowercase().ne(std::iter::once(*c)));
        assert_eq!(changed, None);
    }

    #[test]
    fn characters_outside_ascii_are_looked_for_in_every_case() {
        let forms = |c| {
            let mut f: Vec<String> = standing_for(c)
                .into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect();
            f.sort();
            f
        };
        assert_eq!(forms('ü'), ["Ü", "ü"]);
        assert_eq!(forms('ς'), ["Σ", "ς"]);
        assert_eq!(forms('\u{307}'), ["İ", "\u{307}"]);
        let sieve = AuditSieve::new(&["zü"]);
        assert!(sieve.admits("ZÜRICH".as_bytes()));
        assert!(!sieve.admits("ZURICH".as_bytes()));
        assert!(!AuditSieve::new(&["ü"]).admits(b"plain"));
    }

    #[test]
    fn the_system_actor_is_read_from_the_payload_s_head() {
        use crate::domain::{Actor, AuditEvent, Timestamp, UserId};
        let sieve = AuditSieve::everything().system_actor_only();
        for (seq, at) in [
            (1, 0),
            (300, -5),
            (u64::MAX, i64::MAX),
            (70_000, 1_767_225_600_000),
        ] {
            for actor in [
                Actor::System,
                Actor::User {
                    id: UserId(9),
                    email: "a@b.io".into(),
                },
            ] {
                let system = actor == Actor::System;
                let event = AuditEvent {
                    seq,
                    at: Timestamp(at),
                    actor,
                    impersonating: None,
                    customer: None,
                    action: "customer.add".into(),
                    summary: String::new(),
                    prev_hash: [0; 32],
                    hash: [1; 32],
                };
                let stored = super::super::codec::encode(&event).unwrap();
                let payload = super::super::codec::checked_payload(&stored).unwrap();
                assert_eq!(sieve.admits(payload), system, "{seq} {at}");
            }
        }
        assert!(
            sieve.admits(&[]),
            "an unreadable head is left to the decoder"
        );
    }

    #[test]
    fn the_run_is_the_longest_ascii_stretch() {
        assert_eq!(longest_ascii_run("zürich gmbh"), "rich gmbh");
        assert_eq!(longest_ascii_run("ü→ß"), "");
        assert_eq!(longest_ascii_run("ab→cd"), "ab");
    }

    #[test]
    fn sieving_ignores_ascii_case_and_widens_for_i_and_k() {
        let sieve = AuditSieve::new(&["acme"]);
        assert!(sieve.admits(b"\x04ACME corp"));
        assert!(!sieve.admits(b"\x04acm corp"));
        let kelvin = AuditSieve::new(&["kilo"]);
        assert!(kelvin.admits("\u{212A}ILO".as_bytes()));
        assert!(kelvin.admits("\u{130}".as_bytes()));
        assert!(!kelvin.admits(b"kil0"));
        assert!(AuditSieve::new(&[]).is_open());
        let both = AuditSieve::new(&["ann@", "suspend"]);
        assert!(both.admits(b"ann@x.io customer.suspend"));
        assert!(!both.admits(b"ann@x.io customer.add"));
    }
}
