//! Stage `cli`: the names of our temporary output files, and clearing away
//! those a run left behind. A run writes `.salesplit-<pid>-XXXXXX.tmp`
//! beside its output; a signal removes it (see `live_temps`), but `kill -9`,
//! a crash or a power cut cannot, and an output of the whole year by day is
//! hundreds of megabytes. So each run, before writing, removes from its
//! output's folder the temporary files of runs that are over.
//!
//! Contract: a file is removed only when its name is ours and its run is
//! certainly over — never a concurrent run's live file (see
//! [`TempName::stale`] for how that is decided).

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Every temporary file of ours starts with this…
const PREFIX: &str = ".salesplit-";
/// …and ends with this.
const SUFFIX: &str = ".tmp";

/// How long a file must have been left untouched before it counts as left
/// behind: longer than any pause a live run makes between writes.
const UNTOUCHED: Duration = Duration::from_secs(10 * 60);

/// A temporary file left by a version before names carried the pid is
/// removed once it has been untouched this long.
const UNTOUCHED_UNNAMED: Duration = Duration::from_secs(60 * 60);

/// What the name of one of our temporary files says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TempName {
    /// The process that made it; `None` for a name from before names
    /// carried one.
    pub pid: Option<u32>,
}

impl TempName {
    /// The prefix of this process's temporary files: `.salesplit-<pid>-`
    /// (the random part and [`TempName::suffix`] follow).
    pub(crate) fn prefix() -> String {
        format!("{PREFIX}{}-", std::process::id())
    }

    /// The suffix of every temporary file of ours.
    pub(crate) fn suffix() -> &'static str {
        SUFFIX
    }

    /// Reads a file name; `None` when it is not one of ours.
    pub(crate) fn parse(name: &str) -> Option<TempName> {
        let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
        match middle.split_once('-') {
            Some((pid, random)) if !pid.is_empty() && !random.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
                Some(TempName { pid: pid.parse().ok() })
            }
            // tempfile's six random characters, with no pid before them.
            _ if middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric()) => Some(TempName { pid: None }),
            _ => None,
        }
    }

    /// Whether a file of this name, last modified at `modified`, was left
    /// behind by a run that is over. Its process must be gone (`kill(pid,
    /// 0)` finds none) AND the file untouched for [`UNTOUCHED`]: the pid
    /// alone is not proof, since a folder shared over the network holds
    /// files of other machines' runs, whose pids mean nothing here, while a
    /// live run writes its file continuously. A reused pid only keeps a stale
    /// file longer, never removes a live one.
    pub(crate) fn stale(self, modified: SystemTime, now: SystemTime) -> bool {
        let untouched = now.duration_since(modified).unwrap_or(Duration::ZERO);
        match self.pid {
            Some(pid) => untouched >= UNTOUCHED && !alive(pid),
            None => untouched >= UNTOUCHED_UNNAMED,
        }
    }

    /// Removes the stale temporary files of ours in `folder`. Best effort:
    /// a file that cannot be removed stays, and the run goes on.
    pub(crate) fn sweep(folder: &Path) {
        let Ok(entries) = std::fs::read_dir(folder) else { return };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(temp) = name.to_str().and_then(TempName::parse) else { continue };
            // The entry's own metadata: a link named like ours is not followed.
            let Ok(meta) = entry.metadata() else { continue };
            let Ok(modified) = meta.modified() else { continue };
            if meta.is_file() && temp.stale(modified, now) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether process `pid` exists on this machine. When unsure, yes.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_names_only() {
        assert_eq!(TempName::parse(".salesplit-4242-a1B2c3.tmp"), Some(TempName { pid: Some(4242) }));
        assert_eq!(TempName::parse(".salesplit-a1B2c3.tmp"), Some(TempName { pid: None }));
        assert_eq!(
            TempName::parse(&format!("{}x7Yz9Q{}", TempName::prefix(), TempName::suffix())).map(|t| t.pid),
            Some(Some(std::process::id()))
        );
        for other in [
            "salesplit-1-abcdef.tmp",
            ".salesplit-1-abcdef.csv",
            ".salesplit-.tmp",
            ".salesplit-abc.tmp",
            ".salesplit-12x-abcdef.tmp",
            "plan.toml",
            ".salesplit-1-.tmp",
        ] {
            assert_eq!(TempName::parse(other), None, "{other}");
        }
    }

    #[test]
    fn a_file_is_stale_only_when_its_run_is_gone_and_it_is_untouched() {
        let now = SystemTime::now();
        let old = now - Duration::from_secs(3600);
        let fresh = now - Duration::from_secs(5);
        // A pid that cannot be running: above the kernel's maximum.
        let gone = TempName { pid: Some(4_194_304 + 7) };
        let me = TempName { pid: Some(std::process::id()) };
        assert!(gone.stale(old, now));
        assert!(!gone.stale(fresh, now), "a fresh file may be another machine's live run");
        assert!(!me.stale(old, now), "a live process's file is never stale");
        let unnamed = TempName { pid: None };
        assert!(!unnamed.stale(now - Duration::from_secs(20 * 60), now));
        assert!(unnamed.stale(now - Duration::from_secs(2 * 3600), now));
    }
}
