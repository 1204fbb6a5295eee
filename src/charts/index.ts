/** Chart spec builders shared by reports (rendered to SVG in Node) and the explorer (in the browser). */
export { chartConfig, PALETTE, FONT } from './theme.js';
export { variancePoints, varianceByLayerSpec, type VariancePoint, type VarianceChartLabels } from './variance.js';
export { histogramBars, histogramGridSpec, type HistogramBar, type HistogramChartLabels } from './histograms.js';
export { sampleCurve, curvesSpec, type CurvePoint, type CurveChartLabels } from './curves.js';
export { matrixProductSpec, type MatrixProductCaseData, type MatrixProductLabels } from './matrixProduct.js';
