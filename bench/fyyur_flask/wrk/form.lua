-- Shared by the POST scripts: the session cookie and CSRF token from the environment, and
-- application/x-www-form-urlencoded encoding as a browser does it (space as '+').
local form = {}

function form.session()
  local cookie, token = os.getenv("FYYUR_COOKIE"), os.getenv("FYYUR_CSRF")
  if not cookie or cookie == "" or not token or token == "" then
    io.stderr:write("set FYYUR_COOKIE (the Cookie: header value) and FYYUR_CSRF (the form's csrf_token)\n")
    os.exit(2)
  end
  return cookie, token
end

function form.encode(s)
  s = string.gsub(tostring(s), "[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end)
  return (string.gsub(s, " ", "+"))
end

-- body from a list of {name, value} pairs, in order
function form.body(fields)
  local parts = {}
  for i, field in ipairs(fields) do
    parts[i] = form.encode(field[1]) .. "=" .. form.encode(field[2])
  end
  return table.concat(parts, "&")
end

function form.headers(cookie)
  return { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }
end

return form
