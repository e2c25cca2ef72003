//! Checking an export: every event against its own hash, consecutive sequences against their
//! links, the trailer (a complete export must run from its start, 1 or the event after a
//! prune's checkpoint, to the trailer's head with no gap; a filtered one is checked as
//! filtered), optionally each event against the stored chain and a head kept elsewhere. Streams: it keeps the previous event and the problems found, never
//! the file. Every problem names an event by sequence (D102).

use std::io::BufRead;

use super::read::{Entry, ExportReader, ExportedEvent, ReadError};
use super::{Scope, Trailer};

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Problems reported before the rest are only counted.
const MAX_PROBLEMS: usize = 100;

/// A sequence and hash kept outside the machine (`--head SEQ:HASH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptHead {
    pub seq: u64,
    pub hash: String,
}

impl KeptHead {
    /// Parses `SEQ:HASH` (a whole number from 1, a colon, 64 hex digits).
    pub fn parse(text: &str) -> Option<Self> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq = seq.parse::<u64>().ok().filter(|s| *s >= 1)?;
        let hex_ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        hex_ok.then(|| Self {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// What checking found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub events: u64,
    pub first: Option<u64>,
    pub last: Option<u64>,
    pub trailer: Option<Trailer>,
    /// The problems, each naming an event by sequence (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<String>,
    /// Problems found beyond those listed.
    pub more_problems: u64,
    /// The link of the first event read (what a checkpoint must equal).
    pub first_prev_hash: Option<String>,
    /// Events older than the database's checkpoint, which it no longer holds to compare.
    pub pruned: u64,
}

impl ExportReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, text: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(text);
        } else {
            self.more_problems += 1;
        }
    }
}

/// What the database says of one event of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredEvent {
    /// The stored hash.
    Hash(String),
    /// No such event is stored, and none was pruned there.
    Missing,
    /// The event is older than the checkpoint of a prune: nothing to compare it with.
    Pruned,
}

/// The stored chain to compare with: what the database holds at sequence `seq`.
pub type Stored<'a> = dyn FnMut(u64) -> Result<StoredEvent, String> + 'a;

/// Checks the export read from `input`. A file that cannot be read as an export is a
/// [`ReadError`] naming the line; a stored-chain look-up that fails is returned as its text
/// in the `Err` of the outer result.
pub fn verify_export<R: BufRead>(
    input: R,
    mut stored: Option<&mut Stored<'_>>,
    kept: Option<&KeptHead>,
) -> Result<Result<ExportReport, ReadError>, String> {
    let mut report = ExportReport::default();
    let mut reader = match ExportReader::open(input) {
        Ok(Some((_, reader))) => reader,
        Ok(None) => {
            report.problem("the file is empty: no events and no trailer".into());
            return Ok(Ok(report));
        }
        Err(e) => return Ok(Err(e)),
    };
    // Sequence and hash of the newest event read so far (the chain position).
    let mut prev: Option<(u64, String)> = None;
    // Gaps between consecutive events, judged once the trailer says the scope.
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    let mut more_gaps = 0u64;
    let mut kept_found: Option<bool> = None;
    loop {
        let entry = match reader.next_entry() {
            Ok(Some(entry)) => entry,
            Ok(None) => break,
            Err(e) => return Ok(Err(e)),
        };
        let event = match entry {
            Entry::Trailer { line, trailer } => {
                if report.trailer.is_some() {
                    return Ok(Err(ReadError {
                        line,
                        reason: "a second trailer".into(),
                    }));
                }
                report.trailer = Some(trailer);
                continue;
            }
            Entry::Event(event) => event,
        };
        if report.trailer.is_some() {
            report.problem(format!(
                "event {}: written after the trailer (line {})",
                event.seq, event.line
            ));
        }
        report.events += 1;
        check_own(&mut report, &event);
        if let Some(stored) = stored.as_deref_mut() {
            match stored(event.seq)? {
                StoredEvent::Hash(hash) if hash == event.hash => {}
                StoredEvent::Hash(_) => report.problem(format!(
                    "event {}: differs from the stored event",
                    event.seq
                )),
                StoredEvent::Missing => {
                    report.problem(format!("event {}: not in the stored log", event.seq))
                }
                StoredEvent::Pruned => report.pruned += 1,
            }
        }
        if let Some(k) = kept
            && k.seq == event.seq
        {
            kept_found = Some(kept_found.unwrap_or(true) && k.hash == event.hash);
        }
        match &prev {
            Some((p, _)) if event.seq == *p => {
                report.problem(format!(
                    "event {}: appears twice (again at line {})",
                    event.seq, event.line
                ));
                continue;
            }
            Some((p, _)) if event.seq < *p => {
                fill_gap(&mut gaps, event.seq);
                report.problem(format!(
                    "event {}: out of order, after event {p} (line {})",
                    event.seq, event.line
                ));
                continue;
            }
            Some((p, hash)) if event.seq == p + 1 => {
                if event.prev_hash() != hash {
                    report.problem(format!("event {}: does not link to event {p}", event.seq));
                }
            }
            Some((p, _)) => {
                if gaps.len() < MAX_PROBLEMS {
                    gaps.push((p + 1, event.seq - 1));
                } else {
                    more_gaps += 1;
                }
            }
            None => {
                report.first = Some(event.seq);
                report.first_prev_hash = Some(event.prev_hash().to_owned());
            }
        }
        prev = Some((event.seq, event.hash.clone()));
        report.last = Some(event.seq);
    }
    let last = prev;
    check_trailer(&mut report, last.as_ref(), &gaps, more_gaps);
    if let Some(k) = kept {
        match kept_found {
            Some(true) => {}
            Some(false) => report.problem(format!(
                "event {}: hash differs from the kept head {}",
                k.seq, k.hash
            )),
            None => report.problem(format!(
                "event {}, the kept head, is not in the export (it holds {})",
                k.seq,
                span(report.first, report.last)
            )),
        }
    }
    Ok(Ok(report))
}

