// Builds the dashboard into an output folder (default dist/): bundles
// src/ with esbuild, derives the world geometry from the world-atlas
// package (TopoJSON keyed by ISO 3166-1 alpha-2, mapped from the numeric
// ids with i18n-iso-countries) and renders the methodology docs to HTML.
// Everything comes from node_modules: nothing is fetched at run time.
//
//   node build.mjs [OUT_DIR]      (tools/build-dashboard runs it)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import countries from 'i18n-iso-countries';
import { marked } from 'marked';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
const repoDocs = path.join(here, '..', 'docs');
const requireFile = (p) => path.join(here, 'node_modules', p);

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'docs'), { recursive: true });

// --- i18n/<lang>.json: each language's messages and country names ----------
// The reports' catalogue (i18n/messages) and the dashboard's own
// (i18n/dashboard) merged (a key in both is a build error), with the
// country names of i18n-iso-countries in that language (the first, short
// form of each). English is bundled into app.js instead (i18n.js). The
// files' hash versions their URL, so a browser never mixes versions.
const repoI18n = path.join(here, '..', 'i18n');
fs.mkdirSync(path.join(out, 'i18n'), { recursive: true });
const i18nHash = createHash('sha256');
for (const lang of ['ar', 'es', 'fr', 'ru', 'zh']) {
  const read = (dir) => JSON.parse(fs.readFileSync(path.join(repoI18n, dir, `${lang}.json`), 'utf8'));
  const reports = read('messages');
  const dashboard = read('dashboard');
  const clash = Object.keys(dashboard).filter((k) => k in reports);
  if (clash.length) throw new Error(`i18n: ${lang}: keys in both catalogues: ${clash.join(', ')}`);
  const names = JSON.parse(fs.readFileSync(requireFile(`i18n-iso-countries/langs/${lang}.json`), 'utf8')).countries;
  const countryNames = Object.fromEntries(Object.entries(names)
    .map(([code, name]) => [code, Array.isArray(name) ? name[0] : name]));
  const text = JSON.stringify({ lang, messages: { ...reports, ...dashboard }, countries: countryNames });
  i18nHash.update(text);
  fs.writeFileSync(path.join(out, 'i18n', `${lang}.json`), text);
}

// --- app.js and app.css ------------------------------------------------------
const js = await esbuild.build({
  define: { I18N_VERSION: JSON.stringify(i18nHash.digest('hex').slice(0, 12)) },
  entryPoints: { app: path.join(here, 'src/main.js') },
  bundle: true,
  metafile: true,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',  // Licences: THIRD_PARTY_LICENSES.txt below.
  outdir: out,
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: { app: path.join(here, 'src/styles/app.css') },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});

// --- THIRD_PARTY_LICENSES.txt: the licence of every bundled package ----------
const bundled = new Set();
for (const input of Object.keys(js.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) bundled.add(m[1]);
}
bundled.add('world-atlas');  // world.json is derived from it.
const notices = [...bundled].sort().map((pkg) => {
  const dir = requireFile(pkg);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : `License: ${meta.license}`;
  return `${pkg} ${meta.version} (${meta.license})\n\n${text}\n`;
});
fs.writeFileSync(path.join(out, 'THIRD_PARTY_LICENSES.txt'),
  `Packages bundled into this dashboard (from npm, see dashboard/package-lock.json):\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);

// --- world.json: countries-110m with alpha-2 ids ----------------------------
const atlas = JSON.parse(
  fs.readFileSync(requireFile('world-atlas/countries-110m.json'), 'utf8'));
let unmapped = [];
for (const g of atlas.objects.countries.geometries) {
  const alpha2 = g.id === undefined ? undefined : countries.numericToAlpha2(g.id);
  if (alpha2) {
    g.id = alpha2;
  } else {
    // N. Cyprus, Somaliland, Kosovo have no ISO 3166-1 numeric code here.
    unmapped.push(g.properties.name);
    delete g.id;
  }
}
delete atlas.objects.land;  // Only the countries are drawn.
fs.writeFileSync(path.join(out, 'world.json'), JSON.stringify(atlas));

// --- docs/*.html from the repository's Markdown -----------------------------
const docs = [
  ['methodology.md', 'Methodology'],
  ['aggregation.md', 'Aggregation'],
  ['dashboard.md', 'Dashboard'],
];
const rendered = [];
for (const [file, title] of docs) {
  const src = path.join(repoDocs, file);
  if (!fs.existsSync(src)) continue;
  rendered.push({ file: file.replace(/\.md$/, '.html'), title, source: file });
  const body = marked.parse(fs.readFileSync(src, 'utf8'));
  fs.writeFileSync(path.join(out, 'docs', file.replace(/\.md$/, '.html')),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · v6scope</title>
<link rel="stylesheet" href="../app.css"></head>
<body class="doc"><main id="main" class="doc-page">
<p><a href="../#/methodology">← Dashboard</a></p>
${body}
</main></body></html>
`);
}

fs.writeFileSync(path.join(out, 'docs', 'index.json'), JSON.stringify(rendered));

// --- index.html, with content hashes so browsers never mix versions ---------
const hash = (f) => createHash('sha256')
  .update(fs.readFileSync(path.join(out, f))).digest('hex').slice(0, 12);
const html = fs.readFileSync(path.join(here, 'src/index.html'), 'utf8')
  .replaceAll('app.js', `app.js?v=${hash('app.js')}`)
  .replaceAll('app.css', `app.css?v=${hash('app.css')}`);
fs.writeFileSync(path.join(out, 'index.html'), html);

const sizes = fs.readdirSync(out).filter((f) => !f.endsWith('.map'))
  .filter((f) => fs.statSync(path.join(out, f)).isFile())
  .map((f) => `${f} ${(fs.statSync(path.join(out, f)).size / 1024).toFixed(1)} KiB`);
console.log(`build-dashboard: ${out}: ${sizes.join(', ')}` +
  (unmapped.length ? ` (no ISO code, drawn without data: ${unmapped.join(', ')})` : ''));
