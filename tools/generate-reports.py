#!/usr/bin/env python3
"""Write N realistic synthetic city-centre reports as CSV, deterministic from a seed (benchmark workload).

  tools/generate-reports.py N OUT.csv [--seed 7] [--cities 1|10]

Positions cluster around the real squares and shopping streets of Innenstadt West and Ost (70 %), over a uniform
background covering both districts (30 %). Each hotspot leans towards the category it is known for (litter and
safety at Worringer Platz, vacancies along Schadowstraße, …); the rest follows the taxonomy's overall mix. Times
span a year (2025-12-01 … 2026-11-30, Europe/Berlin) with a daily rhythm; older reports are more often resolved, and
every report that is not open has its history: `acknowledged_at` hours after observation, `status_at` when it reached
its status (resolution days later), so the summary's response times are those of a working office.

--cities 10 repeats the same density over ten city centres of North Rhine-Westphalia (N/10 each): a state-wide
deployment. One centre with a million reports would be unrealistic: every method degenerates into one cluster.
Pure Python standard library; streams rows, so memory stays flat.
"""
import argparse
import csv
import datetime as dt
import math
import random
import sys
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
DUS = (51.2250, 6.7800)  # reference centre the hotspots are placed relative to

# name, lat, lon, spread in metres, leaning category
SPOTS = [
    ("Burgplatz", 51.22750, 6.77111, 35, "cleanliness"),
    ("Marktplatz", 51.22600, 6.77188, 30, "square-quality"),
    ("Corneliusplatz", 51.22603, 6.77892, 35, "square-quality"),
    ("Graf-Adolf-Platz", 51.21916, 6.77792, 40, "safety"),
    ("Carlsplatz", 51.22321, 6.77268, 30, "cleanliness"),
    ("Konrad-Adenauer-Platz", 51.22211, 6.79244, 45, "safety"),
    ("Worringer Platz", 51.22800, 6.78660, 35, "safety"),
    ("Bolkerstraße", 51.22660, 6.77400, 25, "cleanliness"),
]
# name, (lat, lon) start, end, half-width in metres, leaning category
STREETS = [
    ("Königsallee", (51.2250, 6.7797), (51.2197, 6.7800), 20, "vacancy"),
    ("Schadowstraße", (51.2262, 6.7815), (51.2272, 6.7905), 18, "vacancy"),
    ("Flinger Straße", (51.2258, 6.7745), (51.2250, 6.7775), 12, "cleanliness"),
    ("Immermannstraße", (51.2237, 6.7850), (51.2222, 6.7920), 18, "orientation"),
]
BACKGROUND = (51.2160, 6.7660, 51.2300, 6.7980)  # south, west, north, east: both districts

CATEGORIES = {
    "cleanliness": (0.40, ["litter", "graffiti", "illegal-dumping", "overflowing-bin", "dog-fouling", "wild-posting"]),
    "safety": (0.20, ["poor-lighting", "aggressive-behaviour", "drug-litter", "unsafe-place", "damaged-surface"]),
    "orientation": (0.15, ["missing-sign", "damaged-sign", "misleading-sign", "accessibility-barrier", "blocked-path", "tactile-paving"]),
    "square-quality": (0.15, ["seating", "greenery", "lighting", "events", "furniture", "water-feature"]),
    "vacancy": (0.10, ["vacant-shop", "neglected-shopfront", "interim-use", "vacant-upper-floor"]),
}
NOTES = {
    "cleanliness": ["Müll neben dem Abfallbehälter", "Scherben auf dem Gehweg", "Graffiti am Eingang", "Sperrmüll abgestellt"],
    "safety": ["Beleuchtung ausgefallen", "Spritzen im Gebüsch", "Gruppe pöbelt Passanten an", "Stolperstelle im Pflaster"],
    "orientation": ["Wegweiser fehlt", "Schild unleserlich", "Bordstein ohne Absenkung", "E-Scooter blockieren den Weg"],
    "square-quality": ["Bank beschädigt", "Baumscheibe vermüllt", "Brunnen außer Betrieb", "Platz wirkt leer"],
    "vacancy": ["Ladenlokal leer", "Schaufenster verklebt", "Zwischennutzung denkbar", "Obergeschosse leer"],
}
# lat, lon of the ten centres (city hall / main square)
CITIES = [
    ("Düsseldorf", 51.2250, 6.7800), ("Köln", 50.9385, 6.9590), ("Dortmund", 51.5136, 7.4653), ("Essen", 51.4556, 7.0116),
    ("Duisburg", 51.4344, 6.7623), ("Bochum", 51.4818, 7.2162), ("Wuppertal", 51.2562, 7.1508), ("Bielefeld", 52.0302, 8.5325),
    ("Bonn", 50.7374, 7.0982), ("Münster", 51.9607, 7.6261),
]
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 11, 11, 10, 9, 9, 9, 10, 11, 10, 8, 6, 4, 2, 1]
STATUSES = ["open", "acknowledged", "in-progress", "resolved", "rejected"]


