//! Server-rendered SVG bar charts: each bar a link to the board filtered to what it counts,
//! with the numbers beside it in a table for screen readers and anyone who prefers them.

use leptos::prelude::*;

/// One bar: its label, value and where it drills down to.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    pub href: String,
    /// A CSS class for its colour (`tier-1` …).
    pub class: &'static str,
}

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
/// Room under the bars for their labels, and above them for their values.
const FOOT: f64 = 22.0;
const HEAD: f64 = 18.0;

/// A bar chart and its table; `what` names the counted thing in each bar's link ("open").
#[component]
pub fn BarChart(caption: String, what: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / bars.len().max(1) as f64;
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let x = i as f64 * slot;
            let h = (HEIGHT - FOOT - HEAD) * bar.value as f64 / max;
            let y = HEIGHT - FOOT - h;
            let label = format!("{}: {} {what}", bar.label, bar.value);
            view! {
                <a href=bar.href.clone() aria-label=label class="bar">
                    <rect class="hit" x=format!("{x:.1}") y="0" width=format!("{slot:.1}") height=HEIGHT />
                    <rect class=bar.class x=format!("{:.1}", x + slot * 0.2) y=format!("{y:.1}") width=format!("{:.1}", slot * 0.6) height=format!("{h:.1}") rx="3" />
                    <text x=format!("{:.1}", x + slot / 2.0) y=format!("{:.1}", y - 5.0) text-anchor="middle" class="value">{bar.value}</text>
                    <text x=format!("{:.1}", x + slot / 2.0) y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle">{bar.label.clone()}</text>
                </a>
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row">{bar.label}</th>
                    <td><a href=bar.href>{bar.value}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="bars" focusable="false">{drawn}</svg>
            <details class="numbers">
                <summary>"The numbers"</summary>
                <table>
                    <caption class="sr-only">{caption}</caption>
                    <thead><tr><th scope="col">"Bar"</th><th scope="col">"Count"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
