//! Embeds the front-end assets in the binary so a release build is one
//! self-contained file. The assets come from npm (`govuk-frontend`) and from
//! Sass (`npm run build:css`); `make assets` produces both.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// FNV-1a, for cache-busting version strings.
fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= *b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash as u32)
}

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = crate_dir.join("../..");
    let govuk = root.join("node_modules/govuk-frontend/dist/govuk");
    let css = crate_dir.join("assets/build/app.css");
    for needed in [&govuk, &css] {
        if !needed.exists() {
            panic!(
                "\n\n{} is missing.\nRun `make assets` (npm ci, then npm run build:css) before building.\n\n",
                needed.display()
            );
        }
    }

    // (URL path, file on disk)
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut images = Vec::new();
    walk(&govuk.join("assets/images"), &mut images);
    for path in images {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        files.push((format!("/assets/images/{name}"), path));
    }
    files.push(("/assets/manifest.json".into(), govuk.join("assets/manifest.json")));
    files.push(("/assets/govuk-frontend.min.js".into(), govuk.join("govuk-frontend.min.js")));
    files.push(("/assets/app.css".into(), css));
    files.push(("/assets/app.js".into(), crate_dir.join("assets/app.js")));
    files.push(("/assets/js-enabled.js".into(), crate_dir.join("assets/js-enabled.js")));

    let mut all_bytes = Vec::new();
    let mut code = String::from(
        "/// Embedded assets: (URL path, content type, bytes).\npub static ASSETS: &[(&str, &str, &[u8])] = &[\n",
    );
    for (url, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        all_bytes.extend(std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())));
        let absolute = path.canonicalize().expect("asset path");
        writeln!(
            code,
            "    ({url:?}, {:?}, include_bytes!({:?})),",
            content_type(path),
            absolute.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    writeln!(code, "/// Changes whenever any asset changes; appended to asset URLs.").unwrap();
    writeln!(code, "pub const ASSET_VERSION: &str = {:?};", fingerprint(&all_bytes)).unwrap();
    println!("cargo:rerun-if-changed={}", govuk.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    std::fs::write(out, code).expect("write assets.rs");
}
