//! What the idle-connections measurement needs from Linux: a process's
//! resident memory, and room for thousands of open sockets.

/// The resident set of process `pid`, in KiB: the `VmRSS` line of
/// `/proc/PID/status`, the memory of its own that is in RAM now. (A
/// socket's kernel buffers are not in it: they are the kernel's.)
pub fn resident_kib(pid: u32) -> Result<u64, String> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path)
        .map_err(|error| format!("{path}: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| {
            value.trim().trim_end_matches("kB").trim().parse().ok()
        })
        .ok_or_else(|| format!("{path} has no VmRSS line"))
}

/// Raises this process's limit on open descriptors to the most it may have
/// (the hard limit), and returns the new limit: thousands of connections
/// need more than the usual 1,024. Children inherit the limit.
pub fn raise_open_files_limit() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid rlimit to write into.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 0;
    }
    limit.rlim_cur = limit.rlim_max;
    // SAFETY: `limit` is a valid rlimit, read above, with its soft limit
    // at its hard one (which an unprivileged process may always ask).
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return 0;
    }
    limit.rlim_cur
}
