#!/usr/bin/python3
"""The bench/ workloads with SQLAlchemy's ORM and Core, reported as Google Benchmark JSON.

Run with Debian's interpreter (/usr/bin/python3: python3-sqlalchemy 1.4, python3-psycopg2):

    /usr/bin/python3 bench/sqlalchemy_bench.py --backend sqlite --out sqlalchemy_sqlite.json
    pg_virtualenv -o fsync=off /usr/bin/python3 bench/sqlalchemy_bench.py --backend postgres

Names follow the C++ binaries: <workload>/<library>/<N>[/real_time], library sqlalchemy_orm or
sqlalchemy_core, so bench/report.py pairs them with the raw drivers' results. Data, schema and
queries are those of bench/workloads.hpp.
"""

import argparse
import atexit
import itertools
import json
import os
import random
import re
import socket
import statistics
import sys
import time
from datetime import datetime, timezone

import sqlalchemy
from sqlalchemy import (BigInteger, Column, ForeignKey, Index, MetaData, Table, Text, bindparam, create_engine,
                        select)
from sqlalchemy.orm import Session, registry, relationship, selectinload
from sqlalchemy.pool import QueuePool

QUERY_SIZES = [1, 10, 100, 1000, 10000]
SINGLE_INSERT_ROWS = 10_000
BULK_INSERT_ROWS = 100_000
ASSOCIATION_USERS = 100
POSTS_PER_USER = 10
COMMENTS_PER_POST = 10
SHORT_SELECT_TABLE_ROWS = 10_000
MEDIUM_HAIR_COLOR = "black"

# --- schema: Core tables, and ORM classes mapped onto the same tables ----------------------------

metadata = MetaData()
users = Table("users", metadata,
              Column("id", BigInteger().with_variant(sqlalchemy.Integer, "sqlite"), primary_key=True),
              Column("name", Text, nullable=False),
              Column("hair_color", Text),
              Index("users_hair_color", "hair_color"))
posts = Table("posts", metadata,
              Column("id", BigInteger().with_variant(sqlalchemy.Integer, "sqlite"), primary_key=True),
              Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
              Column("title", Text, nullable=False),
              Column("body", Text),
              Index("posts_user_id", "user_id"))
comments = Table("comments", metadata,
                 Column("id", BigInteger().with_variant(sqlalchemy.Integer, "sqlite"), primary_key=True),
                 Column("post_id", BigInteger, ForeignKey("posts.id"), nullable=False),
                 Column("text", Text, nullable=False))

mapper_registry = registry()


class User:
    pass


class Post:
    pass


class Comment:
    pass


mapper_registry.map_imperatively(User, users, properties={
    "posts": relationship(Post, order_by=posts.c.id)})
mapper_registry.map_imperatively(Post, posts, properties={
    "comments": relationship(Comment, order_by=comments.c.id)})
mapper_registry.map_imperatively(Comment, comments)

# --- data: the same rows as bench/workloads.hpp ---------------------------------------------------


def plain_users(n):
    return [{"name": f"User {i}", "hair_color": "black" if i % 2 == 0 else None} for i in range(n)]


def medium_users(n):
    return [{"name": f"User {i}", "hair_color": "black" if i % 2 == 0 else "brown"} for i in range(n)]


def medium_posts(n):
    return [{"user_id": i + 1, "title": f"Post by user {i}", "body": None if i % 3 == 0 else f"Body {i}"}
            for i in range(n) if i % 4 != 3]


def medium_expected_rows(n):
    black = [i for i in range(n) if i % 2 == 0]
    return len(black)  # every black-haired user appears once, with or without its one post


def association_posts():
    return [{"user_id": u, "title": f"Post {p} by user {u}", "body": "Body" if p % 2 == 0 else None}
            for u in range(1, ASSOCIATION_USERS + 1) for p in range(POSTS_PER_USER)]


