-- wrk 4.1: GET /venues/<id>, id uniform over 1..FYYUR_VENUES (default 1000), one seeded random
-- sequence per thread (seed 1000 + thread number), so runs repeat. No cookie.
-- Usage: wrk --latency -t2 -c8 -d10s -s venue.lua http://127.0.0.1:PORT
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local max_id

function init(args)
  max_id = tonumber(os.getenv("FYYUR_VENUES") or "1000")
  math.randomseed(1000 + thread_number)
end

function request()
  return wrk.format("GET", "/venues/" .. math.random(1, max_id))
end
