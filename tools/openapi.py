#!/usr/bin/env python3
"""Writes the OpenAPI 3.1 document of `citymap serve` to Sources/CityMapServer/Resources/openapi.json.

The document is data, kept in the repository and served at /api/openapi.json; this script is how it is edited
(one place per schema and parameter), and tools/fuzz-api checks the server against it with schemathesis.
Run it after changing a route: tools/openapi.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "CityMapServer", "Resources", "openapi.json")


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def problem(description):
    return {"description": description, "content": {"application/problem+json": {"schema": ref("Problem")}}}


def open311_error(description, formats=("json",)):
    content = {}
    if "json" in formats:
        content["application/json"] = {"schema": ref("Open311Errors")}
    if "xml" in formats:
        content["text/xml"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


STAFF_ERRORS = {
    "401": {"description": "No token, or an unknown or revoked one.",
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
            "content": {"application/problem+json": {"schema": ref("Problem")}}},
    "403": problem("The token's role is too small."),
    "503": problem("The database is busy with another writer; nothing was written, a retry is safe."),
}

BODY_ERRORS = {
    "400": problem("The body is not JSON, or not an image."),
    "413": problem("The body is larger than the endpoint accepts (1 MB; 10 MB for walks)."),
    "415": problem("The body has another media type than the endpoint takes."),
    "422": problem("A field of the body breaks a rule; invalid-params names it."),
}


def param(name, description, schema=None, required=False, where="query", explode=None):
    p = {"name": name, "in": where, "description": description, "required": required,
         "schema": schema or {"type": "string"}}
    if explode is not None:
        p["explode"] = explode
        p["style"] = "form"
    return p


FILTERS = [
    param("district", "Only these districts: code (west, ost), name, or none for reports outside every district; comma-separated or repeated.",
          {"type": "array", "items": {"type": "string"}}, explode=True),
    param("category", "Only these categories (cleanliness) or subcategories (cleanliness/litter); comma-separated or repeated.",
          {"type": "array", "items": {"type": "string"}}, explode=True),
    param("status", "Only these statuses; comma-separated or repeated.",
          {"type": "array", "items": {"type": "string", "enum": ["open", "acknowledged", "in-progress", "resolved", "rejected", "duplicate"]}},
          explode=True),
    param("since", "Observed at or after (ISO 8601; without an offset Europe/Berlin)."),
    param("until", "Observed before; a date alone includes that day."),
    param("bbox", "WEST,SOUTH,EAST,NORTH in degrees."),
    param("near", "LAT,LON: only reports within `radius` of it."),
    param("radius", "The radius of `near`, e.g. 100m (at most 100 km)."),
]
PAGING = [
    param("limit", "Reports per page.", {"type": "integer", "minimum": 1, "maximum": 1000}),
    param("offset", "Reports to skip.", {"type": "integer", "minimum": 0, "maximum": 2147483647}),
]


def staff(summary, role, responses, parameters=None, body=None, description=None):
    op = {"summary": summary, "description": (description + " " if description else "") + f"Needs a {role} token.",
          "security": [{"bearer": []}], "parameters": parameters or [], "responses": {**responses, **STAFF_ERRORS}}
    if body:
        op["requestBody"] = body
        op["responses"] = {**BODY_ERRORS, **op["responses"]}
    return op


def json_body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def ok(schema, description="OK", media="application/json", headers=None):
    r = {"description": description, "content": {media: {"schema": schema}}}
    if headers:
        r["headers"] = headers
    return r


GEOJSON = {"type": "object", "required": ["type", "features"],
           "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": ref("Feature")}}}

schemas = {
    "Problem": {
        "type": "object", "description": "RFC 9457 problem details.", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
            "instance": {"type": "string"},
            "invalid-params": {"type": "array", "items": {"type": "object", "required": ["name", "reason"],
                                                          "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}}},
        },
    },
    "Position": {"type": "object", "required": ["lat", "lon"], "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}},
    "Report": {
        "type": "object",
        "required": ["id", "lat", "lon", "x_25832", "y_25832", "category", "subcategory", "status", "severity", "description",
                     "observed_at", "source", "created_at", "updated_at"],
        "properties": {
            "id": {"type": "integer"}, "lat": {"type": "number"}, "lon": {"type": "number"},
            "x_25832": {"type": "number"}, "y_25832": {"type": "number"},
            "category": {"type": "string"}, "subcategory": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "acknowledged", "in-progress", "resolved", "rejected", "duplicate"]},
            "severity": {"type": "string", "enum": ["low", "medium", "high", "urgent"]},
            "description": {"type": "string"}, "observed_at": {"type": "string"},
            "district": nullable({"type": "string"}), "square": nullable({"type": "string"}),
            "reporter": nullable({"type": "string"}), "source": {"type": "string"}, "external_id": nullable({"type": "string"}),
            "accuracy_m": nullable({"type": "number"}), "duplicate_of": nullable({"type": "integer"}),
            "address": nullable({"type": "string"}), "media_url": nullable({"type": "string"}), "walk_id": nullable({"type": "integer"}),
            "created_at": {"type": "string"}, "updated_at": {"type": "string"},
            "agency": dict(nullable({"type": "string"}), description="The agency assigned to act (its code in GeoData/responsibilities.json); null: the default routing applies."),
            "due_at": dict(nullable({"type": "string"}), description="When the assigned agency should be done (ISO 8601, Europe/Berlin offset)."),
        },
    },
    "ReportEvent": {
        "type": "object", "required": ["id", "at", "kind", "to", "public"],
        "properties": {
            "id": {"type": "integer"}, "at": {"type": "string"}, "actor": nullable({"type": "string"}),
            "kind": {"type": "string", "enum": ["created", "status", "note"]},
            "from": nullable({"type": "string"}), "to": {"type": "string"}, "note": nullable({"type": "string"}),
            "public": {"type": "boolean"},
        },
    },
    "ReportDetail": {"type": "object", "required": ["report", "history"],
                     "properties": {"report": ref("Report"), "history": {"type": "array", "items": ref("ReportEvent")}}},
    "ReportPage": {"type": "object", "required": ["total", "limit", "offset", "reports"],
                   "properties": {"total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
                                  "reports": {"type": "array", "items": ref("Report")}}},
    "NewReport": {
        "type": "object", "required": ["lat", "lon", "category"],
        "properties": {
            "lat": {"type": "number", "description": "WGS84 latitude."}, "lon": {"type": "number", "description": "WGS84 longitude."},
            "category": {"type": "string", "description": "category/subcategory, e.g. cleanliness/litter (GET /api/taxonomy)."},
            "note": {"type": "string", "maxLength": 4000}, "severity": {"type": "string", "description": "low, medium, high, urgent (or German)."},
            "accuracy_m": {"type": "number", "minimum": 0}, "observed_at": {"type": "string", "description": "ISO 8601; default now."},
            "reporter": {"type": "string"}, "client_id": {"type": "string", "description": "A UUID made by the client; a retry with the same one adds nothing."},
        },
    },
    "Logged": {
        "type": "object", "required": ["id", "repeated", "warnings", "likely_duplicates"],
        "properties": {"id": {"type": "integer"}, "district": nullable({"type": "string"}), "square": nullable({"type": "string"}),
                       "repeated": {"type": "boolean"}, "warnings": {"type": "array", "items": {"type": "string"}},
                       "likely_duplicates": {"type": "array", "items": {"type": "integer"}}},
    },
    "StatusChange": {
        "type": "object", "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["acknowledged", "in-progress", "resolved", "rejected", "duplicate"]},
                       "note": {"type": "string", "maxLength": 4000}, "public": {"type": "boolean"},
                       "of": {"type": "integer", "description": "For duplicate: the original."}, "at": {"type": "string"}},
    },
    "Note": {"type": "object", "required": ["note"],
             "properties": {"note": {"type": "string", "maxLength": 4000}, "public": {"type": "boolean"}, "at": {"type": "string"}}},
    "Feature": {"type": "object", "required": ["type", "geometry", "properties"],
                "properties": {"type": {"const": "Feature"}, "id": {"type": "integer"}, "geometry": {"type": "object"},
                               "properties": {"type": "object"}}},
    "FeatureCollection": GEOJSON,
    "WalkLine": {"type": "object", "required": ["type"], "description": "A GeoJSON LineString, or a Feature holding one (properties name, team, times).",
                 "properties": {"type": {"type": "string", "enum": ["LineString", "Feature"]}, "coordinates": {"type": "array"},
                                "geometry": {"type": "object"}, "properties": {"type": "object"}}},
    "Walks": {"type": "object", "required": ["walks_added", "walks_present", "reports_imported"],
              "properties": {"walks_added": {"type": "integer"}, "walks_present": {"type": "integer"},
                             "reports_imported": {"type": "integer"}, "walk_id": nullable({"type": "integer"})}},
    "Summary": {"type": "object", "required": ["period", "districts"],
                "properties": {"period": {"type": "string"}, "previous_period": nullable({"type": "string"}),
                               "districts": {"type": "array", "items": {"type": "object", "required": ["district", "code", "total", "open", "summary"],
                                   "properties": {"vacancy": {
                                       "description": "The Leerstand figures of the district at the period's end (present when the register has units); never owners or contacts",
                                       "type": "object", "required": ["units", "vacant", "vacancy_rate", "interim_use", "previous"],
                                       "properties": {"units": {"type": "integer"}, "vacant": {"type": "integer"}, "interim_use": {"type": "integer"},
                                                      "vacancy_rate": nullable({"type": "number", "minimum": 0, "maximum": 1})}}}}}}},
    "OverdueList": {"type": "object", "required": ["total", "oldest"],
                    "properties": {"total": {"type": "integer"}, "oldest": {"type": "array", "items": {
                        "type": "object", "required": ["id", "category", "observed_at", "age_days"],
                        "properties": {"id": {"type": "integer"}, "category": {"type": "string"}, "district": nullable({"type": "string"}),
                                       "observed_at": {"type": "string"}, "age_days": {"type": "integer"}, "last_note": nullable({"type": "string"}),
                                       "agency": dict(nullable({"type": "string"}), description="The agency that acts: assigned, else the default routing's."),
                                       "assigned": {"type": "boolean"}, "due_at": nullable({"type": "string"})}}}}},
    "Taxonomy": {"type": "object", "required": ["categories"], "properties": {"categories": {"type": "array", "items": {
        "type": "object", "required": ["code", "de", "en", "color", "symbol", "subcategories"]}}}},
    "Token": {"type": "object", "required": ["name", "role", "created_at"],
              "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["field", "office", "admin"]},
                             "created_at": {"type": "string"}, "revoked_at": nullable({"type": "string"})}},
    "NewToken": {"type": "object", "required": ["name", "role"],
                 "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["field", "office", "admin"]}}},
    "MadeToken": {"type": "object", "required": ["name", "role", "token"],
                  "properties": {"name": {"type": "string"}, "role": {"type": "string"}, "token": {"type": "string"}}},
    "Open311Errors": {"type": "array", "items": {"type": "object", "required": ["code", "description"],
                                                 "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}},
}

# The GeoReport v2 request, as in open311/schema-validation (../shared/data/open311/schema/request.json).
schemas["Open311Request"] = {
    "type": "object", "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    "properties": {
        "service_request_id": {"type": "string"}, "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": nullable({"type": "string"}), "service_name": nullable({"type": "string"}), "service_code": {"type": "string"},
        "description": nullable({"type": "string", "maxLength": 4000}), "agency_responsible": nullable({"type": "string"}),
        "service_notice": nullable({"type": "string"}), "requested_datetime": {"type": "string"},
        "updated_datetime": nullable({"type": "string"}), "expected_datetime": nullable({"type": "string"}),
        "address": nullable({"type": "string"}), "address_id": nullable({"type": "string"}), "zipcode": nullable({"type": "string"}),
        "lat": nullable({"type": "number"}), "long": nullable({"type": "number"}), "media_url": nullable({"type": "string"}),
    },
}
schemas["Open311Service"] = {
    "type": "object", "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
                   "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                   "keywords": {"type": "string"}, "group": {"type": "string"}},
}
schemas["Open311Posted"] = {"type": "array", "items": {"type": "object", "required": ["service_request_id"],
                                                       "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"},
                                                                      "service_notice": nullable({"type": "string"}),
                                                                      "account_id": nullable({"type": "string"})}}}
schemas["Open311Token"] = {"type": "array", "items": {"type": "object", "required": ["service_request_id", "token"],
                                                      "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}}}}
schemas["Open311Discovery"] = {"type": "object", "required": ["changeset", "contact", "endpoints"],
                               "properties": {"changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
                                              "endpoints": {"type": "array", "items": {"type": "object"}}}}
schemas["Open311ServiceDefinition"] = {"type": "object", "required": ["service_code", "attributes"],
                                       "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array"}}}

REPORT_ID = param("id", "The report's id.", {"type": "integer", "minimum": 1}, required=True, where="path")
NOT_FOUND = {"404": problem("There is no such report.")}

paths = {
    "/api/reports": {
        "post": staff("Log a report", "field", {
            "201": ok(ref("Logged"), "Stored.", headers={"Location": {"schema": {"type": "string"}, "required": True}}),
            "200": ok(ref("Logged"), "A retry: the client_id was stored before, nothing was added.",
                      headers={"Location": {"schema": {"type": "string"}, "required": True}}),
        }, body=json_body(ref("NewReport")), description="The checks of `citymap log`: position, category, severity, time."),
        "get": staff("List reports", "field", {"200": ok(ref("ReportPage")), "400": problem("A filter is malformed.")},
                     parameters=FILTERS + PAGING, description="Oldest observation first; the filters of `citymap list`."),
    },
    "/api/reports/{id}": {"get": staff("One report with its history", "field", {"200": ok(ref("ReportDetail")), **NOT_FOUND}, [REPORT_ID])},
    "/api/reports/{id}/status": {"post": staff("Move a report along its lifecycle", "office", {
        "200": ok(ref("ReportDetail")), **NOT_FOUND, "409": problem("The lifecycle does not allow this change.")},
        [REPORT_ID], body=json_body(ref("StatusChange")))},
    "/api/reports/{id}/notes": {"post": staff("Add a note without changing the status", "field", {
        "201": ok(ref("ReportEvent")), **NOT_FOUND}, [REPORT_ID], body=json_body(ref("Note")))},
    "/api/walks": {"post": staff("Upload a walk", "field", {"201": ok(ref("Walks"))}, body={
        "required": True, "content": {"application/gpx+xml": {"schema": {"type": "string"}},
                                      "application/geo+json": {"schema": ref("WalkLine")}}},
        description="A GPX document (tracks become walks, waypoints reports) or a GeoJSON LineString.")},
    "/api/summary": {"get": staff("District summary", "field", {"200": ok(ref("Summary")), "400": problem("A parameter is malformed.")}, [
        param("district", "ost, west or all; comma-separated or repeated.", {"type": "array", "items": {"type": "string"}}, explode=True),
        param("month", "YYYY-MM."), param("from", "First day, YYYY-MM-DD (with to)."), param("to", "Last day, included (with from)."),
        param("last", "The last N days or weeks, e.g. 30d or 4w."),
        param("by", "A breakdown.", {"type": "string", "enum": ["category", "subcategory", "status", "square", "week", "month", "weekday", "hour", "weekday-hour"]}),
        param("compare", "previous (default) or none.", {"type": "string", "enum": ["previous", "none"]}),
        param("overdue_after", "Days without response: a default and CATEGORY=DAYS pairs, e.g. 10,safety=3."),
        param("overdue_limit", "Oldest overdue concerns listed per district.", {"type": "integer", "minimum": 0, "maximum": 1000}),
        param("hotspots", "Top hotspots per district (DBSCAN 30 m, 5 reports); 0 leaves them out.", {"type": "integer", "minimum": 0, "maximum": 50}),
    ], description="The same JSON, byte for byte, as `citymap summary --format json`.")},
    "/api/overdue": {"get": staff("Overdue concerns, oldest first", "field", {"200": ok(ref("OverdueList")), "400": problem("A parameter is malformed.")}, [
        param("overdue_after", "Days without response: a default and CATEGORY=DAYS pairs."),
        param("limit", "At most this many.", {"type": "integer", "minimum": 1, "maximum": 1000}),
        param("offset", "Skip this many.", {"type": "integer", "minimum": 0, "maximum": 2147483647})])},
    "/api/hotspots/clusters": {"get": staff("DBSCAN hotspot hulls and centres", "field", {
        "200": ok(ref("FeatureCollection"), media="application/geo+json"), "400": problem("A parameter is malformed.")},
        FILTERS + [param("eps", "Neighbourhood radius, e.g. 30m."), param("min_points", "Reports that make a core point.", {"type": "integer", "minimum": 1, "maximum": 100000})])},
    "/api/hotspots/gi": {"get": staff("Getis-Ord Gi* cells", "field", {
        "200": ok(ref("FeatureCollection"), media="application/geo+json"), "400": problem("A parameter is malformed."),
        "413": problem("The grid would be too large.")},
        FILTERS + [param("cell", "Cell size, e.g. 50m."), param("band", "Distance band, e.g. 150m."),
                   param("fdr", "Benjamini-Hochberg.", {"type": "boolean"}), param("significant_only", "Only cells with Gi_Bin not 0.", {"type": "boolean"})])},
    "/api/hotspots/density": {"get": staff("Kernel density top areas", "field", {
        "200": ok(ref("FeatureCollection"), media="application/geo+json"), "400": problem("A parameter is malformed."),
        "413": problem("The grid would be too large.")},
        FILTERS + [param("kernel_radius", "Kernel radius, e.g. 100m."), param("pixel", "Pixel size, e.g. 10m."),
                   param("kernel", "quartic, triangular, uniform, triweight or epanechnikov."), param("top", "Share of pixels, e.g. 5%.")])},
    "/api/areas": {"get": staff("Districts and squares", "field", {"200": ok(ref("FeatureCollection"), media="application/geo+json")})},
    "/api/taxonomy": {"get": staff("Categories and subcategories with German and English labels", "field", {"200": ok(ref("Taxonomy"))})},
    "/api/tokens": {
        "get": staff("List tokens (never the tokens themselves)", "admin", {"200": ok({"type": "array", "items": ref("Token")})}),
        "post": staff("Make a token; the answer is the only place it is shown", "admin", {
            "201": ok(ref("MadeToken")), "409": problem("The name is taken.")}, body=json_body(ref("NewToken"))),
    },
    "/api/tokens/{name}": {"delete": staff("Revoke a token", "admin", {
        "204": {"description": "Revoked."}, "404": problem("There is no such token."), "409": problem("It is revoked already.")},
        [param("name", "The token's name.", required=True, where="path")])},
    "/api/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": ok({"type": "object"})}}},
    "/api/place": {"get": staff("Where a position falls: district and square", "field", {
        "200": ok({"type": "object", "required": ["district", "square"],
                   "properties": {"district": nullable({"type": "string"}), "square": nullable({"type": "string"})}}),
        "400": problem("lat or lon is missing or not a position.")},
        [param("lat", "WGS84 latitude.", {"type": "number"}, required=True), param("lon", "WGS84 longitude.", {"type": "number"}, required=True)])},
    "/api/whoami": {"get": staff("The token's holder and role", "field", {"200": ok({"type": "object", "required": ["name", "role"],
        "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["field", "office", "admin"]}}})})},
    "/api/reports/{id}/photo": {"post": staff("Add a photo to a report", "field", {
        "201": ok({"type": "object", "required": ["media_url"], "properties": {"media_url": {"type": "string"}}}), **NOT_FOUND},
        [REPORT_ID], body={"required": True, "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in ("image/jpeg", "image/png", "image/webp")}},
        description="JPEG, PNG or WebP, told by its bytes, at most 5 MB; stored beside the database without its metadata (EXIF, XMP, text).")},
    "/api/media/{file}": {"get": staff("A report's photo (internal)", "field", {
        "200": {"description": "The photo.", "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in ("image/jpeg", "image/png", "image/webp")}},
        "404": problem("There is no such photo.")}, [param("file", "The photo's file name from media_url.", required=True, where="path")])},
    "/public/config.json": {"get": {"summary": "What the pages need: tiles, the citizens' key, the start view", "security": [], "responses": {
        "200": ok({"type": "object", "required": ["center", "zoom"], "properties": {"tiles": nullable({"type": "object"}),
                   "citizen_key": nullable({"type": "string"}), "center": {"type": "array"}, "zoom": {"type": "integer"}}})}}},
    "/public/areas.geojson": {"get": {"summary": "District and square outlines", "security": [], "responses": {
        "200": ok(ref("FeatureCollection"), media="application/geo+json")}}},
    "/public/reports/{id}": {"get": {"summary": "A concern's public status and history (the citizens' status page)", "security": [],
        "parameters": [param("id", "The tracking number.", {"type": "integer", "minimum": 1}, required=True, where="path")],
        "responses": {"200": ok({"type": "object", "required": ["report", "history"], "properties": {
            "report": {"type": "object", "required": ["id", "status", "lifecycle", "category", "service_name", "description", "requested_at"]},
            "history": {"type": "array", "items": {"type": "object", "required": ["at", "status"]}}}}),
            "404": problem("There is no concern with this number.")}}},
}

for extension, media in [("geojson", "application/geo+json"), ("geojsons", "application/geo+json-seq"), ("csv", "text/csv")]:
    paths[f"/api/export/reports.{extension}"] = {"get": staff(f"Stream reports as {extension}", "field", {
        "200": {"description": "Streamed; memory stays flat.", "content": {media: {"schema": GEOJSON if extension == "geojson" else {"type": "string"}}}},
        "400": problem("A filter is malformed.")},
        FILTERS + PAGING[1:] + [param("limit", "At most this many.", {"type": "integer", "minimum": 1}),
                                param("profile", "public (default) or internal (office tokens only).", {"type": "string", "enum": ["public", "internal"]}),
                                param("precision", "Decimal places, 1 to 7.", {"type": "integer"})],
        description="The public profile unless an office token asks for the internal one.")}

# Open311 GeoReport v2, one path per format suffix.
for fmt, media in [("json", "application/json"), ("xml", "text/xml")]:
    def body(schema):
        return {media: {"schema": schema if fmt == "json" else {"type": "string"}}}
    errors = lambda *codes: {str(c): open311_error(d, (fmt,)) for c, d in codes}
    paths[f"/open311/v2/discovery.{fmt}"] = {"get": {"summary": "Open311 discovery", "tags": ["Open311"], "security": [],
                                                     "responses": {"200": {"description": "OK", "content": body(ref("Open311Discovery"))}}}}
    paths[f"/open311/v2/services.{fmt}"] = {"get": {"summary": "Open311 service list", "tags": ["Open311"], "security": [], "responses": {
        "200": {"description": "OK", "content": body({"type": "array", "items": ref("Open311Service")})}, **errors((503, "Busy."))}}}
    paths[f"/open311/v2/requests.{fmt}"] = {
        "get": {"summary": "Open311 service requests: the last 90 days and at most 1,000 unless asked otherwise", "tags": ["Open311"],
                "security": [], "parameters": [
                    param("service_request_id", "Comma-separated ids; overrides the other arguments."),
                    param("service_code", "Comma-separated service codes."),
                    param("start_date", "W3C date-time."), param("end_date", "W3C date-time."),
                    param("status", "open or closed, comma-separated.")],
                "responses": {"200": {"description": "OK", "content": body({"type": "array", "items": ref("Open311Request")})},
                              **errors((400, "An argument is malformed."), (503, "Busy."))}},
        "post": {"summary": "Post a service request (form-encoded)", "tags": ["Open311"], "security": [],
                 "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "required": ["api_key", "service_code", "lat", "long"],
                     "properties": {"api_key": {"type": "string"}, "service_code": {"type": "string"}, "lat": {"type": "number"},
                                    "long": {"type": "number"}, "address_string": {"type": "string"}, "description": {"type": "string"},
                                    "email": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
                                    "phone": {"type": "string"}}}}}},
                 "responses": {"200": {"description": "Stored; the id and a token for tokens/{token}.", "content": body(ref("Open311Posted"))},
                               **errors((400, "A field is missing or malformed."), (403, "The api_key is not valid."),
                                        (413, "The body is too large."), (415, "Not form-encoded."), (422, "A field breaks a rule."),
                                        (503, "Busy."))}},
    }
FILE = lambda what: param("file", f"{what} followed by .json or .xml.", {"type": "string", "pattern": r"^[^/]+\.(json|xml)$"}, required=True, where="path")
EITHER = lambda schema: {"application/json": {"schema": schema}, "text/xml": {"schema": {"type": "string"}}}
EITHER_ERRORS = {"400": open311_error("Malformed.", ("json", "xml")), "404": open311_error("Not found.", ("json", "xml")),
                 "503": open311_error("Busy.", ("json", "xml"))}
paths["/open311/v2/requests/{file}"] = {"get": {"summary": "One service request", "tags": ["Open311"], "security": [],
                                                "parameters": [FILE("The service_request_id")],
                                                "responses": {"200": {"description": "OK", "content": EITHER({"type": "array", "items": ref("Open311Request")})}, **EITHER_ERRORS}}}
paths["/open311/v2/tokens/{file}"] = {"get": {"summary": "The request a token stands for", "tags": ["Open311"], "security": [],
                                              "parameters": [FILE("The token")],
                                              "responses": {"200": {"description": "OK", "content": EITHER(ref("Open311Token"))}, **EITHER_ERRORS}}}
paths["/open311/v2/services/{category}/{file}"] = {"get": {
    "summary": "A service definition; service codes are category/subcategory", "tags": ["Open311"], "security": [],
    "parameters": [param("category", "The category, e.g. cleanliness.", required=True, where="path"), FILE("The subcategory")],
    "responses": {"200": {"description": "OK", "content": EITHER(ref("Open311ServiceDefinition"))}, **EITHER_ERRORS,
                  "422": open311_error("Not a service code.", ("json", "xml"))}}}

document = {
    "openapi": "3.1.0",
    "info": {"title": "citymap", "version": "0.2.0",
             "description": "The service of Düsseldorf's Citymanagement: the staff API (JSON, bearer tokens from `citymap tokens add`) and "
                            "Open311 GeoReport v2 for citizens' apps. Errors are RFC 9457 problem+json under /api and GeoReport error "
                            "lists under /open311."},
    "servers": [{"url": "/"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
    "paths": paths,
}

with open(OUT, "w", encoding="utf-8") as f:
    json.dump(document, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(paths)} paths")