def association_comments():
    return [{"post_id": p, "text": f"Comment {c} on post {p}"}
            for p in range(1, ASSOCIATION_USERS * POSTS_PER_USER + 1) for c in range(COMMENTS_PER_POST)]


def users_to_insert(n):
    return [{"name": f"Inserted user {i}", "hair_color": "brown" if i % 2 == 0 else None} for i in range(n)]


# --- backends: a fresh database per benchmark ------------------------------------------------------

class SqliteDatabase:
    """An in-memory database (memdb VFS) shared by the engine's connections, as in the C++ harness."""
    counter = itertools.count()

    def __init__(self):
        import sqlite3
        name = f"/crucible-bench-py-{os.getpid()}-{next(self.counter)}"
        uri = f"file:{name}?vfs=memdb"
        self.keeper = sqlite3.connect(uri, uri=True)  # keeps the memdb alive
        # SQLAlchemy 1.4 uses NullPool for file databases; a pool (2.0's default) keeps statements cached.
        self.engine = create_engine(f"sqlite:///{uri}&uri=true", poolclass=QueuePool, pool_size=2,
                                    future=True)
        metadata.create_all(self.engine)

    def clear_users(self):
        with self.engine.begin() as conn:
            conn.execute(users.delete())

    def close(self):
        self.engine.dispose()
        self.keeper.close()


class PostgresDatabase:
    """Tables in a schema of this process's own in the server named by libpq's PG* variables
    (pg_virtualenv): made once, emptied for each benchmark, dropped at exit."""
    shared = None

    def __init__(self):
        if PostgresDatabase.shared is None:
            schema = f"crucible_bench_py_{os.getpid()}"
            admin = create_engine("postgresql+psycopg2://", future=True)
            with admin.begin() as conn:
                conn.exec_driver_sql("SET client_min_messages = warning")
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            engine = create_engine("postgresql+psycopg2://", future=True,
                                   connect_args={"options": f"-c search_path={schema}"})
            metadata.create_all(engine)
            PostgresDatabase.shared = (schema, admin, engine)
            atexit.register(PostgresDatabase.drop_schema)
        self.engine = PostgresDatabase.shared[2]
        with self.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE users, posts, comments RESTART IDENTITY")

    @staticmethod
    def drop_schema():
        schema, admin, engine = PostgresDatabase.shared
        engine.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()

    def clear_users(self):
        with self.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE users RESTART IDENTITY CASCADE")

    def analyze(self):
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def close(self):
        pass


def fresh_database(backend, users_rows=(), posts_rows=(), comments_rows=()):
    db = SqliteDatabase() if backend == "sqlite" else PostgresDatabase()
    with db.engine.begin() as conn:
        for table, rows in ((users, users_rows), (posts, posts_rows), (comments, comments_rows)):
            if rows:
                conn.execute(table.insert(), list(rows))
    if backend == "postgres":
        db.analyze()
    return db


# --- workloads: each returns (run, check[, close]) for one library; run is timed -------------------

def trivial_query(library, db, n):
    if library == "orm":
        def run():
            with Session(db.engine) as session:
                return session.execute(select(User)).scalars().all()
    else:
        stmt = select(users.c.id, users.c.name, users.c.hair_color)

        def run():
            with db.engine.connect() as conn:
                return conn.execute(stmt).all()
    return run, lambda result: len(result) == n


def medium_complex(library, db, n):
    if library == "orm":
        stmt = (select(User, Post).outerjoin(Post, Post.user_id == User.id)
                .where(User.hair_color == bindparam("hair")))

        def run():
            with Session(db.engine) as session:
                return session.execute(stmt, {"hair": MEDIUM_HAIR_COLOR}).all()
    else:
        stmt = (select(users, posts).select_from(users.outerjoin(posts, posts.c.user_id == users.c.id))
                .where(users.c.hair_color == bindparam("hair")))

        def run():
            with db.engine.connect() as conn:
                return conn.execute(stmt, {"hair": MEDIUM_HAIR_COLOR}).all()
    return run, lambda result: len(result) == medium_expected_rows(n)


