/**
 * The views of issues 10 and 11 on the page: a row of tabs above the results, and, when a view other
 * than the variance per layer is chosen, its card (its own few controls, a status line, its charts
 * and the numbers behind them), in place of the variance panels. The theory comes from a theory
 * worker of its own (some views take seconds of quadrature, which must not hold up the sidebar's
 * expression check), the Monte Carlo from the page's Monte Carlo runner (a newer setting throws the
 * running worker away). Every chart is a shared spec (src/charts, the phase panel) or ./charts.ts.
 */
import { fill, type Catalogue } from '../../../i18n/catalogue.js';
import { h, replaceChildren } from '../dom.js';
import type { FromWorker } from '../protocol.js';
import { LIMITS, OPTIMIZER_CHOICES, PARAMETRIZATION_CHOICES, RECIPE_NAMES, SCALING_WIDTHS_EXPECTED, TRANSFORMER_PRESET_NAMES, VIEWS, parseScalingWidths, type ExplorerState, type ViewId } from '../state.js';
import { VegaChart } from '../vega.js';
import { TheoryClient, type MonteCarloRunner, type WorkerFactory } from '../workers.js';
import type { ViewMeasured, ViewTheory } from './data.js';
import { drawView, type ViewPanel } from './render.js';

export interface ViewHostDependencies {
  createWorker: WorkerFactory;
  runner: MonteCarloRunner;
  change(patch: Partial<ExplorerState>): void;
}

/** The fields each view reads: a change elsewhere does not recompute it. */
const SIDEBAR_NETWORK: (keyof ExplorerState)[] = ['activation', 'expression', 'activationParam', 'init', 'gain', 'biasVariance', 'inputVariance', 'depth', 'width', 'widths', 'residual', 'nets', 'seed'];
const VIEW_INPUTS: Record<Exclude<ViewId, 'variance'>, (keyof ExplorerState)[]> = {
  signal: SIDEBAR_NETWORK,
  spectrum: [...SIDEBAR_NETWORK, 'spectrumWidth'],
  spread: [...SIDEBAR_NETWORK, 'spreadWidth', 'spreadNets'],
  transformer: ['transformerPreset', 'transformerBlocks', 'transformerTokens', 'transformerWidth', 'transformerHeads', 'nets', 'seed'],
  recipes: ['recipe', 'recipeBlocks', 'recipeWidth', 'nets', 'seed'],
  widthscale: ['activation', 'expression', 'activationParam', 'init', 'gain', 'parametrization', 'optimizer', 'scalingWidths', 'nets', 'seed'],
};

export function viewKey(state: ExplorerState): string {
  if (state.view === 'variance') return '';
  return JSON.stringify([state.view, ...VIEW_INPUTS[state.view].map((key) => state[key])]);
}

export class ViewHost {
  readonly element: HTMLElement = h('div', { class: 'view-host' });
  private results: HTMLElement | null = null;
  private catalogue: Catalogue | null = null;
  private state: ExplorerState | null = null;
  private client: TheoryClient | null = null;
  private key = '';
  private generation = 0;
  private theory: ViewTheory | null = null;
  private measured: ViewMeasured | null = null;
  private measuredFinal = false;
  private panel: ViewPanel | null = null;
  private readonly charts: { element: HTMLElement; chart: VegaChart }[] = [];

  constructor(private readonly deps: ViewHostDependencies) {}

  /** Builds the tabs (and the card of the current view) into `results`, after its story note. */
  mount(results: HTMLElement, catalogue: Catalogue, state: ExplorerState): void {
    this.results = results;
    this.catalogue = catalogue;
    this.state = state;
    const anchor = results.querySelector('.story-note');
    results.insertBefore(this.element, anchor ? anchor.nextSibling : results.firstChild);
    this.renderCard();
    results.dataset.view = state.view;
  }

  /** Shows the state's view; recomputes when what the view reads has changed. */
  update(state: ExplorerState): void {
    const viewChanged = state.view !== this.state?.view;
    this.state = state;
    if (this.results) this.results.dataset.view = state.view;
    if (viewChanged) this.renderCard();
    else this.syncControls();
    if (state.view === 'variance') {
      this.key = '';
      this.generation++;
      return;
    }
    const key = viewKey(state);
    if (key === this.key) return;
    this.key = key;
    this.compute(state);
  }

