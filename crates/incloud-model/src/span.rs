use std::path::PathBuf;

/// Index of a loaded file in the scan's file table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// Where a value was written: file, 1-based line and column.
///
/// Line and column are taken from the parser directly rather than recomputed from byte offsets at render time:
/// the YAML parser reports positions in characters, the JSON parser in bytes, and storing the line/column pair
/// is the one representation both give exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub const fn new(file: FileId, line: u32, col: u32) -> Self {
        Span { file, line, col }
    }
}

/// A file that was read, as the user named or discovered it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as shown to the user (relative to where it was found when possible).
    pub path: PathBuf,
}
