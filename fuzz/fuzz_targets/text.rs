//! The text functions on arbitrary UTF-8: cleaners return a value or a `ValidationError`,
//! `display_safe` and `preview` always return text free of hidden characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenantry::domain::text::{
    clean_email, clean_line, display_safe, email_key, is_hidden_char, preview,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let safe = display_safe(text);
    assert!(
        !safe.chars().any(is_hidden_char),
        "display_safe let a hidden character through"
    );
    let shown = preview(text);
    assert!(
        !shown.chars().any(is_hidden_char),
        "preview let a hidden character through"
    );
    let _ = clean_line("field", text, 1, 200);
    let _ = clean_email("email", text);
    let _ = email_key(text);
    let _ = tenantry::domain::slugify("name", text);
    let _ = tenantry::domain::customer::clean_customer_name(text);
    let _ = tenantry::domain::customer::clean_language(text);
    let _ = tenantry::domain::user::clean_person_name("first name", text);
});
