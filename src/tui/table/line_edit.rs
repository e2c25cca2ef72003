//! One-line editing as every text line of the console does it: the filter line here, and the
//! import path. The keys are ratatui-textarea's (cursor keys, Home/End, Ctrl-W and Alt-Backspace
//! delete a word, Ctrl-K to the end), with Ctrl-U clearing to the start as in a shell (the
//! text area would undo) and a newline never entering the line. Forms follow the same keys.
//!
//! Changes only the text area it is handed.

use ratatui_textarea::{Input, Key, TextArea};

/// Applies one key to a single-line text area; returns true when the text changed.
pub fn edit_line(line: &mut TextArea<'_>, input: Input) -> bool {
    let newline = matches!(input.key, Key::Enter | Key::Char('\n' | '\r'))
        || (input.ctrl && matches!(input.key, Key::Char('m' | 'j')));
    if newline {
        return false;
    }
    if input.ctrl && input.key == Key::Char('u') {
        return line.delete_line_by_head();
    }
    line.input(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, ctrl: bool) -> Input {
        Input {
            key,
            ctrl,
            ..Input::default()
        }
    }

    #[test]
    fn shell_keys_edit_and_a_newline_never_enters() {
        let mut line = TextArea::default();
        for c in "acme corp".chars() {
            edit_line(&mut line, key(Key::Char(c), false));
        }
        assert!(edit_line(&mut line, key(Key::Char('w'), true)));
        assert_eq!(line.lines().concat(), "acme ");
        edit_line(&mut line, key(Key::Home, false));
        edit_line(&mut line, key(Key::Char('x'), false));
        assert_eq!(line.lines().concat(), "xacme ");
        assert!(!edit_line(&mut line, key(Key::Enter, false)));
        assert!(!edit_line(&mut line, key(Key::Char('j'), true)));
        assert_eq!(line.lines().len(), 1);
        edit_line(&mut line, key(Key::End, false));
        assert!(edit_line(&mut line, key(Key::Char('u'), true)));
        assert_eq!(line.lines().concat(), "");
    }
}