/// An event read out of order is not also missing: take its sequence out of the gap
/// holding it.
fn fill_gap(gaps: &mut Vec<(u64, u64)>, seq: u64) {
    let Some(i) = gaps.iter().position(|(a, b)| *a <= seq && seq <= *b) else {
        return;
    };
    let (a, b) = gaps.remove(i);
    if seq < b {
        gaps.insert(i, (seq + 1, b));
    }
    if a < seq {
        gaps.insert(i, (a, seq - 1));
    }
}

fn span(first: Option<u64>, last: Option<u64>) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("events {f}..{l}"),
        _ => "no events".into(),
    }
}

/// The event's own checks: its hash, and a first event's zero link.
fn check_own(report: &mut ExportReport, event: &ExportedEvent) {
    if event.computed_hash() != event.hash {
        report.problem(format!(
            "event {}: content does not match its hash",
            event.seq
        ));
    }
    if event.seq == 1 && event.prev_hash() != ZERO_HASH {
        report.problem("event 1: prev_hash is not all zeros".into());
    }
}

fn missing(from: u64, to: u64) -> String {
    if from == to {
        format!("event {from}: missing")
    } else {
        format!("events {from}..{to}: missing")
    }
}

/// The trailer against what was read: its count, its head, and for a complete export that
/// nothing is missing at the start, in between or at the end.
fn check_trailer(
    report: &mut ExportReport,
    last: Option<&(u64, String)>,
    gaps: &[(u64, u64)],
    more_gaps: u64,
) {
    let Some(trailer) = report.trailer.clone() else {
        report.problem(format!(
            "no trailer after {}: the export was cut short, or not written by `tenantry log export`",
            span(report.first, report.last)
        ));
        return;
    };
    if trailer.rows != report.events {
        report.problem(format!(
            "the trailer counts {} events but the file holds {}",
            trailer.rows, report.events
        ));
    }
    let last_seq = last.map_or(0, |(s, _)| *s);
    if last_seq > trailer.head_seq {
        report.problem(format!(
            "event {last_seq}: after the trailer's head, event {}",
            trailer.head_seq
        ));
    }
    if let Some((seq, hash)) = last
        && *seq == trailer.head_seq
        && *hash != trailer.head_hash
    {
        report.problem(format!(
            "event {seq}: hash differs from the trailer's head {}",
            trailer.head_hash
        ));
    }
    if trailer.scope == Scope::Filtered {
        return;
    }
    let start = trailer.start_seq.max(1);
    match report.first {
        Some(first) if first > start => report.problem(missing(start, first - 1)),
        Some(first) if first < start => report.problem(format!(
            "event {first}: before the trailer's start, event {start}"
        )),
        None if trailer.head_seq >= start => report.problem(missing(start, trailer.head_seq)),
        _ => {}
    }
    if start > 1
        && report.first == Some(start)
        && report.first_prev_hash.as_deref() != Some(trailer.start_prev_hash.as_str())
    {
        report.problem(format!(
            "event {start}: does not link to the checkpoint the trailer names ({})",
            trailer.start_prev_hash
        ));
    }
    for (from, to) in gaps {
        report.problem(missing(*from, *to));
    }
    report.more_problems += more_gaps;
    if report.first.is_some() && last_seq < trailer.head_seq {
        report.problem(format!(
            "{} (the trailer's head is event {})",
            missing(last_seq + 1, trailer.head_seq),
            trailer.head_seq
        ));
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