  private compute(state: ExplorerState): void {
    const generation = ++this.generation;
    this.theory = null;
    this.measured = null;
    this.measuredFinal = false;
    const card = this.panel?.card;
    if (card) {
      delete card.dataset.ready;
      delete card.dataset.theory;
      card.classList.add('stale');
    }
    const m = this.catalogue!.explorer.views;
    this.setStatus(m.computing);
    this.client ??= new TheoryClient(this.deps.createWorker, (message) => this.showError(message), 'derivation');
    void this.client.request({ type: 'viewTheory', state }).then(
      (reply) => {
        if (generation !== this.generation) return;
        if (reply.type === 'error') {
          this.deps.runner.cancel();
          this.showError(reply.message);
          return;
        }
        if (reply.type !== 'viewTheory') return;
        this.theory = reply.result;
        void this.draw(generation);
      },
      () => undefined,
    );
    this.deps.runner.run({ type: 'viewMeasure', state }, (message: FromWorker) => {
      if (generation !== this.generation) return;
      if (message.type === 'error') {
        this.showError(message.message);
        return;
      }
      if (message.type !== 'viewPartial') return;
      if (message.result) this.measured = message.result;
      this.measuredFinal = message.final;
      if (!message.final) this.setStatus(fill(m.running, { done: message.done, total: message.total }));
      void this.draw(generation);
    });
  }

  /** Draws what has arrived; marks the card ready once the theory and the final Monte Carlo are on screen. */
  private async draw(generation: number): Promise<void> {
    const panel = this.panel;
    if (!panel || !this.theory || !this.catalogue || !this.state) return;
    const m = this.catalogue.explorer.views;
    if (this.measuredFinal) this.setStatus(this.measured ? fill(m.done, { level: 99 }) : m.theoryOnly);
    const specs = drawView(this.theory, this.measured, this.catalogue, panel, this.availableWidth());
    while (this.charts.length < specs.length) {
      const element = h('div', { class: 'chart view-chart', role: 'img', 'aria-label': this.catalogue.explorer.views.tabs[this.state.view] });
      panel.charts.append(element);
      this.charts.push({ element, chart: new VegaChart(element) });
    }
    for (const { element, chart } of this.charts.splice(specs.length)) {
      chart.destroy();
      element.remove();
    }
    await Promise.all(specs.map((spec, i) => this.charts[i].chart.update(spec)));
    if (generation !== this.generation) return;
    panel.card.classList.remove('stale');
    panel.card.dataset.theory = String(generation);
    if (this.measuredFinal) panel.card.dataset.ready = String(generation);
  }

  private availableWidth(): number {
    return Math.max(280, (this.panel?.charts.clientWidth ?? 640) - 90);
  }

  /** Redraws the charts at the current width (the page calls it on resize). */
  redraw(): void {
    if (this.theory) void this.draw(this.generation);
  }

  private setStatus(text: string): void {
    if (!this.panel) return;
    this.panel.status.textContent = text;
    this.panel.status.classList.remove('error');
  }

  private showError(message: string): void {
    if (!this.panel || !this.catalogue) return;
    this.panel.status.textContent = fill(this.catalogue.explorer.views.error, { message });
    this.panel.status.classList.add('error');
    this.panel.card.classList.remove('stale');
    this.panel.card.dataset.ready = String(this.generation);
  }

  // ---- the tabs and the card ---------------------------------------------------------------------

