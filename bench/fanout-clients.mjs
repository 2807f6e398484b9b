// The subscribers of the fan-out bench, in their own process so the server's memory is measured alone.
// Receives {url, origin, tokens, match} over IPC, opens one WebSocket per token, reports 'ready', then
// reports the arrival time (epoch ms, sub-ms) of the first message containing `match` on every socket.
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
process.on('message', async (cfg) => {
  const sockets = [];
  const arrivals = [];
  let opened = 0;
  const BATCH = 250; // the server accepts a burst, but not 5,000 handshakes in one tick
  for (let i = 0; i < cfg.tokens.length; i += BATCH) {
    await Promise.all(cfg.tokens.slice(i, i + BATCH).map((token) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`${cfg.url.replace('http', 'ws')}/live?page=${cfg.page}`, { headers: { origin: cfg.origin, cookie: `zsession=${token}` }, perMessageDeflate: false });
      let got = false;
      ws.on('message', (d) => {
        if (!got && String(d).includes(cfg.match)) {
          got = true;
          arrivals.push(now());
          if (arrivals.length === cfg.tokens.length) process.send({ type: 'done', arrivals });
        }
      });
      ws.on('open', () => { opened++; resolve(); });
      ws.on('error', reject);
      sockets.push(ws);
    })));
  }
  process.send({ type: 'ready', opened });
  setTimeout(() => { process.send({ type: 'done', arrivals }); }, 15_000); // report what arrived, whatever happens
});
