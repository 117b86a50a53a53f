// German first, English available: the language comes from ?lang=, then the last choice, then German.
const words = {
  de: {
    statuses: { open: 'offen', acknowledged: 'gesichtet', 'in-progress': 'in Bearbeitung', resolved: 'erledigt',
                rejected: 'abgelehnt', duplicate: 'bereits gemeldet', closed: 'abgeschlossen' },
  },
  en: {
    statuses: { open: 'open', acknowledged: 'acknowledged', 'in-progress': 'in progress', resolved: 'resolved',
                rejected: 'rejected', duplicate: 'already reported', closed: 'closed' },
  },
};

export function language() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'de' || asked === 'en') { localStorage.setItem('citymap.lang', asked); return asked; }
  return localStorage.getItem('citymap.lang') === 'en' ? 'en' : 'de';
}

/// Fills every element with data-de / data-en text in the chosen language, and the document's lang.
export function translate(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-de]')) {
    const text = el.dataset[lang] ?? el.dataset.de;
    if (el.placeholder !== undefined && el.dataset.placeholder) el.placeholder = text; else el.textContent = text;
  }
}

export function statusLabel(status, lang) { return words[lang].statuses[status] ?? status; }
