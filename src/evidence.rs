//! The auditor's evidence bundle (`--evidence DIR`) and its check (`hipaa-audit verify DIR`).
//!
//! A bundle is a directory of files plus `manifest.json` naming each file with its SHA-256.
//! It is built in a hidden sibling directory and renamed into place, so an interrupted run never
//! leaves a half bundle; an existing bundle is replaced whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name inside a bundle.
pub const MANIFEST: &str = "manifest.json";

/// One file of the bundle, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path relative to the bundle directory.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// `manifest.json`: what the bundle holds and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always 1 for bundles this version writes.
    pub manifest_version: u32,
    /// `hipaa-audit`.
    pub tool: String,
    /// Version of hipaa-audit that wrote the bundle.
    pub tool_version: String,
    /// Accounts scanned.
    pub accounts: Vec<String>,
    /// Regions scanned.
    pub regions: Vec<String>,
    /// Collection start (RFC 3339).
    pub started_at: String,
    /// Collection end (RFC 3339).
    pub finished_at: String,
    /// Every file of the bundle except the manifest, sorted by path.
    pub files: Vec<ManifestEntry>,
}

/// Where a bundle came from, for its manifest.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Accounts scanned.
    pub accounts: Vec<String>,
    /// Regions scanned.
    pub regions: Vec<String>,
    /// Collection start (RFC 3339).
    pub started_at: String,
    /// Collection end (RFC 3339).
    pub finished_at: String,
}

/// Lower-case hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a directory owner-only (0700).
fn create_private_dir(path: &Path) -> Result<()> {
    std::fs::create_dir(path).with_context(|| format!("cannot create {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict permissions of {}", path.display()))?;
    }
    Ok(())
}

/// Whether `dir` may receive a bundle: absent, empty, or a bundle this tool wrote (its
/// manifest parses and names hipaa-audit). Anything else is refused, never overwritten.
pub fn check_target(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let empty = std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    if empty {
        return Ok(());
    }
    let ours = std::fs::read_to_string(dir.join(MANIFEST))
        .ok()
        .and_then(|text| serde_json::from_str::<Manifest>(&text).ok())
        .is_some_and(|m| m.tool == "hipaa-audit");
    if ours {
        Ok(())
    } else {
        bail!(
            "--evidence {} exists and is not an evidence bundle written by hipaa-audit; choose a new or empty directory",
            dir.display()
        )
    }
}

