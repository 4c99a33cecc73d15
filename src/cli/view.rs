//! Rows for `--format`: each list command's row context (docker/cli's `imageContext`,
//! `historyContext`, `searchContext`) as named string fields, rendered through the Go template
//! engine and, for `table` formats, Go's tabwriter.

use super::Fail;
use super::format::table::tabwrite;

/// One row's fields, in docker/cli's method names.
pub(crate) struct Row {
    /// The Go type shown in template errors (`*formatter.imageContext`).
    pub type_name: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

/// Converts Docker's `\t` / `\n` escapes in a `--format` string to real characters.
pub(crate) fn unescape(format: &str) -> String {
    format.replace("\\t", "\t").replace("\\n", "\n")
}

/// Renders rows with a Docker format string (`table …` or a raw template).
pub(crate) fn render(format: &str, rows: &[Row], headers: &[(&str, &str)]) -> Result<String, Fail> {
    let format = unescape(format);
    let (is_table, tmpl) = match format.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start().to_string()),
        None => (false, format.clone()),
    };
    let mut body = String::new();
    for r in rows {
        body.push_str(&expand(
            &tmpl,
            |name| {
                r.fields
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
            },
            r.type_name,
        )?);
        body.push('\n');
    }
    if !is_table {
        return Ok(body);
    }
    let header = expand(
        &tmpl,
        |name| {
            Some(
                headers
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map_or("<no value>", |(_, v)| v)
                    .to_string(),
            )
        },
        "",
    )?;
    Ok(tabwrite(&format!("{header}\n{body}")))
}

/// Interim expansion of `{{.Field}}` placeholders (replaced by the Go template engine).
fn expand(
    tmpl: &str,
    get: impl Fn(&str) -> Option<String>,
    type_name: &str,
) -> Result<String, Fail> {
    let mut out = String::new();
    let mut rest = tmpl;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            return Err(Fail::plain(
                "template parsing error: template: :1: unclosed action",
            ));
        };
        let name = after[..j].trim().trim_start_matches('.');
        match get(name) {
            Some(v) => out.push_str(&v),
            None => {
                return Err(Fail::plain(format!(
                    "template parsing error: template: :1:{}: executing \"\" at <.{name}>: can't evaluate field {name} in type {type_name}",
                    i + 3
                )));
            }
        }
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `inspect --format`: the template over the object's JSON (interim: `{{.A.B}}` paths only).
pub(crate) fn inspect_template(format: &str, v: &serde_json::Value) -> Result<String, Fail> {
    let format = unescape(format);
    expand(
        &format,
        |path| {
            let mut cur = v;
            for part in path.split('.').filter(|p| !p.is_empty()) {
                cur = cur.get(part)?;
            }
            Some(match cur {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        },
        "",
    )
}
