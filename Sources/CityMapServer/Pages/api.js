// The pages' one way to the service: JSON in, JSON out, problems (RFC 9457) and GeoReport errors as Error objects
// whose message is the server's own sentence.
export class ApiError extends Error {
  constructor(status, detail, field) { super(detail); this.status = status; this.field = field; }
}

export async function api(path, { token, method = 'GET', json, body, type, form } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload = body;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(json); }
  if (form !== undefined) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; payload = new URLSearchParams(form).toString(); }
  if (type) headers['Content-Type'] = type;
  const response = await fetch(path, { method, headers, body: payload });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) {
    const problem = Array.isArray(data) ? { detail: data[0]?.description } : (data || {});
    throw new ApiError(response.status, problem.detail || `HTTP ${response.status}`, problem['invalid-params']?.[0]?.name);
  }
  return data;
}

/// A map with the tile layer the server names (none: outlines only) and the districts and squares outlined.
export function makeMap(element, config, L) {
  const map = L.map(element, { center: config.center, zoom: config.zoom, keyboard: true, maxZoom: 19, minZoom: 11 });
  if (config.tiles) L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  return map;
}

export function outline(L, areas) {
  return L.geoJSON(areas, {
    style: f => ({ color: f.properties.stroke, weight: f.properties['stroke-width'], fillColor: f.properties.fill,
                   fillOpacity: f.properties['fill-opacity'] }),
    interactive: false,
  });
}

export function escapeHTML(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
