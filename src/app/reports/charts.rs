//! The reports' charts as SVG text, drawn on the server: readable without JavaScript,
//! printable, titled and described for screen readers, with each bar's figure as its
//! tooltip. Two shapes cover every report: stacked columns over categories (months, weeks)
//! with optional markers, and horizontal bars per row (stages, reasons). A charting crate
//! was not worth its weight for these two shapes: plotters' SVG output carries no titles or
//! accessible labels and draws text as paths.

use crate::domain::escape_markup as esc;
use std::fmt::Write;

/// Fill colours of the series, in order (then again from the start).
const PALETTE: [&str; 8] = [
    "#6366f1", "#0ea5e9", "#14b8a6", "#f59e0b", "#ec4899", "#84cc16", "#8b5cf6", "#64748b",
];
const WIDTH: f64 = 640.0;
const FONT: &str = "font-family=\"system-ui, sans-serif\" font-size=\"11\"";

/// A colour of the palette.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// What every chart says about itself.
pub struct Frame<'a> {
    /// Unique on the page (ids of the title and description are made from it).
    pub id: &'a str,
    pub title: &'a str,
    /// A sentence a screen reader reads instead of the picture.
    pub description: &'a str,
}

/// A line drawn across each column at a value (e.g. the weighted sum), with its name.
pub struct Marker<'a> {
    pub name: &'a str,
    pub values: &'a [i64],
    pub colour: &'static str,
}

/// The opening of a chart: the element, its title and description and the legend.
fn open(out: &mut String, frame: &Frame, height: f64, legend: &[(&str, &str)]) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" data-chart=\"{id}\" {FONT}>\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        id = esc(frame.id),
        title = esc(frame.title),
        desc = esc(frame.description),
    );
    let mut x = 8.0;
    for (name, fill) in legend {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"15\" fill=\"#334155\">{}</text>",
            x + 14.0,
            esc(name)
        );
        x += 22.0 + 6.5 * name.chars().count() as f64;
    }
}

/// A round number at least `max` (1, 2 or 5 times a power of ten).
fn nice_ceiling(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut step = 1i64;
    while step.saturating_mul(10) <= max {
        step = step.saturating_mul(10);
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| step.saturating_mul(m))
        .find(|v| *v >= max)
        .unwrap_or(i64::MAX)
}

/// Stacked columns: a column per category, a segment per series (`values[category][series]`),
/// markers across them, the axis labelled by `format`.
pub fn columns(
    frame: &Frame,
    categories: &[String],
    series: &[String],
    values: &[Vec<i64>],
    markers: &[Marker],
    format: &dyn Fn(i64) -> String,
) -> String {
    let height = 280.0;
    let (left, top, bottom) = (88.0, 28.0, 30.0);
    let plot_h = height - top - bottom;
    let plot_w = WIDTH - left - 8.0;
    let mut legend: Vec<(&str, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), colour(i)))
        .collect();
    legend.extend(markers.iter().map(|m| (m.name, m.colour)));
    let mut out = String::new();
    open(&mut out, frame, height, &legend);

    let stacked = values
        .iter()
        .map(|v| v.iter().map(|x| (*x).max(0)).sum::<i64>());
    let marked = markers.iter().flat_map(|m| m.values.iter().copied());
    let max = nice_ceiling(stacked.chain(marked).max().unwrap_or(0));
    let y_of = |v: i64| top + plot_h - plot_h * (v.max(0) as f64 / max as f64);
    for tick in [0, max / 2, max] {
        let y = y_of(tick);
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e2e8f0\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#64748b\">{}</text>",
            WIDTH - 8.0,
            left - 4.0,
            y + 4.0,
            esc(&format(tick))
        );
    }
    let slot = plot_w / categories.len().max(1) as f64;
    let bar = (slot * 0.6).min(56.0);
    for (c, category) in categories.iter().enumerate() {
        let x = left + slot * c as f64 + (slot - bar) / 2.0;
        let mut base = 0i64;
        for (s, name) in series.iter().enumerate() {
            let v = values
                .get(c)
                .and_then(|r| r.get(s))
                .copied()
                .unwrap_or(0)
                .max(0);
            if v == 0 {
                continue;
            }
            let (y0, y1) = (y_of(base), y_of(base + v));
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}</title></rect>",
                (y0 - y1).max(0.5),
                colour(s),
                esc(&format!("{category} · {name}: {}", format(v)))
            );
            base += v;
        }
        for m in markers {
            if let Some(v) = m.values.get(c).copied().filter(|v| *v > 0) {
                let y = y_of(v);
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"3\">\
                     <title>{}</title></line>",
                    x - 4.0,
                    x + bar + 4.0,
                    m.colour,
                    esc(&format!("{category} · {}: {}", m.name, format(v)))
                );
            }
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#334155\">{}</text>",
            x + bar / 2.0,
            height - 10.0,
            esc(category)
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars: a group per row, a bar per series (`values[row][series]`), each with
/// its figure written after it by `format`.
pub fn bars(
    frame: &Frame,
    rows: &[String],
    series: &[String],
    values: &[Vec<f64>],
    format: &dyn Fn(f64) -> String,
) -> String {
    let (left, top, bar, gap) = (150.0, 28.0, 12.0, 10.0);
    let group = bar * series.len().max(1) as f64 + gap;
    let height = top + group * rows.len().max(1) as f64 + 8.0;
    let plot_w = WIDTH - left - 72.0;
    let legend: Vec<(&str, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), colour(i)))
        .collect();
    let mut out = String::new();
    open(&mut out, frame, height, &legend);
    let max = values
        .iter()
        .flatten()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    for (r, row) in rows.iter().enumerate() {
        let y = top + group * r as f64;
        let label: String = row.chars().take(24).collect();
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#334155\">{}</text>",
            left - 6.0,
            y + bar * series.len() as f64 / 2.0 + 4.0,
            esc(&label)
        );
        for (s, name) in series.iter().enumerate() {
            let v = values
                .get(r)
                .and_then(|x| x.get(s))
                .copied()
                .unwrap_or(0.0)
                .max(0.0);
            if v <= 0.0 {
                continue;
            }
            let w = plot_w * v / max;
            let by = y + bar * s as f64;
            let _ = write!(
                out,
                "<rect x=\"{left}\" y=\"{by:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#475569\">{}</text>",
                bar - 2.0,
                colour(s),
                esc(&format!("{row} · {name}: {}", format(v))),
                left + w + 4.0,
                by + bar - 3.0,
                esc(&format(v))
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_their_text_and_scale_to_a_round_top() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(130), 200);
        assert_eq!(nice_ceiling(500), 500);
        let frame = Frame {
            id: "t",
            title: "A <b>",
            description: "d",
        };
        let svg = bars(&frame, &["Q&A".into()], &["n".into()], &[vec![2.0]], &|v| {
            format!("{v}")
        });
        assert!(
            svg.contains("A &lt;b&gt;") && svg.contains("Q&amp;A"),
            "{svg}"
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let svg = columns(
            &frame,
            &["2026-12".into()],
            &["New".into(), "Won".into()],
            &[vec![3, 1]],
            &[],
            &|v| v.to_string(),
        );
        assert_eq!(
            svg.matches("<rect").count(),
            2 + 2,
            "two segments and two legend keys"
        );
    }
}
