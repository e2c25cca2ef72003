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

use memchr::memmem::Finder;

/// The only characters outside ASCII whose lowercase form holds an ASCII character: `İ`
/// (U+0130, lowercase "i̇") and the Kelvin sign (U+212A, lowercase "k").
pub const NON_ASCII_TO_ASCII_LOWERCASE: [char; 2] = ['\u{130}', '\u{212A}'];

/// Text every event let through must contain somewhere in its stored bytes, ignoring ASCII
/// case: one entry per needle of the filter (free text, actor email), all required.
pub struct AuditSieve {
    needles: Vec<Needle>,
    /// The payload being looked at, ASCII-lowercased (reused, so sieving allocates nothing).
    folded: RefCell<Vec<u8>>,
}

struct Needle {
    /// The needle's longest ASCII run, lowercase.
    run: Finder<'static>,
    /// The run holds `i` or `k`, which a field may also hold as `İ` or `K`.
    widened: bool,
}

impl AuditSieve {
    /// A sieve that lets every event through.
    pub fn everything() -> Self {
        Self::new(&[])
    }

    /// A sieve for needles that an event's searched fields must each contain when lowercased.
    /// A needle with no ASCII character adds nothing (it cannot be looked for in bytes).
    pub fn new(needles: &[&str]) -> Self {
        let needles = needles
            .iter()
            .filter_map(|needle| {
                let run = longest_ascii_run(needle).to_ascii_lowercase();
                (!run.is_empty()).then(|| Needle {
                    widened: run.contains(['i', 'k']),
                    run: Finder::new(run.as_bytes()).into_owned(),
                })
            })
            .collect();
        Self {
            needles,
            folded: RefCell::new(Vec::new()),
        }
    }

    /// True when the sieve lets every event through.
    pub fn is_open(&self) -> bool {
        self.needles.is_empty()
    }

    /// False only when the event stored as `payload` (a checked envelope's payload) cannot
    /// match: some needle's ASCII run is nowhere in its bytes.
    pub fn admits(&self, payload: &[u8]) -> bool {
        if self.needles.is_empty() {
            return true;
        }
        let Ok(mut folded) = self.folded.try_borrow_mut() else {
            return true;
        };
        folded.clear();
        folded.extend(payload.iter().map(u8::to_ascii_lowercase));
        let mut wide = None;
        self.needles.iter().all(|n| {
            n.run.find(&folded).is_some()
                || (n.widened && *wide.get_or_insert_with(|| holds_widening(&folded)))
        })
    }
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
        assert!(AuditSieve::new(&["ü"]).is_open());
        let both = AuditSieve::new(&["ann@", "suspend"]);
        assert!(both.admits(b"ann@x.io customer.suspend"));
        assert!(!both.admits(b"ann@x.io customer.add"));
    }
}
