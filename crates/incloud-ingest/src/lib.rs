//! Reading infrastructure into incloud's model: CloudFormation and SAM templates (JSON, YAML with short-form
//! tags) and CDK cloud assemblies, with intrinsic functions, parameters and conditions resolved.

mod cfn;
mod discover;
mod error;
mod limits;
mod load;
mod parse;

pub use cfn::Inputs;
pub use error::LoadError;
pub use limits::Limits;
pub use load::{load, LoadOptions, Loaded};

/// Parse one document and resolve it as a template, without touching the file system: for tests, fuzzing
/// and embedding.
pub fn load_str(
    text: &str,
    file: incloud_model::FileId,
    inputs: &Inputs,
    limits: &Limits,
) -> Result<incloud_model::Stack, LoadError> {
    let root = parse::parse(text, file, limits).map_err(|e| e.into_load_error("<input>"))?;
    if !cfn::looks_like_template(&root) {
        return Err(LoadError::new(
            "<input>",
            "not a CloudFormation template: no AWSTemplateFormatVersion, and no Resources with a Type",
        ));
    }
    cfn::build_stack(
        root,
        file,
        incloud_model::StackKind::Template,
        inputs,
        limits,
    )
    .map(|(s, _)| s)
    .map_err(|e| e.into_load_error("<input>"))
}
