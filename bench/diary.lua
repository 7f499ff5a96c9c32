-- wrk script for the diary PUT benchmark (bench/run.py passes the arguments).
--
--   wrk ... -s bench/diary.lua URL -- CLIENTS_FILE PATH_PREFIX TODAY YESTERDAY THREADS
--
-- Each request is a PUT to PATH_PREFIX .. day .. "/" as the next patient in turn (a line of
-- CLIENTS_FILE a patient: the request headers that authenticate them, "Name: value" pairs
-- separated by tabs; a token, or a session's cookies and CSRF header), for today or yesterday
-- in alternate rounds, with
-- {"morning_pain": n, "recorded_at": t}. Every wrk thread owns its own share of the patients
-- and t grows with every request, so each request is a real upsert: the first visit to a
-- patient's date creates the entry (201), every later one updates it (200), and no two
-- in-flight requests touch the same row.
--
-- done() prints one line "BENCH_RESULT {json}" with the throughput, latency percentiles and
-- the number of responses that were not 2xx.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function parse_headers(line)
  local headers = {}
  for pair in string.gmatch(line, "[^\t]+") do
    local name, value = string.match(pair, "^([^:]+): (.*)$")
    headers[name] = value
  end
  return headers
end

function init(args)
  local clients_file, nthreads = args[1], tonumber(args[5])
  prefix = args[2]
  days = { args[3], args[4] }
  clients = {}
  local index = 0
  for line in io.lines(clients_file) do
    if line ~= "" then
      if index % nthreads == id then
        table.insert(clients, parse_headers(line))
      end
      index = index + 1
    end
  end
  -- Whole seconds; a later run starts at least a second later than the sub-second offsets
  -- this one adds, so recorded_at keeps growing from the warm-up to the measured run.
  base = os.time()
  sent = 0
  non2xx = 0
  statuses = {}
  first_bad = ""
end

function request()
  local patient = sent % #clients
  local day = days[math.floor(sent / #clients) % 2 + 1]
  sent = sent + 1
  local recorded_at = os.date("!%Y-%m-%dT%H:%M:%S", base + math.floor(sent / 1000000))
    .. string.format(".%06dZ", sent % 1000000)
  local body = string.format('{"morning_pain": %d, "recorded_at": "%s"}', sent % 11, recorded_at)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  for name, value in pairs(clients[patient + 1]) do
    headers[name] = value
  end
  return wrk.format("PUT", prefix .. day .. "/", headers, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then
      first_bad = key .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

local function json_string(text)
  text = string.gsub(text, '[%c"\\]', " ")
  return '"' .. text .. '"'
end

function done(summary, latency, requests)
  local non2xx_total, first_bad_seen, statuses_total = 0, "", {}
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    local bad = thread:get("first_bad")
    if first_bad_seen == "" and bad ~= "" then
      first_bad_seen = bad
    end
    for key, count in pairs(thread:get("statuses")) do
      statuses_total[key] = (statuses_total[key] or 0) + count
    end
  end
  local parts = {}
  for key, count in pairs(statuses_total) do
    table.insert(parts, string.format('"%s": %d', key, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "non2xx": %d, "statuses": {%s}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"first_bad": %s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, non2xx_total, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    json_string(first_bad_seen)
  ))
end
