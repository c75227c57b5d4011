-- wrk 4.1: GET /venues (every venue grouped by city and state, with upcoming-show counts).
-- No cookie: a first visit. Usage: wrk --latency -t2 -c8 -d10s -s venues.lua http://127.0.0.1:PORT
wrk.method = "GET"
wrk.path = "/venues"
