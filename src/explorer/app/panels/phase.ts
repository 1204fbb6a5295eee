/**
 * The mean-field phase diagram in (σ_w², σ_b²): the order-to-chaos line χ₁ = 1, the two phases
 * shaded, and the current setting as a point that can be dragged with a pointer or moved with the
 * arrow keys. Drawn with Vega-Lite like every other chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, PALETTE } from '../../../charts/index.js';
import { fill, type Catalogue } from '../../../i18n/catalogue.js';
import { formatNumber } from '../dom.js';
import type { PhaseDiagram } from '../protocol.js';
import type { VegaChart } from '../vega.js';

export interface PhaseBounds {
  maxSigmaW2: number;
  maxSigmaB2: number;
}

export function phaseBounds(phase: PhaseDiagram): PhaseBounds {
  const lineMax = Math.max(...phase.criticalLine.map((p) => p.sigmaW2));
  return {
    maxSigmaW2: Math.ceil(Math.max(3, lineMax * 1.15, phase.current.sigmaW2 * 1.15) * 2) / 2,
    maxSigmaB2: Math.max(...phase.criticalLine.map((p) => p.sigmaB2), 0.1),
  };
}

export function phaseSpec(phase: PhaseDiagram, catalogue: Catalogue, width: number): TopLevelSpec {
  const m = catalogue.explorer.panels;
  const bounds = phaseBounds(phase);
  const line = phase.criticalLine.map((p) => ({ ...p, zero: 0, max: bounds.maxSigmaW2 }));
  const x = { type: 'quantitative' as const, title: 'σ_w² = n·Var[w]', scale: { domain: [0, bounds.maxSigmaW2], nice: false } };
  const y = { type: 'quantitative' as const, title: 'σ_b²', scale: { domain: [0, bounds.maxSigmaB2], nice: false } };
  const state = phaseName(phase.current.chi1, catalogue);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width,
    height: Math.round(width * 0.62),
    // Named datasets: while the axes stay, a moved point only swaps these rows (see vega.ts).
    datasets: {
      line,
      labels: [
        { sigmaW2: bounds.maxSigmaW2 * 0.04, sigmaB2: bounds.maxSigmaB2 * 0.9, text: m.ordered, align: 'left' },
        { sigmaW2: bounds.maxSigmaW2 * 0.96, sigmaB2: bounds.maxSigmaB2 * 0.1, text: m.chaotic, align: 'right' },
      ],
      current: [
        {
          sigmaW2: phase.current.sigmaW2,
          sigmaB2: phase.current.sigmaB2,
          label: `${m.current}: χ₁ = ${formatNumber(phase.current.chi1)} (${state})`,
          // The label sits on the side with room, so it never runs off the plot.
          side: phase.current.sigmaW2 > bounds.maxSigmaW2 * 0.5 ? 'left' : 'right',
        },
      ],
    },
    layer: [
      {
        data: { name: 'line' },
        mark: { type: 'area', orient: 'horizontal', color: PALETTE[5], opacity: 0.16 },
        encoding: { y: { field: 'sigmaB2', ...y }, x: { field: 'zero', ...x }, x2: { field: 'sigmaW2' } },
      },
      {
        data: { name: 'line' },
        mark: { type: 'area', orient: 'horizontal', color: PALETTE[1], opacity: 0.13 },
        encoding: { y: { field: 'sigmaB2', ...y }, x: { field: 'sigmaW2', ...x }, x2: { field: 'max' } },
      },
      {
        data: { name: 'line' },
        mark: { type: 'line', color: '#222', strokeWidth: 2 },
        encoding: { y: { field: 'sigmaB2', ...y }, x: { field: 'sigmaW2', ...x }, order: { field: 'sigmaB2' } },
      },
      {
        data: { name: 'labels' },
        layer: [
          {
            transform: [{ filter: "datum.align === 'left'" }],
            mark: { type: 'text', align: 'left', fontSize: 13, fontWeight: 'bold', color: '#1b5e86' },
            encoding: { x: { field: 'sigmaW2', ...x }, y: { field: 'sigmaB2', ...y }, text: { field: 'text' } },
          },
          {
            transform: [{ filter: "datum.align === 'right'" }],
            mark: { type: 'text', align: 'right', fontSize: 13, fontWeight: 'bold', color: '#a8440a' },
            encoding: { x: { field: 'sigmaW2', ...x }, y: { field: 'sigmaB2', ...y }, text: { field: 'text' } },
          },
        ],
      },
      {
        data: { name: 'current' },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 220, color: PALETTE[6], stroke: 'white', strokeWidth: 2, cursor: 'grab' },
            encoding: { x: { field: 'sigmaW2', ...x }, y: { field: 'sigmaB2', ...y } },
          },
          {
            transform: [{ filter: "datum.side === 'right'" }],
            mark: { type: 'text', dx: 10, dy: -12, align: 'left', fontSize: 11, color: '#111' },
            encoding: { x: { field: 'sigmaW2', ...x }, y: { field: 'sigmaB2', ...y }, text: { field: 'label' } },
          },
          {
            transform: [{ filter: "datum.side === 'left'" }],
            mark: { type: 'text', dx: -10, dy: -12, align: 'right', fontSize: 11, color: '#111' },
            encoding: { x: { field: 'sigmaW2', ...x }, y: { field: 'sigmaB2', ...y }, text: { field: 'label' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** 'ordered', 'chaotic', or 'edge of chaos' within 2% of χ₁ = 1. */
