//! Opening a corpus file: created, existing and writable, or read-only — then never written, and
//! immutable where SQLite cannot create its `-wal` and `-shm` files beside it. The header is
//! checked before SQLite reads the file (a corpus cut short is named as damaged), and the whole
//! database once before the first write ([`Store::verify`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{schema, Store, StoreError, REBUILD_HINT, VERSION};

/// How a corpus is opened ([`Store::open_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file when it is missing or empty (a new project, `run --fresh`); upgrade the
    /// schema; write.
    Create,
    /// The file must exist and be writable (writing commands); upgrade the schema; write.
    Existing,
    /// The file must exist; nothing is ever written: no upgrade, no bookkeeping, no switch of
    /// journal mode. SQLite's read-only mode, and `immutable=1` when it cannot create its
    /// `-wal` and `-shm` files (a read-only folder or disk) and no `-wal` holds changes.
    ReadOnly,
    /// The file must exist; as `Existing` when it can be written, else as `ReadOnly` (reading
    /// commands: a writable project is upgraded and its interrupted imports marked).
    Reading,
}

/// How long a connection waits for another process's write lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Per-connection settings; none of them writes to the file.
/// `cell_size_check` makes SQLite check each b-tree page as it reads it, so a write that meets
/// a damaged page stops (and is rolled back) rather than spreading the damage; it costs
/// nothing measurable (docs/HARDENING.md).
const CONNECTION_PRAGMAS: &str = "PRAGMA foreign_keys = ON;
     PRAGMA cell_size_check = ON;
     PRAGMA synchronous = NORMAL;
     PRAGMA cache_size = -65536;
     PRAGMA temp_store = MEMORY;";

pub(crate) fn open(path: &Path, mode: OpenMode, version: u32) -> Result<Store, StoreError> {
    match mode {
        OpenMode::Create => open_writable(path, true, version),
        OpenMode::Existing => open_writable(path, false, version),
        OpenMode::ReadOnly => open_read_only(path),
        OpenMode::Reading => match open_writable(path, false, version) {
            // Refused before anything was written: read it instead.
            Err(StoreError::ReadOnly { .. }) => open_read_only(path),
            other => other,
        },
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// The file's length, `None` when it does not exist.
fn file_len(path: &Path) -> Result<Option<u64>, StoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::NotACorpus {
            path: name(path),
            reason: "it is a folder".into(),
        }),
        Ok(m) => Ok(Some(m.len())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Io {
            path: name(path),
            source,
        }),
    }
}

/// `PATH-wal`, `PATH-shm`.
pub(crate) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether a `-wal` file holds changes not yet copied into the database file.
fn wal_pending(path: &Path) -> bool {
    std::fs::metadata(side_file(path, "-wal")).is_ok_and(|m| m.len() > 0)
}

fn damaged(path: &Path, detail: impl Into<String>) -> StoreError {
    StoreError::Damaged {
        path: name(path),
        detail: detail.into(),
    }
}

/// Checks the 100-byte database header against the file: SQLite's magic string, a possible
/// page size, and — when no `-wal` holds changes (a checkpoint under way writes the header
/// before the pages after it) — a length of whole pages, no fewer than the header counts.
/// Constant time, whatever the corpus size.
pub(crate) fn check_header(path: &Path, len: u64) -> Result<(), StoreError> {
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    let mut h = [0u8; 100];
    let mut n = 0;
    let mut f = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: name(path),
        source,
    })?;
    while n < h.len() {
        match f.read(&mut h[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: name(path),
                    source,
                })
            }
        }
    }
    if n < MAGIC.len() || &h[..MAGIC.len()] != MAGIC {
        return Err(StoreError::NotACorpus {
            path: name(path),
            reason: format!("it does not begin as an SQLite database does: it was damaged at its start, or it is another kind of file; {REBUILD_HINT}"),
        });
    }
    if n < h.len() {
        return Err(damaged(
            path,
            format!("it is {len} bytes long, shorter than a database header: it was cut short"),
        ));
    }
    let be32 = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let page = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        p => {
            return Err(damaged(
                path,
                format!("its header gives an impossible page size ({p})"),
            ))
        }
    };
    if wal_pending(path) {
        return Ok(());
    }
    if !len.is_multiple_of(page) {
        return Err(damaged(
            path,
            format!("it ends inside a page: {len} bytes are not a whole number of {page}-byte pages, so it was cut short or written over"),
        ));
    }
    // The header's page count is valid when its "version valid for" equals the change counter.
    let counted = u64::from(be32(28));
    if be32(92) == be32(24) && counted > 0 && len / page < counted {
        return Err(damaged(
            path,
            format!(
                "it holds {} pages where its header counts {counted}: it was cut short",
                len / page
            ),
        ));
    }
    Ok(())
}

