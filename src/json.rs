//! JSON output that never carries a control character raw. `serde_json` escapes C0 controls
//! (U+0000–U+001F) but writes DEL and the C1 controls (U+007F–U+009F) as they are, and a
//! terminal obeys U+009B (CSI) exactly like ESC `[`; the line and paragraph separators
//! U+2028/U+2029 end a line in some readers. Every JSON writer of the front ends goes through
//! [`to_writer`] or [`to_writer_pretty`], which write those as `\u009b`-style escapes: the
//! same string to any JSON reader, inert on a terminal.
//!
//! Only how strings are escaped differs from `serde_json`'s own writers; no value is changed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Characters written as `\uXXXX` although JSON allows them raw.
fn must_escape(c: char) -> bool {
    matches!(c, '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}')
}

/// Writes `fragment` (a piece of a JSON string that `serde_json` would write raw) through
/// `inner`, with every [`must_escape`] character as a `\u` escape.
fn write_fragment<F, W>(inner: &mut F, writer: &mut W, fragment: &str) -> io::Result<()>
where
    F: Formatter,
    W: ?Sized + Write,
{
    let mut start = 0;
    for (at, c) in fragment.char_indices() {
        if must_escape(c) {
            inner.write_string_fragment(writer, &fragment[start..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            start = at + c.len_utf8();
        }
    }
    inner.write_string_fragment(writer, &fragment[start..])
}

/// `serde_json`'s compact layout with [`must_escape`] characters escaped.
struct Compact(CompactFormatter);

impl Formatter for Compact {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_fragment(&mut self.0, writer, fragment)
    }
}

/// `serde_json`'s pretty layout with [`must_escape`] characters escaped.
struct Pretty(PrettyFormatter<'static>);

impl Formatter for Pretty {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_fragment(&mut self.0, writer, fragment)
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Like `serde_json::to_writer`, with no control character written raw.
pub fn to_writer<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, Compact(CompactFormatter));
    // `io::Error::from` gives back the writer's own error (a closed pipe stays `BrokenPipe`).
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Like `serde_json::to_writer_pretty`, with no control character written raw.
pub fn to_writer_pretty<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, Pretty(PrettyFormatter::new()));
    // `io::Error::from` gives back the writer's own error (a closed pipe stays `BrokenPipe`).
    value.serialize(&mut ser).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_and_del_are_escaped_and_read_back_the_same() {
        let value = serde_json::json!({"name": "a\u{9b}31mb\u{7f}c\u{1b}d\u{2028}é"});
        for pretty in [false, true] {
            let mut out = Vec::new();
            if pretty {
                to_writer_pretty(&mut out, &value).unwrap();
            } else {
                to_writer(&mut out, &value).unwrap();
            }
            let text = String::from_utf8(out).unwrap();
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(
                text.contains("\\u009b") && text.contains("\\u007f"),
                "{text}"
            );
            assert!(text.contains('é'), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
    }
}
