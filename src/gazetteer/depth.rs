//! A nesting limit for YAML, checked before the parser runs.
//!
//! libyaml (under serde_norway) does work proportional to the open flow collections
//! (`[`, `{`) on every token, so `[[[[…` 100,000 deep takes it most of a minute; the
//! deserializer's own recursion limit only applies after the whole document is parsed.
//! This scan finds the flow depth in one pass, so that such a file fails at once.
//!
//! It reads YAML's flow brackets, quoted scalars and comments well enough for this: a
//! quote opens only where a node may start, so the apostrophe of `O'Brien` is text; a
//! quote opened at the top level ends at its line at the latest, so a misread quote
//! cannot hide brackets beyond the line it is on. When unsure it counts a bracket, so it
//! may overcount brackets in comments or block scalars, which no gazetteer holds by the
//! hundred; a real gazetteer nests three deep at most.

/// More open brackets than this is an error. Deeper documents fail in the deserializer
/// anyway (its recursion limit is 128), only after a long parse.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Where the first bracket beyond [`MAX_FLOW_DEPTH`] is: line and column, from 1.
pub fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut scan = Scan::default();
    let (mut line, mut column) = (1, 0);
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            scan.end_line();
            (line, column) = (line + 1, 0);
            continue;
        }
        let next = chars.peek().copied();
        if scan.quote.is_some() {
            if scan.in_quote(c, next) {
                chars.next();
                column += 1;
            }
            continue;
        }
        scan.outside_quote(c, next);
        if scan.depth > MAX_FLOW_DEPTH {
            return Some((line, column));
        }
    }
    None
}

#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// The quote character of the quoted scalar being read, and its opening depth.
    quote: Option<char>,
    /// A node may start here: a quote here opens a quoted scalar.
    node_start: bool,
    /// In a comment: nothing opens a quote until the line ends.
    comment: bool,
    /// The last character closed a quoted scalar (for JSON-like `"key":value`).
    after_quote: bool,
    /// Reading an anchor or tag (`&a`, `!t`), after which a node may still start.
    property: bool,
    /// The last character was whitespace (or the line start).
    after_space: bool,
}

impl Scan {
    fn end_line(&mut self) {
        // At the top level a quote may span lines, but a misread one must not hide
        // the rest of the file: assume it ends here.
        if self.depth == 0 {
            self.quote = None;
        }
        self.comment = false;
        self.after_quote = false;
        self.property = false;
        self.after_space = true;
        self.node_start = self.depth == 0 || self.node_start;
    }

    /// Returns whether `next` was consumed (an escape).
    fn in_quote(&mut self, c: char, next: Option<char>) -> bool {
        match (self.quote, c) {
            (Some('"'), '\\') => true,
            (Some('\''), '\'') if next == Some('\'') => true,
            (Some(q), c) if c == q => {
                self.quote = None;
                self.after_quote = true;
                self.node_start = false;
                self.after_space = false;
                false
            }
            _ => false,
        }
    }

    fn outside_quote(&mut self, c: char, next: Option<char>) {
        let followed_by_space = next.is_none_or(char::is_whitespace);
        let after_quote = std::mem::take(&mut self.after_quote);
        if c.is_whitespace() {
            if std::mem::take(&mut self.property) {
                self.node_start = true;
            }
            self.after_space = true;
            return;
        }
        let after_space = std::mem::replace(&mut self.after_space, false);
        let node_start = std::mem::replace(&mut self.node_start, false);
        match c {
            '#' if after_space => self.comment = true,
            '\'' | '"' if node_start && !self.comment => self.quote = Some(c),
            '[' | '{' if node_start || self.depth > 0 => {
                self.depth += 1;
                self.node_start = true;
            }
            ']' | '}' if self.depth > 0 => self.depth -= 1,
            ',' if self.depth > 0 => self.node_start = true,
            ':' if followed_by_space || after_quote => self.node_start = true,
            '-' | '?' if node_start && followed_by_space => self.node_start = true,
            '&' | '!' if node_start => self.property = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(yaml: &str) -> Option<(usize, usize)> {
        too_deep(yaml)
    }

    #[test]
    fn deep_flow_nesting_is_found_at_its_bracket() {
        let yaml = format!("type: PER\nentities: {}", "[".repeat(200));
        assert_eq!(depth_error(&yaml), Some((2, 11 + MAX_FLOW_DEPTH)));
        let yaml = format!("type: PER\nentities:\n  - {}", "{a: ".repeat(200));
        assert_eq!(depth_error(&yaml).map(|p| p.0), Some(3));
    }

    #[test]
    fn brackets_in_text_quotes_and_comments_do_not_count() {
        let many = "[".repeat(300);
        for yaml in [
            format!("name: a{many}"),
            format!("name: '{many}'\nother: x"),
            format!("aliases: [\"{many}\", 'it''s {many}']"),
            format!("aliases: [O'Brien, \"a\\\"{many}\"]"),
            format!("- name: x # '{many}\n- y"),
            format!("name: Guns 'n Roses {many}"),
            format!("name: |\n  text ' {many}"),
        ] {
            assert_eq!(depth_error(&yaml), None, "{yaml}");
        }
    }

    /// A quote the scan takes for text, or text it takes for a quote, must not hide
    /// real brackets on later lines.
    #[test]
    fn a_misread_quote_hides_nothing_beyond_its_line() {
        let deep = "[".repeat(300);
        for yaml in [
            format!("a: x\n  'y\nb: {deep}"),
            format!("a: &anchor 'k #': {deep}"),
            format!("a: [&a 'x, ''', {deep}"),
            format!("a: b # it's\nc: {deep}"),
        ] {
            assert!(depth_error(&yaml).is_some(), "{yaml}");
        }
    }
}
