// The citizens' page: the public map (Open311, public profile) and "report a concern", posted through Open311.
import { api, makeMap, outline, escapeHTML } from '/pages/api.js';
import { language, translate, statusLabel } from '/pages/i18n.js';

const L = window.L;
const $ = id => document.getElementById(id);
const lang = language();
translate(lang);
const text = (de, en) => (lang === 'en' ? en : de);
let map, marker, position = null, config;

function choose(lat, lon) {
  position = { lat, lon };
  if (!marker) marker = L.marker([lat, lon], { draggable: true, title: text('Ort des Anliegens', 'Place of the concern'), alt: text('Ort', 'Place') }).addTo(map);
  else marker.setLatLng([lat, lon]);
  marker.off('dragend').on('dragend', () => { const p = marker.getLatLng(); choose(p.lat, p.lng); });
  $('where').className = 'note ok';
  $('where').textContent = text(`Ort gewählt: ${lat.toFixed(5)}, ${lon.toFixed(5)}`, `Place chosen: ${lat.toFixed(5)}, ${lon.toFixed(5)}`);
}

async function start() {
  config = await api('/public/config.json');
  map = makeMap($('map'), config, L);
  outline(L, await api('/public/areas.geojson')).addTo(map);
  map.on('click', e => choose(e.latlng.lat, e.latlng.lng));
  const [services, requests] = await Promise.all([api('/open311/v2/services.json'), api('/open311/v2/requests.json')]);
  const groups = [...new Set(services.map(s => s.group))];
  $('service').innerHTML = groups.map(g => `<optgroup label="${escapeHTML(g)}">${services.filter(s => s.group === g)
    .map(s => `<option value="${escapeHTML(s.service_code)}">${escapeHTML(lang === 'en' ? s.description.split('(')[1]?.replace(')', '') ?? s.service_name : s.service_name)}</option>`).join('')}</optgroup>`).join('');
  for (const r of requests) {
    L.circleMarker([r.lat, r.long], { radius: 6, color: '#1a1a1a', weight: 1, fillColor: r.status === 'open' ? '#d95f02' : '#1b9e77', fillOpacity: 0.85 })
      .bindPopup(`<strong>${escapeHTML(r.service_name)}</strong><br>${escapeHTML(r.description ?? '')}<br>${escapeHTML(statusLabel(r.status, lang))} · <a href="/status/${r.service_request_id}">${text('Nr.', 'No.')} ${r.service_request_id}</a>`)
      .addTo(map);
  }
  if (!config.citizen_key) { $('closed').classList.remove('hidden'); $('send').disabled = true; }
}

$('locate').addEventListener('click', () => navigator.geolocation?.getCurrentPosition(
  p => { choose(p.coords.latitude, p.coords.longitude); map.setView([p.coords.latitude, p.coords.longitude], 18); },
  () => { $('where').className = 'note warn'; $('where').textContent = text('Kein Standort verfügbar; bitte auf die Karte tippen.', 'No location available; please tap the map.'); }));

$('concern').addEventListener('submit', async event => {
  event.preventDefault();
  const result = $('result');
  if (!position) { result.innerHTML = `<p class="note bad" role="alert">${text('Bitte wählen Sie zuerst den Ort.', 'Please choose the place first.')}</p>`; return; }
  if (!$('description').value.trim()) { result.innerHTML = `<p class="note bad" role="alert">${text('Bitte beschreiben Sie das Anliegen.', 'Please describe the concern.')}</p>`; return; }
  const form = { api_key: config.citizen_key, service_code: $('service').value, lat: position.lat.toFixed(6), long: position.lon.toFixed(6),
                 description: $('description').value.trim() };
  if ($('email').value.trim()) form.email = $('email').value.trim();
  $('send').disabled = true;
  try {
    const [answer] = await api('/open311/v2/requests.json', { method: 'POST', form });
    const id = answer.service_request_id;
    result.innerHTML = `<div class="note ok" role="status"><p><strong>${text('Danke! Ihre Vorgangsnummer:', 'Thank you! Your tracking number:')} <span id="tracking-number">${escapeHTML(id)}</span></strong></p>
      <p>${escapeHTML(answer.service_notice ?? '')}</p><p><a href="/status/${encodeURIComponent(id)}?lang=${lang}">${text('Status ansehen', 'See the status')}</a></p></div>`;
    $('description').value = '';
  } catch (error) {
    result.innerHTML = `<p class="note bad" role="alert">${escapeHTML(error.message)}</p>`;
  } finally { $('send').disabled = !config.citizen_key; }
});
$('track-button').addEventListener('click', () => { const id = $('track').value.trim(); if (id) location.href = `/status/${encodeURIComponent(id)}?lang=${lang}`; });
start().catch(error => { $('result').innerHTML = `<p class="note bad" role="alert">${escapeHTML(error.message)}</p>`; });
