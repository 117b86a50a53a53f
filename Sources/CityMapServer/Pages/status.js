// A citizen's status page: where the concern stands and the public notes, never more.
import { api, escapeHTML } from '/pages/api.js';
import { language, translate, statusLabel } from '/pages/i18n.js';

const lang = language();
translate(lang);
const text = (de, en) => (lang === 'en' ? en : de);
const id = decodeURIComponent(location.pathname.split('/').pop());
const when = at => new Date(at).toLocaleString(lang === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' });

api(`/public/reports/${encodeURIComponent(id)}`).then(({ report, history }) => {
  document.getElementById('status').innerHTML = `
    <h2>${text('Vorgang', 'Concern')} ${escapeHTML(report.id)}: ${escapeHTML(report.service_name)}</h2>
    <p class="note ${report.status === 'open' ? 'warn' : 'ok'}"><strong>${text('Status', 'Status')}: <span id="current-status">${escapeHTML(statusLabel(report.lifecycle, lang))}</span></strong>
      (${escapeHTML(statusLabel(report.status, lang))})</p>
    <p>${escapeHTML(report.description)}</p>
    <p class="muted">${escapeHTML(report.district ?? '')}${report.square ? ' · ' + escapeHTML(report.square) : ''}${report.agency ? ' · ' + text('zuständig', 'handled by') + ': ' + escapeHTML(report.agency) : ''}</p>
    <h3>${text('Verlauf', 'History')}</h3>
    <ol>${history.map(e => `<li>${escapeHTML(when(e.at))}: ${escapeHTML(statusLabel(e.status, lang))}${e.note ? ' – ' + escapeHTML(e.note) : ''}</li>`).join('')}</ol>
    <p>${text('Sie bekommen in jedem Fall eine Rückmeldung.', 'You will get a response in any case.')}</p>`;
}).catch(error => {
  document.getElementById('status').innerHTML = `<p class="note bad" role="alert">${escapeHTML(error.status === 404
    ? text(`Zur Vorgangsnummer ${id} gibt es kein Anliegen.`, `There is no concern with the tracking number ${id}.`) : error.message)}</p>`;
});
