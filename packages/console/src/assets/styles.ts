// The console's stylesheet, a string module so the bundled CLI carries it (no file to find).
export const STYLES = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bad: #b42318; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #30363d; --accent: #58a6ff; --bad: #ff7b72; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .25rem .5rem; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 600; }
header nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
header nav a[aria-current="page"] { font-weight: 600; text-decoration: none; }
header .who { margin-left: auto; color: var(--muted); font-size: .9em; }
main { padding: 1rem 1.2rem 3rem; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; }
progress { width: 8rem; vertical-align: middle; }
/* Remedies are SQL and commands with long lines: wrapped in their cell, not widening the page. */
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.filter { display: flex; gap: .5rem; align-items: center; margin-bottom: .8rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.actions { display: flex; gap: .8rem; align-items: center; margin: 1rem 0; }
.actions form { margin: 0; }
button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); cursor: pointer; }
button.danger { border-color: var(--bad); color: var(--bad); }
button[disabled] { opacity: .5; cursor: not-allowed; }
.notice, .error { border-left: 3px solid var(--bad); padding: .3rem .8rem; }
.caps { margin: 0; padding-left: 1rem; }
.login { display: grid; gap: .5rem; max-width: 24rem; }
.limits { display: grid; grid-template-columns: max-content 10rem; gap: .4rem 1rem; align-items: center; }
.limits .help, .limits button { grid-column: 1 / -1; justify-self: start; }
.limits .help { width: 0; min-width: 100%; }
input, select, textarea { font: inherit; padding: .3rem; }
.chart { min-height: 2rem; }
tr[hidden] { display: none; }
`;
