//! `--state FILE`: load at start, save atomically after every change.

use std::path::Path;

use crate::state::World;

/// Reads the state file; `Ok(None)` if it does not exist yet. A file that
/// exists but cannot be read as state is an error, never silently replaced.
pub fn load(path: &Path) -> Result<Option<World>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read the state file {}: {e}",
                path.display()
            ))
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        format!(
            "the state file {} is damaged ({e}); it was left untouched: fix it, move it away, or pass another --state",
            path.display()
        )
    })
}

/// Writes to a temporary file beside `path`, flushes it to the disk, then
/// renames it over `path` and flushes the folder, so a crash or a power cut
/// mid-write never leaves a half-written or lost state. Callers serialise
/// writes (`Shared::persist`).
pub fn save(path: &Path, world: &World) -> Result<(), String> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(world).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}