def single_insert(library, db, n):
    rows = users_to_insert(n)
    if library == "orm":
        def run():
            with Session(db.engine) as session, session.begin():
                for row in rows:
                    session.add(User(**row))
                    session.flush()  # one INSERT per row, as the workload asks
    else:
        stmt = users.insert()

        def run():
            with db.engine.begin() as conn:
                for row in rows:
                    conn.execute(stmt, row)
    return run, None


def bulk_insert(library, db, n):
    rows = users_to_insert(n)
    if library == "orm":
        # An ORM-entity INSERT with a list of rows through the Session: an executemany, which on
        # psycopg2 becomes multi-row VALUES pages of 1000. (1.4's bulk_insert_mappings sends one
        # INSERT a row on psycopg2: 4.4 s against 0.15 s for 10,000 rows here.)
        orm_insert = sqlalchemy.insert(User)

        def run():
            with Session(db.engine) as session, session.begin():
                session.execute(orm_insert, rows)
    else:
        stmt = users.insert()

        def run():
            with db.engine.begin() as conn:
                conn.execute(stmt, rows)
    return run, None


def associations(library, db, n):
    del n
    if library == "orm":
        # selectinload: users, then posts WHERE user_id IN (...), then comments WHERE post_id IN (...)
        stmt = select(User).options(selectinload(User.posts).selectinload(Post.comments))

        def run():
            with Session(db.engine) as session:
                return session.execute(stmt).scalars().all()

        def check(result):
            return (len(result) == ASSOCIATION_USERS
                    and sum(len(p.comments) for u in result for p in u.posts) == len(association_comments()))
    else:
        users_stmt = select(users.c.id, users.c.name, users.c.hair_color)
        posts_stmt = select(posts).where(posts.c.user_id.in_(bindparam("keys", expanding=True)))
        comments_stmt = select(comments).where(comments.c.post_id.in_(bindparam("keys", expanding=True)))

        def run():
            with db.engine.connect() as conn:
                user_rows = conn.execute(users_stmt).all()
                tree = {row.id: (row, {}) for row in user_rows}
                post_rows = conn.execute(posts_stmt, {"keys": list(tree)}).all()
                post_slot = {}
                for row in post_rows:
                    owner = tree.get(row.user_id)
                    if owner is not None:
                        owner[1][row.id] = post_slot[row.id] = (row, [])
                for row in conn.execute(comments_stmt, {"keys": list(post_slot)}).all():
                    slot = post_slot.get(row.post_id)
                    if slot is not None:
                        slot[1].append(row)
                return list(tree.values())

        def check(result):
            return (len(result) == ASSOCIATION_USERS
                    and sum(len(c) for _, ps in result for _, c in ps.values()) == len(association_comments()))
    return run, check


def short_select(library, db, n):
    ids = random.Random(42).choices(range(1, n + 1), k=4096)
    cursor = itertools.cycle(ids)
    if library == "orm":
        # One session for the run, as SQLAlchemy's examples/performance; populate_existing makes
        # every lookup run its SELECT and fill the object instead of answering from the identity map.
        session = Session(db.engine)
        stmt = select(User).where(User.id == bindparam("id")).execution_options(populate_existing=True)

        def run():
            return session.execute(stmt, {"id": next(cursor)}).scalar_one()
        close = session.close
    else:
        stmt = select(users.c.id, users.c.name, users.c.hair_color).where(users.c.id == bindparam("id"))
        conn = db.engine.connect()

        def run():
            return conn.execute(stmt, {"id": next(cursor)}).one()
        close = conn.close
    # The open transaction would block dropping the schema: the harness calls close() first.
    return run, lambda result: result is not None, close