/// Whether an SQLite error says a file it needs could not be opened for writing or created.
fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::ReadOnly | ErrorCode::CannotOpen))
}

/// An error met while SQLite first reads the file: damage named as such, with the path.
fn first_read_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Damaged { detail, .. } => damaged(path, detail),
        StoreError::Busy { .. } => StoreError::Busy { path: name(path) },
        StoreError::Sqlite(e) => StoreError::NotACorpus {
            path: name(path),
            reason: e.to_string(),
        },
        other => other,
    }
}

fn read_only_folder(path: &Path) -> StoreError {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    StoreError::ReadOnly {
        path: name(path),
        reason: format!(
            "SQLite cannot create its journal ({}) in {} (a read-only folder or disk); commands that only read the project still work",
            side_file(path, "-wal").display(),
            folder.display()
        ),
    }
}

/// The length of a corpus file that must exist and hold something.
fn existing_len(path: &Path) -> Result<u64, StoreError> {
    match file_len(path)? {
        Some(len) if len > 0 => Ok(len),
        found => Err(StoreError::Missing {
            path: name(path),
            empty: found.is_some(),
        }),
    }
}

fn open_writable(path: &Path, create: bool, version: u32) -> Result<Store, StoreError> {
    let new = create && file_len(path)?.unwrap_or(0) == 0;
    if !new {
        check_header(path, existing_len(path)?)?;
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| match e {
        e if cannot_write(&e) && create && new => read_only_folder(path),
        e => StoreError::NotACorpus {
            path: name(path),
            reason: e.to_string(),
        },
    })?;
    // SQLite opens a file it may not write read-only without a word.
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(StoreError::ReadOnly {
            path: name(path),
            reason: "the file cannot be written (its permissions, or a read-only disk); commands that only read the project still work".into(),
        });
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if new {
        // Larger pages make bulk inserts of article text markedly faster (see ARCHITECTURE).
        conn.pragma_update(None, "page_size", 16384)
            .map_err(|e| first_read_error(path, e))?;
    }
    let wal: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| {
            if cannot_write(&e) {
                read_only_folder(path)
            } else {
                first_read_error(path, e)
            }
        })?;
    if wal != "wal" {
        return Err(StoreError::Invalid(format!(
            "{}: could not switch the database to WAL mode (got {wal})",
            path.display()
        )));
    }
    conn.execute_batch(CONNECTION_PRAGMAS)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| first_read_error(path, e))?;
    let current = schema::user_version(&conn).map_err(|e| named(path, e))?;
    let mut verified = new;
    if !new && current < version {
        // An upgrade writes: the database must be whole first.
        verify_connection(&conn, path)?;
        verified = true;
    }
    schema::migrate(&mut conn, version).map_err(|e| match e {
        StoreError::Sqlite(s) => StoreError::NotACorpus {
            path: name(path),
            reason: s.to_string(),
        },
        other => named(path, other),
    })?;
    if new {
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('created_by', ?1)",
            [format!("broadsheet {VERSION}")],
        )?;
    }
    let mut store = Store::from_connection(conn, path, false);
    store.verified.set(verified);
    store.mark_interrupted_imports_on_open();
    Ok(store)
}

/// Names an error made from a bare SQLite error by `path`.
fn named(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Damaged { detail, .. } => damaged(path, detail),
        StoreError::Busy { .. } => StoreError::Busy { path: name(path) },
        StoreError::DiskFull { .. } => StoreError::DiskFull {
            path: name(path),
            disk: disk_of(path),
        },
        other => other,
    }
}

fn open_read_only(path: &Path) -> Result<Store, StoreError> {
    check_header(path, existing_len(path)?)?;
    let conn = match plain_read_only(path) {
        Ok(c) => c,
        Err(e) if cannot_write(&e) => {
            // No -wal and none can be created: nothing can change the file under us.
            if wal_pending(path) {
                return Err(StoreError::ReadOnly {
                    path: name(path),
                    reason: format!(
                        "its journal {} holds changes that SQLite cannot read without creating its index {} beside it; open the project once where it can be written",
                        side_file(path, "-wal").display(),
                        side_file(path, "-shm").display()
                    ),
                });
            }
            immutable(path)?
        }
        Err(e) => return Err(first_read_error(path, e)),
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch(CONNECTION_PRAGMAS)?;
    conn.execute_batch("PRAGMA query_only = ON")?;
    let found = schema::user_version(&conn).map_err(|e| named(path, e))?;
    if found > schema::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: schema::SCHEMA_VERSION,
        });
    }
    if found == 0 {
        return Err(StoreError::NotACorpus {
            path: name(path),
            reason: "an SQLite database without Broadsheet's tables".into(),
        });
    }
    if found < schema::SCHEMA_VERSION {
        return Err(StoreError::NeedsUpgrade {
            path: name(path),
            found,
            current: schema::SCHEMA_VERSION,
        });
    }
    Ok(Store::from_connection(conn, path, true))
}

