#!/usr/bin/env python3
"""Fill a citymap database's Leerstand register with N synthetic shop units and their histories (benchmark workload).

  tools/generate-vacancy.py DB N [--span-days 9000] [--seed 11]

DB must exist (`citymap init --db DB`): this writes the register's tables directly, as the schema of migration v8
defines them, in one transaction (the register has no geometry column, so Python's sqlite3 suffices). Units lie
along the shopping streets of Innenstadt West and Ost; district ids are read from the database. Each unit's history
is a walk over the allowed transitions (Domain/VacancyState.swift), entering the register at a uniform time within
--span-days before 2026-11-27 and staying in each state for an exponential time (years in use, weeks to months
vacant), never past 2026-11-27. With the defaults a unit has 10 state changes on average and about 10 % of the
units stand vacant at any date (2 % in interim use), as in a German city centre. Deterministic from the seed;
events are written in time order per unit.
"""
import argparse
import datetime as dt
import random
import sqlite3

# name, district code, (lat, lon) start, end
STREETS = [
    ("Schadowstraße", "ost", (51.2262, 6.7815), (51.2272, 6.7905)),
    ("Königsallee", "ost", (51.2250, 6.7797), (51.2197, 6.7800)),
    ("Immermannstraße", "ost", (51.2237, 6.7850), (51.2222, 6.7920)),
    ("Graf-Adolf-Straße", "ost", (51.2193, 6.7790), (51.2190, 6.7900)),
    ("Berliner Allee", "ost", (51.2240, 6.7830), (51.2180, 6.7840)),
    ("Flinger Straße", "west", (51.2258, 6.7745), (51.2250, 6.7775)),
    ("Bolkerstraße", "west", (51.2266, 6.7720), (51.2262, 6.7760)),
    ("Hohe Straße", "west", (51.2230, 6.7740), (51.2190, 6.7745)),
    ("Benrather Straße", "west", (51.2220, 6.7740), (51.2200, 6.7790)),
    ("Mittelstraße", "west", (51.2255, 6.7750), (51.2236, 6.7752)),
]
NEXT = {
    "occupied": ["vacant", "demolished"],
    "vacant": ["in-contact", "marketed", "interim-use", "re-let", "demolished"],
    "in-contact": ["vacant", "marketed", "interim-use", "re-let", "demolished"],
    "marketed": ["vacant", "in-contact", "interim-use", "re-let", "demolished"],
    "interim-use": ["vacant", "in-contact", "marketed", "re-let", "demolished"],
    "re-let": ["vacant", "demolished"],
    "demolished": [],
}
# How likely each next state is (demolition is rare), and how long a state lasts (mean days).
WEIGHT = {"vacant": 1, "in-contact": 3, "marketed": 3, "interim-use": 1, "re-let": 4, "demolished": 0.02, "occupied": 1}
STAY = {"occupied": 1500, "vacant": 80, "in-contact": 60, "marketed": 90, "interim-use": 150, "re-let": 1500, "demolished": 0}
END = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("n", type=int)
    ap.add_argument("--span-days", type=float, default=9000)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    con = sqlite3.connect(a.db)
    districts = dict(con.execute("SELECT code, id FROM areas WHERE kind = 'district'"))
    created = stamp(END)
    con.execute("BEGIN")
    unit_rows, event_rows = [], []
    events = 0
    for uid in range(1, a.n + 1):
        street, code, (la0, lo0), (la1, lo1) = STREETS[uid % len(STREETS)]
        f = rnd.random()
        lat, lon = la0 + (la1 - la0) * f, lo0 + (lo1 - lo0) * f
        t = END - dt.timedelta(days=rnd.uniform(0, a.span_days), seconds=rnd.randrange(86400))
        state = "occupied" if rnd.random() < 0.7 else "vacant"
        history = [(t, None, state)]
        while NEXT[state]:
            t = t + dt.timedelta(days=max(1.0, rnd.expovariate(1 / STAY[state])), seconds=rnd.randrange(86400))
            if t >= END:
                break
            choices = NEXT[state]
            nxt = rnd.choices(choices, weights=[WEIGHT[c] for c in choices])[0]
            history.append((t, state, nxt))
            state = nxt
        unit_rows.append((uid, f"{street} {uid % 200 + 1}", street, "ground" if rnd.random() < 0.8 else "upper",
                          round(rnd.uniform(30, 400), 1), "Einzelhandel", lon, lat, districts.get(code), None, state,
                          stamp(history[-1][0]), "generator", str(uid), created))
        for when, before, after in history:
            event_rows.append((uid, stamp(when), before, after))
        events += len(history)
        if len(event_rows) >= 200_000:
            flush(con, unit_rows, event_rows)
    flush(con, unit_rows, event_rows)
    con.commit()
    print(f"generate-vacancy: {a.n} units, {events} state changes in {a.db}")


def flush(con, units, events):
    con.executemany("""INSERT INTO vacancy_units (id, address, street, floor, area_m2, last_use, lon, lat, district_id, square_id,
                       state, state_since, source, external_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", units)
    con.executemany("INSERT INTO vacancy_events (unit_id, at, from_state, to_state) VALUES (?,?,?,?)", events)
    units.clear()
    events.clear()


if __name__ == "__main__":
    main()
