"""fyyur in Flask + Flask-SQLAlchemy: the twin of examples/fyyur for the site benchmark.

The database is the one the C++ site creates (schema.sql); this app never creates or alters
tables. Configuration comes from the environment:

    FYYUR_DB      SQLAlchemy URL, sqlite:////abs/path.db or postgresql://user:pw@host:port/db
    FYYUR_SECRET  key for Flask's signed session cookie (a fixed default for the benchmark)

Run it with gunicorn (see run_flask.sh):  gunicorn --chdir bench/fyyur_flask 'app:create_app()'
"""

import hmac
import os
import secrets
from datetime import datetime
from itertools import groupby

from flask import Flask, abort, flash, redirect, render_template, request, session, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import and_, event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.pool import QueuePool

db = SQLAlchemy()

# BIGINT identity keys on PostgreSQL, INTEGER PRIMARY KEY (the rowid) on SQLite, as in schema.sql.
Id = db.BigInteger().with_variant(db.Integer(), "sqlite")

# --- models: mapped onto the tables of schema.sql ------------------------------------------------

venue_genre = db.Table(
    "venue_genre",
    db.Column("venue_id", Id, db.ForeignKey("venue.id", ondelete="CASCADE"), primary_key=True),
    db.Column("genre_id", Id, db.ForeignKey("genre.id"), primary_key=True),
)

artist_genre = db.Table(
    "artist_genre",
    db.Column("artist_id", Id, db.ForeignKey("artist.id", ondelete="CASCADE"), primary_key=True),
    db.Column("genre_id", Id, db.ForeignKey("genre.id"), primary_key=True),
)


class Genre(db.Model):
    __tablename__ = "genre"
    id = db.Column(Id, primary_key=True)
    name = db.Column(db.Text, nullable=False, unique=True)


class Venue(db.Model):
    __tablename__ = "venue"
    __table_args__ = (db.Index("ix_venue_state_city", "state", "city"),)
    id = db.Column(Id, primary_key=True)
    name = db.Column(db.Text, nullable=False)
    city = db.Column(db.Text, nullable=False)
    state = db.Column(db.Text, nullable=False)
    address = db.Column(db.Text, nullable=False)
    phone = db.Column(db.Text)
    image_link = db.Column(db.Text)
    facebook_link = db.Column(db.Text)
    website = db.Column(db.Text)
    seeking_talent = db.Column(db.Boolean, nullable=False, default=False)
    seeking_description = db.Column(db.Text)

    genres = db.relationship(Genre, secondary=venue_genre, order_by=Genre.id)
    shows = db.relationship("Show", back_populates="venue", order_by="Show.start_time",
                            cascade="all, delete-orphan", passive_deletes=True)


class Artist(db.Model):
    __tablename__ = "artist"
    id = db.Column(Id, primary_key=True)
    name = db.Column(db.Text, nullable=False)
    city = db.Column(db.Text, nullable=False)
    state = db.Column(db.Text, nullable=False)
    phone = db.Column(db.Text)
    image_link = db.Column(db.Text)
    facebook_link = db.Column(db.Text)
    website = db.Column(db.Text)
    seeking_venue = db.Column(db.Boolean, nullable=False, default=False)
    seeking_description = db.Column(db.Text)

    genres = db.relationship(Genre, secondary=artist_genre, order_by=Genre.id)
    shows = db.relationship("Show", back_populates="artist", order_by="Show.start_time",
                            cascade="all, delete-orphan", passive_deletes=True)


class Show(db.Model):
    __tablename__ = "show"
    __table_args__ = (db.Index("ix_show_venue_id_start_time", "venue_id", "start_time"),
                      db.Index("ix_show_artist_id_start_time", "artist_id", "start_time"))
    id = db.Column(Id, primary_key=True)
    venue_id = db.Column(Id, db.ForeignKey("venue.id", ondelete="CASCADE"), nullable=False)
    artist_id = db.Column(Id, db.ForeignKey("artist.id", ondelete="CASCADE"), nullable=False)
    # Naive UTC. On SQLite, SQLAlchemy's DateTime stores 'YYYY-MM-DD HH:MM:SS.ffffff'.
    start_time = db.Column(db.DateTime, nullable=False)

    venue = db.relationship(Venue, back_populates="shows")
    artist = db.relationship(Artist, back_populates="shows")


def utcnow():
    return datetime.utcnow()


def split_shows(shows, now):
    """(past, upcoming) of shows already ordered by start_time."""
    past = [s for s in shows if s.start_time <= now]
    upcoming = [s for s in shows if s.start_time > now]
    return past, upcoming


def like_pattern(term):
    """'%term%' with LIKE's wildcards in the term taken literally (escape character '\\')."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- CSRF, the way Flask-WTF's CSRFProtect does it (minus the signed, timed form token) ----------

CSRF_FIELD = "csrf_token"


def csrf_token():
    """The session's token, created (and the session cookie set) on first use."""
    token = session.get(CSRF_FIELD)
    if token is None:
        token = session[CSRF_FIELD] = secrets.token_hex(20)
    return token


def csrf_protect():
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD)
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        abort(400, description="The CSRF token is missing or does not match.")


# --- the app ---------------------------------------------------------------------------------------

