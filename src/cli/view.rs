//! Rows for `--format`: each list command's row context (docker/cli's `imageContext`,
//! `historyContext`, `searchContext`) as a Go struct of string fields, rendered through the Go
//! template engine and, for `table` formats, Go's tabwriter. Also `inspect --format`, which
//! runs the template over the object's API JSON.

use super::Fail;
use super::format::template::{ExecOptions, Shape, Template, TemplateError, Value};
use super::image::go_json_escape;

/// One row's fields, in docker/cli's method names.
pub(crate) struct Row {
    /// The Go type shown in template errors (`*formatter.imageContext`).
    pub type_name: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

impl Row {
    /// The row as a template value. `{{json .}}` of a row marshals every field, keys sorted, with
    /// Go's HTML escaping (docker/cli marshals the context with `encoding/json`).
    fn to_value(&self, with_json: bool) -> Value {
        let mut v = Value::structure(
            self.type_name,
            self.fields
                .iter()
                .map(|(k, v)| (k.to_string(), Value::str(v.clone()))),
        );
        if with_json && let Value::Struct(s) = &mut v {
            let mut sorted: Vec<&(&str, String)> = self.fields.iter().collect();
            sorted.sort_by_key(|(k, _)| *k);
            let map: serde_json::Map<String, serde_json::Value> = sorted
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect();
            s.json = Some(go_json_escape(&serde_json::Value::Object(map).to_string()));
        }
        v
    }
}

fn template_error(e: TemplateError) -> Fail {
    Fail::plain(format!("template parsing error: {e}"))
}

/// Renders rows with a Docker format string (`table …` or a raw template).
pub(crate) fn render(format: &str, rows: &[Row], headers: &[(&str, &str)]) -> Result<String, Fail> {
    // Only `{{json .}}` needs a row's JSON; building it for every row costs more than the rest.
    let with_json = format.contains("json");
    let values: Vec<Value> = rows.iter().map(|r| r.to_value(with_json)).collect();
    let headers = Value::string_map(headers.iter().copied());
    super::format::render(format, &values, &headers).map_err(template_error)
}

/// Which parts of the Engine API's JSON are Go maps (missing keys print `<no value>`) rather than
/// structs.
fn inspect_shape(path: &[&str]) -> Shape {
    match path.last().copied() {
        Some("Labels" | "ExposedPorts" | "Volumes" | "Data" | "Ports" | "Options") => Shape::Map,
        Some(
            "Cmd" | "Entrypoint" | "OnBuild" | "Env" | "Shell" | "RepoTags" | "RepoDigests"
            | "Layers" | "Test",
        ) => Shape::List,
        Some("LastTagTime") => Shape::Time,
        _ => Shape::Auto,
    }
}

/// `inspect --format`: the template over the typed object; when that fails on a missing field,
/// docker/cli retries over the raw JSON with `missingkey=error`, and that error is the one shown.
pub(crate) fn inspect_template(format: &str, v: &serde_json::Value) -> Result<String, Fail> {
    let text = format.replace("\\t", "\t").replace("\\n", "\n");
    // docker/cli exits 64 when an inspect template does not parse.
    let tmpl = Template::parse(&text).map_err(|e| Fail {
        code: 64,
        ..template_error(e)
    })?;
    let typed = Value::from_json(v, &inspect_shape);
    match tmpl.execute(&typed) {
        Ok(s) => Ok(s),
        Err(_) => {
            let raw = Value::from_json_generic(v);
            let mut out = String::new();
            let opts = ExecOptions {
                missing_key_error: true,
                ..ExecOptions::default()
            };
            match tmpl.execute_into(&raw, opts, &mut out) {
                Ok(()) => Ok(out),
                // The CLI has already started the line: stdout gets an empty one.
                Err(e) => Err(Fail {
                    blank_stdout_line: true,
                    ..template_error(e)
                }),
            }
        }
    }
}
