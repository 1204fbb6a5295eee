/**
 * The network section of a derivation: `propagate()`'s own factors, rendered as steps. Every site
 * (node of the tree) gets the formula its kind's moment face used, at the numbers it used, checked
 * by the engine (the expression, evaluated by mathjs at those values, must give the number
 * propagate composed), forward and backward, and E[(∂w)²] at weight sites. No second recursion: the
 * words and the predictions of checks, reports and the explorer are the same numbers.
 */
import type { MomentRule } from '../layers/kind.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';
import type { DerivationSection, DerivationStep, SiteDerivation } from './derivation.js';
import type { Engine } from './engine.js';
import { predictionSeries } from './predict.js';
import { propagate, type Propagation, type SiteMoments } from './propagate.js';
import { formatSignificant } from '../math/significant.js';

/** Sites rendered as steps; a deeper network's remaining sites are in `perSite` (all checked alike). */
export const MAX_RENDERED_SITES = 120;

/** `E[y²] at 2/4/branch/1`, in LaTeX. */
type SiteQuantity = 'forward' | 'cross' | 'backward' | 'weight';

function siteLatex(quantity: SiteQuantity, site: SiteMoments): string {
  const at = `_{\\text{${site.path}}}`;
  if (quantity === 'forward') return `\\mathbb{E}\\big[y^2\\big]${at}`;
  if (quantity === 'cross') return `\\mathbb{E}\\big[y_a y_b\\big]${at}`;
  if (quantity === 'backward') return `\\mathbb{E}\\big[(\\partial x)^2\\big]${at}`;
  return `\\mathbb{E}\\big[(\\partial w)^2\\big]${at}`;
}

function siteStep(engine: Engine, quantity: SiteQuantity, site: SiteMoments, rule: MomentRule, value: number, exact: boolean): DerivationStep {
  const symbols = Object.keys(rule.values);
  const check = { lhs: rule.expression, rhs: String(value), symbols, at: rule.values };
  const relation = Number(value.toPrecision(6)) === value ? '=' : '\\approx';
  const what = quantity === 'forward' ? 'E[y²]' : quantity === 'cross' ? 'E[y_a y_b]' : quantity === 'backward' ? 'E[(∂x)²]' : 'E[(∂w)²]';
  // The c-map step also states the correlation it implies, c = E[y_a y_b]/E[y²].
  const correlation = quantity === 'cross' ? `, c = ${formatSignificant(value / site.output.secondMoment)}` : '';
  const step: DerivationStep = {
    rule: 'substitution',
    latex: `${siteLatex(quantity, site)} = ${rule.latex} ${relation} ${formatSignificant(value)}`,
    text: `${what} at ${site.path} (${site.kind}) = ${rule.name} ${relation === '=' ? '=' : '≈'} ${formatSignificant(value)}${correlation}`,
    note: `${site.kind} at ${site.path}, ${rule.name}: ${rule.note}`,
    check,
    prediction: exact ? 'exact' : 'meanField',
  };
  // Identical factors (a repeated block) are checked once per engine.
  engine.memo(`site:${rule.expression}:${JSON.stringify(rule.values)}:${value}`, () => engine.accept(step));
  return step;
}

function siteDerivation(site: SiteMoments): SiteDerivation {
  return {
    path: site.path,
    kind: site.kind,
    ...(site.layer !== undefined ? { layer: site.layer } : {}),
    forward: site.output.secondMoment,
    forwardExact: site.output.exact,
    backward: site.gradient.secondMoment,
    backwardExact: site.gradient.exact,
    ...(site.weightGradient ? { weightGradient: site.weightGradient.secondMoment, weightGradientExact: site.weightGradient.exact } : {}),
  };
}

/**
 * The network section: per site, forward E[y²], backward E[(∂x)²] and weight-gradient E[(∂w)²],
 * each a checked step with the rule its kind used.
 */
export function deriveNetworkSection(network: ResolvedNetwork, engine: Engine, propagation: Propagation = propagate(network)): DerivationSection {
  const steps: DerivationStep[] = [
    {
      rule: 'definition',
      latex: `\\mathbb{E}\\big[x^2\\big] = \\gamma^2 = ${formatSignificant(network.inputVariance)}, \\qquad \\mathbb{E}\\big[(\\partial y)^2\\big]_\\text{out} = 1`,
      text: `E[x²] = γ² = ${formatSignificant(network.inputVariance)} at the input; E[(∂y)²] = 1 at the output (a random linear loss)`,
      note: 'Forward, every node maps the second moment flowing in to the one flowing out; backward, the gradient at its output to the gradient at its input. The factors below are the ones the predictions use.',
    },
  ];
  const inputCross = propagation.input.cross;
  if (inputCross !== undefined) {
    const c0 = formatSignificant(inputCross / network.inputVariance);
    steps.push({
      rule: 'definition',
      latex: `\\mathbb{E}\\big[x_a x_b\\big] = c_0\\,\\gamma^2 = ${formatSignificant(inputCross)}, \\qquad c_0 = ${c0}`,
      text: `A second input x_b of the same law, E[x_a x_b] = c₀γ² = ${formatSignificant(inputCross)} (c₀ = ${c0}), through the same weights and biases`,
      note: 'Each node also maps E[x_a x_b] (the c-map of Poole et al. 2016): the correlation at a site is c = E[y_a y_b]/E[y²].',
    });
  }
  const rendered = propagation.sites.slice(0, MAX_RENDERED_SITES);
  for (const site of rendered) {
    if (site.kind === 'repeat' || site.kind === 'serial') continue;
    steps.push(siteStep(engine, 'forward', site, site.forwardRule, site.output.secondMoment, site.output.exact));
    if (site.crossRule && site.output.cross !== undefined) {
      steps.push(siteStep(engine, 'cross', site, site.crossRule, site.output.cross, site.output.crossExact ?? false));
    }
  }
  for (const site of [...rendered].reverse()) {
    if (site.kind === 'repeat' || site.kind === 'serial') continue;
    steps.push(siteStep(engine, 'backward', site, site.backwardRule, site.inputGradient.secondMoment, site.inputGradient.exact));
    if (site.weightGradient && site.weightGradientRule) {
      steps.push(siteStep(engine, 'weight', site, site.weightGradientRule, site.weightGradient.secondMoment, site.weightGradient.exact));
    }
  }
  // Sites past the rendered ones are still checked, one step each, though not printed.
  for (const site of propagation.sites.slice(MAX_RENDERED_SITES)) {
    siteStep(engine, 'forward', site, site.forwardRule, site.output.secondMoment, site.output.exact);
    if (site.crossRule && site.output.cross !== undefined) siteStep(engine, 'cross', site, site.crossRule, site.output.cross, site.output.crossExact ?? false);
    siteStep(engine, 'backward', site, site.backwardRule, site.inputGradient.secondMoment, site.inputGradient.exact);
  }
  const hidden = propagation.sites.length - rendered.length;
  if (hidden > 0) {
    steps.push({
      rule: 'definition',
      latex: `\\text{… and ${hidden} more sites}`,
      text: `… and ${hidden} more sites (every one checked; all in perSite)`,
      note: `The network has ${propagation.sites.length} sites; the first ${MAX_RENDERED_SITES} are shown, every one was checked the same way.`,
    });
  }
  const last = propagation.sites[propagation.sites.length - 1];
  const series = predictionSeries(network, propagation);
  return {
    id: 'network',
    title: `The network, node by node (${propagation.sites.length} sites)`,
    steps,
    value: last.output.secondMoment,
    perLayer: { forward: series.forward, backward: series.backward },
    perSite: propagation.sites.map(siteDerivation),
  };
}
