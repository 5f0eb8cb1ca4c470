-- wrk script of bench/login.ts: POST /api/login, each request with the next token of the file
-- given after `--` (one JWT a line), stopping the thread when the tokens run out; with no file,
-- GET the path. `done` prints one JSON line the bench parses.
local tokens = {}
local next_token = 1
local path = '/api/login'

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  end
  if args[2] then path = args[2] end
end

function request()
  if #tokens == 0 then return wrk.format('GET', path) end
  local token = tokens[next_token]
  if token == nil then
    wrk.thread:stop()
    token = tokens[#tokens]
  end
  next_token = next_token + 1
  return wrk.format('POST', path, { ['Authorization'] = 'Bearer ' .. token })
end

function done(summary, latency, requests)
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