  private renderCard(): void {
    const catalogue = this.catalogue;
    const state = this.state;
    if (!catalogue || !state) return;
    const m = catalogue.explorer.views;
    for (const { chart } of this.charts.splice(0)) chart.destroy();
    const tabs = h(
      'div',
      { class: 'view-tabs', role: 'tablist', 'aria-label': m.label },
      VIEWS.map((view) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `view-tab-${view}`,
            class: view === state.view ? 'selected' : '',
            'aria-selected': view === state.view ? 'true' : 'false',
            onclick: () => this.deps.change({ view }),
          },
          m.tabs[view],
        ),
      ),
    );
    this.panel = null;
    if (state.view === 'variance') {
      replaceChildren(this.element, tabs);
      return;
    }
    const words = m[state.view];
    const card = h('section', { class: 'card view-card', id: `view-${state.view}`, 'aria-labelledby': 'view-title' });
    const panel: ViewPanel = {
      card,
      status: h('p', { class: 'view-status', role: 'status', 'aria-live': 'polite' }),
      charts: h('div', { class: 'view-charts' }),
      readout: h('div', { class: 'view-readout', 'aria-live': 'polite' }),
      numbers: h('div', { class: 'view-numbers' }),
    };
    card.append(h('h2', { id: 'view-title' }, words.title), h('p', { class: 'help' }, words.help), this.controls(state, catalogue) ?? '', panel.status, panel.charts, panel.readout, panel.numbers);
    this.panel = panel;
    replaceChildren(this.element, tabs, card);
    // A view shown again (a language change rebuilds the page) redraws what it has.
    if (this.theory && viewKey(state) === this.key) void this.draw(this.generation);
  }

  private controls(state: ExplorerState, catalogue: Catalogue): HTMLElement | null {
    const m = catalogue.explorer.views;
    const number = (id: string, label: string, key: keyof typeof LIMITS & keyof ExplorerState) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: id }, label),
        h('input', {
          id,
          type: 'number',
          min: LIMITS[key].min,
          max: LIMITS[key].max,
          step: 1,
          value: String(state[key]),
          onchange: (event: Event) => {
            const input = event.target as HTMLInputElement;
            const value = Number(input.value);
            if (input.value.trim() !== '' && Number.isInteger(value) && value >= LIMITS[key].min && value <= LIMITS[key].max) this.deps.change({ [key]: value });
            else input.value = String(this.state?.[key]);
          },
        }),
      );
    const select = <K extends keyof ExplorerState>(id: string, label: string, key: K, options: readonly string[], names: (option: string) => string = (o) => o) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: id }, label),
        h(
          'select',
          { id, onchange: (event: Event) => this.deps.change({ [key]: (event.target as HTMLSelectElement).value } as Partial<ExplorerState>) },
          options.map((option) => h('option', { value: option, selected: state[key] === option }, names(option))),
        ),
      );
    const row = (...fields: HTMLElement[]) => h('div', { class: 'view-controls' }, fields);
    switch (state.view) {
      case 'spectrum':
        return row(number('spectrum-width', m.spectrum.width, 'spectrumWidth'));
      case 'spread':
        return row(number('spread-width', m.spread.width, 'spreadWidth'), number('spread-nets', m.spread.nets, 'spreadNets'));
      case 'transformer':
        return row(
          select('transformer-preset', m.transformer.preset, 'transformerPreset', TRANSFORMER_PRESET_NAMES),
          number('transformer-blocks', m.transformer.blocks, 'transformerBlocks'),
          number('transformer-tokens', m.transformer.tokens, 'transformerTokens'),
          number('transformer-width', m.transformer.width, 'transformerWidth'),
          number('transformer-heads', m.transformer.heads, 'transformerHeads'),
        );
      case 'recipes':
        return row(select('recipe', m.recipes.recipe, 'recipe', RECIPE_NAMES), number('recipe-blocks', m.recipes.blocks, 'recipeBlocks'), number('recipe-width', m.recipes.width, 'recipeWidth'));
      case 'widthscale': {
        const hint = h('p', { class: 'field-hint', id: 'scaling-widths-hint', 'aria-live': 'polite' });
        const widths = h('input', {
          id: 'scaling-widths',
          type: 'text',
          inputmode: 'numeric',
          value: state.scalingWidths.join(','),
          'aria-describedby': 'scaling-widths-hint',
          onchange: (event: Event) => {
            const text = (event.target as HTMLInputElement).value;
            const parsed = parseScalingWidths(text);
            hint.textContent = parsed ? '' : fill(m.widthscale.widthsInvalid, { text, expected: SCALING_WIDTHS_EXPECTED });
            if (parsed) this.deps.change({ scalingWidths: parsed });
          },
        });
        return row(
          select('parametrization', m.widthscale.parametrization, 'parametrization', PARAMETRIZATION_CHOICES),
          select('optimizer', m.widthscale.optimizer, 'optimizer', OPTIMIZER_CHOICES),
          h('div', { class: 'field' }, h('label', { for: 'scaling-widths' }, m.widthscale.widths), widths, hint),
        );
      }
      default:
        return null;
    }
  }

  /** Puts the state's values into the card's fields (a story or the back button changed them). */
  private syncControls(): void {
    const card = this.panel?.card;
    const state = this.state;
    if (!card || !state) return;
    const values: Record<string, string> = {
      'spectrum-width': String(state.spectrumWidth),
      'spread-width': String(state.spreadWidth),
      'spread-nets': String(state.spreadNets),
      'transformer-preset': state.transformerPreset,
      'transformer-blocks': String(state.transformerBlocks),
      'transformer-tokens': String(state.transformerTokens),
      'transformer-width': String(state.transformerWidth),
      'transformer-heads': String(state.transformerHeads),
      recipe: state.recipe,
      'recipe-blocks': String(state.recipeBlocks),
      'recipe-width': String(state.recipeWidth),
      parametrization: state.parametrization,
      optimizer: state.optimizer,
      'scaling-widths': state.scalingWidths.join(','),
    };
    for (const [id, value] of Object.entries(values)) {
      const input = card.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`);
      if (input && input.value !== value && card.ownerDocument.activeElement !== input) input.value = value;
    }
  }
}

