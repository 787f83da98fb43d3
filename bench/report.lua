-- wrk script: counts responses by status code in every thread and, when the run is done, writes
-- requests, duration, latency percentiles and status counts as JSON to $WRK_JSON_OUT (or stdout).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses") or {}
    for code, n in pairs(seen) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  local parts, non2xx = {}, 0
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', code, n))
    if code < 200 or code > 299 then non2xx = non2xx + 1 * n end
  end
  local e = summary.errors
  -- A script that includes this one may add fields (cycle.lua: how often it ran out of requests).
  local extra = ""
  if report_extra then extra = report_extra(threads) .. ", " end
  local json = string.format(
    '{' .. extra .. '"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"latency_us": {"p50": %d, "p75": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"status": {%s}, "non_2xx": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", "), non2xx,
    e.connect, e.read, e.write, e.status, e.timeout)
  local path = os.getenv("WRK_JSON_OUT")
  if path and path ~= "" then
    local f = assert(io.open(path, "w"))
    f:write(json)
    f:close()
  else
    io.write(json)
  end
end
