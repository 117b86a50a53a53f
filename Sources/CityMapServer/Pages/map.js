// The office map: what is open where. Filters live in the URL, so a view can be shared; every figure comes from the API.
import { api, makeMap, outline, escapeHTML } from '/pages/api.js';
import { statusLabel } from '/pages/i18n.js';

const L = window.L;
const $ = id => document.getElementById(id);
const TOKEN = 'citymap.office.token';
let token = localStorage.getItem(TOKEN);
let map, clusters, taxonomy, colors = {}, hotspotLayers = {}, office = false, lastQuery = '';
const fields = { district: 'f-district', category: 'f-category', status: 'f-status', since: 'f-since', until: 'f-until' };

function query() {
  const q = new URLSearchParams();
  for (const [name, id] of Object.entries(fields)) if ($(id).value) q.set(name, $(id).value);
  return q;
}

function fromURL() {
  const q = new URLSearchParams(location.search);
  for (const [name, id] of Object.entries(fields)) if (q.get(name)) $(id).value = q.get(name);
}

function fail(error) { $('error').textContent = error.message || String(error); $('error').classList.remove('hidden'); }

async function load() {
  $('error').classList.add('hidden');
  const q = query();
  lastQuery = q.toString();
  history.replaceState(null, '', `/map${lastQuery ? '?' + lastQuery : ''}`);
  let reports;
  try { reports = await api(`/api/export/reports.geojson?${q}`, { token }); } catch (error) { fail(error); return; }
  clusters.clearLayers();
  const markers = reports.features.map(f => {
    const [lon, lat] = f.geometry.coordinates;
    const m = L.circleMarker([lat, lon], { radius: 7, color: '#1a1a1a', weight: 1, fillColor: f.properties['marker-color'], fillOpacity: 0.9 });
    m.reportID = f.id;
    const box = document.createElement('div');
    box.className = 'popup';
    box.id = `popup-${f.id}`;
    box.textContent = `Meldung #${f.id} …`;
    m.bindPopup(box, { maxWidth: 320, maxHeight: 300, autoPanPadding: [20, 20] });
    m.on('popupopen', () => fillPopup(f.id, m, box));
    return m;
  });
  clusters.addLayers(markers);
  window.citymapMarkers = markers;
  $('count').textContent = `${markers.length} Meldungen`;
  $('report-list').innerHTML = reports.features.slice(0, 100).map(f =>
    `<button type="button" class="secondary" data-id="${f.id}">#${f.id} ${escapeHTML(f.properties.title)} · ${escapeHTML(statusLabel(f.properties.status, 'de'))}</button>`).join('')
    + (reports.features.length > 100 ? `<p class="muted">… und ${reports.features.length - 100} weitere</p>` : '');
  for (const button of $('report-list').querySelectorAll('button')) {
    button.addEventListener('click', () => {
      const marker = markers.find(m => m.reportID === +button.dataset.id);
      clusters.zoomToShowLayer(marker, () => marker.openPopup());
    });
  }
  loadSummary(q);
  loadHotspots();
}

async function fillPopup(id, marker, element) {
  try {
    const { report, history } = await api(`/api/reports/${id}`, { token });
    const next = { open: ['acknowledged', 'rejected', 'duplicate'], acknowledged: ['in-progress', 'rejected', 'duplicate'],
                   'in-progress': ['resolved', 'rejected'] }[report.status] ?? [];
    element.innerHTML = `<h3>#${report.id} ${escapeHTML(report.category)}/${escapeHTML(report.subcategory)}</h3>
      <p>${escapeHTML(report.description || '–')}</p>
      <p>${escapeHTML(statusLabel(report.status, 'de'))} · ${escapeHTML(report.district ?? 'außerhalb')}${report.square ? ' · ' + escapeHTML(report.square) : ''}<br>
      beobachtet ${escapeHTML(report.observed_at.slice(0, 16).replace('T', ' '))}</p>
      <ol>${history.map(e => `<li>${escapeHTML(e.at.slice(0, 16).replace('T', ' '))} ${escapeHTML(e.actor ?? '')}: ${escapeHTML(e.kind === 'note' ? 'Notiz' : statusLabel(e.to, 'de'))}${e.note ? ' – ' + escapeHTML(e.note) : ''}</li>`).join('')}</ol>
      ${office ? `<form class="change">
        ${next.length ? `<label for="s-${id}">Neuer Status</label><select id="s-${id}"><option value="">(nur Notiz)</option>${next.map(s => `<option value="${s}">${escapeHTML(statusLabel(s, 'de'))}</option>`).join('')}</select>` : ''}
        <label for="n-${id}">Notiz</label><input id="n-${id}" type="text">
        <label><input id="p-${id}" type="checkbox"> öffentlich (für die Bürgerseite)</label>
        <button type="submit">Speichern</button></form>` : ''}`;
    element.querySelector('form')?.addEventListener('submit', async event => {
      event.preventDefault();
      const status = document.getElementById(`s-${id}`)?.value, note = document.getElementById(`n-${id}`).value.trim();
      const isPublic = document.getElementById(`p-${id}`).checked;
      try {
        if (status) await api(`/api/reports/${id}/status`, { token, method: 'POST', json: { status, note: note || undefined, public: isPublic } });
        else if (note) await api(`/api/reports/${id}/notes`, { token, method: 'POST', json: { note, public: isPublic } });
        fillPopup(id, marker, element);
      } catch (error) { element.insertAdjacentHTML('beforeend', `<p class="note bad" role="alert">${escapeHTML(error.message)}</p>`); }
    });
  } catch (error) { element.textContent = error.message; }
  marker?.getPopup()?.update(); // its size changed: scroll within it, and pan the map to show it
}

