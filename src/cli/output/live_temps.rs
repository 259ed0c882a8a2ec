//! Stage `cli`: the temporary files being written, and what happens to them
//! on Ctrl-C, `kill` or a closed terminal. The default action of SIGINT,
//! SIGTERM and SIGHUP ends the process on the spot, without the destructors
//! that would remove a half-written temporary file, and a year by day is
//! hundreds of megabytes. [`LiveTemps::install`] starts a thread that waits
//! for those signals (through `signal-hook`: the handler itself only wakes
//! the thread, which is all a handler may safely do), removes every
//! registered temporary file, then ends the process by the signal's default
//! action, so the exit status still says which signal ended it (130 for
//! SIGINT, 143 for SIGTERM in a shell).
//!
//! Contract: a signal that was ignored when salesplit started (`nohup`
//! ignores SIGHUP) stays ignored; SIGPIPE is left alone (a closed pipe is an
//! error on write, which ends the run quietly). A temporary file is removed
//! by a signal or renamed into place, never both: the rename happens under
//! the same lock ([`LiveTemp::commit`]).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The temporary files now being written.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere cannot leave the list half changed: use it anyway.
    LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The signal handling, installed once per process.
pub(crate) struct LiveTemps;

impl LiveTemps {
    /// Starts the thread that removes the live temporary files on SIGINT,
    /// SIGTERM or SIGHUP and then ends the process. Later calls do nothing.
    pub(crate) fn install() {
        static INSTALLED: OnceLock<()> = OnceLock::new();
        INSTALLED.get_or_init(|| {
            #[cfg(unix)]
            start();
        });
    }
}

#[cfg(unix)]
fn start() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let wanted: Vec<libc::c_int> = [SIGINT, SIGTERM, SIGHUP].into_iter().filter(|s| !ignored(*s)).collect();
    if wanted.is_empty() {
        return;
    }
    // The signals are caught from inside the thread, so that if it cannot
    // be started nothing is caught (the default action still ends the
    // process; only the clean-up is lost). `install` waits until they are.
    let (ready, registered) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new().name("signals".into()).spawn(move || {
        let signals = signal_hook::iterator::Signals::new(&wanted);
        let _ = ready.send(());
        let Ok(mut signals) = signals else { return };
        if let Some(signal) = signals.forever().next() {
            // Hold the lock to the end: a rename under way finishes first,
            // and no new file is registered after this.
            let live = live();
            for path in live.iter() {
                let _ = std::fs::remove_file(path);
            }
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only reached if the default action could not be restored.
            std::process::exit(128 + signal);
        }
    });
    if thread.is_ok() {
        let _ = registered.recv();
    }
}

/// Whether `signal` is ignored (`SIG_IGN`), as `nohup` leaves SIGHUP.
#[cfg(unix)]
fn ignored(signal: libc::c_int) -> bool {
    // SAFETY: with a null new action, sigaction only reads the current one
    // into `old`, a zeroed plain C struct.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &raw mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// A temporary file registered for removal on a signal, until it is
/// committed or dropped.
#[derive(Debug)]
pub struct LiveTemp {
    path: PathBuf,
}

impl LiveTemp {
    /// Registers `path`, a temporary file just created.
    pub fn register(path: &Path) -> LiveTemp {
        live().push(path.to_path_buf());
        LiveTemp { path: path.to_path_buf() }
    }

    /// Runs `rename` (which moves the file into place) so that no signal
    /// removes the file meanwhile, then forgets it.
    pub fn commit<R>(self, rename: impl FnOnce() -> R) -> R {
        let mut live = live();
        let result = rename();
        live.retain(|p| *p != self.path);
        drop(live);
        std::mem::forget(self);
        result
    }
}

impl Drop for LiveTemp {
    fn drop(&mut self) {
        live().retain(|p| *p != self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temp_is_registered_until_committed_or_dropped() {
        let a = Path::new("/nonexistent/.salesplit-1-aaaaaa.tmp");
        let b = Path::new("/nonexistent/.salesplit-1-bbbbbb.tmp");
        let first = LiveTemp::register(a);
        let second = LiveTemp::register(b);
        assert!(live().iter().any(|p| p == a) && live().iter().any(|p| p == b));
        let locked = first.commit(|| LIVE.try_lock().is_err());
        assert!(locked, "the rename runs under the lock a signal takes");
        assert!(!live().iter().any(|p| p == a));
        drop(second);
        assert!(!live().iter().any(|p| p == b));
    }
}
