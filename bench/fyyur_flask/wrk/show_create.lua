-- wrk 4.1: POST /shows/create with artist_id and venue_id uniform over 1..1000 (FYYUR_ARTISTS,
-- FYYUR_VENUES), start_time FYYUR_SHOW_TIME (default 2030-06-01 20:00:00), one seeded random
-- sequence per thread, the session cookie FYYUR_COOKIE and token FYYUR_CSRF. Expect 303.
-- Every request inserts a show: reload the data (scale_data.py --force-empty) between sites.
-- Usage: FYYUR_COOKIE=... FYYUR_CSRF=... wrk --latency -t2 -c8 -d10s -s show_create.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local form = require("form")

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local headers, token, max_artist, max_venue, start_time

function init(args)
  local cookie
  cookie, token = form.session()
  headers = form.headers(cookie)
  max_artist = tonumber(os.getenv("FYYUR_ARTISTS") or "1000")
  max_venue = tonumber(os.getenv("FYYUR_VENUES") or "1000")
  start_time = os.getenv("FYYUR_SHOW_TIME") or "2030-06-01 20:00:00"
  math.randomseed(2000 + thread_number)
end

function request()
  return wrk.format("POST", "/shows/create", headers, form.body({
    { "artist_id", math.random(1, max_artist) },
    { "venue_id", math.random(1, max_venue) },
    { "start_time", start_time },
    { "csrf_token", token },
  }))
end
