#!/usr/bin/python3
"""Fill a fyyur database for the site benchmark, deterministically.

    /usr/bin/python3 bench/fyyur_flask/scale_data.py sqlite:////tmp/fyyur.db
    /usr/bin/python3 bench/fyyur_flask/scale_data.py postgresql://user:pw@host:5432/db --force-empty

Creates the tables from schema.sql if `venue` does not exist (normally the C++ site has created
them), inserts the 19 genres if absent, then 1,000 venues, 1,000 artists (ids 1..1000 both) and
20,000 shows spread from one year before to one year after --base (default: today, UTC, at
midnight), so about half are upcoming. Everything but --base comes from a seeded random.Random,
so two runs with the same --base and --seed give the same rows. Refuses to touch a database whose
venue, artist or show table has rows unless --force-empty is given (then it empties them first).
"""

import argparse
import random
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, ForeignKey, Integer, MetaData, Table, Text,
                        create_engine, func, inspect, select, text)

HERE = Path(__file__).resolve().parent

GENRES = ["Alternative", "Blues", "Classical", "Country", "Electronic", "Folk", "Funk", "Hip-Hop",
          "Heavy Metal", "Instrumental", "Jazz", "Musical Theatre", "Pop", "Punk", "R&B", "Reggae",
          "Rock n Roll", "Soul", "Other"]

# fyyur's 51 state choices (50 states and DC), each with a city of its own.
STATES = [("AL", "Birmingham"), ("AK", "Anchorage"), ("AZ", "Phoenix"), ("AR", "Little Rock"),
          ("CA", "San Francisco"), ("CO", "Denver"), ("CT", "Hartford"), ("DE", "Wilmington"),
          ("DC", "Washington"), ("FL", "Miami"), ("GA", "Atlanta"), ("HI", "Honolulu"), ("ID", "Boise"),
          ("IL", "Chicago"), ("IN", "Indianapolis"), ("IA", "Des Moines"), ("KS", "Wichita"),
          ("KY", "Louisville"), ("LA", "New Orleans"), ("ME", "Portland"), ("MT", "Billings"),
          ("NE", "Omaha"), ("NV", "Las Vegas"), ("NH", "Manchester"), ("NJ", "Newark"),
          ("NM", "Albuquerque"), ("NY", "New York"), ("NC", "Charlotte"), ("ND", "Fargo"),
          ("OH", "Columbus"), ("OK", "Oklahoma City"), ("OR", "Portland"), ("MD", "Baltimore"),
          ("MA", "Boston"), ("MI", "Detroit"), ("MN", "Minneapolis"), ("MS", "Jackson"),
          ("MO", "Kansas City"), ("PA", "Philadelphia"), ("RI", "Providence"), ("SC", "Charleston"),
          ("SD", "Sioux Falls"), ("TN", "Nashville"), ("TX", "Austin"), ("UT", "Salt Lake City"),
          ("VT", "Burlington"), ("VA", "Richmond"), ("WA", "Seattle"), ("WV", "Charleston"),
          ("WI", "Milwaukee"), ("WY", "Cheyenne")]
AREAS = 50

ADJECTIVES = ["Blue", "Golden", "Silver", "Velvet", "Electric", "Midnight", "Crimson", "Lucky", "Wild",
              "Rusty", "Hollow", "Broken", "Neon", "Little", "Big", "Lonesome", "Sweet", "Painted",
              "Howling", "Quiet", "Purple", "Iron", "Paper", "Copper", "Brass", "Gentle", "Savage",
              "Northern", "Southern", "Crooked"]
NOUNS = ["Moon", "Fox", "Owl", "River", "Tiger", "Harbor", "Lantern", "Comet", "Sparrow", "Mountain",
         "Garden", "Rabbit", "Arrow", "Crow", "Anchor", "Engine", "Mirror", "Thunder", "Cactus",
         "Wolf", "Bear", "Hopper", "Canyon", "Meadow", "Shadow", "Horse", "Raven", "Tide", "Ember", "Orchid"]
VENUE_KINDS = ["Hall", "Room", "Lounge", "Club", "Theatre", "Tavern", "Ballroom", "Music Hall", "Saloon",
               "Cellar", "Stage", "Pavilion", "Café", "Jazz Club", "Opera House", "Brewery", "Social Club"]
FIRST_NAMES = ["Ada", "Billie", "Carlos", "Dolly", "Etta", "Frank", "Grace", "Hank", "Isaac", "June",
               "Kurt", "Lena", "Miles", "Nina", "Otis", "Patsy", "Quincy", "Ray", "Sam", "Tina",
               "Umar", "Vera", "Wanda", "Xavier", "Yoko", "Zora"]
LAST_NAMES = ["Hopkins", "Holiday", "Parker", "Simone", "James", "Redding", "Cash", "Hopper", "Mitchell",
              "Franklin", "Turner", "Davis", "Young", "Cline", "Jones", "Brown", "Charles", "Hopewell",
              "Waters", "Vaughan", "Morrison", "Baker", "Reed", "Hendrix", "Monk", "Coltrane"]
