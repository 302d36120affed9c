//! What the chapter's tests share: a scratch directory for certificate
//! files, made for the test and removed after it. (A server's output read
//! line by line, `Lines`, is the shared harness's.)

#![allow(dead_code)] // each test binary uses a different part

use std::path::PathBuf;

/// A directory of its own for one test.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory named after the test and this process.
    pub fn new(test: &str) -> Scratch {
        let name = format!("ch09-tls-{test}-{}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    /// The directory, as text.
    pub fn dir(&self) -> String {
        self.0.display().to_string()
    }

    /// The path of `file` in it, as text.
    pub fn path(&self, file: &str) -> String {
        self.0.join(file).display().to_string()
    }

    /// Writes `contents` to `file` in it; gives its path.
    pub fn write(&self, file: &str, contents: &str) -> String {
        std::fs::write(self.0.join(file), contents).expect("written");
        self.path(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