# (workload, N, data for the fresh database, factory, whether each iteration starts from no users)
def workload_table():
    table = []
    for n in QUERY_SIZES:
        table.append(("trivial_query", n, lambda n=n: (plain_users(n), [], []), trivial_query, False))
    for n in QUERY_SIZES:
        table.append(("medium_complex", n, lambda n=n: (medium_users(n), medium_posts(n), []), medium_complex, False))
    table.append(("single_insert", SINGLE_INSERT_ROWS, lambda: ([], [], []), single_insert, True))
    table.append(("bulk_insert", BULK_INSERT_ROWS, lambda: ([], [], []), bulk_insert, True))
    table.append(("associations", ASSOCIATION_USERS,
                  lambda: (plain_users(ASSOCIATION_USERS), association_posts(), association_comments()),
                  associations, False))
    table.append(("short_select", SHORT_SELECT_TABLE_ROWS, lambda: (plain_users(SHORT_SELECT_TABLE_ROWS), [], []),
                  short_select, False))
    return table



# --- the ORM session's workloads (issue 13; bench/orm_bench.hpp): --suite session ------------------

SESSION_TABLE_ROWS = 10_000
SESSION_ADD_ROWS = 10_000
SESSION_TOUCHED_ROWS = 1_000


def session_keys():
    # 1000 random keys of the table, repeats allowed (the C++ binaries draw their own the same way).
    return random.Random(13).choices(range(1, SESSION_TABLE_ROWS + 1), k=SESSION_TOUCHED_ROWS)


def session_add(db, n):
    rows = [{"name": f"Added user {i}", "hair_color": "brown" if i % 2 == 0 else None} for i in range(n)]

    def run():
        with Session(db.engine) as session:
            objects = []
            for r in rows:
                u = User()
                u.name = r["name"]
                u.hair_color = r["hair_color"]
                objects.append(u)
            session.add_all(objects)
            session.commit()
            return n

    def check(_):
        with db.engine.connect() as conn:
            return conn.execute(select(sqlalchemy.func.count()).select_from(users)).scalar() == n
    return run, check, None, db.clear_users


def session_get(warm):
    def factory(db, n):
        keys = session_keys()
        expected = sum(len(f"User {k - 1}") + k for k in keys)
        # expire_on_commit=False, as crucible's session: the objects stay loaded after the commit.
        kept = Session(db.engine, expire_on_commit=False)

        def get_all(session):
            return sum(len(u.name) + u.id for u in (session.get(User, k) for k in keys))
        if warm:
            # SQLAlchemy's identity map holds weak references: the program keeps its objects, as
            # crucible's identity map does.
            held = [kept.get(User, k) for k in keys]
            kept.commit()

            def run():
                assert held
                return get_all(kept)
        else:
            def run():
                with Session(db.engine) as session:
                    result = get_all(session)
                    session.commit()
                    return result
        return run, lambda result: result == expected, kept.close, None
    return factory


def session_update(db, n):
    rounds = itertools.count()

    def run():
        tag = f"Round {next(rounds)} "
        with Session(db.engine) as session:
            for u in session.execute(select(User).where(User.id <= n)).scalars():
                u.name = tag + str(u.id)
            session.commit()
        return tag

    def check(tag):
        with db.engine.connect() as conn:
            return conn.execute(select(sqlalchemy.func.count()).select_from(users)
                                .where(users.c.name.like(tag + "%"))).scalar() == n
    return run, check, None, None


def session_delete(db, n):
    rows = [{"name": f"Doomed {i}", "hair_color": "brown" if i % 2 == 0 else None} for i in range(n)]

    def refill():
        with db.engine.begin() as conn:
            conn.execute(users.insert(), rows)

    def run():
        with Session(db.engine) as session:
            for u in session.execute(select(User)).scalars():
                session.delete(u)
            session.commit()
        return n

    def check(_):
        with db.engine.connect() as conn:
            return conn.execute(select(sqlalchemy.func.count()).select_from(users)).scalar() == 0
    return run, check, None, refill