def metres_to_degrees(lat, dy, dx):
    return dy / 111_132.0, dx / (111_132.0 * math.cos(math.radians(lat)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cities", type=int, choices=[1, 10], default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    cat_names = list(CATEGORIES)
    cat_weights = [CATEGORIES[c][0] for c in cat_names]
    start = dt.datetime(2025, 12, 1, tzinfo=BERLIN)
    days = 365
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="", encoding="utf-8")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "lat", "lon", "category", "description", "observed_at", "status", "severity", "reporter",
                "acknowledged_at", "status_at"])
    end = start + dt.timedelta(days=days)
    cities = CITIES[: args.cities]
    for i in range(args.n):
        city, clat, clon = cities[i % len(cities)]
        r = rnd.random()
        lean = None
        if r < 0.45:
            _, lat, lon, spread, lean = SPOTS[rnd.randrange(len(SPOTS))]
            dlat, dlon = metres_to_degrees(lat, rnd.gauss(0, spread), rnd.gauss(0, spread))
            lat, lon = lat + dlat, lon + dlon
        elif r < 0.70:
            _, a, b, half, lean = STREETS[rnd.randrange(len(STREETS))]
            t = rnd.random()
            lat, lon = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            dlat, dlon = metres_to_degrees(lat, rnd.gauss(0, half), rnd.gauss(0, half))
            lat, lon = lat + dlat, lon + dlon
        else:
            s, west, n, e = BACKGROUND
            lat, lon = rnd.uniform(s, n), rnd.uniform(west, e)
        lat, lon = lat - DUS[0] + clat, lon - DUS[1] + clon
        category = lean if lean and rnd.random() < 0.5 else rnd.choices(cat_names, cat_weights)[0]
        sub = rnd.choice(CATEGORIES[category][1])
        day = rnd.randrange(days)
        hour = rnd.choices(range(24), HOUR_WEIGHTS)[0]
        when = (start + dt.timedelta(days=day)).replace(hour=hour, minute=rnd.randrange(60), second=rnd.randrange(60))
        age = (days - day) / days
        u = rnd.random()
        status = "open" if u > 0.25 + 0.7 * age else STATUSES[1 + min(3, int(rnd.random() * 4 * (0.3 + age)))]
        severity = rnd.choices(["low", "medium", "high", "urgent"], [3, 5, 2, 0.3])[0]
        # The history: acknowledged after hours (log-normal, median 6 h), resolved or rejected after days (median 3 days
        # after that), in progress a day after acknowledgement; never after the generated year ends.
        acknowledged = reached = ""
        if status != "open":
            ack = min(end, when + dt.timedelta(hours=rnd.lognormvariate(math.log(6), 1.0)))
            step = {"acknowledged": dt.timedelta(0), "in-progress": dt.timedelta(hours=rnd.lognormvariate(math.log(24), 0.7))}
            at = min(end, ack + step.get(status, dt.timedelta(days=rnd.lognormvariate(math.log(3), 0.9))))
            acknowledged, reached = ack.isoformat(timespec="seconds"), at.isoformat(timespec="seconds")
        w.writerow([f"g{args.seed}-{i}", f"{lat:.6f}", f"{lon:.6f}", f"{category}/{sub}", rnd.choice(NOTES[category]),
                    when.isoformat(timespec="seconds"), status, severity, f"{city} team {rnd.randrange(1, 5)}",
                    acknowledged, reached])
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
