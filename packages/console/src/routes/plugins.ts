import { conformanceText, listPlugins } from '@pgshift/kernel';
import { html } from 'hono/html';
import type { RouteModule } from '../console-app.js';
import { layout } from '../layout.js';

/** `/plugins`: what is installed, its kind, version, capabilities and conformance status. */
export const pluginRoutes: RouteModule = (app) => {
  app.get('/plugins', async (c) => {
    const plugins = await listPlugins();
    const body = html`<h1>Plugins</h1>
<table>
<caption>Installed plugins</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Version</th><th scope="col">Capabilities</th><th scope="col">Conformance</th><th scope="col">Package</th></tr></thead>
<tbody>
${plugins.map(
  (
    p,
  ) => html`<tr data-plugin="${p.name}"><th scope="row">${p.name}</th><td>${p.kind}</td><td>${p.version}</td>
<td>${p.capabilities.length > 0 ? html`<ul class="caps">${p.capabilities.map((cap) => html`<li>${cap}</li>`)}</ul>` : '-'}</td>
<td>${p.conformance ? conformanceText(p.conformance) : 'no report'}</td>
<td>${p.source}${p.error ? html` <span class="error">(not loadable: ${p.error})</span>` : ''}</td></tr>`,
)}
</tbody>
</table>`;
    return c.html(layout(c.get('session'), { title: 'Plugins', path: '/plugins' }, body));
  });
};
