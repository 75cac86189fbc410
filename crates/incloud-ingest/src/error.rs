use std::fmt;
use std::path::PathBuf;

/// A file that could not be read or understood. The scan goes on with the other files.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
pub struct LoadError {
    pub file: PathBuf,
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
}

impl LoadError {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        LoadError {
            file: file.into(),
            line: None,
            col: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: u32, col: u32) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// An error found while reading one document, before the file's path is attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DocError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl DocError {
    pub fn new(line: u32, col: u32, message: impl Into<String>) -> Self {
        DocError {
            line,
            col,
            message: message.into(),
        }
    }

    pub fn into_load_error(self, file: impl Into<PathBuf>) -> LoadError {
        LoadError::new(file, self.message).at(self.line, self.col)
    }
}
