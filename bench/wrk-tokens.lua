-- wrk script of bench/login.ts: POST /api/login, each request with the next token of the file
-- given after `--` (one JWT a line), to the URL's path; with no file, GET the URL. Runs are bounded by time (wrk
-- 4.1's thread:stop() does not end the run): past the last token it starts over, and those
-- replays are answered 401 and counted as non-2xx (the bench warns). `done` prints one JSON line.
local tokens = {}
local next_token = 1

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  end
end

function request()
  if #tokens == 0 then return wrk.format('GET') end
  local token = tokens[next_token]
  if token == nil then
    next_token = 1
    token = tokens[1]
  end
  next_token = next_token + 1
  return wrk.format('POST', nil, { ['Authorization'] = 'Bearer ' .. token })
end

function done(summary, latency, requests)
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
