import { formatNumber } from "../format.js";

export interface Series {
  key: string;
  label: string;
  values: number[];
}

const W = 320;
const H = 140;
const PAD = { top: 10, right: 8, bottom: 20, left: 30 };

/**
 * A small line chart in plain SVG (no chart library: a few lines cost less than any
 * bundle). Colours come from CSS (.series-<key>), so Telegram's themes apply.
 */
export function LineChart({
  labels,
  series,
  lang,
  title,
}: {
  labels: string[];
  series: Series[];
  lang: string;
  title: string;
}) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const n = Math.max(1, labels.length - 1);
  const x = (i: number) => PAD.left + (i / n) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, Math.round(max / 2), max];
  const every = Math.max(1, Math.ceil(labels.length / 5));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} direction="ltr">
        {ticks.map((v) => (
          <g key={v}>
            <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="axis" x={PAD.left - 4} y={y(v) + 3} textAnchor="end">
              {formatNumber(v, lang)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} className="axis" x={x(i)} y={H - 6} textAnchor="middle">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <polyline
            key={s.key}
            className={`line series-${s.key}`}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <span className={`swatch series-${s.key}`} /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars, one per group; a tap opens what the bar counts when `onPick` is given. */
export function BarList({
  rows,
  lang,
  onPick,
}: {
  rows: { key: string; label: string; value: number }[];
  lang: string;
  onPick?: (key: string) => void;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ul className="bars">
      {rows.map((r) => (
        <li key={r.key}>
          <button type="button" className="bar-row" disabled={!onPick} onClick={() => onPick?.(r.key)}>
            <span className="bar-label">{r.label}</span>
            <span className="bar series-created" style={{ inlineSize: `${(r.value / max) * 100}%` }} />
            <span className="bar-value">{formatNumber(r.value, lang)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