ENSEMBLES = ["Band", "Trio", "Quartet", "Orchestra", "Experience", "Project", "Collective", "Revue",
             "Big Band", "String Band", "Jazz Ensemble", "Hip Hop Crew", "Brass Band", "Choir"]
STREETS = ["Main St", "Market St", "Broadway", "Oak Ave", "Elm St", "Mission St", "Sunset Blvd",
           "Church St", "River Rd", "Union Ave", "Lake St", "Hill St", "Park Ave", "Mill St"]
SEEKING_VENUE = ["Looking for shows to perform at in the {city} area!",
                 "Touring in {state} this season, any room with a stage & a crowd.",
                 "We play anywhere with a power outlet."]
SEEKING_TALENT = ["We are on the lookout for a local artist to play every two weeks.",
                  "Booking {genre} acts for weekend nights.",
                  "Open mic on Tuesdays, residencies on Fridays. Write to us!"]

# Terms the wrk script artist_search.lua cycles through; printed with their match counts.
SEARCH_TERMS = ["Band", "hop", "Moon", "jazz"]

# --- Core tables with the types of schema.sql (for inserts; the DDL itself is schema.sql) ---------

Id = BigInteger().with_variant(Integer(), "sqlite")
metadata = MetaData()
genre = Table("genre", metadata, Column("id", Id, primary_key=True), Column("name", Text, nullable=False))
venue = Table("venue", metadata, Column("id", Id, primary_key=True),
              *[Column(c, Text) for c in ("name", "city", "state", "address", "phone", "image_link",
                                          "facebook_link", "website")],
              Column("seeking_talent", Boolean, nullable=False), Column("seeking_description", Text))
artist = Table("artist", metadata, Column("id", Id, primary_key=True),
               *[Column(c, Text) for c in ("name", "city", "state", "phone", "image_link", "facebook_link",
                                           "website")],
               Column("seeking_venue", Boolean, nullable=False), Column("seeking_description", Text))
show = Table("show", metadata, Column("id", Id, primary_key=True),
             Column("venue_id", Id, ForeignKey("venue.id")), Column("artist_id", Id, ForeignKey("artist.id")),
             Column("start_time", DateTime, nullable=False))
venue_genre = Table("venue_genre", metadata, Column("venue_id", Id, primary_key=True),
                    Column("genre_id", Id, primary_key=True))
artist_genre = Table("artist_genre", metadata, Column("artist_id", Id, primary_key=True),
                     Column("genre_id", Id, primary_key=True))


def schema_statements(dialect):
    """The statements of schema.sql's half for this dialect ('sqlite' or 'postgresql')."""
    sqlite_half, _, pg_half = (HERE / "schema.sql").read_text().partition("-- PostgreSQL")
    half = sqlite_half.replace("-- SQLite", "") if dialect == "sqlite" else pg_half
    return [s.strip() for s in half.split(";") if s.strip()]


def slug(name):
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())


def unique_name(rng, make, taken):
    for _ in range(1000):
        name = make(rng)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("word lists too small for unique names")


def venue_name(rng):
    form = rng.random()
    if form < 0.5:
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(VENUE_KINDS)}"
    if form < 0.8:
        return f"{rng.choice(LAST_NAMES)}'s {rng.choice(VENUE_KINDS)}"
    return f"{rng.choice(NOUNS)} & {rng.choice(NOUNS)} {rng.choice(VENUE_KINDS)}"


def artist_name(rng):
    form = rng.random()
    if form < 0.3:
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}s"
    if form < 0.55:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if form < 0.8:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(ENSEMBLES)}"
    if form < 0.9:
        return f"{rng.choice(FIRST_NAMES)} & the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}s"
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"


def phone(rng):
    return f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"


