//! The rules every entity obeys whatever format it came from (YAML, TSV/CSV, spaCy
//! patterns, GATE lists): each loader calls these at the line it is reading, so an
//! error names that line.

/// An id goes into TSV cells, brat annotation lines and terminal messages, where a tab,
/// a line break or an escape sequence would break the output or the screen.
pub(crate) fn check_id(id: &str) -> Result<(), String> {
    match id.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "id {id:?} holds the control character U+{:04X}, which would break TSV and brat output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// An attribute key or value goes into TSV headers and cells and into terminal
/// messages just as an id does, so the same characters break it.
pub(crate) fn check_attr(key: &str, value: &str) -> Result<(), String> {
    check_attr_key(key)?;
    check_attr_value(value).map_err(|m| format!("attribute {key:?}: {m}"))
}

pub(crate) fn check_attr_key(key: &str) -> Result<(), String> {
    match key.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "attribute name {key:?} holds the control character U+{:04X}, which would break TSV output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

pub(crate) fn check_attr_value(value: &str) -> Result<(), String> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "value {value:?} holds the control character U+{:04X}, which would break TSV output",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// A name or alias (whitespace already squeezed) must be something a reader can see: a
/// control character would break the output, and a form without a letter or digit once
/// folded (punctuation, zero-width or bidi characters, combining marks) would be tagged
/// where the text shows nothing, or nothing but a comma.
pub(crate) fn check_surface(form: &str) -> Result<(), String> {
    if let Some(c) = form.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{form:?} holds the control character U+{:04X}, which would break TSV and brat output",
            u32::from(c)
        ));
    }
    let folded = crate::text::normalize::normalize(form).text;
    if !folded.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "{form:?} has no letter or digit (only punctuation, marks or invisible \
             characters): it would be tagged where the text shows no name"
        ));
    }
    Ok(())
}

/// A prior is compared with others: NaN would win or lose every comparison at random,
/// and an infinite one would beat every context clue.
pub(crate) fn check_prior(prior: f64) -> Result<f64, String> {
    if prior.is_finite() {
        Ok(prior)
    } else {
        Err(format!("prior {prior} is not a finite number"))
    }
}

/// One character, not counting trailing dots: "A", "X", "É", "Q.".
pub(crate) fn is_one_letter(surface: &str) -> bool {
    surface.trim_end_matches('.').chars().count() == 1
}

/// `[A-Z][A-Z0-9_]*`: the form of every type label, in YAML and in tables.
pub(crate) fn is_type_label(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
