/**
 * The width-scaling page: its plot draws the fit and the prediction it claims, and the claims its
 * prose makes are recomputed from the same runs (μP + Adam flat within the band, SP + SGD growing).
 */
import { describe, expect, it } from 'vitest';
import { coordinateCheckSpec } from '../../src/charts/coordinateCheck.js';
import { widthScalingRun } from '../../src/report/docs/width-scaling.js';

describe('width-scaling page', () => {
  it('the chart: the dashed prediction starts at the first measured point and has the predicted slope; the fit is the fitted line', () => {
    const curve = { label: 'layer 2', sizes: [{ width: 64, rms: 0.5 }, { width: 256, rms: 1 }], intercept: Math.log(0.5) - 0.5 * Math.log(64), exponent: 0.5, predictedExponent: 1 };
    const spec = coordinateCheckSpec([curve], { width: 'n', rms: 'RMS', layer: 'layer', fit: 'fit', prediction: 'prediction' }) as unknown as {
      layer: { data: { values: { width: number; rms: number; kind?: string }[] } }[];
    };
    const lines = spec.layer[0].data.values;
    const at = (kind: string, width: number) => lines.find((row) => row.kind === kind && row.width === width)!.rms;
    expect(at('prediction', 64)).toBeCloseTo(0.5, 12);
    expect(at('prediction', 256)).toBeCloseTo(2, 12);
    expect(at('fit', 256)).toBeCloseTo(1, 12);
    expect(spec.layer[1].data.values).toHaveLength(2);
  });

  it('μP + Adam: the hidden updates hold within ±0.1 of 0; SP + SGD: the hidden updates exceed 0.3 (the prose\'s claims)', () => {
    const mup = widthScalingRun('mup', 'adam');
    for (const layer of mup.layers.slice(1, 3)) expect(layer.update.verdict).toBe('holds');
    const sp = widthScalingRun('sp', 'sgd');
    for (const layer of sp.layers.slice(1, 3)) expect(layer.update.exponent).toBeGreaterThan(0.3);
  });
});
