//! Go's `text/tabwriter`, configured as docker/cli configures it for every table:
//! `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` — minimum cell width 10, padding 3, spaces.
//!
//! Cells are terminated by `\t` (or `\v`); the text after the last tab of a line is not part of
//! any column and is never padded. A column's width is decided per *column block*: a run of
//! consecutive lines that all have a cell in that column. A line with fewer cells ends the
//! block, so the same column can have different widths above and below such a line. Widths
//! count runes (`utf8.RuneCount`), not display width — a wide CJK character counts as one.
//!
//! This is a straight port of the `format`/`writeLines` recursion in Go's
//! `text/tabwriter/tabwriter.go`, without the flags Docker does not use.

/// docker/cli's `minwidth`.
const MIN_WIDTH: usize = 10;
/// docker/cli's `padding`.
const PADDING: usize = 3;

/// One cell: its text and whether a tab ended it (Go's `htab`, only used by the
/// `DiscardEmptyColumns` flag, which Docker does not set — kept for faithfulness).
struct Cell<'a> {
    text: &'a str,
    width: usize,
}

/// Aligns tab-separated `input` exactly as Docker's table writer does.
///
/// Lines end at `\n` (or `\f`); the output keeps the input's line structure, including a final
/// line without a newline.
pub fn tabwrite(input: &str) -> String {
    let lines: Vec<Vec<Cell<'_>>> = input
        .split(['\n', '\x0c'])
        .map(|line| {
            line.split(['\t', '\x0b'])
                .map(|text| Cell {
                    text,
                    width: text.chars().count(),
                })
                .collect()
        })
        .collect();
    let mut out = String::with_capacity(input.len() * 2);
    let mut widths = Vec::new();
    format(&lines, &mut widths, 0, lines.len(), &mut out);
    out
}

/// Go's `Writer.format`: prints lines `line0..line1`, computing the width of column
/// `widths.len()` for each block of lines that has it, and recursing for the columns to the
/// right.
fn format(
    lines: &[Vec<Cell<'_>>],
    widths: &mut Vec<usize>,
    line0: usize,
    line1: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        // The last cell of a line is not in any column (it is not tab-terminated).
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, widths, line0, this, out);
        line0 = this;
        let mut width = MIN_WIDTH;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].width + PADDING);
            this += 1;
        }
        widths.push(width);
        format(lines, widths, line0, this, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, line0, line1, out);
}

/// Go's `Writer.writeLines`: cells in known columns are padded to the column width; the rest
/// are written as they are. Every line but the very last gets its newline back.
fn write_lines(
    lines: &[Vec<Cell<'_>>],
    widths: &[usize],
    line0: usize,
    line1: usize,
    out: &mut String,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell.text);
            if let Some(&w) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width)));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_like_go_tabwriter() {
        let cases: &[(&str, &str)] = &[
            // Header with no rows (real `docker images` on an empty engine).
            (
                "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n",
                "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n",
            ),
            (
                "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n\
                 busybox\tlatest\tbeae173ccac6\t2 weeks ago\t1.24MB\n",
                "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n\
                 busybox      latest    beae173ccac6   2 weeks ago   1.24MB\n",
            ),
            // Empty last cell: not padded; empty middle cell: padded.
            (
                "A\tB\tC\nx\t\t\n",
                "A         B         C\nx                   \n",
            ),
            // Runes, not bytes, and not display width.
            ("é\tx\n", "é         x\n"),
            ("日本語\tx\n", "日本語       x\n"),
            // A line with fewer cells ends the column block: widths differ above and below.
            (
                "aaaaaaaaaaaaaaa\tb\nno tabs here\nc\td\n",
                "aaaaaaaaaaaaaaa   b\nno tabs here\nc         d\n",
            ),
            // Column 1 block spans only the lines that have a column 1.
            (
                "a\tbbbbbbbbbbbbbb\tc\nx\ty\nz\tw\tv\n",
                "a         bbbbbbbbbbbbbb   c\nx         y\nz         w         v\n",
            ),
            // No trailing newline: the last line is written without one.
            ("a\tb", "a         b"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(tabwrite(input), *want, "input {input:?}");
        }
    }
}
