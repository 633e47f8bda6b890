//! Which imports recorded as `running` still run. An import holds a shared lock on
//! `corpus.sqlite-imports` (beside the corpus) from before its row is written until it returns;
//! the operating system drops the lock when the process ends, however it ends (SIGKILL, a crash,
//! a full disk that stopped even the last status update). A `running` row is live only while
//! that lock is held and its process exists, so a process id reused since is not mistaken for it.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::{Store, StoreError};

/// The lock file of the corpus at `db`.
pub(crate) fn lock_path(db: &Path) -> PathBuf {
    crate::open::side_file(db, "-imports")
}

/// The shared lock an import holds while it runs; released when dropped.
pub(crate) struct ImportLock {
    _file: Option<File>,
}

impl ImportLock {
    /// Takes the shared lock (waiting only while a check holds it for an instant). Where no lock
    /// can be taken (a file system without locks), the import runs without one and a check
    /// falls back to the process id.
    pub(crate) fn acquire(db: &Path) -> ImportLock {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path(db))
            .ok()
            .filter(|f| f.lock_shared().is_ok());
        ImportLock { _file: file }
    }
}

/// Whether any import holds the lock now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Imports {
    /// No lock held (or no lock file): nothing is importing into this corpus.
    NoneRunning,
    /// Some import holds it.
    SomeRunning,
    /// The lock cannot be tested.
    Unknown,
}

pub(crate) fn imports_running(db: &Path) -> Imports {
    let f = match File::open(lock_path(db)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Imports::NoneRunning,
        Err(_) => return Imports::Unknown,
    };
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            Imports::NoneRunning
        }
        Err(TryLockError::WouldBlock) => Imports::SomeRunning,
        Err(TryLockError::Error(_)) => Imports::Unknown,
    }
}

/// Whether the import of a `running` row with process id `pid` still runs.
pub(crate) fn is_live(imports: Imports, pid: Option<i64>) -> bool {
    let own = |p: i64| p == i64::from(std::process::id());
    match imports {
        Imports::NoneRunning => false,
        // Another import in this process (the app) counts: it holds the lock.
        Imports::SomeRunning => pid.is_some_and(|p| own(p) || process_alive(p)),
        // Without the lock, as before it: a process that exists, other than this one.
        Imports::Unknown => pid.is_some_and(|p| !own(p) && process_alive(p)),
    }
}

#[cfg(unix)]
fn process_alive(pid: i64) -> bool {
    // Signal 0 checks for existence without sending anything; EPERM means it exists.
    if pid <= 0 || pid > i64::from(i32::MAX) {
        return false;
    }
    // SAFETY: kill with signal 0 sends nothing.
    let r = unsafe { libc::kill(pid as i32, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: i64) -> bool {
    true
}

impl Store {
    /// The ids of the `running` imports that no longer run.
    pub(crate) fn stale_imports(&self) -> Result<Vec<i64>, StoreError> {
        let running: Vec<(i64, Option<i64>)> = {
            let mut st = self
                .conn
                .prepare("SELECT id, pid FROM imports WHERE status = 'running' ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        if running.is_empty() {
            return Ok(Vec::new());
        }
        let imports = imports_running(self.path());
        Ok(running
            .into_iter()
            .filter(|(_, pid)| !is_live(imports, *pid))
            .map(|(id, _)| id)
            .collect())
    }

    /// Marks imports left `running` by a process that ended without saying how as
    /// `interrupted`, and their unfinished files as cancelled. Writes only when there are such
    /// rows, after checking the database is whole.
    pub(crate) fn mark_interrupted_imports(&mut self) -> Result<(), StoreError> {
        let stale = self.stale_imports()?;
        if stale.is_empty() {
            return Ok(());
        }
        self.verify()?;
        let tx = self.conn.transaction()?;
        for id in stale {
            tx.execute(
                "UPDATE imports SET status = 'interrupted' WHERE id = ?1 AND status = 'running'",
                params![id],
            )?;
            tx.execute(
                "UPDATE import_files SET status = 'cancelled' WHERE import_id = ?1 AND status = 'reading'",
                params![id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// [`Store::mark_interrupted_imports`] when a corpus is opened: bookkeeping that never
    /// waits for another process's write lock and never fails the open (the rows are shown as
    /// interrupted anyway, and marked by the next open or import that can).
    pub(crate) fn mark_interrupted_imports_on_open(&mut self) {
        if self.conn.busy_timeout(std::time::Duration::ZERO).is_err() {
            return;
        }
        // Damage is refused at the first real write; busy, full or read-only: next time.
        let _ = self.mark_interrupted_imports();
        let _ = self.conn.busy_timeout(crate::open::BUSY_TIMEOUT);
    }

    /// An import's status as it stands: `interrupted` for a `running` row whose process is
    /// gone (a read-only store cannot mark it).
    pub(crate) fn effective_status(&self, status: String, pid: Option<i64>) -> String {
        if status == "running" && !is_live(imports_running(self.path()), pid) {
            "interrupted".into()
        } else {
            status
        }
    }
}
