// The field page: log spots on a walk, offline first. Reports wait in IndexedDB with their client_id and are sent
// when the phone is online; the server answers a resent client_id with the first report, so nothing is doubled.
import { api, makeMap, outline, escapeHTML } from '/pages/api.js';

const L = window.L;
const $ = id => document.getElementById(id);
const TOKEN = 'citymap.field.token';
let token = localStorage.getItem(TOKEN);
let map, marker, circle, taxonomy = null, position = null, accuracy = null, walk = null, sending = false;

// ---- the queue (IndexedDB) ----
const dbReady = new Promise((resolve, reject) => {
  const open = indexedDB.open('citymap-field', 1);
  open.onupgradeneeded = () => { open.result.createObjectStore('queue', { keyPath: 'key' }); open.result.createObjectStore('state'); };
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});
async function store(name, mode, work) {
  const db = await dbReady;
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}
const queued = () => store('queue', 'readonly', s => s.getAll());
const enqueue = item => store('queue', 'readwrite', s => s.put(item));
const dequeue = key => store('queue', 'readwrite', s => s.delete(key));
const saveWalk = () => store('state', 'readwrite', s => s.put(walk, 'walk'));
const loadWalk = () => store('state', 'readonly', s => s.get('walk'));

async function showQueue() {
  const items = await queued();
  $('queue-empty').classList.toggle('hidden', items.length > 0);
  $('queue-list').innerHTML = items.map(i => `<li>${i.kind === 'walk' ? 'Rundgang' : escapeHTML(i.label)} · ${new Date(i.created).toLocaleTimeString('de-DE')}${i.error ? ` · <span class="bad">${escapeHTML(i.error)}</span>` : ''}</li>`).join('');
  const badge = $('queue-badge');
  badge.textContent = items.length ? `${items.length} wartend` : '';
  badge.classList.toggle('hidden', items.length === 0);
}

/// Sends what waits, oldest first; stops at the first network failure (offline), keeps refused items with their reason.
async function flush() {
  if (sending || !token) return;
  sending = true;
  try {
    for (const item of (await queued()).sort((a, b) => a.created - b.created)) {
      try {
        if (item.kind === 'walk') {
          await api('/api/walks', { token, method: 'POST', type: 'application/geo+json', body: JSON.stringify(item.walk) });
        } else {
          if (!item.id) {
            const answer = await api('/api/reports', { token, method: 'POST', json: item.body });
            item.id = answer.id;
            for (const warning of answer.warnings) say(`#${answer.id}: ${warning}`, 'warn');
            say(`Meldung #${answer.id} gespeichert${answer.district ? ` (${answer.district}${answer.square ? ', ' + answer.square : ''})` : ''}.`, 'ok');
            if (item.photo) await enqueue(item);
          }
          if (item.photo) await api(`/api/reports/${item.id}/photo`, { token, method: 'POST', type: item.photo.type, body: item.photo });
        }
        await dequeue(item.key);
      } catch (error) {
        if (error.status === undefined) break; // no network: try again when online
        if (error.status === 401) { signOut('Der Token gilt nicht mehr; bitte neu anmelden.'); break; }
        if (error.status >= 500) break;
        item.error = error.message;
        await enqueue(item);
      }
    }
  } finally {
    sending = false;
    await showQueue();
  }
}

function say(text, kind = 'ok') {
  const p = document.createElement('p');
  p.className = `note ${kind}`;
  p.textContent = text;
  $('messages').prepend(p);
}

