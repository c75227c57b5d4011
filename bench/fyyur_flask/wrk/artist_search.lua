-- wrk 4.1: POST /artists/search, search_term cycling through TERMS (each thread starting at its
-- own offset), with the session cookie FYYUR_COOKIE and token FYYUR_CSRF.
-- Usage: FYYUR_COOKIE=... FYYUR_CSRF=... wrk --latency -t2 -c8 -d10s -s artist_search.lua http://127.0.0.1:PORT
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local form = require("form")

local TERMS = { "Band", "hop", "Moon", "jazz" }

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local requests, next_term = {}, 0

function init(args)
  local cookie, token = form.session()
  local headers = form.headers(cookie)
  for i, term in ipairs(TERMS) do
    requests[i] = wrk.format("POST", "/artists/search", headers,
                             form.body({ { "search_term", term }, { "csrf_token", token } }))
  end
  next_term = thread_number
end

function request()
  next_term = next_term % #TERMS + 1
  return requests[next_term]
end
