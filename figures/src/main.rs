//! `cargo run -p figures`: draws every figure and writes it to
//! `book/figures/`, removing figures that no code draws any more; and
//! renders the benchmark tables in `book/generated/` again from their data.

use std::collections::BTreeSet;
use std::fs;

fn main() -> std::io::Result<()> {
    let dir = figures::figures_dir();
    fs::create_dir_all(&dir)?;
    let figures = figures::all();
    let names: BTreeSet<String> =
        figures.iter().map(|figure| format!("{}.svg", figure.name)).collect();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".svg") && !names.contains(name) {
            fs::remove_file(&path)?;
            eprintln!("removed {name}");
        }
    }
    for figure in &figures {
        let path = dir.join(format!("{}.svg", figure.name));
        if fs::read_to_string(&path).ok().as_deref() != Some(&figure.svg) {
            fs::write(&path, &figure.svg)?;
            eprintln!("wrote {}", path.display());
        }
    }
    let tables = figures::charts::generated_dir();
    let changed = figures::bench_data::refresh_tables(&tables)
        .map_err(std::io::Error::other)?;
    for name in changed {
        eprintln!("wrote {}", tables.join(format!("{name}.md")).display());
    }
    if figures::summary::refresh_summary(&tables)
        .map_err(std::io::Error::other)?
    {
        eprintln!("wrote {}", tables.join("summary.md").display());
    }
    Ok(())
}
