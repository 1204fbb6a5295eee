/**
 * The report stylesheet: a readable single-column document on screen, and A4 pages in print
 * (figures and derivation steps never split across pages).
 */
export const REPORT_CSS = `
:root { --ink: #1d1d1f; --muted: #5b5b63; --rule: #dcdce0; --accent: #0b5cad; --warn: #9a5b00; --warn-bg: #fff6e5;
  --fail: #b3261e; --fail-bg: #fdecea; --pass: #1e6b3a; --pass-bg: #e9f5ec; --paper: #ffffff; --tint: #f6f7f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 16.5px/1.6 Charter, 'Bitstream Charter', 'Sitka Text', Cambria, 'Noto Serif', 'Noto Serif CJK SC', 'Source Han Serif SC', Georgia, serif; }
main { max-width: 50rem; margin: 0 auto; padding: 2.5rem 1.5rem 3rem; }
header.title { border-bottom: 2px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .4rem; letter-spacing: -0.01em; }
h1, h2, h3, h4, .rule-name, table, figcaption, nav, footer, .kicker {
  font-family: 'Source Sans 3', 'Helvetica Neue', Helvetica, Arial, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; }
.subtitle { color: var(--muted); font-size: 1.1rem; margin: 0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: var(--accent); margin: 0 0 .3rem; font-weight: 600; }
h2 { font-size: 1.45rem; margin: 2.4rem 0 .6rem; padding-top: .4rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
p { margin: .6rem 0; }
p.lead { font-size: 1.08rem; }
p.small { font-size: .9rem; color: var(--muted); }
a { color: var(--accent); }
code, pre { font-family: 'Source Code Pro', 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: .88em; }
code { background: var(--tint); padding: .05em .3em; border-radius: 3px; }
code .flag-word { white-space: nowrap; }
pre { background: var(--tint); padding: .7rem .9rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
pre code { background: none; padding: 0; }
nav.toc { background: var(--tint); border-radius: 6px; padding: .6rem 1rem; font-size: .92rem; margin: 1rem 0 1.5rem; }
nav.toc ol { margin: .2rem 0; padding-left: 1.3rem; columns: 2; }
nav.toc a { text-decoration: none; }
.katex { font-size: 1.08em; }
.katex-display { margin: .8rem 0; overflow-x: auto; overflow-y: hidden; }
table.steps { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; }
table.steps td { vertical-align: top; padding: .55rem .2rem; border-top: 1px solid #ececf0; }
table.steps tr:first-child td { border-top: none; }
table.steps td.no { color: var(--muted); font: .8rem/2.2 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif; width: 2.2rem; }
table.steps td.lhs { text-align: right; white-space: nowrap; padding-right: 0; width: 1%; vertical-align: baseline; }
table.steps td.rhs, table.steps td.no { vertical-align: baseline; }
table.steps td.rhs { text-align: left; padding-left: .25rem; }
table.steps td.whole { text-align: left; }
.formula { overflow-x: auto; overflow-y: hidden; padding: .1rem 0; }
.why { font-size: .9rem; color: var(--muted); margin-top: .25rem; line-height: 1.45; }
.rule-name { font-weight: 600; color: var(--ink); font-size: .85rem; }
.prediction { display: inline-block; font-size: .78rem; color: var(--accent); border: 1px solid #c7daf0; border-radius: 99px; padding: 0 .5rem; margin-left: .3rem; }
.flag { margin-top: .35rem; padding: .3rem .6rem; border-radius: 4px; font-size: .88rem; }
.flag.fails { background: var(--warn-bg); color: #5c3a00; border-left: 3px solid var(--warn); }
.flag.holds { color: var(--pass); font-size: .82rem; padding: 0 .6rem; }
.flag .flag-label { font-weight: 600; }
.callout { padding: .6rem .9rem; border-radius: 6px; margin: .9rem 0; border-left: 4px solid var(--accent); background: #eef4fb; }
.callout.warning { border-color: var(--warn); background: var(--warn-bg); }
.callout.pass { border-color: var(--pass); background: var(--pass-bg); }
.callout.fail { border-color: var(--fail); background: var(--fail-bg); }
table.data { border-collapse: collapse; margin: .8rem 0 1.4rem; font-size: .86rem; width: 100%; font-variant-numeric: tabular-nums; }
table.data caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: .3rem; font-size: .85rem; }
table.data th { text-align: left; font-weight: 600; border-bottom: 1.5px solid var(--ink); padding: .3rem .45rem; vertical-align: bottom; }
table.data td { border-bottom: 1px solid #e8e8ec; padding: .28rem .45rem; }
table.data .right { text-align: right; }
table.data .center { text-align: center; }
table.data tr.fail td { background: var(--fail-bg); }
table.data td em { font-style: normal; font-weight: 600; color: var(--pass); }
table.data tr.fail td em { color: var(--fail); }
.verdict-pass { color: var(--pass); font-weight: 600; }
.verdict-fail { color: var(--fail); font-weight: 600; }
dl.defs { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .8rem 0; }
dl.defs dt { font-weight: 600; color: var(--muted); font-family: 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif; font-size: .9rem; }
dl.defs dd { margin: 0; }
figure { margin: 1.2rem 0 1.6rem; }
figure .chart { overflow-x: auto; text-align: center; }
figure .chart svg { max-width: 100%; height: auto; }
figcaption { font-size: .88rem; color: var(--muted); margin-top: .4rem; line-height: 1.45; }
ul, ol { padding-left: 1.4rem; }
li { margin: .2rem 0; }
footer.repro { margin-top: 3rem; border-top: 2px solid var(--ink); padding-top: .8rem; font-size: .85rem; color: var(--muted); }
footer.repro h2 { border: none; margin-top: .2rem; font-size: 1rem; color: var(--ink); }
@media (max-width: 640px) { main { padding: 1.2rem .9rem; } nav.toc ol { columns: 1; } body { font-size: 15.5px; } }
@page { size: A4; margin: 16mm 15mm 18mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  figure, table.steps tr, .callout, dl.defs, pre, table.data tr { break-inside: avoid; page-break-inside: avoid; }
  .katex-display, .formula, figure .chart { overflow: visible; }
  table.data tr.fail td, .callout, .flag.fails { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