// ---- position ----
async function place(lat, lon, acc) {
  position = { lat, lon };
  accuracy = acc ?? null;
  if (!marker) {
    marker = L.marker([lat, lon], { draggable: true, keyboard: true, title: 'Ort der Meldung', alt: 'Ort der Meldung' }).addTo(map);
    marker.on('dragend', () => { const p = marker.getLatLng(); place(p.lat, p.lng, null); });
  } else marker.setLatLng([lat, lon]);
  if (circle) { circle.remove(); circle = null; }
  if (acc) circle = L.circle([lat, lon], { radius: acc, color: '#0b5cad', weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
  const warning = $('accuracy-warning');
  warning.classList.toggle('hidden', !(acc > 25));
  if (acc > 25) warning.textContent = `Ungenau: ±${Math.round(acc)} m. Marker auf den genauen Ort ziehen.`;
  map.setView([lat, lon], Math.max(map.getZoom(), 17));
  try {
    const at = await api(`/api/place?lat=${lat}&lon=${lon}`, { token });
    $('place').className = `note ${at.district ? 'ok' : 'warn'}`;
    $('place').textContent = at.district ? `${at.district}${at.square ? ' · ' + at.square : ''}` : 'Außerhalb aller Bezirke (Innenstadt West, Innenstadt Ost): die Meldung wird ohne Bezirk gespeichert.';
  } catch (error) {
    $('place').className = 'note muted';
    $('place').textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)} (Bezirk wird beim Senden bestimmt)`;
  }
}

function locate() {
  if (!navigator.geolocation) { say('Dieses Telefon gibt keinen Standort.', 'bad'); return; }
  navigator.geolocation.getCurrentPosition(p => place(p.coords.latitude, p.coords.longitude, p.coords.accuracy),
    e => say(`Kein Standort: ${e.message}`, 'bad'), { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
}

// ---- walks ----
async function toggleWalk() {
  const button = $('walk');
  if (!walk) {
    walk = { started: Date.now(), points: [] };
    walk.watch = navigator.geolocation.watchPosition(p => {
      walk.points.push([p.coords.longitude, p.coords.latitude, new Date(p.timestamp).toISOString()]);
      saveWalk();
      $('walk-status').textContent = `Rundgang läuft: ${walk.points.length} Punkte.`;
    }, () => {}, { enableHighAccuracy: true, maximumAge: 5000 });
    await saveWalk();
  } else {
    navigator.geolocation.clearWatch(walk.watch);
    if (walk.points.length >= 2) {
      const feature = { type: 'Feature', properties: { name: `Rundgang ${new Date(walk.started).toLocaleString('de-DE')}`,
                        times: walk.points.map(p => p[2]) },
                        geometry: { type: 'LineString', coordinates: walk.points.map(p => [p[0], p[1]]) } };
      await enqueue({ key: crypto.randomUUID(), kind: 'walk', walk: feature, created: Date.now() });
      say(`Rundgang beendet (${walk.points.length} Punkte); er wird gesendet.`);
    } else say('Rundgang beendet: zu wenige Punkte für eine Spur.', 'warn');
    walk = null;
    await store('state', 'readwrite', s => s.delete('walk'));
    flush();
  }
  button.textContent = walk ? 'Rundgang beenden' : 'Rundgang starten';
  button.setAttribute('aria-pressed', String(!!walk));
  $('walk-status').classList.toggle('hidden', !walk);
  if (walk) $('walk-status').textContent = 'Rundgang läuft.';
}

// ---- the form ----
function fillCategories() {
  $('category').innerHTML = taxonomy.categories.map(c => `<option value="${c.code}">${escapeHTML(c.de)}</option>`).join('');
  fillSubcategories();
}
function fillSubcategories() {
  const category = taxonomy.categories.find(c => c.code === $('category').value);
  $('subcategory').innerHTML = category.subcategories.map(s => `<option value="${s.code}">${escapeHTML(s.de)}</option>`).join('');
}

/// The photo, made smaller and encoded anew in the browser: a canvas carries pixels only, so no EXIF (GPS position,
/// camera serial) leaves the phone.
async function cleanPhoto(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.82));
}

async function submit(event) {
  event.preventDefault();
  if (!position) { say('Bitte zuerst den Ort wählen (Standort oder Karte).', 'bad'); return; }
  const code = `${$('category').value}/${$('subcategory').value}`;
  const body = { lat: +position.lat.toFixed(7), lon: +position.lon.toFixed(7), category: code, severity: $('severity').value,
                 note: $('note').value.trim(), observed_at: new Date().toISOString(), client_id: crypto.randomUUID() };
  if (accuracy) body.accuracy_m = Math.round(accuracy * 10) / 10;
  const file = $('photo').files[0];
  const photo = file ? await cleanPhoto(file) : null;
  const label = `${$('subcategory').selectedOptions[0].textContent}`;
  await enqueue({ key: body.client_id, kind: 'report', body, photo, label, created: Date.now() });
  $('note').value = ''; $('photo').value = '';
  await showQueue();
  flush();
}

function signOut(message) {
  localStorage.removeItem(TOKEN);
  token = null;
  $('app').classList.add('hidden');
  $('signin').classList.remove('hidden');
  if (message) { $('signin-error').textContent = message; $('signin-error').classList.remove('hidden'); }
}

async function start() {
  $('signin').classList.add('hidden');
  $('app').classList.remove('hidden');
  const config = await api('/public/config.json').catch(() => ({ center: [51.225, 6.78], zoom: 15, tiles: null }));
  map = makeMap($('map'), config, L);
  api('/public/areas.geojson').then(areas => outline(L, areas).addTo(map)).catch(() => {});
  map.on('click', e => place(e.latlng.lat, e.latlng.lng, null));
  try {
    taxonomy = await api('/api/taxonomy', { token });
    localStorage.setItem('citymap.taxonomy', JSON.stringify(taxonomy));
  } catch (error) {
    if (error.status === 401) { signOut('Der Token gilt nicht; bitte prüfen.'); return; }
    taxonomy = JSON.parse(localStorage.getItem('citymap.taxonomy') || 'null'); // offline: the last one seen
  }
  if (taxonomy) fillCategories();
  const unfinished = await loadWalk();
  if (unfinished) { walk = null; say('Ein Rundgang war noch offen; bitte neu starten.', 'warn'); await store('state', 'readwrite', s => s.delete('walk')); }
  await showQueue();
  flush();
}

$('signin-button').addEventListener('click', async () => {
  const candidate = $('token').value.trim();
  try {
    await api('/api/taxonomy', { token: candidate });
    token = candidate;
    localStorage.setItem(TOKEN, token);
    $('signin-error').classList.add('hidden');
    start();
  } catch (error) {
    $('signin-error').textContent = error.status === 401 ? 'Dieser Token gilt nicht.' : `Anmelden ging nicht: ${error.message}`;
    $('signin-error').classList.remove('hidden');
  }
});
$('category').addEventListener('change', fillSubcategories);
$('report').addEventListener('submit', submit);
$('locate').addEventListener('click', locate);
$('walk').addEventListener('click', toggleWalk);
$('signout').addEventListener('click', () => signOut());
window.addEventListener('online', flush);
setInterval(flush, 15000);
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch(() => {});
if (token) start(); else $('signin').classList.remove('hidden');