/// SQLite's read-only mode, with a first read (which opens or creates `-shm` and `-wal`).
fn plain_read_only(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// The file opened `immutable=1`: SQLite reads it with no lock and no side file.
fn immutable(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        file_uri(path, "immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| first_read_error(path, e))?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| first_read_error(path, e))?;
    Ok(conn)
}

/// An SQLite URI for `path` with `query`: every byte but unreserved ones and `/`
/// percent-encoded, so that `?`, `#` and `%` in folder names stay part of the path.
pub(crate) fn file_uri(path: &Path, query: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        abs.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = {
        let s = abs.to_string_lossy().replace('\\', "/");
        let s = if s.starts_with('/') {
            s
        } else {
            format!("/{s}")
        };
        s.into_bytes()
    };
    let mut uri = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

/// Checks every page of every table and index, one table at a time (`PRAGMA
/// quick_check(TABLE)`): page headers, cells and their sizes, keys in order, overflow chains.
/// The whole-database `PRAGMA quick_check` also runs FTS5's check of its inverted index
/// against the documents, six times as long at 200,000 articles (docs/HARDENING.md), and
/// checks nothing a write could spread. `Ok` when nothing is found.
fn verify_connection(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let sqlite = |e: rusqlite::Error| match named(path, StoreError::from(e)) {
        StoreError::Sqlite(s) => damaged(path, s.to_string()),
        other => other,
    };
    let tables: Vec<String> = {
        let mut st = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
            )
            .map_err(sqlite)?;
        let rows = st.query_map([], |r| r.get(0)).map_err(sqlite)?;
        rows.collect::<Result<_, _>>().map_err(sqlite)?
    };
    for t in tables {
        let first: String = conn
            .query_row(
                &format!("PRAGMA main.quick_check('{}')", t.replace('\'', "''")),
                [],
                |r| r.get(0),
            )
            .map_err(sqlite)?;
        if first != "ok" {
            return Err(damaged(
                path,
                format!("SQLite's check of {t} found: {first}"),
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Checks every page of every table and index once per open store; every write that
    /// changes the corpus (an import, an upgrade, derived data, boilerplate, clusters, marking
    /// interrupted imports) calls it first, so nothing is written into a damaged corpus. Its
    /// cost grows with the corpus: 1 s warm, 4.4 s cold at 200,000 articles
    /// (docs/HARDENING.md).
    pub fn verify(&self) -> Result<(), StoreError> {
        if self.verified.get() {
            return Ok(());
        }
        verify_connection(&self.conn, &self.path)?;
        self.verified.set(true);
        Ok(())
    }
}

/// The disk holding `path`, for a message: where it is mounted and how much is free.
pub(crate) fn disk_of(path: &Path) -> String {
    let folder = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    disk_description(&folder)
}

#[cfg(unix)]
fn disk_description(folder: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let Ok(dev) = std::fs::metadata(folder).map(|m| m.dev()) else {
        return format!("the disk holding {}", folder.display());
    };
    let mut mount = folder.to_path_buf();
    while let Some(up) = mount.parent() {
        if std::fs::metadata(up).map(|m| m.dev()).ok() != Some(dev) {
            break;
        }
        mount = up.to_path_buf();
    }
    match free_bytes(folder) {
        Some(free) => format!(
            "the disk mounted at {}, {} free",
            mount.display(),
            human_bytes(free)
        ),
        None => format!("the disk mounted at {}", mount.display()),
    }
}

#[cfg(not(unix))]
fn disk_description(folder: &Path) -> String {
    format!("the disk holding {}", folder.display())
}

#[cfg(unix)]
fn free_bytes(folder: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path and `s` a statvfs struct the call fills.
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return None;
    }
    Some(s.f_bavail as u64 * s.f_frsize as u64)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 10 << 30 => format!("{} GB", n >> 30),
        n if n >= 10 << 20 => format!("{} MB", n >> 20),
        n if n >= 10 << 10 => format!("{} KB", n >> 10),
        n => format!("{n} bytes"),
    }
}
