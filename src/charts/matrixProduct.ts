/**
 * The product of random matrices (Dive into Deep Learning §5.4.1): ln‖M_k⋯M_1 v‖ against k for a few
 * single products per variance, with the Lyapunov prediction λ₁·k as a dashed line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig } from './theme.js';

export interface MatrixProductCaseData {
  /** Translated label of the case, e.g. 'σ² = 1'. */
  label: string;
  sampleLogNorms: readonly (readonly number[])[];
  predictedLogNorm: readonly number[];
}

export interface MatrixProductLabels {
  factors: string;
  logNorm: string;
  case: string;
  prediction: string;
  sample: string;
}

export function matrixProductSpec(cases: readonly MatrixProductCaseData[], labels: MatrixProductLabels): TopLevelSpec {
  const rows: { k: number; value: number; case: string; line: string; kind: string }[] = [];
  for (const c of cases) {
    c.sampleLogNorms.forEach((trajectory, trial) =>
      trajectory.forEach((value, t) => rows.push({ k: t + 1, value, case: c.label, line: `${c.label}#${trial}`, kind: labels.sample })),
    );
    c.predictedLogNorm.forEach((value, t) => rows.push({ k: t + 1, value, case: c.label, line: `${c.label}#p`, kind: labels.prediction }));
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: 440,
    height: 210,
    data: { values: rows },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'k', type: 'quantitative', title: labels.factors },
      y: { field: 'value', type: 'quantitative', title: labels.logNorm },
      color: { field: 'case', type: 'nominal', title: labels.case },
      detail: { field: 'line', type: 'nominal' },
      strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { domain: [labels.sample, labels.prediction], range: [[1, 0], [6, 3]] } },
      strokeWidth: { field: 'kind', type: 'nominal', legend: null, scale: { domain: [labels.sample, labels.prediction], range: [1, 2.4] } },
      opacity: { field: 'kind', type: 'nominal', legend: null, scale: { domain: [labels.sample, labels.prediction], range: [0.55, 1] } },
    },
  } as TopLevelSpec;
}
