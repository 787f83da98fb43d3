-- wrk script for pages that need a different request each time: reads $BENCH_CYCLE_FILE, one request per
-- line as  METHOD <tab> PATH <tab> COOKIE <tab> BODY [<tab> HEADER: VALUE ...]  (cookie and body may be empty;
-- the optional headers after the body replace the shared ones, e.g. each teacher's own X-CSRFToken for a JSON
-- POST to /sync/), and sends them in turn. Each thread takes its own share of the lines (thread i of n: lines
-- i, i+n, …), so no two connections send the same one-time request (a quiz attempt can be submitted once).
-- $BENCH_CYCLE_PHASE = "warmup" uses the first fifth of the lines, "run" the rest, so the measured run
-- never re-sends what the warm-up already used. A thread that runs out starts its share again and
-- counts the "wraps" (reported, so a one-time request sent twice is never silent).
-- The report (status counts, latency, JSON to $WRK_JSON_OUT) comes from report.lua beside this file.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local report_setup = setup
local next_id = 0

function setup(thread)
  report_setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  statuses = {}
  wraps = 0
  local me = tonumber(tid) or 0
  local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  local lines = {}
  for line in io.lines(os.getenv("BENCH_CYCLE_FILE")) do
    if line ~= "" then table.insert(lines, line) end
  end
  local warm = math.max(1, math.floor(#lines / 5))
  local first, last = warm + 1, #lines
  if os.getenv("BENCH_CYCLE_PHASE") == "warmup" then first, last = 1, warm end
  if last < first then first, last = 1, #lines end
  requests = {}
  for i = first + me, last, nthreads do
    local f = split(lines[i])
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    if f[3] and f[3] ~= "" then headers["Cookie"] = f[3] end
    for k = 5, #f do
      local name, value = f[k]:match("^([^:]+):%s*(.*)$")
      if name then headers[name] = value end
    end
    local body = nil
    if f[4] and f[4] ~= "" then body = f[4] end
    table.insert(requests, wrk.format(f[1], f[2], headers, body))
  end
  if #requests == 0 then
    local f = split(lines[1])
    table.insert(requests, wrk.format(f[1], f[2], nil, nil))
  end
  position = 0
end

function request()
  position = position + 1
  if position > #requests then
    position = 1
    wraps = wraps + 1
  end
  return requests[position]
end

function report_extra(threads)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (tonumber(thread:get("wraps")) or 0)
  end
  return string.format('"wraps": %d', total)
end
