//! Rows for `--format`: each list command's row context (docker/cli's `imageContext`,
//! `historyContext`, `searchContext`) as a Go struct of string fields, rendered through the Go
//! template engine and, for `table` formats, Go's tabwriter. Also `inspect --format`, which
//! runs the template over the object's API JSON.

use super::Fail;
use super::format::template::{ExecOptions, Method, Shape, Template, TemplateError, Value};
use super::image::go_json_escape;

/// One row's fields, in docker/cli's method names.
pub(crate) struct Row {
    /// The Go type shown in template errors (`*formatter.imageContext`).
    pub type_name: &'static str,
    pub fields: Vec<(&'static str, String)>,
    /// Methods that take an argument (`Label`); `{{json .}}` leaves them out, as docker/cli's
    /// marshalling of a row does.
    pub methods: Vec<(&'static str, Method)>,
}

impl Row {
    /// The row as a template value. `{{json .}}` of a row marshals every field, keys sorted, with
    /// Go's HTML escaping (docker/cli marshals the context with `encoding/json`).
    pub(crate) fn to_value(&self, with_json: bool) -> Value {
        let mut v = Value::structure_with_methods(
            self.type_name,
            self.fields
                .iter()
                .map(|(k, v)| (k.to_string(), Value::str(v.clone()))),
            self.methods.iter().map(|(k, m)| (k.to_string(), m.clone())),
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

/// A template made only of literal text and `{{.Field}}` actions: the shape of every default
/// table format and of most learners' formats.
enum Piece<'t> {
    Text(&'t str),
    Field(&'t str),
}

/// Splits `text` into pieces when it is that simple shape; `None` sends it to the template engine.
fn simple_pieces(text: &str) -> Option<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let after = &rest[i + 2..];
        let j = after.find("}}")?;
        let name = after[..j].strip_prefix('.')?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        out.push(Piece::Field(name));
        rest = &after[j + 2..];
    }
    if rest.contains("}}") {
        return None;
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Some(out)
}

/// Renders a simple template directly: a string field prints as itself, exactly as Go's template
/// would. `None` (a field the row does not have) leaves the error to the engine.
fn render_simple(format: &str, rows: &[Row], headers: &[(&str, &str)]) -> Option<String> {
    let table = super::format::is_table(format);
    let text = super::format::template_text(format);
    let pieces = simple_pieces(&text)?;
    let fill = |out: &mut String, get: &dyn Fn(&str) -> Option<String>| -> Option<()> {
        for p in &pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(f) => out.push_str(&get(f)?),
            }
        }
        out.push('\n');
        Some(())
    };
    let mut body = String::new();
    for r in rows {
        fill(&mut body, &|f| {
            r.fields
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, v)| v.clone())
        })?;
    }
    if !table {
        return Some(body);
    }
    let mut all = String::new();
    fill(&mut all, &|f| {
        Some(
            headers
                .iter()
                .find(|(k, _)| *k == f)
                .map_or("<no value>", |(_, v)| v)
                .to_string(),
        )
    })?;
    all.push_str(&body);
    Some(super::format::table::tabwrite(&all))
}

/// Renders rows with a Docker format string (`table …` or a raw template).
pub(crate) fn render(format: &str, rows: &[Row], headers: &[(&str, &str)]) -> Result<String, Fail> {
    if let Some(out) = render_simple(format, rows, headers) {
        return Ok(out);
    }
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

/// Struct fields the Engine API leaves out of its JSON when nil (`omitempty` pointers) but a
/// template over Go's typed value still sees: `{{.HostConfig.Init}}` prints `<nil>` for a
/// container created without `--init`, while `{{json .HostConfig}}` keeps omitting it.
fn add_omitted_pointers(typed: &mut Value) {
    let Value::Struct(root) = typed else { return };
    let Some((_, Value::Struct(hc))) = root.fields.iter_mut().find(|(k, _)| k == "HostConfig")
    else {
        return;
    };
    if hc.fields.iter().any(|(k, _)| k == "Init") {
        return;
    }
    let json = Value::Struct(hc.clone()).to_json();
    hc.json = Some(json);
    hc.fields
        .push(("Init".into(), Value::NilPointer("*bool".into())));
}

/// A container's `State.Health` is a nil `*types.Health` without a health check: the field
/// exists (`{{json .State.Health}}` prints `null`) though `omitempty` leaves it out of the
/// State's JSON.
fn nil_health(v: &mut Value) {
    let Value::Struct(root) = v else {
        return;
    };
    let Some((_, Value::Struct(state))) = root.fields.iter_mut().find(|(k, _)| k == "State") else {
        return;
    };
    let is_container = state.fields.iter().any(|(k, _)| k == "FinishedAt");
    if !is_container || state.fields.iter().any(|(k, _)| k == "Health") {
        return;
    }
    state.json = Some(Value::Struct(state.clone()).to_json());
    state
        .fields
        .push(("Health".into(), Value::NilPointer("*types.Health".into())));
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
    let mut typed = Value::from_json(v, &inspect_shape);
    add_omitted_pointers(&mut typed);
    nil_health(&mut typed);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        vec![
            Row {
                type_name: "*formatter.imageContext",
                methods: Vec::new(),
                fields: vec![
                    ("ID", "abc".into()),
                    ("Repository", "busybox".into()),
                    ("Tag", "<none>".into()),
                ],
            },
            Row {
                type_name: "*formatter.imageContext",
                methods: Vec::new(),
                fields: vec![
                    ("ID", "defdefdef".into()),
                    ("Repository", "a/very/long/name".into()),
                    ("Tag", "1".into()),
                ],
            },
        ]
    }
    const HEADERS: &[(&str, &str)] = &[
        ("ID", "IMAGE ID"),
        ("Repository", "REPOSITORY"),
        ("Tag", "TAG"),
    ];

    /// The direct path must print exactly what the template engine prints.
    #[test]
    fn the_direct_path_matches_the_template_engine() {
        for format in [
            "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}",
            "{{.ID}}",
            "{{.Repository}}:{{.Tag}} [{{.ID}}]",
            "table {{.ID}}\\t{{.Nope}}",
            "table",
            "plain text",
        ] {
            let values: Vec<Value> = rows().iter().map(|r| r.to_value(false)).collect();
            let headers = Value::string_map(HEADERS.iter().copied());
            let engine = super::super::format::render(format, &values, &headers).ok();
            let direct = render_simple(format, &rows(), HEADERS);
            if let Some(d) = &direct {
                assert_eq!(Some(d), engine.as_ref(), "{format}");
            }
        }
        assert!(render_simple("{{.ID}}", &rows(), HEADERS).is_some());
        assert!(render_simple("{{json .}}", &rows(), HEADERS).is_none());
        assert!(render_simple("{{.Nope}}", &rows(), HEADERS).is_none());
        assert!(render_simple("{{ .ID }}", &rows(), HEADERS).is_none());
    }
}
