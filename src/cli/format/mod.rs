//! Docker's output formatting: Go `text/template` (`--format`), Go `tabwriter` tables, and the
//! human units (`72.8MB`, `2 weeks ago`).
//!
//! - [`template`]: the Go template engine and the [`Value`] model commands feed it.
//! - [`table`]: Go's `tabwriter` as docker/cli configures it.
//! - [`human`]: go-units sizes and durations, Go's time and `%g` formatting.
//! - [`sortorder`]: the natural order some listings are sorted in.
//! - this module: docker/cli's `formatter.Context` — the `table` directive, `\t`/`\n`
//!   escapes, one line per row, and the header row ([`render`]).
//!
//! The flow mirrors docker/cli's `formatter.Context`: every row is executed first (an error
//! on any row prints nothing), then, for `table` formats, the header is the same template
//! executed against a map of column names with [`FuncSet::Header`] — its errors are ignored
//! and whatever it wrote before failing is kept — and header plus rows go through the
//! tabwriter. Commands choose their default format and header names; this module does not
//! know any command.

pub mod human;
pub mod sortorder;
pub mod table;
pub mod template;

pub use template::{
    ErrorPhase, ExecOptions, FuncSet, Method, Shape, Stringer, Struct, Template, TemplateError,
    Value,
};

/// The directive that asks for a header row and aligned columns.
pub const TABLE_DIRECTIVE: &str = "table";

/// Whether a `--format` value is a table format. Like docker/cli this is a plain prefix test,
/// so `tablex{{.ID}}` is a table whose cells start with `x`.
pub fn is_table(format: &str) -> bool {
    format.starts_with(TABLE_DIRECTIVE)
}

/// The template text docker/cli executes for a `--format` value: without the `table`
/// directive, trimmed of spaces, with the two-character escapes `\t` and `\n` turned into a
/// real tab and newline (shells pass them literally).
pub fn template_text(format: &str) -> String {
    let text = format.strip_prefix(TABLE_DIRECTIVE).unwrap_or(format);
    text.trim_matches(' ')
        .replace("\\t", "\t")
        .replace("\\n", "\n")
}

/// Renders rows with a `--format` value the way docker/cli's formatter does.
///
/// Each row is the template's output plus a newline. For table formats the header row — the
/// template executed against `headers`, a map from placeholder to column name such as
/// `{"ID": "IMAGE ID", "Repository": "REPOSITORY"}` — comes first, and everything is aligned
/// with [`table::tabwrite`]. Placeholders missing from `headers` print `<no value>` in the
/// header.
pub fn render(format: &str, rows: &[Value], headers: &Value) -> Result<String, TemplateError> {
    let tmpl = Template::parse(&template_text(format))?;
    let mut body = String::new();
    for row in rows {
        tmpl.execute_into(row, ExecOptions::default(), &mut body)?;
        body.push('\n');
    }
    if !is_table(format) {
        return Ok(body);
    }
    let mut out = String::new();
    let header_opts = ExecOptions {
        funcs: FuncSet::Header,
        ..ExecOptions::default()
    };
    // docker/cli ignores header errors; the partial output stays (e.g. `IMAGE ID\t` for
    // `table {{.ID}}\t{{json .}}`, whose `json` only takes strings in a header).
    let _ = tmpl.execute_into(headers, header_opts, &mut out);
    out.push('\n');
    out.push_str(&body);
    Ok(table::tabwrite(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row `docker images` builds for the image made by `make-image` in the real engine.
    fn image_row() -> Value {
        let fields = [
            ("ID", "2907c3be46d5"),
            ("Repository", "lab/img"),
            ("Tag", "latest"),
            ("CreatedSince", "26 years ago"),
            ("Size", "3.03MB"),
        ];
        Value::structure(
            "*formatter.imageContext",
            fields.map(|(k, v)| (k.to_string(), Value::str(v))),
        )
    }

    fn image_headers() -> Value {
        Value::string_map([
            ("ID", "IMAGE ID"),
            ("Repository", "REPOSITORY"),
            ("Tag", "TAG"),
            ("CreatedSince", "CREATED"),
            ("Size", "SIZE"),
        ])
    }

    #[test]
    fn renders_like_docker_images() {
        let rows = [image_row()];
        let headers = image_headers();
        let cases: &[(&str, &str)] = &[
            (
                "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}",
                "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\n\
                 lab/img      latest    2907c3be46d5   26 years ago   3.03MB\n",
            ),
            // Observed: a trailing empty cell keeps its padding.
            (
                "table {{.Repository}}\\t{{.ID}}\\t",
                "REPOSITORY   IMAGE ID       \nlab/img      2907c3be46d5   \n",
            ),
            // Observed: the header's `json` takes only strings, so the header stops there.
            (
                "table {{.ID}}\\t{{json .}}\\t{{.Tag}}",
                "IMAGE ID       \n2907c3be46d5   {\"ID\":\"2907c3be46d5\",\"Repository\":\"lab/img\",\"Tag\":\"latest\",\"CreatedSince\":\"26 years ago\",\"Size\":\"3.03MB\"}   latest\n",
            ),
            // Observed: blank lines end column blocks; `upper` leaves header names alone.
            (
                "table  {{.ID}}\\t{{upper .Tag}}\\n",
                "IMAGE ID   TAG\n\n2907c3be46d5   LATEST\n\n",
            ),
            ("{{.ID}}\\n", "2907c3be46d5\n\n"),
            ("tablex{{.ID}}", "xIMAGE ID\nx2907c3be46d5\n"),
            ("{{.Repository}}\\t{{.ID}}", "lab/img\t2907c3be46d5\n"),
        ];
        for (format, want) in cases {
            assert_eq!(
                render(format, &rows, &headers).as_deref(),
                Ok(*want),
                "{format}"
            );
        }
    }

    #[test]
    fn empty_tables_print_the_header_only() {
        assert_eq!(
            render("table {{.Repository}}\\t{{.Foo}}", &[], &image_headers()).as_deref(),
            Ok("REPOSITORY   <no value>\n")
        );
        assert_eq!(render("{{.ID}}", &[], &image_headers()).as_deref(), Ok(""));
    }

    #[test]
    fn a_failing_row_prints_nothing() {
        let err = render(
            "table {{.Repository}}\\t{{.Foo}}",
            &[image_row()],
            &image_headers(),
        );
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("template: :1:18: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext".to_string())
        );
        let parse = render("{{.ID", &[image_row()], &image_headers());
        assert_eq!(parse.map_err(|e| e.phase), Err(ErrorPhase::Parse));
    }

    #[test]
    fn directive_and_escapes() {
        assert!(is_table("table {{.ID}}"));
        assert!(is_table("tablex"));
        assert!(!is_table(" table {{.ID}}"));
        assert_eq!(
            template_text("table  {{.ID}}\\t{{.Tag}} "),
            "{{.ID}}\t{{.Tag}}"
        );
        assert_eq!(template_text("{{.ID}}\\n"), "{{.ID}}\n");
    }
}