def session_workload_table():
    table_data = lambda: ([{"name": f"User {i}", "hair_color": "brown" if i % 2 == 0 else None}  # noqa: E731
                           for i in range(SESSION_TABLE_ROWS)], [], [])
    return [
        ("session_add", SESSION_ADD_ROWS, lambda: ([], [], []), session_add),
        ("session_get_cold", SESSION_TOUCHED_ROWS, table_data, session_get(False)),
        ("session_get_identity_map", SESSION_TOUCHED_ROWS, table_data, session_get(True)),
        ("session_update", SESSION_TOUCHED_ROWS, table_data, session_update),
        ("session_update", SESSION_TABLE_ROWS, table_data, session_update),
        ("session_delete", SESSION_TOUCHED_ROWS, lambda: ([], [], []), session_delete),
        # Relationships (issue 14): users -> posts -> comments with selectinload, as the core suite's
        # ORM associations workload.
        ("session_associations", ASSOCIATION_USERS,
         lambda: (plain_users(ASSOCIATION_USERS), association_posts(), association_comments()),
         lambda db, n: (*associations("orm", db, n), None, None)),
    ]


# --- a Google Benchmark-like runner -----------------------------------------------------------------

def measure(run, before_each, min_time, smoke):
    """Runs `run` until min_time seconds were spent in it (growing the count like Google Benchmark).
    Returns (iterations, real seconds, cpu seconds, last result)."""
    iterations = 1
    while True:
        real = cpu = 0.0
        result = None
        if before_each is None:
            r0, c0 = time.perf_counter(), time.process_time()
            for _ in range(iterations):
                result = run()
            real, cpu = time.perf_counter() - r0, time.process_time() - c0
        else:
            for _ in range(iterations):
                before_each()
                r0, c0 = time.perf_counter(), time.process_time()
                result = run()
                real += time.perf_counter() - r0
                cpu += time.process_time() - c0
        if smoke or real >= min_time or iterations >= 10**9:
            return iterations, real, cpu, result
        multiplier = min(10.0, max(1.4, min_time * 1.4 / max(real, 1e-9)))
        iterations = max(iterations + 1, int(iterations * multiplier))


def gbench_entry(name, family_index, instance_index, repetitions, repetition_index, iterations, real, cpu, items):
    per = 1e6 / iterations
    return {"name": name, "family_index": family_index, "per_family_instance_index": instance_index,
            "run_name": name, "run_type": "iteration", "repetitions": repetitions,
            "repetition_index": repetition_index, "threads": 1, "iterations": iterations,
            "real_time": real * per, "cpu_time": cpu * per, "time_unit": "us",
            "items_per_second": items * iterations / real if real > 0 else 0.0}


def aggregate_entries(runs):
    out = []
    first = runs[0]
    for aggregate, function in (("mean", statistics.mean), ("median", statistics.median),
                                ("stddev", lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0)):
        entry = dict(first)
        entry.update({"name": first["run_name"] + "_" + aggregate, "run_type": "aggregate",
                      "aggregate_name": aggregate, "aggregate_unit": "time",
                      "iterations": len(runs),
                      "real_time": function([r["real_time"] for r in runs]),
                      "cpu_time": function([r["cpu_time"] for r in runs])})
        entry.pop("repetition_index", None)
        entry.pop("items_per_second", None)
        out.append(entry)
    return out


def postgres_available():
    return bool(os.environ.get("PGHOST") or os.environ.get("PGDATABASE"))


