//! JSON text for V8 as ASCII: every non-ASCII character written as a `\\u` escape.
//! `JSON.parse` reads the same values, and V8 keeps an ASCII string at one byte per
//! character (non-ASCII text would make the whole string two bytes a character, and its
//! parse slower). Used for data-mart pages and NDJSON batches.

/// Appends valid JSON `text` with every non-ASCII character written as a `\\u` escape.
pub fn push_ascii_json(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut run_start, mut index) = (0, 0);
    while let Some(offset) = bytes[index..].iter().position(|b| !b.is_ascii()) {
        index += offset;
        out.push_str(&text[run_start..index]);
        let ch = text[index..].chars().next().expect("a non-ASCII byte starts a character here");
        let mut units = [0u16; 2];
        for unit in ch.encode_utf16(&mut units) {
            push_unicode_escape(out, *unit);
        }
        index += ch.len_utf8();
        run_start = index;
    }
    out.push_str(&text[run_start..]);
}

fn push_unicode_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)] as char);
    }
}
