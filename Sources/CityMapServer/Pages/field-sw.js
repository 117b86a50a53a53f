// The field page's service worker: the page and its files from the cache when the network is gone, fresh ones when it
// is there. The API is never cached: reports wait in the page's IndexedDB queue instead.
const CACHE = 'citymap-field-1';
const SHELL = ['/field', '/pages/field.js', '/pages/api.js', '/pages/common.css', '/vendor/leaflet/leaflet.js', '/vendor/leaflet/leaflet.css',
               '/vendor/leaflet/images/marker-icon.png', '/vendor/leaflet/images/marker-icon-2x.png', '/vendor/leaflet/images/marker-shadow.png',
               '/public/config.json', '/public/areas.geojson'];

self.addEventListener('install', event => event.waitUntil(caches.open(CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting())));
self.addEventListener('activate', event => event.waitUntil(
  caches.keys().then(keys => Promise.all(keys.filter(k => k !== CACHE).map(k => caches.delete(k)))).then(() => self.clients.claim())));
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(fetch(event.request).then(response => {
    if (response.ok) { const copy = response.clone(); caches.open(CACHE).then(c => c.put(event.request, copy)); }
    return response;
  }).catch(() => caches.match(event.request, { ignoreSearch: true })));
});
