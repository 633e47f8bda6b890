//! The desktop app's logic, without Tauri: a [`Session`] holds the open project, the paths the
//! user granted through native dialogs, the recent-projects list and the background jobs; the
//! [`ipc`] types are what crosses to the UI (exported to TypeScript by [`bindings`]).
//!
//! The Tauri shell (`src-tauri`) only forwards each command to one method here and each job
//! event to the window, so everything below is testable with `cargo test`.

pub mod analyses;
pub mod bindings;
pub mod ipc;
pub mod jobs;
pub mod preview;
pub mod recent;
pub mod session;
mod views;

pub use jobs::Jobs;
pub use recent::RecentProjects;
pub use session::{DialogKind, Session};

use broadsheet_project::ProjectError;
use broadsheet_store::StoreError;

/// Why a request from the UI failed. Messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error("no project is open; create or open one first")]
    NoProject,
    #[error("{0}: this path was not chosen in a dialog, so the app will not read it")]
    NotAllowed(String),
    #[error("query: {0}")]
    Query(broadsheet_query::QueryError),
    #[error("an import is already running in this project; wait for it or cancel it")]
    ImportRunning,
    #[error(transparent)]
    Project(ProjectError),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Analysis(broadsheet_analysis::AnalysisError),
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl From<StoreError> for DesktopError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Query(q) => DesktopError::Query(q),
            other => DesktopError::Store(other),
        }
    }
}

impl From<ProjectError> for DesktopError {
    fn from(e: ProjectError) -> Self {
        match e {
            ProjectError::Store(s) => s.into(),
            ProjectError::Analysis(a) => a.into(),
            other => DesktopError::Project(other),
        }
    }
}

impl From<broadsheet_analysis::AnalysisError> for DesktopError {
    fn from(e: broadsheet_analysis::AnalysisError) -> Self {
        match e {
            broadsheet_analysis::AnalysisError::Store(s) => s.into(),
            other => DesktopError::Analysis(other),
        }
    }
}

impl DesktopError {
    /// The error as the UI receives it.
    pub fn reply(&self) -> ipc::ErrorReply {
        let kind = match self {
            DesktopError::NoProject => "no-project",
            DesktopError::NotAllowed(_) => "not-allowed",
            DesktopError::Query(_) => "query",
            DesktopError::ImportRunning => "busy",
            DesktopError::Store(StoreError::Busy { .. }) => "busy",
            DesktopError::Store(StoreError::NoSuchArticle(_)) => "not-found",
            DesktopError::Store(StoreError::ReadOnly { .. }) => "read-only",
            DesktopError::Store(StoreError::Damaged { .. } | StoreError::Missing { .. }) => {
                "damaged"
            }
            DesktopError::Store(StoreError::DiskFull { .. }) => "disk-full",
            _ => "other",
        };
        ipc::ErrorReply {
            kind: kind.into(),
            message: self.to_string(),
            query: match self {
                DesktopError::Query(q) => Some(views::query_problem(q)),
                _ => None,
            },
        }
    }
}

impl serde::Serialize for DesktopError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.reply().serialize(s)
    }
}

pub type Result<T, E = DesktopError> = std::result::Result<T, E>;
