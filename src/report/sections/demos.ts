/** Section 4: the source chapter's demos (sigmoid and its gradient; a product of random matrices). */
import { curvesSpec, sampleCurve } from '../../charts/curves.js';
import { matrixProductSpec } from '../../charts/matrixProduct.js';
import type { Catalogue } from '../../i18n/catalogue.js';
import { fill } from '../../i18n/catalogue.js';
import type { MatrixProductResult } from '../../numeric/demos/matrices.js';
import type { Activation } from '../../vocabulary/activation.js';
import { prose, type Block } from '../document.js';
import { formatNumber } from '../format.js';

export interface DemoInputs {
  /** The sigmoid from the activation registry (its φ and φ′ are plotted). */
  sigmoid?: Activation;
  matrices?: MatrixProductResult;
}

export function demoBlocks(cat: Catalogue, demos: DemoInputs, options: { headingLevel?: 2 | 3; figurePrefix?: string } = {}): Block[] {
  const level = options.headingLevel ?? 2;
  const sub = (level + 1) as 3 | 4;
  const prefix = options.figurePrefix ?? '';
  const d = cat.demos;
  const blocks: Block[] = [{ kind: 'heading', level, text: d.heading, id: 'demos' }, { kind: 'paragraph', content: prose(d.intro) }];
  if (demos.sigmoid) {
    const s = demos.sigmoid;
    blocks.push({ kind: 'heading', level: sub, text: d.sigmoidHeading, id: 'demo-sigmoid' });
    blocks.push({ kind: 'paragraph', content: prose(d.sigmoidText) });
    const points = [
      ...sampleCurve((x) => s.phi(x), -8, 8, 161, cat.charts.sigmoid),
      ...sampleCurve((x) => s.derivative(x), -8, 8, 161, cat.charts.sigmoidGradient),
    ];
    blocks.push({
      kind: 'figure',
      id: `${prefix}sigmoid`,
      spec: curvesSpec(points, { x: cat.charts.x, y: cat.charts.value, series: cat.charts.function }, { seriesOrder: [cat.charts.sigmoid, cat.charts.sigmoidGradient] }),
      caption: prose(d.sigmoidCaption),
      alt: d.sigmoidAlt,
    });
  }
  const m = demos.matrices;
  if (m) {
    blocks.push({ kind: 'heading', level: sub, text: fill(d.matrixHeading, { count: m.steps }), id: 'demo-matrices' });
    blocks.push({ kind: 'paragraph', content: prose(fill(d.matrixText, { count: m.steps, size: m.size })) });
    const variance = (v: number) => (Math.abs(v * m.size - 1) < 1e-12 ? `1/${m.size}` : formatNumber(v));
    blocks.push({
      kind: 'figure',
      id: `${prefix}matrices`,
      spec: matrixProductSpec(
        m.cases.map((c) => ({ label: fill(cat.charts.matrixCase, { variance: variance(c.variance) }), sampleLogNorms: c.sampleLogNorms, predictedLogNorm: c.predictedLogNorm })),
        { factors: cat.charts.factors, logNorm: cat.charts.logNorm, case: cat.charts.series, prediction: cat.charts.prediction, sample: cat.charts.sample },
      ),
      caption: prose(d.matrixCaption),
      alt: d.matrixAlt,
    });
    const standard = m.cases.find((c) => c.id === 'standard');
    if (standard) {
      blocks.push({
        kind: 'paragraph',
        content: prose(
          fill(d.matrixFinal, {
            value: formatNumber(standard.productMaxEntry, 3),
            measured: formatNumber(standard.lyapunovMeasured.estimate, 3),
            predicted: formatNumber(standard.lyapunovPredicted, 3),
          }),
        ),
      });
    }
  }
  return blocks;
}
