//! A folder of output files (brat's `.txt` and `.ann` pairs) written whole.
//!
//! The files go into a temporary sibling folder, renamed onto the target when the run
//! ends: until then the previous folder is untouched, and an interrupted or failed run
//! leaves it as it was, with nothing of the new run mixed in. A file from an earlier
//! run never survives beside the new ones.

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Pending;

/// Files of a replaced folder that are carried into the new one: brat's configuration
/// (`annotation.conf`, `visual.conf`…), which users add beside the annotations.
const KEPT_EXTENSION: &str = "conf";

/// Files a replaced folder may hold: gaztag's own output, and configuration kept.
const REPLACED_EXTENSIONS: [&str; 3] = ["txt", "ann", KEPT_EXTENSION];

/// An output folder being written.
pub(crate) struct OutputFolder {
    temp: tempfile::TempDir,
    /// The folder to replace (symlinks resolved, so a link keeps pointing at it).
    target: PathBuf,
    /// Permissions of the folder being replaced, kept; a new one gets the umask's.
    permissions: Option<Permissions>,
    _pending: Pending,
}

impl OutputFolder {
    /// Starts writing the folder `path` (its parent is created if need be). A folder
    /// already there is replaced at [`OutputFolder::finish`]; one holding anything but
    /// `.txt`, `.ann` and `.conf` files is refused, as not an earlier output.
    pub(crate) fn create(path: &Path) -> io::Result<OutputFolder> {
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let permissions = match std::fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                check_replaceable(&target)?;
                Some(meta.permissions())
            }
            Ok(_) => return Err(io::Error::other("exists and is not a folder")),
            Err(_) => None,
        };
        let parent = parent_of(&target);
        std::fs::create_dir_all(parent)?;
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(&target)))
            .suffix(".tmp")
            .tempdir_in(parent)?;
        let pending = Pending::folder(temp.path());
        Ok(OutputFolder {
            temp,
            target,
            permissions,
            _pending: pending,
        })
    }

    /// Writes one file of the folder. Names are unique: a name written twice is an
    /// error, never a silent overwrite.
    pub(crate) fn write_file(&self, name: &str, contents: &[u8]) -> io::Result<()> {
        // A plain create honours the umask, as every output must.
        let mut file = File::create_new(self.temp.path().join(name))?;
        file.write_all(contents)?;
        file.sync_all()
    }

    /// Moves the finished folder into place, replacing the previous one.
    pub(crate) fn finish(self) -> io::Result<()> {
        let old = std::fs::metadata(&self.target).is_ok_and(|m| m.is_dir());
        if old {
            carry_configuration(&self.target, self.temp.path())?;
        }
        match &self.permissions {
            Some(p) => std::fs::set_permissions(self.temp.path(), p.clone())?,
            None => set_new_folder_mode(self.temp.path())?,
        }
        if !old {
            return std::fs::rename(self.temp.path(), &self.target);
        }
        // Out of the way first (a folder cannot be renamed onto a non-empty one), under
        // a name an interrupted run renames back.
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(&self.target)))
            .suffix(".old")
            .tempdir_in(parent_of(&self.target))?
            .keep();
        std::fs::rename(&self.target, &aside)?;
        let _restore = Pending::restore(&aside, &self.target);
        if let Err(err) = std::fs::rename(self.temp.path(), &self.target) {
            let _ = std::fs::rename(&aside, &self.target);
            return Err(err);
        }
        // The new folder is in place: what is left of the old one is only litter.
        let _ = std::fs::remove_dir_all(&aside);
        Ok(())
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Refuses to replace a folder that holds more than an earlier output: `-o ~/Documents`
/// must not delete the user's files.
fn check_replaceable(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ours = entry.file_type()?.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| REPLACED_EXTENSIONS.contains(&e));
        if !ours {
            return Err(io::Error::other(format!(
                "holds {}, which gaztag did not write (the folder is replaced whole): \
                 choose a new or empty folder",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Copies the `.conf` files of the replaced folder into the new one.
fn carry_configuration(old: &Path, new: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(old)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) == Some(KEPT_EXTENSION)
            && let Some(name) = path.file_name()
        {
            std::fs::copy(&path, new.join(name))?;
        }
    }
    Ok(())
}

/// A new folder gets 0777 less the umask (the temporary one was made private).
#[cfg(unix)]
fn set_new_folder_mode(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, Permissions::from_mode(super::umask::dir_mode()))
}

#[cfg(not(unix))]
fn set_new_folder_mode(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_old_folder_stays_until_the_new_one_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("brat");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        std::fs::write(target.join("annotation.conf"), "[entities]").unwrap();

        let folder = OutputFolder::create(&target).unwrap();
        folder.write_file("new.txt", b"new").unwrap();
        drop(folder);
        assert_eq!(names(&target), ["annotation.conf", "old.txt"]);
        assert_eq!(names(dir.path()), ["brat"]);

        let folder = OutputFolder::create(&target).unwrap();
        folder.write_file("new.txt", b"new").unwrap();
        assert!(folder.write_file("new.txt", b"again").is_err());
        folder.finish().unwrap();
        assert_eq!(names(&target), ["annotation.conf", "new.txt"]);
        assert_eq!(names(dir.path()), ["brat"]);
    }

    #[test]
    fn a_folder_of_other_files_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.odt"), "mine").unwrap();
        assert!(OutputFolder::create(dir.path()).is_err());
        let file = dir.path().join("thesis.odt");
        assert!(OutputFolder::create(&file).is_err());
    }
}
