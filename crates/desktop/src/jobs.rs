//! Background jobs: long work (imports now, analyses later) runs on its own thread, reports
//! through a callback that the shell forwards to the window as events, and stops when its
//! cancel flag (`Arc<AtomicBool>`) is set. The UI thread never waits for a job.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use broadsheet_store::{ImportProgress, ProgressSnapshot};

use crate::ipc::{ImportProgressInfo, JobEvent, JobId};

/// Where a job's events go (the shell emits them to the window).
pub type Emit = Arc<dyn Fn(JobEvent) + Send + Sync>;

struct Running {
    kind: String,
    cancel: Arc<AtomicBool>,
}

/// The jobs of a session.
#[derive(Default, Clone)]
pub struct Jobs {
    next: Arc<AtomicU32>,
    running: Arc<Mutex<BTreeMap<JobId, Running>>>,
    threads: Arc<Mutex<BTreeMap<JobId, JoinHandle<()>>>>,
}

impl Jobs {
    /// Starts `work` on a new thread; `kind` names the job.
    pub fn start<F>(&self, kind: &str, work: F) -> JobId
    where
        F: FnOnce(JobId, Arc<AtomicBool>) + Send + 'static,
    {
        let (id, cancel) = Self::register(&mut self.lock_running(), &self.next, kind);
        self.spawn(id, kind, cancel, work);
        id
    }

    /// Like [`Jobs::start`], unless a job of the same kind is running (then `None`).
    pub fn start_exclusive<F>(&self, kind: &str, work: F) -> Option<JobId>
    where
        F: FnOnce(JobId, Arc<AtomicBool>) + Send + 'static,
    {
        // The check and the registration happen under one lock, so two starts cannot both pass.
        let (id, cancel) = {
            let mut guard = self.lock_running();
            if guard.values().any(|r| r.kind == kind) {
                return None;
            }
            Self::register(&mut guard, &self.next, kind)
        };
        self.spawn(id, kind, cancel, work);
        Some(id)
    }

    fn register(
        running: &mut BTreeMap<JobId, Running>,
        next: &AtomicU32,
        kind: &str,
    ) -> (JobId, Arc<AtomicBool>) {
        let id = next.fetch_add(1, Ordering::Relaxed) + 1;
        let cancel = Arc::new(AtomicBool::new(false));
        running.insert(
            id,
            Running {
                kind: kind.to_string(),
                cancel: cancel.clone(),
            },
        );
        (id, cancel)
    }

    fn spawn<F>(&self, id: JobId, kind: &str, cancel: Arc<AtomicBool>, work: F)
    where
        F: FnOnce(JobId, Arc<AtomicBool>) + Send + 'static,
    {
        let running = self.running.clone();
        let handle = std::thread::Builder::new()
            .name(format!("job-{id}-{kind}"))
            .spawn(move || {
                work(id, cancel);
                running
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&id);
            })
            .expect("spawning a job thread");
        let mut threads = self.threads.lock().unwrap_or_else(|p| p.into_inner());
        threads.retain(|_, h| !h.is_finished());
        threads.insert(id, handle);
    }

    fn lock_running(&self) -> std::sync::MutexGuard<'_, BTreeMap<JobId, Running>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks a job to stop; false when no such job is running.
    pub fn cancel(&self, id: JobId) -> bool {
        match self.lock_running().get(&id) {
            Some(r) => {
                r.cancel.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// The running jobs, by id, with their kinds.
    pub fn running(&self) -> Vec<(JobId, String)> {
        self.lock_running()
            .iter()
            .map(|(id, r)| (*id, r.kind.clone()))
            .collect()
    }

    /// Waits for a job's thread to end (for tests and for closing the app cleanly).
    pub fn wait(&self, id: JobId) {
        let h = self
            .threads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        if let Some(h) = h {
            let _ = h.join();
        }
    }

    /// Cancels every job and waits for them.
    pub fn cancel_all_and_wait(&self) {
        let ids: Vec<JobId> = self.running().into_iter().map(|(id, _)| id).collect();
        for id in &ids {
            self.cancel(*id);
        }
        let all: Vec<JobId> = self
            .threads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .copied()
            .collect();
        for id in all {
            self.wait(id);
        }
    }
}

/// Forwards import progress as job events, at most every `every` (the last one always goes).
pub(crate) struct ProgressEvents {
    pub job: JobId,
    pub emit: Emit,
    pub every: Duration,
    pub last: Mutex<Option<Instant>>,
}

impl ProgressEvents {
    pub fn new(job: JobId, emit: Emit) -> Self {
        ProgressEvents {
            job,
            emit,
            every: Duration::from_millis(100),
            last: Mutex::new(None),
        }
    }
}

pub(crate) fn progress_info(p: &ProgressSnapshot) -> ImportProgressInfo {
    ImportProgressInfo {
        bytes_done: p.bytes_done,
        bytes_total: p.bytes_total,
        files_done: p.files_done,
        files_total: p.files_total,
        records: p.records,
        stored: p.stored,
        duplicates: p.duplicates,
        skipped: p.skipped,
        current_file: p.current_file.clone(),
    }
}

impl ImportProgress for ProgressEvents {
    fn update(&self, p: &ProgressSnapshot) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let done = p.files_total > 0 && p.files_done == p.files_total;
        if !done && last.is_some_and(|t| now.duration_since(t) < self.every) {
            return;
        }
        *last = Some(now);
        (self.emit)(JobEvent::Progress {
            job: self.job,
            progress: progress_info(p),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_off_thread_and_cancel() {
        let jobs = Jobs::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let id = jobs.start("slow", move |_, cancel| {
            while !cancel.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
            tx.send("stopped").unwrap();
        });
        assert!(jobs
            .start_exclusive("slow", |_, _| unreachable!())
            .is_none());
        assert_eq!(jobs.running(), vec![(id, "slow".to_string())]);
        assert!(jobs.cancel(id));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), "stopped");
        jobs.wait(id);
        assert!(jobs.running().is_empty());
        assert!(!jobs.cancel(id));
        assert!(jobs.start_exclusive("slow", |_, _| {}).is_some());
    }
}
