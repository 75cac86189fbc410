/// Bounds that keep a hostile or broken input from exhausting time or memory. Each one, when hit, is a load
/// error for that file naming the limit.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Deepest nesting of lists and objects.
    pub max_depth: usize,
    /// Most nodes that YAML aliases may add to a document when expanded.
    pub max_alias_nodes: usize,
    /// Most resources in one template (CloudFormation's own quota is 500).
    pub max_resources: usize,
    /// Longest string that `Fn::Sub` or `Fn::Join` may build, in bytes.
    pub max_string_len: usize,
    /// Deepest chain of conditions referring to conditions.
    pub max_condition_depth: usize,
    /// Deepest chain of nested stacks followed.
    pub max_nested_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 50 * 1024 * 1024,
            max_depth: 200,
            max_alias_nodes: 100_000,
            max_resources: 20_000,
            max_string_len: 1024 * 1024,
            max_condition_depth: 100,
            max_nested_depth: 10,
        }
    }
}
