#!/usr/bin/env python3
"""Derive GeoData/districts.geojson and GeoData/squares.geojson.

Districts: the OpenStreetMap outlines of Altstadt + Carlstadt (Innenstadt West) and Stadtmitte (Innenstadt Ost)
from ../shared/data/boundaries/duesseldorf_stadtteile_osm.geojson (© OpenStreetMap contributors, ODbL),
unioned and simplified together (coverage simplification, so the shared Ost/West edge stays shared),
exterior rings turned counter-clockwise as RFC 7946 asks, coordinates rounded to 6 decimals.

Squares: small rectangles placed around reference points whose sources are listed in SQUARES below
(see ../shared/data/SOURCES.md). They are approximations, not surveyed outlines.

Run: tools/derive-geodata.py   (makes a venv with shapely and pyproj under tools/.venv on first use)
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")

if os.environ.get("CITYMAP_IN_VENV") != "1":
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "shapely>=2.1", "pyproj>=3.6"])
    os.execve(py, [py, __file__] + sys.argv[1:], dict(os.environ, CITYMAP_IN_VENV="1"))

import shapely  # noqa: E402
from shapely.geometry import shape, mapping, Polygon, MultiPolygon  # noqa: E402
from shapely.ops import unary_union  # noqa: E402
import numpy as np  # noqa: E402
from pyproj import Transformer  # noqa: E402

SOURCE = os.path.join(ROOT, "..", "shared", "data", "boundaries", "duesseldorf_stadtteile_osm.geojson")
TOLERANCE_M = 4.0  # simplification tolerance in metres (EPSG:25832)

DISTRICTS = [
    ("west", "Innenstadt West", ["Altstadt", "Carlstadt"]),
    ("ost", "Innenstadt Ost", ["Stadtmitte"]),
]

# code, name, lat, lon, width m (east-west), height m (north-south), rotation deg, source of the reference point
SQUARES = [
    ("burgplatz", "Burgplatz", 51.2275, 6.77111, 110, 70, 0,
     "Wikipedia 'Düsseldorf Castle' (castle site = Burgplatz), CC BY-SA 3.0"),
    ("marktplatz", "Marktplatz", 51.226005, 6.771878, 70, 55, 0, "AlexK94/ALNS reference point"),
    ("corneliusplatz", "Corneliusplatz", 51.226030, 6.778924, 90, 80, 0, "AlexK94/ALNS reference point"),
    ("graf-adolf-platz", "Graf-Adolf-Platz", 51.219158, 6.777923, 140, 60, 0, "AlexK94/ALNS reference point"),
    ("carlsplatz", "Carlsplatz", 51.223208, 6.772675, 90, 70, 0,
     "MichaK/bilkorama address point Carlsplatz 6b (square edge), CC-BY-SA; outline approximate"),
    ("konrad-adenauer-platz", "Konrad-Adenauer-Platz", 51.222114, 6.792441, 150, 90, 0,
     "MichaK/bilkorama address point Konrad-Adenauer-Platz 1 (Hauptbahnhof forecourt), CC-BY-SA"),
    ("worringer-platz", "Worringer Platz", 51.2280, 6.7866, 70, 60, 0,
     "four unattributed repositories that disagree by up to 600 m; placed at the one candidate that lies in "
     "Stadtmitte (where Wikipedia places the square) clear of the Pempelfort boundary; low confidence"),
]


def reproject(geom, tr):
    return shapely.transform(geom, lambda c: np.column_stack(tr(c[:, 0], c[:, 1])))


def ccw(geom):
    return shapely.orient_polygons(geom, exterior_cw=False)


def as_multi(geom):
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def rounded(geom, digits=6):
    return shapely.set_precision(geom, 10 ** -digits)


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def main():
    if not os.path.exists(SOURCE):
        sys.exit(f"derive-geodata: {SOURCE} is absent; it is needed to derive the district outlines")
    with open(SOURCE, encoding="utf-8") as fh:
        stadtteile = {f["properties"]["name"]: shape(f["geometry"]) for f in json.load(fh)["features"]}
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True).transform
    to_deg = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True).transform

    unions = [reproject(unary_union([stadtteile[n] for n in parts]), to_m) for _, _, parts in DISTRICTS]
    simplified = shapely.coverage_simplify(unions, TOLERANCE_M)
    features = []
    district_outlines = []
    for (code, name, parts), geom in zip(DISTRICTS, simplified):
        district_outlines.append((code, geom))
        g = as_multi(ccw(rounded(reproject(geom, to_deg))))
        assert g.is_valid, name
        features.append(feature({"code": code, "name": name, "stadtteile": parts,
                                 "source": "© OpenStreetMap contributors, ODbL 1.0; simplified by tools/derive-geodata.py"}, g))
    write(os.path.join(ROOT, "GeoData", "districts.geojson"), features)

    squares = []
    for code, name, lat, lon, w, h, rot, src in SQUARES:
        cx, cy = to_m(lon, lat)
        corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        a = math.radians(rot)
        ring = [(cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)) for x, y in corners]
        g = as_multi(ccw(rounded(reproject(Polygon(ring), to_deg))))
        # A square belongs wholly to the district it overlaps most (Graf-Adolf-Platz: 80.3 % Ost, the rest in
        # neither), so that reports on its outer part still count for a district.
        owner = max(district_outlines, key=lambda d: d[1].intersection(Polygon(ring)).area)[0]
        squares.append(feature({"code": code, "name": name, "district": owner, "source": src}, g))
    write(os.path.join(ROOT, "GeoData", "squares.geojson"), squares)


def write(path, features):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        fh.write(",\n".join(json.dumps(f, ensure_ascii=False) for f in features))
        fh.write("\n]}\n")
    os.replace(tmp, path)
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(features)} features)")


if __name__ == "__main__":
    main()