def server_required():
    return os.environ.get("CI") == "true" or os.environ.get("CRUCIBLE_REQUIRE_POSTGRES") == "1"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--min-time", type=float, default=0.5, help="seconds per benchmark and repetition")
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--repetition-budget", type=float, default=float("inf"),
                        help="stop repeating a benchmark once its runs took this many seconds")
    parser.add_argument("--filter", default=".", help="regular expression on benchmark names")
    parser.add_argument("--libraries", default="orm,core", help="comma-separated: orm, core")
    parser.add_argument("--smoke", action="store_true", help="one iteration of each benchmark, results checked")
    parser.add_argument("--out", help="write Google Benchmark JSON here (else to stdout)")
    parser.add_argument("--suite", choices=["core", "session"], default="core",
                        help="core: the workloads of sqlite_bench/postgres_bench; session: the ORM session's "
                             "(orm_sqlite_bench/orm_postgres_bench), SQLAlchemy's ORM only")
    args = parser.parse_args()

    if args.backend == "postgres" and not postgres_available():
        message = "no PostgreSQL server configured (PGHOST unset); run under pg_virtualenv -o fsync=off"
        print(f"postgres SQLAlchemy benchmarks {'failed' if server_required() else 'skipped'}: {message}",
              file=sys.stderr)
        return 1 if server_required() else 77

    repetitions = 1 if args.smoke else args.repetitions
    name_filter = re.compile(args.filter)
    libraries = [lib.strip() for lib in args.libraries.split(",") if lib.strip()]
    entries = []
    failures = 0
    family = 0
    if args.suite == "session":
        libraries = ["orm"]
        table = [(w, n, d, (lambda f: lambda library, db, n: f(db, n))(f), "session")
                 for w, n, d, f in session_workload_table()]
    else:
        table = workload_table()
    for library in libraries:
        for workload, n, data, factory, clears in table:
            # As in the C++ binaries: SQLite counts CPU time, PostgreSQL wall time (name /real_time).
            name = f"{workload}/sqlalchemy_{library}/{n}" + ("/real_time" if args.backend == "postgres" else "")
            if not name_filter.search(name):
                continue
            runs = []
            spent = 0.0
            # One database per benchmark, its repetitions run on it (reads leave it as it was;
            # the inserts empty the table before every iteration).
            users_rows, posts_rows, comments_rows = data()
            db = fresh_database(args.backend, users_rows, posts_rows, comments_rows)
            try:
                for repetition in range(repetitions):
                    if runs and spent >= args.repetition_budget:
                        break
                    close = None
                    try:
                        run, check, *rest = factory(library, db, n)
                        close = rest[0] if rest else None
                        if clears == "session":  # its own before_each (or none)
                            before_each = rest[1]
                            warm = before_each is None
                        else:
                            before_each = db.clear_users if clears else None
                            warm = not clears
                        if not args.smoke and warm:
                            run()  # warms statement caches, as --benchmark_min_warmup_time does
                        iterations, real, cpu, result = measure(run, before_each, args.min_time, args.smoke)
                        ok = check(result) if check else True
                        if clears is True:
                            with db.engine.connect() as conn:
                                ok = conn.execute(select(sqlalchemy.func.count()).select_from(users)).scalar() == n
                        if not ok:
                            failures += 1
                            print(f"{name}: wrong result", file=sys.stderr)
                    finally:
                        if close:
                            close()
                    items = ASSOCIATION_USERS * POSTS_PER_USER * COMMENTS_PER_POST if workload == "associations" \
                        else (1 if workload == "short_select" else n)
                    spent += real
                    runs.append(gbench_entry(name, family, 0, repetitions, repetition, iterations, real, cpu, items))
                    print(f"{name:<50} {runs[-1]['real_time']:>14.2f} us {iterations:>10}", file=sys.stderr)
            finally:
                db.close()
            for entry in runs:
                entry["repetitions"] = len(runs)
            entries.extend(runs)
            if len(runs) > 1:
                entries.extend(aggregate_entries(runs))
            family += 1

    context = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": sys.argv[0],
        "num_cpus": os.cpu_count(),
        "backend": args.backend,
        "python": sys.version.split()[0],
        "sqlalchemy": sqlalchemy.__version__,
        "library_build_type": "release",
    }
    document = json.dumps({"context": context, "benchmarks": entries}, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(document + "\n")
    elif not args.smoke:
        print(document)
    if failures:
        print(f"{failures} benchmark(s) produced wrong results", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
