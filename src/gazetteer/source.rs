//! Reading gazetteer files and stop lists in bounded memory.
//!
//! These files are loaded whole, so a path that never ends (`/dev/zero`, a FIFO fed
//! forever, a file still growing) would take all memory before any check could run.
//! Only regular files and FIFOs are read, and never more than a cap; a NUL byte in the
//! first block says the file is binary before the rest is read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::model::GazetteerError;

/// The most bytes one gazetteer file, GATE list or stop list may hold (1 GiB): far
/// above any real list (the built-in set is a few MB), far below what would exhaust a
/// machine.
pub const MAX_LIST_FILE_SIZE: u64 = 1 << 30;

/// How much is looked at for a NUL byte before the rest is read, as ripgrep does.
const BINARY_PROBE: usize = 8 * 1024;

/// Reads a gazetteer file or a stop list as UTF-8 text, refusing anything but a regular
/// file or a FIFO, anything above [`MAX_LIST_FILE_SIZE`] and binary files.
pub fn read_list_file(path: &Path) -> Result<String, GazetteerError> {
    read_capped(path, MAX_LIST_FILE_SIZE)
}

fn read_capped(path: &Path, cap: u64) -> Result<String, GazetteerError> {
    let io = |source| GazetteerError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    // The open file's metadata, not the path's: what is read is what was checked.
    let meta = file.metadata().map_err(io)?;
    let regular = meta.file_type().is_file();
    if !regular && !is_fifo(&meta) {
        return Err(GazetteerError::NotAFile {
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    let too_large = || GazetteerError::TooLarge {
        path: path.to_path_buf(),
        cap,
    };
    if regular && meta.len() > cap {
        return Err(too_large());
    }
    // The size is a hint only (a file may grow): the reader is bounded either way.
    let hint = if regular { meta.len().min(cap) } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let mut reader = file.take(cap.saturating_add(1));
    (&mut reader)
        .take(BINARY_PROBE as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(GazetteerError::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    reader.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|err| GazetteerError::InvalidNoLocation {
        path: path.to_path_buf(),
        message: format!("invalid UTF-8 at byte {}", err.utf8_error().valid_up_to()),
    })
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// What a path that is not a regular file is, for the error message.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_above_the_cap_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.tsv");
        std::fs::write(&path, "name\ttype\tid\n").unwrap();
        assert_eq!(read_capped(&path, 100).unwrap(), "name\ttype\tid\n");
        let e = read_capped(&path, 5).unwrap_err().to_string();
        assert!(
            e.ends_with(
                "g.tsv: larger than 5 bytes, the most a gazetteer file or stop list may hold"
            ),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_before_reading() {
        let e = read_capped(Path::new("/dev/zero"), 1 << 30)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "/dev/zero: not a regular file (a character device): gazetteers and stop lists are read from files"
        );
    }

    /// A FIFO has no size to check: the bounded read stops it (here with a small cap;
    /// the writer is left blocked, then ends when the reader closes).
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_read_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("stop.fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let writer_path = fifo.clone();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(writer_path)
                .unwrap();
            let line = [b'x'; 1000];
            // Stops with a broken pipe once the reader has given up.
            while f.write_all(&line).is_ok() {}
        });
        let e = read_capped(&fifo, 100_000).unwrap_err().to_string();
        assert!(e.contains("larger than 100000 bytes"), "{e}");
        writer.join().unwrap();
    }

    #[test]
    fn a_nul_byte_in_the_first_block_is_binary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.yaml");
        std::fs::write(&path, b"type: PER\n\0entities: []\n").unwrap();
        let e = read_list_file(&path).unwrap_err().to_string();
        assert!(
            e.ends_with("g.yaml: binary file (a NUL byte at offset 10)"),
            "{e}"
        );
        std::fs::write(&path, b"type: PER\n\xffentities: []\n").unwrap();
        let e = read_list_file(&path).unwrap_err().to_string();
        assert!(e.ends_with("g.yaml: invalid UTF-8 at byte 10"), "{e}");
    }
}
