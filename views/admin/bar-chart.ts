// A horizontal bar chart drawn on the server: one row per bar, so it grows downwards rather than
// squeezing labels on a phone. The CSP allows no inline styles, so colours are presentation attributes.
import { trusted, escapeHtml, type Html } from '../html';

export type Bar = { label: string; value: number | null; text: string; title: string };

const W = 360;
const ROW = 26;
const LABEL_W = 64;
const VALUE_W = 52;

/** Bars scaled to `max` (at least the largest value); a null value draws an empty row with its text. */
export function barChart(bars: Bar[], o: { label: string; max?: number; className?: string }): Html {
  const max = Math.max(o.max ?? 0, ...bars.map((b) => b.value ?? 0), 1e-9);
  const span = W - LABEL_W - VALUE_W;
  const rows = bars.map((b, i) => {
    const y = i * ROW;
    const w = Math.max(0, ((b.value ?? 0) / max) * span);
    return `<g><title>${escapeHtml(b.title)}</title>`
      + `<text x="${LABEL_W - 6}" y="${y + 17}" text-anchor="end" font-size="13" fill="#1b1f24">${escapeHtml(b.label)}</text>`
      + `<rect class="bar" x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="2" fill="#1f5fa8"/>`
      + `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + 17}" font-size="12" fill="#5b6470">${escapeHtml(b.text)}</text></g>`;
  });
  const h = Math.max(ROW, bars.length * ROW);
  return trusted(`<svg class="${escapeHtml(o.className ?? 'chart bar-chart')}" viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeHtml(o.label)}">`
    + `<title>${escapeHtml(o.label)}</title><line x1="${LABEL_W}" x2="${LABEL_W}" y1="0" y2="${h}" stroke="#c9d0d8"/>${rows.join('')}</svg>`);
}