/// Writes the bundle: `files` (name -> bytes) plus the manifest, into `dir`, atomically.
pub fn write_bundle(dir: &Path, files: &[(&str, Vec<u8>)], provenance: &Provenance) -> Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        bail!(
            "cannot write --evidence {}: directory {} does not exist",
            dir.display(),
            parent.display()
        );
    }
    check_target(dir)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".to_owned());
    let staging = parent.join(format!(".{name}.hipaa-audit-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).ok();
    }
    create_private_dir(&staging)?;
    let result = (|| -> Result<()> {
        let mut entries = Vec::with_capacity(files.len());
        for (file, bytes) in files {
            if entries.iter().any(|e: &ManifestEntry| e.path == *file) {
                bail!("internal: the bundle names {file} twice");
            }
            crate::output::write_atomic(&staging.join(file), bytes)?;
            entries.push(ManifestEntry {
                path: (*file).to_owned(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            });
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let manifest = Manifest {
            manifest_version: 1,
            tool: "hipaa-audit".to_owned(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            accounts: provenance.accounts.clone(),
            regions: provenance.regions.clone(),
            started_at: provenance.started_at.clone(),
            finished_at: provenance.finished_at.clone(),
            files: entries,
        };
        let mut text = serde_json::to_string_pretty(&manifest)?;
        text.push('\n');
        crate::output::write_atomic(&staging.join(MANIFEST), text.as_bytes())?;
        // Replace an existing bundle whole: move it aside, move the new one in, drop the old.
        if dir.exists() {
            let old = parent.join(format!(".{name}.hipaa-audit-old-{}", std::process::id()));
            std::fs::rename(dir, &old)
                .with_context(|| format!("cannot replace {}", dir.display()))?;
            if let Err(err) = std::fs::rename(&staging, dir) {
                // Put the previous bundle back rather than leave nothing.
                std::fs::rename(&old, dir).ok();
                return Err(err)
                    .with_context(|| format!("cannot move the bundle to {}", dir.display()));
            }
            std::fs::remove_dir_all(&old).ok();
        } else {
            std::fs::rename(&staging, dir)
                .with_context(|| format!("cannot move the bundle to {}", dir.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        std::fs::remove_dir_all(&staging).ok();
    }
    result
}

/// What `verify` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verification {
    /// Files whose bytes no longer match the manifest.
    pub changed: Vec<String>,
    /// Files the manifest lists that are gone.
    pub missing: Vec<String>,
    /// Files present that the manifest does not list.
    pub added: Vec<String>,
    /// Files that match.
    pub intact: usize,
}

impl Verification {
    /// True when every listed file matches and nothing was added.
    pub fn is_intact(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.added.is_empty()
    }
}

/// Every regular file under `dir`, as paths relative to it (sorted).
fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)
            .with_context(|| format!("cannot list {}", current.display()))?
        {
            let entry = entry?;
            let path = entry.path();
            // file_type does not follow symlinks: a link loop cannot make verify spin.
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Recomputes a bundle's hashes against its manifest.
pub fn verify(dir: &Path) -> Result<(Manifest, Verification)> {
    let manifest_path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!(
            "{} is not an evidence bundle: cannot read {}",
            dir.display(),
            manifest_path.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: not a hipaa-audit manifest: {e}",
            manifest_path.display()
        )
    })?;
    let listed: BTreeMap<&str, &ManifestEntry> = manifest
        .files
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    let mut result = Verification::default();
    for (path, entry) in &listed {
        let plain = std::path::Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            bail!(
                "{}: lists {path:?}, which is not a file inside the bundle",
                manifest_path.display()
            );
        }
        match std::fs::read(dir.join(path)) {
            Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => result.intact += 1,
            Ok(_) => result.changed.push((*path).to_owned()),
            Err(_) => result.missing.push((*path).to_owned()),
        }
    }
    for path in files_under(dir)? {
        if path != MANIFEST && !listed.contains_key(path.as_str()) {
            result.added.push(path);
        }
    }
    Ok((manifest, result))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            accounts: vec!["111122223333".into()],
            regions: vec!["us-east-1".into()],
            started_at: "2026-11-25T12:00:00Z".into(),
            finished_at: "2026-11-25T12:00:05Z".into(),
        }
    }

    #[test]
    fn a_bundle_verifies_and_any_change_is_named() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("evidence");
        let files = vec![
            ("report.json", b"{\"a\":1}".to_vec()),
            ("findings.csv", b"check_id\n".to_vec()),
        ];
        write_bundle(&dir, &files, &provenance()).expect("written");
        let (manifest, check) = verify(&dir).expect("verifies");
        assert!(check.is_intact(), "{check:?}");
        assert_eq!(check.intact, 2);
        assert_eq!(manifest.files[0].path, "findings.csv");
        assert_eq!(manifest.accounts, vec!["111122223333"]);

        // One byte changed, one file removed, one added.
        std::fs::write(dir.join("report.json"), b"{\"a\":2}").expect("edit");
        std::fs::remove_file(dir.join("findings.csv")).expect("remove");
        std::fs::write(dir.join("notes.txt"), b"x").expect("add");
        let (_, check) = verify(&dir).expect("verifies");
        assert_eq!(check.changed, vec!["report.json"]);
        assert_eq!(check.missing, vec!["findings.csv"]);
        assert_eq!(check.added, vec!["notes.txt"]);
        assert!(!check.is_intact());
    }

    #[test]
    fn a_bundle_is_replaced_whole_and_private() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("evidence");
        write_bundle(&dir, &[("old.txt", b"old".to_vec())], &provenance()).expect("first");
        write_bundle(&dir, &[("new.txt", b"new".to_vec())], &provenance()).expect("second");
        assert!(!dir.join("old.txt").exists());
        assert!(verify(&dir).expect("verifies").1.is_intact());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
            let file = std::fs::metadata(dir.join("new.txt")).expect("meta");
            assert_eq!(file.permissions().mode() & 0o777, 0o600);
        }
        // Nothing staged is left beside it.
        let names: Vec<String> = std::fs::read_dir(root.path())
            .expect("list")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, vec!["evidence"]);
    }

    #[test]
    fn a_non_bundle_directory_is_never_overwritten() {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::write(root.path().join("precious.txt"), b"keep").expect("seed");
        let err = write_bundle(root.path(), &[("a", vec![])], &provenance()).expect_err("refused");
        assert!(err.to_string().contains("not an evidence bundle"), "{err}");
        // A file merely named manifest.json does not make a directory a bundle.
        std::fs::write(root.path().join(MANIFEST), b"{}").expect("seed");
        assert!(write_bundle(root.path(), &[("a", vec![])], &provenance()).is_err());
        assert!(root.path().join("precious.txt").exists());
        assert!(root.path().join("precious.txt").exists());
        let missing = verify(&root.path().join("nope")).expect_err("no manifest");
        assert!(
            missing.to_string().contains("not an evidence bundle"),
            "{missing}"
        );
    }
}
