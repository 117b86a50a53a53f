-- wrk script for tools/load-test and tools/kill-serve: POST /api/reports, each request a new report with its own
-- client_id ("<run>-<thread>-<n>", run from $CITYMAP_RUN, default "load"), spread over the city centre and the five topics. Each thread keeps the ids the server
-- acknowledged with a 2xx; done() writes them, and what each thread sent, to $CITYMAP_ACKED.
local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("tid", created)
  table.insert(threads, thread)
end

local categories = { "cleanliness/litter", "cleanliness/graffiti", "safety/poor-lighting", "orientation/damaged-sign",
                     "vacancy/vacant-shop", "square-quality/seating" }

function init(args)
  counter, ok, bad, acked = 0, 0, 0, {}
  run = os.getenv("CITYMAP_RUN") or "load"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("CITYMAP_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(tid * 7919)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"lat":%.6f,"lon":%.6f,"category":"%s","note":"Lasttest %d/%d","accuracy_m":8,"client_id":"%s-%d-%d"}',
    51.2180 + math.random() * 0.0130, 6.7690 + math.random() * 0.0260, categories[(counter % #categories) + 1],
    tid, counter, run, tid, counter)
  return wrk.format("POST", "/api/reports", nil, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    local id = body:match('"id"%s*:%s*(%d+)')
    if id then acked[#acked + 1] = id end
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("CITYMAP_ACKED"), "w")
  for _, t in ipairs(threads) do
    for _, id in ipairs(t:get("acked")) do out:write(id, "\n") end
    out:write(string.format("# thread %d sent %d ok %d bad %d\n", t:get("tid"), t:get("counter"), t:get("ok"), t:get("bad")))
  end
  out:close()
end
