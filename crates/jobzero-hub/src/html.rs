//! What every HTML page of the hub shares: escaping, the inline sparkline, the stylesheet.

/// HTML-escapes text for element content and quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small inline SVG line chart of 12 values.
pub(crate) fn sparkline(values: &[f64]) -> String {
    let (w, h) = (180.0, 36.0);
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    #[allow(clippy::cast_precision_loss, reason = "a dozen points")]
    let step = w / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            #[allow(clippy::cast_precision_loss, reason = "a dozen points")]
            let x = i as f64 * step;
            format!("{x:.1},{:.1}", h - 2.0 - (v / max) * (h - 4.0))
        })
        .collect();
    format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\"><polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"{}\"/></svg>",
        points.join(" ")
    )
}

/// The stylesheet of review pages (also served by the dashboard as a file, for its CSP).
pub const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1f24}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}\
td.n{text-align:right}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.up{color:#1a7f37}.down{color:#cf222e}\
nav a{margin-right:1rem}.go{color:#1a7f37;font-weight:bold}.nogo{color:#cf222e;font-weight:bold}\
@media print{body{margin:0}svg polyline{stroke:#000}nav{display:none}}";
