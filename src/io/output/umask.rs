//! The process's umask, which new output files must honour.
//!
//! Outputs are written through temporary files, which `tempfile` creates private
//! (0600); renamed into place as they are, every output would ignore the umask. A new
//! output gets instead the mode a plain `open(O_CREAT, 0666)` would give it.
//!
//! POSIX can only read the umask by setting it (`umask(2)` returns the old value), and
//! a file created by another thread between the set and the restore would get the
//! wrong mode. So the value is read once, from `/proc/self/status` where Linux offers
//! it, else by set-and-restore in [`init`], which the binary calls before it starts
//! any thread.

use std::sync::OnceLock;

static UMASK: OnceLock<u32> = OnceLock::new();

/// The usual umask, assumed when it cannot be read.
const FALLBACK: u32 = 0o022;

/// Reads the umask now. Call it at start-up, before any thread exists: where
/// `/proc` does not tell it, reading it briefly changes it.
pub fn init() {
    UMASK.get_or_init(|| read_proc().unwrap_or_else(read_by_setting));
}

/// The umask read by [`init`]; without it, the one `/proc` tells or 022 (never the
/// racy set-and-restore once threads may be running).
pub(crate) fn get() -> u32 {
    *UMASK.get_or_init(|| read_proc().unwrap_or(FALLBACK))
}

/// Mode of a new regular file: 0666 less the umask.
pub(crate) fn file_mode() -> u32 {
    0o666 & !get()
}

/// Mode of a new folder: 0777 less the umask.
pub(crate) fn dir_mode() -> u32 {
    0o777 & !get()
}

/// The `Umask:` line of `/proc/self/status` (Linux 4.7 and later).
fn read_proc() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_status(&status)
}

fn parse_status(status: &str) -> Option<u32> {
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

#[cfg(unix)]
fn read_by_setting() -> u32 {
    // SAFETY: umask(2) cannot fail and touches no memory; the old value is restored
    // at once, and `init` runs before other threads exist.
    let old = unsafe { libc::umask(0o022) };
    unsafe { libc::umask(old) };
    // mode_t is u32 on Linux, u16 on macOS.
    #[allow(clippy::useless_conversion)]
    u32::from(old)
}

#[cfg(not(unix))]
fn read_by_setting() -> u32 {
    FALLBACK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_is_octal() {
        let status = "Name:\tgaztag\nUmask:\t0077\nState:\tR (running)\n";
        assert_eq!(parse_status(status), Some(0o077));
        assert_eq!(parse_status("Name:\tx\n"), None);
    }

    #[test]
    fn modes_clear_the_umask_bits() {
        assert_eq!(file_mode() & get(), 0);
        assert_eq!(dir_mode() & get(), 0);
    }
}
