//! The report's stylesheet: a system font stack, a calm palette, a two-column card
//! grid, and print rules (A4 or Letter, no broken cards, colours kept).

/// Inline CSS of the report; no web fonts, no external resources.
pub const CSS: &str = r#"
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc;
  --good: #15803d; --good-bg: #f0fdf4; --bad: #b91c1c; --bad-bg: #fef2f2;
  --warn: #b45309; --warn-bg: #fffbeb;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: #f1f5f9; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
main { max-width: 1160px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 30px; line-height: 1.2; margin: 4px 0 10px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 4px; }
h3 { font-size: 14px; margin: 0 0 8px; color: var(--muted); font-weight: 600;
  text-transform: uppercase; letter-spacing: 0.04em; }
section { background: #fff; border: 1px solid var(--line); border-radius: 12px;
  padding: 22px 24px; margin: 0 0 20px; overflow-x: auto; }
section > p.note { color: var(--muted); margin: 0 0 16px; font-size: 14px; }
.kicker { margin: 0; color: var(--muted); font-size: 13px; text-transform: uppercase;
  letter-spacing: 0.08em; }
.designs { margin: 0 0 8px; font-size: 18px; }
.design { border-left: 5px solid; padding-left: 8px; font-weight: 600; }
.vs { color: var(--muted); margin: 0 10px; }
.meta { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
.meta span + span::before { content: "\00b7"; margin: 0 8px; }
.lede { margin: 0 0 20px; max-width: 880px; color: #334155; }
.banner { background: var(--warn-bg); border: 1px solid #fcd34d; color: var(--warn);
  border-radius: 8px; padding: 10px 14px; margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.card { border: 1px solid var(--line); border-top: 4px solid var(--line);
  border-radius: 10px; padding: 14px 16px 10px; break-inside: avoid; }
.card.good { border-top-color: var(--good); }
.card.bad { border-top-color: var(--bad); }
.values { display: flex; flex-wrap: wrap; gap: 6px 24px; align-items: flex-end; }
.value { display: flex; flex-direction: column; min-width: 120px; }
.who { font-size: 12px; color: var(--muted); }
.big { font-size: 26px; font-weight: 700; line-height: 1.15; border-left: 4px solid;
  padding-left: 8px; font-variant-numeric: tabular-nums; }
.sub { font-size: 12px; color: var(--muted); padding-left: 12px; min-height: 18px; }
.verdict { margin: 10px 0 6px; font-weight: 600; font-size: 15px; }
.verdict.good { color: var(--good); }
.verdict.bad { color: var(--bad); }
.verdict.neutral { color: #475569; }
.verdict .mark { display: inline-block; width: 1.2em; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 4px 0; }
svg.chart text { font-family: inherit; }
.charts2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
.charts2 > div { min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px;
  font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--soft); }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td.indent { padding-left: 28px; color: #475569; }
tr.group td { background: var(--soft); font-weight: 700; color: #334155; }
tr.differs td { background: #fefce8; }
tr.differs td:first-child { box-shadow: inset 4px 0 0 #eab308; }
td.flag { color: var(--bad); background: var(--bad-bg); font-weight: 600; }
td.ok { color: var(--good); }
td.good { color: var(--good); }
td.bad { color: var(--bad); }
.key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12.5px; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12px; word-break: break-all; }
ul.warnings { margin: 12px 0 0; padding: 0; list-style: none; }
ul.warnings li { background: var(--bad-bg); border-left: 4px solid var(--bad);
  padding: 8px 12px; margin: 0 0 8px; border-radius: 4px; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px;
  margin: 0 0 14px; }
dl.manifest dt { color: var(--muted); }
dl.manifest dd { margin: 0; }
.bottomline { font-size: 18px; margin: 6px 0 14px; padding: 10px 14px; border-radius: 8px;
  border-left: 6px solid var(--line); background: var(--soft); }
.bottomline.good { border-left-color: var(--good); background: var(--good-bg); }
.bottomline.bad { border-left-color: var(--bad); background: var(--bad-bg); }
.tradeoffs { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.tradeoffs > div { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px;
  border-top: 4px solid var(--line); min-width: 0; }
.tradeoffs .wins { border-top-color: var(--good); }
.tradeoffs .losses { border-top-color: var(--bad); }
ul.items, ul.changes { margin: 0; padding-left: 18px; }
ul.items li, ul.changes li { margin: 2px 0; }
ul.items.good strong { color: var(--good); }
ul.items.bad strong { color: var(--bad); }
.fromto { color: var(--muted); font-size: 13px; }
#decision h3 { margin-top: 14px; }
details.appendix > summary { cursor: pointer; font-weight: 600; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 8px; }
@media (max-width: 820px) {
  .cards, .charts2 { grid-template-columns: 1fr; }
}
@page { size: auto; margin: 14mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 0 0 18px; break-inside: auto;
    overflow: visible; }
  h2 { break-after: avoid; }
  .card, svg.chart, tr { break-inside: avoid; }
  .cards { gap: 10px; }
  .big { font-size: 22px; }
  h3 { break-after: avoid; }
  #decision { break-after: page; font-size: 10.5px; }
  #decision h2 { font-size: 16px; }
  #decision h3 { margin: 8px 0 2px; font-size: 10.5px; }
  .bottomline { font-size: 13px; margin: 2px 0 8px; padding: 6px 10px; }
  .tradeoffs { gap: 8px; }
  .tradeoffs > div { padding: 4px 10px; }
  ul.items li, ul.changes li { margin: 0; }
  .fromto { font-size: 10px; }
  #decision p.note { font-size: 10px; margin: 2px 0; }
  header.top .lede { margin: 0 0 8px; font-size: 11px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  details.appendix:not([open]) { display: none; }
}
"#;