SHOW_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def create_app():
    app = Flask(__name__)
    url = os.environ.get("FYYUR_DB")
    if not url:
        raise RuntimeError("set FYYUR_DB to an SQLAlchemy URL (sqlite:////abs/path.db or postgresql://...)")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY=os.environ.get("FYYUR_SECRET", "fyyur-benchmark-secret-not-for-production"),
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if url.startswith("sqlite"):
        # SQLAlchemy 1.4 opens a new connection per checkout for SQLite files (NullPool); 2.0 keeps
        # them in a QueuePool. Keep them, as 2.0 does and as the C++ site keeps its connection.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": QueuePool}
    db.init_app(app)

    if url.startswith("sqlite"):
        with app.app_context():
            @event.listens_for(db.engine, "connect")
            def _sqlite_foreign_keys(dbapi_connection, _record):
                # ON DELETE CASCADE in schema.sql needs it; PostgreSQL always enforces keys.
                dbapi_connection.execute("PRAGMA foreign_keys = ON")

    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.filters["datetime"] = lambda value: value.strftime(SHOW_TIME_FORMAT)
    app.before_request(csrf_protect)

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, message="Not found"), 404

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("error.html", code=400, message=error.description), 400

    @app.get("/")
    def index():
        return render_template("index.html")

    # GET /venues: every venue, grouped by (city, state), with its number of upcoming shows. One
    # query: venues left-joined to their upcoming shows, counted.
    @app.get("/venues")
    def venues():
        now = utcnow()
        rows = db.session.execute(
            select(Venue.id, Venue.name, Venue.city, Venue.state,
                   func.count(Show.id).label("num_upcoming_shows"))
            .outerjoin(Show, and_(Show.venue_id == Venue.id, Show.start_time > now))
            .group_by(Venue.id)
            .order_by(Venue.state, Venue.city, Venue.name, Venue.id)
        ).all()
        areas = [{"city": city, "state": state, "venues": list(group)}
                 for (state, city), group in groupby(rows, key=lambda r: (r.state, r.city))]
        return render_template("venues.html", areas=areas)

    # GET /venues/<id>: the venue, its genres, its shows with their artists: three queries (venue;
    # genres; shows joined to artists), whatever the number of shows.
    @app.get("/venues/<int:venue_id>")
    def show_venue(venue_id):
        venue = db.session.get(Venue, venue_id, options=[
            selectinload(Venue.genres),
            selectinload(Venue.shows).joinedload(Show.artist),
        ])
        if venue is None:
            abort(404)
        past, upcoming = split_shows(venue.shows, utcnow())
        return render_template("show_venue.html", venue=venue, past_shows=past, upcoming_shows=upcoming)

    # Not benchmarked: the venue page's artist links land here.
    @app.get("/artists/<int:artist_id>")
    def show_artist(artist_id):
        artist = db.session.get(Artist, artist_id, options=[
            selectinload(Artist.genres),
            selectinload(Artist.shows).joinedload(Show.venue),
        ])
        if artist is None:
            abort(404)
        past, upcoming = split_shows(artist.shows, utcnow())
        return render_template("show_artist.html", artist=artist, past_shows=past, upcoming_shows=upcoming)

    @app.get("/artists/search")
    def search_artists_form():
        return render_template("search_artists.html", search_term=None, results=None)

    # POST /artists/search: case-insensitive substring of the name, with upcoming shows counted.
    @app.post("/artists/search")
    def search_artists():
        term = request.form.get("search_term", "")
        now = utcnow()
        rows = db.session.execute(
            select(Artist.id, Artist.name, func.count(Show.id).label("num_upcoming_shows"))
            .outerjoin(Show, and_(Show.artist_id == Artist.id, Show.start_time > now))
            .where(Artist.name.ilike(like_pattern(term), escape="\\"))
            .group_by(Artist.id)
            .order_by(Artist.name, Artist.id)
        ).all()
        return render_template("search_artists.html", search_term=term,
                               results={"count": len(rows), "data": rows})

    # Not benchmarked: where a successful POST /shows/create redirects; the next 50 shows.
    @app.get("/shows")
    def shows():
        upcoming = db.session.execute(
            select(Show)
            .options(joinedload(Show.venue), joinedload(Show.artist))
            .where(Show.start_time > utcnow())
            .order_by(Show.start_time, Show.id)
            .limit(50)
        ).scalars().all()
        return render_template("shows.html", shows=upcoming)

    @app.get("/shows/create")
    def create_show_form():
        form = {"artist_id": "", "venue_id": "", "start_time": utcnow().strftime(SHOW_TIME_FORMAT)}
        return render_template("new_show.html", form=form, errors={})

    @app.post("/shows/create")
    def create_show_submission():
        form = {name: request.form.get(name, "").strip() for name in ("artist_id", "venue_id", "start_time")}
        errors = {}
        ids = {}
        for field, model, what in (("artist_id", Artist, "artist"), ("venue_id", Venue, "venue")):
            value = form[field]
            if not value:
                errors[field] = "This field is required."
            elif not value.isascii() or not value.isdigit() or len(value) > 18:
                errors[field] = "Not a valid integer value."
            elif db.session.get(model, int(value)) is None:
                errors[field] = f"There is no {what} with id {int(value)}."
            else:
                ids[field] = int(value)
        start_time = None
        if not form["start_time"]:
            errors["start_time"] = "This field is required."
        else:
            try:
                start_time = datetime.strptime(form["start_time"], SHOW_TIME_FORMAT)
            except ValueError:
                errors["start_time"] = "Not a valid datetime value (YYYY-MM-DD HH:MM:SS)."
        if errors:
            return render_template("new_show.html", form=form, errors=errors), 400

        try:
            db.session.add(Show(artist_id=ids["artist_id"], venue_id=ids["venue_id"], start_time=start_time))
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            flash("An error occurred. Show could not be listed.")
            return render_template("new_show.html", form=form, errors={}), 500
        flash("Show was successfully listed!")
        return redirect(url_for("shows"), code=303)

    return app
