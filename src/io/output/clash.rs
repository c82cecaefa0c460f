//! Refusing an output that is also an input.
//!
//! Outputs replace their target when the run ends, so `tag w.jsonl -o w.jsonl` would
//! swap the raw text for the tags, and a brat folder that holds an input would delete
//! it. Before anything is read, each output is compared with each input: by identity
//! (device and inode, which sees through symlinks and hard links) and by canonical
//! path, which also covers an output not yet created inside an input folder (a later
//! run would read it back as an input).

use std::fs::Metadata;
use std::path::{Component, Path, PathBuf};

/// One input of a run: a path (file or folder, as given) or standard input.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Path(&'a Path),
    Stdin,
}

impl<'a> Input<'a> {
    /// `-` is standard input, as on every command line of gaztag.
    pub fn from_arg(arg: &'a (impl AsRef<Path> + ?Sized)) -> Input<'a> {
        let path = arg.as_ref();
        if path == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(path)
        }
    }
}

/// An output that would overwrite, delete or later read back an input.
#[derive(Debug, thiserror::Error)]
pub enum Clash {
    #[error(
        "the output {output} is the input {input}: writing it would destroy the input; choose another output"
    )]
    IsInput { output: String, input: String },
    #[error(
        "the output {output} is inside the input folder {input}: the next run would read it as an input; choose another output"
    )]
    InsideInputFolder { output: String, input: String },
    #[error(
        "the input {input} is inside the output folder {output}, which is replaced when the run ends; choose another output folder"
    )]
    InputInsideOutput { output: String, input: String },
}

/// A file identity: device and inode where the platform has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

#[cfg(unix)]
fn file_id(meta: &Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &Metadata) -> Option<FileId> {
    None
}

/// What an output file is: its canonical path (that of its folder joined with its name
/// when it does not exist yet) and, when it exists, its identity.
struct Target {
    label: String,
    path: Option<PathBuf>,
    id: Option<FileId>,
}

impl Target {
    fn of_path(path: &Path) -> Target {
        let meta = std::fs::metadata(path).ok();
        Target {
            label: path.display().to_string(),
            path: canonical(path),
            id: meta.as_ref().filter(|m| m.is_file()).and_then(file_id),
        }
    }

    fn is(&self, path: Option<&Path>, meta: &Metadata) -> bool {
        let same_id = self.id.is_some() && self.id == file_id(meta);
        same_id || (path.is_some() && self.path.as_deref() == path)
    }
}

/// The canonical path of `path`, or of its folder joined with its name when it does
/// not exist (yet).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// Refuses an output file (`-o`, `--save-partial`) that is one of `inputs`, or one of
/// the files of an input folder, or would be one.
pub fn check_file(output: &Path, inputs: &[Input]) -> Result<(), Clash> {
    check_target(&Target::of_path(output), inputs)
}

/// Refuses standard output when it is redirected into one of `inputs` (as `cat` does).
pub fn check_stdout(inputs: &[Input]) -> Result<(), Clash> {
    let Some(meta) = std_metadata(StdStream::Out) else {
        return Ok(());
    };
    let target = Target {
        label: "(standard output)".into(),
        path: None,
        id: file_id(&meta),
    };
    check_target(&target, inputs)
}

fn check_target(target: &Target, inputs: &[Input]) -> Result<(), Clash> {
    for input in inputs {
        let clash = |input: &str| Clash::IsInput {
            output: target.label.clone(),
            input: input.to_string(),
        };
        let path = match input {
            Input::Stdin => {
                if std_metadata(StdStream::In).is_some_and(|m| target.is(None, &m)) {
                    return Err(clash("(standard input)"));
                }
                continue;
            }
            Input::Path(path) => *path,
        };
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        let input_path = std::fs::canonicalize(path).ok();
        if !meta.is_dir() {
            if target.is(input_path.as_deref(), &meta) {
                return Err(clash(&path.display().to_string()));
            }
            continue;
        }
        if target.id.is_some()
            && let Some(file) = folder_files(path).find(|(_, m)| target.is(None, m))
        {
            return Err(clash(&file.0.display().to_string()));
        }
        if let (Some(folder), Some(out)) = (&input_path, &target.path)
            && read_from_folder(folder, out)
        {
            return Err(Clash::InsideInputFolder {
                output: target.label.clone(),
                input: path.display().to_string(),
            });
        }
    }
    Ok(())
}

