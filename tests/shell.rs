//! Shell completions and the man page, used as a user would install them.

mod common;

use common::Workdir;
use predicates::str::contains;

#[test]
fn bash_completion_loads_and_completes_subcommands_and_flags() {
    let wd = Workdir::new();
    let script = wd.gaztag(&["completions", "bash"]).assert().success();
    wd.write("gaztag.bash", &script.get_output().stdout);
    // Load it as bash-completion would, then ask it what follows "gaztag t" and
    // "gaztag tag --st".
    let probe = r#"
source ./gaztag.bash
complete -p gaztag
COMP_WORDS=(gaztag t); COMP_CWORD=1; _gaztag gaztag t gaztag; echo "words: ${COMPREPLY[*]}"
COMP_WORDS=(gaztag tag --st); COMP_CWORD=2; _gaztag gaztag --st tag; echo "flags: ${COMPREPLY[*]}"
"#;
    let out = std::process::Command::new("bash")
        .current_dir(wd.path())
        .args(["-c", probe])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("-F _gaztag gaztag"), "{stdout}");
    assert!(stdout.contains("words: tag"), "{stdout}");
    let flags = stdout.lines().find(|l| l.starts_with("flags:")).unwrap();
    assert!(
        flags.contains("--stats") && flags.contains("--stop") && flags.contains("--strict"),
        "{flags}"
    );
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    let wd = Workdir::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let assert = wd.gaztag(&["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        for sub in ["tag", "stats", "cooc", "merge", "eval", "check"] {
            assert!(script.contains(sub), "{shell} script lacks {sub}");
        }
    }
    wd.gaztag(&["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("invalid value 'tcsh'"));
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let wd = Workdir::new();
    let assert = wd.gaztag(&["man"]).assert().success();
    let page = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(page.contains(".TH gaztag 1"), "{page}");
    for sub in [
        "tag",
        "stats",
        "cooc",
        "merge",
        "eval",
        "check",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("gaztag\\-{sub}")),
            "man page lacks {sub}"
        );
    }
}

/// Help and usage errors are styled when colour is wanted (CLICOLOR_FORCE stands in for
/// a terminal here) and never when NO_COLOR is set, whatever else says so.
#[test]
fn no_color_turns_off_every_escape_sequence() {
    let wd = Workdir::new();
    let escapes = |no_color: bool, args: &[&str]| {
        let mut cmd = wd.gaztag(args);
        cmd.env("CLICOLOR_FORCE", "1").env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().unwrap();
        [out.stdout, out.stderr]
            .concat()
            .iter()
            .filter(|&&b| b == 0x1b)
            .count()
    };
    for args in [
        &["tag", "--help"][..],
        &["--help"],
        &["tag", "--bogus"],
        &["report", "--help"],
    ] {
        assert!(
            escapes(false, args) > 0,
            "{args:?} is styled when colour is forced"
        );
        assert_eq!(escapes(true, args), 0, "{args:?} with NO_COLOR");
    }
}
