//! Test support shared by the store's unit tests: dropping root's permission override on one
//! thread, running a test of this binary in a child process inside a new mount namespace (a
//! read-only bind mount, a small tmpfs), and snapshots of a folder's files.

use std::collections::BTreeMap;
use std::path::Path;

/// Runs `f` on a thread that lacks the capabilities letting root ignore file permissions
/// (`CAP_DAC_OVERRIDE`, `CAP_DAC_READ_SEARCH`), so that `chmod 000` denies reading to it as to
/// everyone else. Capabilities belong to a thread on Linux, and the threads `f` starts (the
/// import's reader) inherit them.
#[cfg(target_os = "linux")]
pub(crate) fn without_permission_override<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Default, Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut h = Header {
                version: 0x2008_0522,
                pid: 0,
            };
            let mut d = [Data::default(); 2];
            // SAFETY: capget and capset read and write the two structs given, laid out as the
            // kernel's version-3 capability header and data.
            unsafe {
                assert_eq!(libc::syscall(libc::SYS_capget, &mut h, d.as_mut_ptr()), 0);
                d[0].effective &= !((1 << 1) | (1 << 2));
                assert_eq!(libc::syscall(libc::SYS_capset, &mut h, d.as_ptr()), 0);
            }
            f()
        })
        .join()
        .unwrap()
    })
}

/// Runs the ignored test `name` of this test binary in a child process inside new user and
/// mount namespaces (`unshare -rm`), after the shell command `setup` ran there (`$DIR` is
/// `dir`): a read-only bind mount, a tmpfs of a few megabytes. `None` (with a note on stderr)
/// where this system does not allow such namespaces.
#[cfg(target_os = "linux")]
pub(crate) fn run_in_namespace(
    setup: &str,
    dir: &Path,
    name: &str,
) -> Option<std::process::Output> {
    use std::process::Command;
    let allowed = Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !allowed {
        eprintln!("NOTE: {name} not run: `unshare -rm` is not available or not permitted here");
        return None;
    }
    let exe = std::env::current_exe().unwrap();
    let script =
        format!("{setup} && exec \"$0\" --exact {name} --ignored --nocapture --test-threads=1");
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .arg(&exe)
        .env("DIR", dir)
        .env(CHILD_DIR, dir)
        .output()
        .unwrap();
    Some(out)
}

/// The variable that gives a child test its folder (and says it runs as a child).
pub(crate) const CHILD_DIR: &str = "BROADSHEET_TEST_CHILD_DIR";

/// The folder a child test works in, `None` when the test was not started by
/// [`run_in_namespace`] (then it does nothing).
pub(crate) fn child_dir() -> Option<std::path::PathBuf> {
    std::env::var_os(CHILD_DIR).map(Into::into)
}

/// Asserts a child test ran and passed, showing its output otherwise.
pub(crate) fn assert_child_passed(out: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// Every file in `dir` (not recursive) with the BLAKE3 hash of its bytes.
pub(crate) fn files_in(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                blake3::hash(&bytes).to_hex().to_string(),
            )
        })
        .collect()
}

/// Sets the permission bits of `p`.
#[cfg(unix)]
pub(crate) fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `n` pseudo-random bytes (xorshift64*), the same for the same seed.
pub(crate) fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}