/// Refuses an output folder (brat's `-o`) that holds an input, or lies in an input
/// folder: the folder is replaced whole when the run ends.
pub fn check_folder(output: &Path, inputs: &[Input]) -> Result<(), Clash> {
    let Some(out) = canonical(output) else {
        return Ok(());
    };
    for input in inputs {
        let Input::Path(path) = input else { continue };
        let Ok(input_path) = std::fs::canonicalize(path) else {
            continue;
        };
        let label = || (output.display().to_string(), path.display().to_string());
        if input_path.starts_with(&out) {
            let (output, input) = label();
            return Err(Clash::InputInsideOutput { output, input });
        }
        if input_path.is_dir() && read_from_folder(&input_path, &out) {
            let (output, input) = label();
            return Err(Clash::InsideInputFolder { output, input });
        }
    }
    Ok(())
}

/// Whether `path` is in `folder` where reading the folder finds it: no hidden entry
/// on the way, as folders are read.
fn read_from_folder(folder: &Path, path: &Path) -> bool {
    match path.strip_prefix(folder) {
        Ok(rel) => !rel.components().any(|c| match c {
            Component::Normal(name) => name.to_string_lossy().starts_with('.'),
            _ => false,
        }),
        Err(_) => false,
    }
}

/// The regular files a folder input is read from (hidden entries skipped, symlinks
/// followed, as input folders are read), with their metadata.
fn folder_files(root: &Path) -> impl Iterator<Item = (PathBuf, Metadata)> {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.into_path(), meta))
        })
}

#[derive(Clone, Copy)]
enum StdStream {
    In,
    Out,
}

/// The metadata of standard input or output when it is a regular file (a pipe or a
/// terminal can never be an input file).
#[cfg(unix)]
fn std_metadata(stream: StdStream) -> Option<Metadata> {
    use std::os::fd::AsFd;
    let fd = match stream {
        StdStream::In => std::io::stdin().as_fd().try_clone_to_owned(),
        StdStream::Out => std::io::stdout().as_fd().try_clone_to_owned(),
    };
    let meta = std::fs::File::from(fd.ok()?).metadata().ok()?;
    meta.is_file().then_some(meta)
}

#[cfg(not(unix))]
fn std_metadata(_stream: StdStream) -> Option<Metadata> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_that_is_an_input_is_refused_however_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let inputs = [Input::Path(&file)];
        assert!(matches!(
            check_file(&file, &inputs),
            Err(Clash::IsInput { .. })
        ));
        let other = dir.path().join("out.jsonl");
        assert!(check_file(&other, &inputs).is_ok());
        #[cfg(unix)]
        {
            let hard = dir.path().join("hard.jsonl");
            std::fs::hard_link(&file, &hard).unwrap();
            assert!(check_file(&hard, &inputs).is_err());
            let soft = dir.path().join("soft.jsonl");
            std::os::unix::fs::symlink(&file, &soft).unwrap();
            assert!(check_file(&soft, &inputs).is_err());
        }
    }

    #[test]
    fn folders_hold_their_files_but_not_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let news = dir.path().join("news");
        std::fs::create_dir(&news).unwrap();
        std::fs::write(news.join("a.txt"), "x").unwrap();
        let inputs = [Input::Path(&news)];
        assert!(matches!(
            check_file(&news.join("new.jsonl"), &inputs),
            Err(Clash::InsideInputFolder { .. })
        ));
        assert!(check_file(&news.join(".hidden.jsonl"), &inputs).is_ok());
        assert!(check_file(&dir.path().join("out.jsonl"), &inputs).is_ok());
        #[cfg(unix)]
        {
            let outside = dir.path().join("out.jsonl");
            std::fs::hard_link(news.join("a.txt"), &outside).unwrap();
            assert!(matches!(
                check_file(&outside, &inputs),
                Err(Clash::IsInput { .. })
            ));
        }
        assert!(matches!(
            check_folder(dir.path(), &inputs),
            Err(Clash::InputInsideOutput { .. })
        ));
        assert!(matches!(
            check_folder(&news.join("brat"), &inputs),
            Err(Clash::InsideInputFolder { .. })
        ));
        assert!(check_folder(&dir.path().join("brat"), &inputs).is_ok());
    }
}
