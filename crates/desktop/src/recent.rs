//! The recent-projects list: a small JSON file in the user's config folder
//! (`~/.config/broadsheet/recent.json` on Linux; `BROADSHEET_CONFIG_DIR` overrides the folder),
//! most recent first, at most [`MAX_RECENT`] entries. A damaged file is treated as empty.

use std::path::{Path, PathBuf};

use crate::ipc::RecentProject;
use crate::{DesktopError, Result};

/// How many projects the list keeps.
pub const MAX_RECENT: usize = 12;

/// The folder Broadsheet keeps its settings in.
pub fn default_config_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("BROADSHEET_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("broadsheet")
}

/// The recent-projects file.
#[derive(Debug, Clone)]
pub struct RecentProjects {
    file: PathBuf,
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

impl RecentProjects {
    /// The list kept in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        RecentProjects {
            file: config_dir.join("recent.json"),
        }
    }

    fn load(&self) -> Vec<RecentProject> {
        std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|t| serde_json::from_str::<Vec<RecentProject>>(&t).ok())
            .unwrap_or_default()
    }

    fn save(&self, list: &[RecentProject]) -> Result<()> {
        let io = |source| DesktopError::Io {
            path: self.file.display().to_string(),
            source,
        };
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = self.file.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(list).unwrap_or_else(|_| "[]".into());
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &self.file).map_err(io)?;
        Ok(())
    }

    /// The list, most recent first, each entry marked available when its folder still holds a
    /// project.
    pub fn list(&self) -> Vec<RecentProject> {
        let mut list = self.load();
        for p in &mut list {
            p.available = Path::new(&p.dir)
                .join(broadsheet_project::PROJECT_FILE)
                .is_file();
        }
        list
    }

    /// Whether `dir` is on the list.
    pub fn contains(&self, dir: &Path) -> bool {
        let d = dir.display().to_string();
        self.load().iter().any(|p| p.dir == d)
    }

    /// Puts a project at the top of the list.
    pub fn touch(&self, name: &str, dir: &Path) -> Result<()> {
        let d = dir.display().to_string();
        let mut list = self.load();
        list.retain(|p| p.dir != d);
        list.insert(
            0,
            RecentProject {
                name: name.to_string(),
                dir: d,
                opened_at: now(),
                available: true,
            },
        );
        list.truncate(MAX_RECENT);
        self.save(&list)
    }

    /// Takes a project off the list.
    pub fn remove(&self, dir: &str) -> Result<()> {
        let mut list = self.load();
        list.retain(|p| p.dir != dir);
        self.save(&list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_bounded_and_damage_tolerant() {
        let dir = tempfile::tempdir().unwrap();
        let r = RecentProjects::new(&dir.path().join("cfg"));
        assert!(r.list().is_empty());
        for i in 0..15 {
            r.touch(&format!("p{i}"), &dir.path().join(format!("p{i}")))
                .unwrap();
        }
        let l = r.list();
        assert_eq!(l.len(), MAX_RECENT);
        assert_eq!(l[0].name, "p14");
        assert!(!l[0].available, "no broadsheet.toml there");
        r.touch("p3 again", &dir.path().join("p3")).unwrap();
        let l = r.list();
        assert_eq!(l[0].name, "p3 again");
        assert_eq!(l.iter().filter(|p| p.name.starts_with("p3")).count(), 1);
        r.remove(&l[0].dir).unwrap();
        assert_eq!(r.list()[0].name, "p14");
        std::fs::write(dir.path().join("cfg/recent.json"), "{not json").unwrap();
        assert!(r.list().is_empty());
    }
}