async function loadSummary(q) {
  const s = new URLSearchParams();
  if (q.get('district')) s.set('district', q.get('district') === 'none' ? 'all' : q.get('district'));
  if (q.get('since') && q.get('until')) { s.set('from', q.get('since')); s.set('to', q.get('until')); }
  s.set('hotspots', '0');
  try {
    const summary = await api(`/api/summary?${s}`, { token });
    $('summary').innerHTML = summary.districts.map(d => `<h3>${escapeHTML(d.district)} · ${escapeHTML(summary.period)}</h3>
      <p>${escapeHTML(d.summary)}</p>
      <table><caption class="visually-hidden">Themen</caption><tr><th scope="col">Thema</th><th scope="col">jetzt</th><th scope="col">davor</th></tr>
      ${d.by_category.map(c => `<tr><td>${escapeHTML(c.label)}</td><td>${c.current}</td><td>${c.previous}</td></tr>`).join('')}</table>`).join('');
  } catch (error) { $('summary').innerHTML = `<p class="note bad">${escapeHTML(error.message)}</p>`; }
}

async function loadHotspots() {
  const q = query();
  const wanted = {
    clusters: $('h-clusters').checked && `/api/hotspots/clusters?${q}&eps=${$('h-eps').value}m&min_points=${$('h-min').value}`,
    gi: $('h-gi').checked && `/api/hotspots/gi?${q}&cell=${$('h-cell').value}m&band=${$('h-band').value}m&significant_only=true`,
    density: $('h-density').checked && `/api/hotspots/density?${q}&kernel_radius=${$('h-radius').value}m&top=${$('h-top').value}%25`,
  };
  for (const [name, url] of Object.entries(wanted)) {
    hotspotLayers[name]?.remove();
    delete hotspotLayers[name];
    if (!url) continue;
    try {
      const data = await api(url, { token });
      hotspotLayers[name] = L.geoJSON(data, {
        style: f => ({ color: f.properties.stroke ?? f.properties.fill, fillColor: f.properties.fill, weight: f.properties['stroke-width'] ?? 1,
                       fillOpacity: f.properties['fill-opacity'] ?? 0.4 }),
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: f.properties['marker-color'] }),
        onEachFeature: (f, layer) => layer.bindTooltip(escapeHTML(f.properties.title)),
      }).addTo(map);
    } catch (error) { fail(error); }
  }
}

async function download(format) {
  try {
    const response = await fetch(`/api/export/reports.${format}?${query()}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `citymap-${new Date().toISOString().slice(0, 10)}.${format}`;
    link.click();
  } catch (error) { fail(error); }
}

async function start() {
  $('signin').classList.add('hidden');
  $('app').classList.remove('hidden');
  const config = await api('/public/config.json');
  map = makeMap($('office-map'), config, L);
  outline(L, await api('/public/areas.geojson')).addTo(map);
  clusters = L.markerClusterGroup({ chunkedLoading: true });
  map.addLayer(clusters);
  window.citymapClusters = clusters;
  taxonomy = await api('/api/taxonomy', { token });
  for (const c of taxonomy.categories) {
    colors[c.code] = c.color;
    $('f-category').insertAdjacentHTML('beforeend', `<option value="${c.code}">${escapeHTML(c.de)}</option>`);
  }
  // The office role may change statuses; a field token sees the map and changes nothing here.
  office = (await api('/api/whoami', { token })).role !== 'field';
  fromURL();
  await load();
}

$('filters').addEventListener('submit', event => { event.preventDefault(); load(); });
for (const id of ['h-clusters', 'h-gi', 'h-density']) $(id).addEventListener('change', loadHotspots);
$('download-geojson').addEventListener('click', () => download('geojson'));
$('download-csv').addEventListener('click', () => download('csv'));
$('signout').addEventListener('click', () => { localStorage.removeItem(TOKEN); location.reload(); });
$('signin-button').addEventListener('click', async () => {
  const candidate = $('token').value.trim();
  try {
    await api('/api/taxonomy', { token: candidate });
    token = candidate;
    localStorage.setItem(TOKEN, token);
    start().catch(fail);
  } catch (error) {
    $('signin-error').textContent = error.status === 401 ? 'Dieser Token gilt nicht.' : error.message;
    $('signin-error').classList.remove('hidden');
  }
});
if (token) start().catch(fail); else $('signin').classList.remove('hidden');