export function phaseName(chi1: number, catalogue: Catalogue): string {
  const m = catalogue.explorer.panels;
  if (Math.abs(chi1 - 1) < 0.02) return m.critical;
  return chi1 > 1 ? m.chaotic : m.ordered;
}

export function phaseReadout(phase: PhaseDiagram, catalogue: Catalogue): string {
  const m = catalogue.explorer.panels;
  return fill(m.phaseReadout, {
    sigmaW2: formatNumber(phase.current.sigmaW2, 4),
    sigmaB2: formatNumber(phase.current.sigmaB2, 3),
    qStar: formatNumber(phase.current.qStar, 3),
    chi1: formatNumber(phase.current.chi1, 3),
    phase: phaseName(phase.current.chi1, catalogue),
  });
}

/**
 * Makes the chart's point draggable and the chart keyboard-operable. `move` gets the new (σ_w², σ_b²)
 * with `live` true while dragging. Returns a function that removes the listeners.
 */
export function attachPhaseControls(
  element: HTMLElement,
  chart: VegaChart,
  current: () => { sigmaW2: number; sigmaB2: number; bounds: PhaseBounds },
  move: (sigmaW2: number, sigmaB2: number, live: boolean) => void,
): () => void {
  const toData = (event: PointerEvent): { sigmaW2: number; sigmaB2: number } | null => {
    const view = chart.current;
    const canvas = element.querySelector('svg, canvas');
    if (!view || !canvas) return null;
    const rect = canvas.getBoundingClientRect();
    const [originX, originY] = view.origin();
    const xScale = view.scale('x') as ((v: number) => number) & { invert(p: number): number };
    const yScale = view.scale('y') as ((v: number) => number) & { invert(p: number): number };
    const { bounds } = current();
    const sigmaW2 = clamp(xScale.invert(event.clientX - rect.left - originX), 0.01, bounds.maxSigmaW2);
    const sigmaB2 = clamp(yScale.invert(event.clientY - rect.top - originY), 0, bounds.maxSigmaB2);
    return { sigmaW2, sigmaB2 };
  };
  let dragging = false;
  const down = (event: PointerEvent): void => {
    const point = toData(event);
    if (!point) return;
    dragging = true;
    element.setPointerCapture(event.pointerId);
    element.classList.add('dragging');
    move(point.sigmaW2, point.sigmaB2, true);
    event.preventDefault();
  };
  const moveHandler = (event: PointerEvent): void => {
    if (!dragging) return;
    const point = toData(event);
    if (point) move(point.sigmaW2, point.sigmaB2, true);
  };
  const up = (event: PointerEvent): void => {
    if (!dragging) return;
    dragging = false;
    element.classList.remove('dragging');
    const point = toData(event);
    const now = point ?? current();
    move(now.sigmaW2, now.sigmaB2, false);
  };
  const key = (event: KeyboardEvent): void => {
    const { sigmaW2, sigmaB2, bounds } = current();
    const big = event.shiftKey ? 5 : 1;
    const stepW = 0.02 * big;
    const stepB = 0.005 * big;
    let next: { sigmaW2: number; sigmaB2: number } | null = null;
    if (event.key === 'ArrowRight') next = { sigmaW2: sigmaW2 + stepW, sigmaB2 };
    else if (event.key === 'ArrowLeft') next = { sigmaW2: sigmaW2 - stepW, sigmaB2 };
    else if (event.key === 'ArrowUp') next = { sigmaW2, sigmaB2: sigmaB2 + stepB };
    else if (event.key === 'ArrowDown') next = { sigmaW2, sigmaB2: sigmaB2 - stepB };
    if (!next) return;
    event.preventDefault();
    move(clamp(next.sigmaW2, 0.01, bounds.maxSigmaW2), clamp(next.sigmaB2, 0, bounds.maxSigmaB2), false);
  };
  element.addEventListener('pointerdown', down);
  element.addEventListener('pointermove', moveHandler);
  element.addEventListener('pointerup', up);
  element.addEventListener('pointercancel', up);
  element.addEventListener('keydown', key);
  return () => {
    element.removeEventListener('pointerdown', down);
    element.removeEventListener('pointermove', moveHandler);
    element.removeEventListener('pointerup', up);
    element.removeEventListener('pointercancel', up);
    element.removeEventListener('keydown', key);
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
