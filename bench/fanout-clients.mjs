// The subscribers of the fan-out bench, in their own process so the server's memory is measured alone.
// Receives {url, origin, tokens, match} over IPC, opens one WebSocket per token and reports 'ready'. Then,
// for every {type: 'round'}, reports the arrival time (epoch ms, sub-ms) of the next message containing
// `match` on every socket ('done'), or what arrived within 15 s.
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
let round = null;

function startRound(total) {
  const r = { arrivals: [], got: new Set(), finished: false };
  r.finish = () => {
    if (r.finished) return;
    r.finished = true;
    clearTimeout(r.timer);
    process.send({ type: 'done', arrivals: r.arrivals });
  };
  r.timer = setTimeout(r.finish, 15_000); // report what arrived, whatever happens
  r.total = total;
  return r;
}

process.on('message', async (cfg) => {
  if (cfg.type === 'round') {
    round = startRound(round?.total ?? 0);
    return;
  }
  const sockets = [];
  const BATCH = 250; // the server accepts a burst, but not 5,000 handshakes in one tick
  for (let i = 0; i < cfg.tokens.length; i += BATCH) {
    await Promise.all(cfg.tokens.slice(i, i + BATCH).map((token, j) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`${cfg.url.replace('http', 'ws')}/live?page=${cfg.page}`, { headers: { origin: cfg.origin, cookie: `zsession=${token}` }, perMessageDeflate: false });
      const n = i + j;
      ws.on('message', (d) => {
        const r = round;
        if (!r || r.finished || r.got.has(n) || !String(d).includes(cfg.match)) return;
        r.got.add(n);
        r.arrivals.push(now());
        if (r.arrivals.length === r.total) r.finish();
      });
      ws.on('open', resolve);
      ws.on('error', reject);
      sockets.push(ws);
    })));
  }
  round = { total: sockets.length, finished: true };
  process.send({ type: 'ready', opened: sockets.length });
});
