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

/// Writes to a temporary file beside `path`, then renames it over `path`, so
/// a crash mid-write never leaves a half-written state.
pub fn save(path: &Path, world: &World) -> Result<(), String> {
    let text = serde_json::to_string_pretty(world).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}