def generate(rng, base, n_venues, n_artists, n_shows):
    areas = rng.sample(STATES, AREAS)
    venues, artists, shows, venue_genres, artist_genres = [], [], [], [], []
    taken = set()
    for i in range(1, n_venues + 1):
        state, city = areas[rng.randrange(AREAS)]
        name = unique_name(rng, venue_name, taken)
        genre_ids = sorted(rng.sample(range(1, len(GENRES) + 1), rng.randint(1, 3)))
        seeking = rng.random() < 0.4
        venues.append({
            "id": i, "name": name, "city": city, "state": state,
            "address": f"{rng.randint(1, 4999)} {rng.choice(STREETS)}",
            "phone": phone(rng) if rng.random() < 0.9 else None,
            "image_link": f"https://images.example.com/venues/{i}.jpg",
            "facebook_link": f"https://www.facebook.com/{slug(name)}" if rng.random() < 0.7 else None,
            "website": f"https://www.{slug(name)}.com" if rng.random() < 0.6 else None,
            "seeking_talent": seeking,
            "seeking_description": rng.choice(SEEKING_TALENT).format(genre=GENRES[genre_ids[0] - 1])
            if seeking else None,
        })
        venue_genres += [{"venue_id": i, "genre_id": g} for g in genre_ids]
    taken = set()
    for i in range(1, n_artists + 1):
        state, city = areas[rng.randrange(AREAS)]
        name = unique_name(rng, artist_name, taken)
        genre_ids = sorted(rng.sample(range(1, len(GENRES) + 1), rng.randint(1, 3)))
        seeking = rng.random() < 0.5
        artists.append({
            "id": i, "name": name, "city": city, "state": state,
            "phone": phone(rng) if rng.random() < 0.8 else None,
            "image_link": f"https://images.example.com/artists/{i}.jpg",
            "facebook_link": f"https://www.facebook.com/{slug(name)}" if rng.random() < 0.7 else None,
            "website": f"https://www.{slug(name)}.com" if rng.random() < 0.5 else None,
            "seeking_venue": seeking,
            "seeking_description": rng.choice(SEEKING_VENUE).format(city=city, state=state) if seeking else None,
        })
        artist_genres += [{"artist_id": i, "genre_id": g} for g in genre_ids]
    for i in range(1, n_shows + 1):
        # Evening shows, on a day from a year before base to a year after.
        start = base + timedelta(days=rng.randint(-365, 364), hours=rng.randint(17, 23),
                                 minutes=rng.choice((0, 15, 30, 45)))
        shows.append({"id": i, "venue_id": rng.randint(1, n_venues), "artist_id": rng.randint(1, n_artists),
                      "start_time": start})
    return venues, artists, shows, venue_genres, artist_genres


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="SQLAlchemy URL: sqlite:////abs/path.db or postgresql://...")
    parser.add_argument("--force-empty", action="store_true",
                        help="delete every venue, artist and show (and their links) first")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--base", help="date the shows are spread around, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--venues", type=int, default=1000)
    parser.add_argument("--artists", type=int, default=1000)
    parser.add_argument("--shows", type=int, default=20000)
    args = parser.parse_args()

    base = (datetime.strptime(args.base, "%Y-%m-%d") if args.base
            else datetime.now(timezone.utc).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0))
    engine = create_engine(args.url)
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        sys.exit(f"scale_data.py: unsupported dialect {dialect!r}")

    with engine.begin() as conn:
        if not inspect(conn).has_table("venue"):
            for statement in schema_statements(dialect):
                conn.exec_driver_sql(statement)
            print(f"created the tables from schema.sql ({dialect})")

    with engine.begin() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (venue, artist, show)}
        if any(counts.values()):
            if not args.force_empty:
                sys.exit("scale_data.py: the database already has rows (" +
                         ", ".join(f"{n} {name}" for name, n in counts.items()) +
                         "); pass --force-empty to delete them first")
            if dialect == "postgresql":
                conn.exec_driver_sql('TRUNCATE "show", "venue_genre", "artist_genre", "venue", "artist" '
                                     "RESTART IDENTITY")
            else:
                for table in (show, venue_genre, artist_genre, venue, artist):
                    conn.execute(table.delete())
            print("deleted " + ", ".join(f"{n} {name}" for name, n in counts.items()))

        existing = dict(conn.execute(select(genre.c.id, genre.c.name)).all())
        for i, name in enumerate(GENRES, start=1):
            if existing.get(i, name) != name:
                sys.exit(f"scale_data.py: genre {i} is {existing[i]!r}, expected {name!r}")
        missing = [{"id": i, "name": name} for i, name in enumerate(GENRES, start=1) if i not in existing]
        if missing:
            conn.execute(genre.insert(), missing)

        rng = random.Random(args.seed)
        venues, artists, shows, venue_genres, artist_genres = generate(rng, base, args.venues, args.artists,
                                                                       args.shows)
        conn.execute(venue.insert(), venues)
        conn.execute(artist.insert(), artists)
        conn.execute(venue_genre.insert(), venue_genres)
        conn.execute(artist_genre.insert(), artist_genres)
        conn.execute(show.insert(), shows)
        if dialect == "postgresql":
            # Rows went in with explicit ids: move the identity sequences past them.
            for table in ("genre", "venue", "artist", "show"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                     f"(SELECT max(id) FROM \"{table}\"))")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    upcoming = sum(s["start_time"] > now for s in shows)
    areas = Counter((v["city"], v["state"]) for v in venues)
    print(f"inserted {len(missing)} genres ({len(GENRES) - len(missing)} were there), "
          f"{len(venues)} venues in {len(areas)} (city, state) areas, {len(artists)} artists, "
          f"{len(venue_genres)} venue genres, {len(artist_genres)} artist genres, "
          f"{len(shows)} shows around {base:%Y-%m-%d} ({upcoming} upcoming, {len(shows) - upcoming} past, now)")
    print("artist search matches: " + ", ".join(
        f"{term!r} {sum(term.lower() in a['name'].lower() for a in artists)}" for term in SEARCH_TERMS))


if __name__ == "__main__":
    main()
