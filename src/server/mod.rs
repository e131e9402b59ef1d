//! The language server (placeholder).

/// Runs the server on stdio.
pub fn run_stdio() -> std::io::Result<()> {
    Ok(())
}
