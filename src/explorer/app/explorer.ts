/**
 * The page controller: owns the state, keeps the URL in step with it, asks the workers for theory
 * and measurements, and redraws the panels. Every panel reads the same state, so a control moves
 * all of them together.
 */
import { fill, type Catalogue } from '../../i18n/catalogue.js';
import { buildControls, type ControlPanel } from './controls.js';
import { formatNumber, h, replaceChildren } from './dom.js';
import { proseElement } from './math.js';
import { catalogueFor } from './messages.js';
import { derivationElement } from './panels/derivation.js';
import { histogramSpec } from './panels/histograms.js';
import { attachPhaseControls, phaseBounds, phaseReadout, phaseSpec } from './panels/phase.js';
import { perLayerFactor, testedPrediction, varianceSpec, varianceTable } from './panels/variance.js';
import type { FromWorker, MeasuredCurve, TheoryResult, Vocabulary } from './protocol.js';
import {
  comparisonOf,
  decodeState,
  encodeState,
  GAIN_PRESETS,
  hasArchitecture,
  reportCommand,
  reportCommandIsExact,
  toNetworkSpec,
  withLightMonteCarlo,
  type ExplorerState,
} from './state.js';
import { applyStory, STORIES } from './stories.js';
import { VegaChart } from './vega.js';
import { LatestOnly, MonteCarloRunner, TheoryClient, type WorkerFactory } from './workers.js';
import type { Derivation } from '../../symbolic/derivation.js';
import { ReportDownloader } from './report.js';
import { ViewHost } from './views/host.js';

/** One timing record per setting, read by the end-to-end tests and shown nowhere else. */
export interface RunTiming {
  generation: number;
  /** ms from the change to the theory lines on screen. */
  theoryMs?: number;
  /** ms from the change to the derivation on screen (cached derivations come back at once). */
  derivationMs?: number;
  /** ms from the change to the first Monte Carlo message reaching the page (before drawing). */
  firstMessageMs?: number;
  /** ms from the change to the first Monte Carlo points on screen. */
  firstMeasuredMs?: number;
  /** ms from the change to the finished run (main init) on screen. */
  measuredMs?: number;
  /** ms from the change to everything (comparison included) on screen. */
  allMs?: number;
  /** The worker's own ms from receiving the job to its first / last replicate (engine + statistics). */
  workerFirstMs?: number;
  workerMs?: number;
}

export interface ExplorerEnvironment {
  root: HTMLElement;
  window: Window;
  createWorker: WorkerFactory;
}

interface Elements {
  /** How many replicate networks of the running Monte Carlo are done; the status line says it in words. */
  progress: HTMLProgressElement;
  controls: HTMLElement;
  status: HTMLElement;
  story: HTMLElement;
  summary: HTMLElement;
  varianceChart: HTMLElement;
  tables: HTMLElement;
  derivation: HTMLElement;
  histogramChart: HTMLElement;
  histogramNote: HTMLElement;
  phase: HTMLElement;
  phaseChart: HTMLElement;
  phaseReadout: HTMLElement;
  notice: HTMLElement;
}

export class Explorer {
  state: ExplorerState;
  readonly timings: RunTiming[] = [];
  private catalogue: Catalogue;
  private vocabulary: Vocabulary | null = null;
  private readonly theoryClient: TheoryClient;
  private readonly derivations: LatestOnly<ExplorerState, FromWorker>;
  private derivation: Derivation | null = null;
  private derivationKey = '';
  private readonly runner: MonteCarloRunner;
  private readonly reports: ReportDownloader;
  /** The views of issues 10 and 11 (tabs above the results; src/explorer/app/views/). */
  private readonly views: ViewHost;
  private elements: Elements | null = null;
  private controlPanel: ControlPanel | null = null;
  private varianceChart: VegaChart | null = null;
  private histogramChart: VegaChart | null = null;
  private phaseChart: VegaChart | null = null;
  private detachPhase: (() => void) | null = null;
  private theory: TheoryResult | null = null;
  private measured = new Map<string, MeasuredCurve>();
  private generation = 0;
  private changeStarted = 0;
  private scheduled = false;
  private validationToken = 0;
  private activeStory: string | null = null;
  private urlProblems: string[] = [];

  constructor(private readonly env: ExplorerEnvironment) {
    const decoded = decodeState(env.window.location.search);
    this.state = decoded.state;
    this.urlProblems = decoded.problems;
    this.catalogue = catalogueFor(this.state.lang);
    this.theoryClient = new TheoryClient(env.createWorker, (message) => this.showError(message));
    this.runner = new MonteCarloRunner(env.createWorker);
    this.reports = new ReportDownloader(env.createWorker);
    this.views = new ViewHost({ createWorker: env.createWorker, runner: this.runner, change: (patch) => this.change(patch) });
    const derivationClient = new TheoryClient(env.createWorker, (message) => this.showError(message), 'derivation');
    this.derivations = new LatestOnly((state) => derivationClient.request({ type: 'derivation', state }));
  }

  async start(): Promise<void> {
    this.renderLoading();
    const reply = await this.theoryClient.request({ type: 'vocabulary' });
    if (reply.type !== 'vocabulary') throw new Error('the worker did not send the vocabulary');
    this.vocabulary = reply.vocabulary;
    this.renderShell();
    let resizeTimer = 0;
    this.env.window.addEventListener('resize', () => {
      this.env.window.clearTimeout(resizeTimer);
      resizeTimer = this.env.window.setTimeout(() => this.redrawCharts(), 150);
    });
    this.env.window.addEventListener('popstate', () => {
      this.setState(decodeState(this.env.window.location.search).state, { pushUrl: false });
    });
    this.recompute();
  }

  /** Applies a patch from a control; `live` changes (slider drags) skip history entries. */
  change(patch: Partial<ExplorerState>, live = false): void {
    const next = { ...this.state, ...patch };
    if (patch.init && !GAIN_PRESETS.has(patch.init) && patch.init !== 'constant' && patch.gain === undefined) next.gain = 1;
    if (patch.init === 'constant' && patch.gain === undefined) next.gain = 0.05;
    if (patch.init && this.state.init === 'constant' && patch.init !== 'constant' && patch.gain === undefined) next.gain = 1;
    // Switching residual blocks or a normalization on, or deepening such a net, keeps the Monte Carlo
    // small (deep nets: fewer examples and replicates by default; the fields show it and can be raised).
    const reshaped = patch.residual !== undefined || patch.normalization !== undefined || patch.depth !== undefined || patch.width !== undefined;
    const light = reshaped && !live && hasArchitecture(next) ? withLightMonteCarlo(next) : next;
    this.activeStory = null;
    this.setState(light, { live });
  }

  setState(next: ExplorerState, options: { live?: boolean; pushUrl?: boolean } = {}): void {
    // Where a change starts (the control's event); the run's own `varprop-change-N` mark follows a frame later.
    performance.mark('varprop-input');
    const languageChanged = next.lang !== this.state.lang;
    const structureChanged =
      languageChanged ||
      next.activation !== this.state.activation ||
      next.init !== this.state.init ||
      next.compareInit !== this.state.compareInit ||
      next.residual !== this.state.residual ||
      next.normalization !== this.state.normalization ||
      next.comparePlain !== this.state.comparePlain ||
      (typeof next.alpha === 'number' && (next.alpha === 0 || next.alpha === 1)) !== (typeof this.state.alpha === 'number' && (this.state.alpha === 0 || this.state.alpha === 1)) ||
      (next.alpha === 'inv_sqrt_depth') !== (this.state.alpha === 'inv_sqrt_depth') ||
      (next.widths === null) !== (this.state.widths === null);
    this.state = next;
    if (options.pushUrl !== false) this.writeUrl(options.live ?? false);
    if (languageChanged) {
      this.catalogue = catalogueFor(next.lang);
      this.renderShell();
    } else if (structureChanged || !options.live) {
      // Rebuild the form so dependent fields (gain on/off, the expression box) appear and disappear.
      if (structureChanged) this.renderControls();
      else this.syncControls();
    }
    this.scheduleRecompute();
  }

  private writeUrl(replace: boolean): void {
    const query = encodeState(this.state);
    const url = `${this.env.window.location.pathname}${query ? `?${query}` : ''}`;
    if (url === `${this.env.window.location.pathname}${this.env.window.location.search}`) return;
    if (replace) this.env.window.history.replaceState(null, '', url);
    else this.env.window.history.pushState(null, '', url);
  }

  private scheduleRecompute(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Coalesce a burst of slider events into one run per frame.
    this.env.window.requestAnimationFrame(() => {
      this.scheduled = false;
      this.recompute();
    });
  }

  private recompute(): void {
    const generation = ++this.generation;
    this.changeStarted = performance.now();
    performance.mark(`varprop-change-${generation}`);
    const timing: RunTiming = { generation };
    this.timings.push(timing);
    if (this.timings.length > 50) this.timings.shift();
    const state = this.state;
    this.measured = new Map();
    this.setStatus(this.catalogue.explorer.status.theory);

    if (state.activation === 'custom') this.validate(state.expression);

    // Another view than the variance per layer runs its own theory and Monte Carlo (on the same
    // runner, so the variance run, if any, is cancelled).
    this.views.update(state);
    if (state.view !== 'variance') return;

    void this.theoryClient.request({ type: 'theory', state }).then((reply) => {
      if (generation !== this.generation) return;
      if (reply.type === 'error') {
        this.runner.cancel();
        this.showError(reply.message);
        return;
      }
      if (reply.type !== 'theory') return;
      this.theory = reply.result;
      this.clearError();
      // The theory is done; until the first Monte Carlo message arrives the status must say what is
      // running now, not "Deriving…" (on heavy settings that first message takes seconds).
      if (this.measured.size === 0) {
        this.setStatus(fill(this.catalogue.explorer.status.running, { done: 0, total: state.nets }));
        this.setProgress(0, state.nets);
      }
      void this.renderTheory().then(() => {
        timing.theoryMs = performance.now() - this.changeStarted;
      });
    });

    // The derivation waits for the main run's first points, so it does not share the CPU with the
    // first replicate; it then runs beside the later replicates (bench:explorer: waiting for the whole
    // run put the panel at ≈590 ms after a change on 10×256, against the 300 ms goal).
    const derive = (): void => {
      if (generation === this.generation) this.requestDerivation(state, timing);
    };
    if (JSON.stringify(toNetworkSpec(state)) !== this.derivationKey) this.elements?.derivation.classList.add('stale');

    const runs: ('main' | 'compare')[] = comparisonOf(state) ? ['main', 'compare'] : ['main'];
    const runNext = (index: number): void => {
      if (index >= runs.length || generation !== this.generation) return;
      this.runner.run({ type: 'measure', state, which: runs[index] }, (message: FromWorker) => {
        if (generation !== this.generation) return;
        if (message.type === 'error') {
          this.showError(message.message);
          derive();
          return;
        }
        if (message.type !== 'partial') return;
        if (index === 0 && timing.firstMessageMs === undefined) timing.firstMessageMs = performance.now() - this.changeStarted;
        this.measured.set(message.curve.init, message.curve);
        void this.renderMeasured(message.curve, message.final, runs[index]).then(() => {
          if (generation !== this.generation) return;
          // Timings are taken once the points are drawn, not when the message arrives.
          const elapsed = performance.now() - this.changeStarted;
          if (index === 0 && timing.firstMeasuredMs === undefined) {
            timing.firstMeasuredMs = elapsed;
            timing.workerFirstMs = message.curve.elapsedMs;
            performance.measure(`varprop-first-points-${generation}`, `varprop-change-${generation}`);
            derive();
          }
          if (!message.final) return;
          if (index === 0) {
            timing.measuredMs = elapsed;
            timing.workerMs = message.curve.elapsedMs;
            performance.measure(`varprop-measured-${generation}`, `varprop-change-${generation}`);
          }
          if (index === runs.length - 1) {
            timing.allMs = elapsed;
            this.env.root.dataset.ready = String(generation);
          }
          runNext(index + 1);
        });
      });
    };
    runNext(0);
  }

  private requestDerivation(state: ExplorerState, timing: RunTiming): void {
    const key = JSON.stringify(toNetworkSpec(state));
    if (key === this.derivationKey && this.derivation) return;
    this.derivationKey = key;
    this.elements?.derivation.classList.add('stale');
    this.derivations.request(state, (reply) => {
      if (key !== this.derivationKey) return;
      if (reply.type === 'error') {
        // No derivation (e.g. constant weights have no variance to solve for): say so in its panel.
        this.derivation = null;
        const el = this.elements?.derivation;
        if (el) {
          replaceChildren(el, h('p', { class: 'notice' }, fill(this.catalogue.explorer.panels.noDerivation, { message: reply.message })));
          el.classList.remove('stale');
        }
        return;
      }
      if (reply.type !== 'derivation') return;
      this.derivation = reply.derivation;
      this.renderDerivation();
      timing.derivationMs = performance.now() - this.changeStarted;
      performance.measure(`varprop-derivation-${timing.generation}`, `varprop-change-${timing.generation}`);
    });
  }

  private renderDerivation(): void {
    const el = this.elements?.derivation;
    if (!el || !this.derivation) return;
    replaceChildren(el, derivationElement(this.derivation, this.catalogue, this.state.lang));
    el.classList.remove('stale');
  }

  private validate(expression: string): void {
    const token = ++this.validationToken;
    this.controlPanel?.showValidation({ ok: true, message: this.catalogue.explorer.controls.expressionChecking });
    void this.theoryClient.request({ type: 'validate', expression }).then((reply) => {
      if (token !== this.validationToken || reply.type !== 'validation') return;
      this.controlPanel?.showValidation(
        reply.ok ? { ok: true, message: fill(this.catalogue.explorer.controls.expressionOk, { label: reply.label }) } : { ok: false, message: reply.message },
      );
    });
  }

  // ---- rendering -------------------------------------------------------------------------------

  private renderLoading(): void {
    replaceChildren(this.env.root, h('p', { class: 'loading', role: 'status' }, this.catalogue.explorer.loading));
  }

  private renderShell(): void {
    const m = this.catalogue.explorer;
    const doc = this.env.window.document;
    doc.documentElement.lang = this.state.lang === 'zh' ? 'zh-CN' : 'en';
    doc.title = `${m.title} · ${m.tagline}`;
    this.varianceChart?.destroy();
    this.histogramChart?.destroy();
    this.phaseChart?.destroy();
    this.detachPhase?.();
    this.detachPhase = null;

    const elements: Elements = {
      controls: h('div', { class: 'controls-host' }),
      status: h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }),
      progress: h('progress', { class: 'run-progress', max: 1, value: 0, hidden: true, 'aria-hidden': 'true' }),
      story: h('div', { class: 'story-note', hidden: true }),
      summary: h('p', { class: 'summary', 'aria-live': 'polite' }),
      varianceChart: h('div', { class: 'chart', id: 'variance-chart', role: 'img', 'aria-label': m.panels.variance }),
      tables: h('div', { class: 'tables' }),
      derivation: h('div', { class: 'derivation-host' }),
      histogramChart: h('div', { class: 'chart', id: 'histogram-chart', role: 'img', 'aria-label': m.panels.histograms }),
      histogramNote: h('p', { class: 'muted' }, m.panels.histogramsPending),
      phase: h('section', { class: 'card phase-card', 'aria-labelledby': 'phase-title' }),
      phaseChart: h('div', {
        class: 'chart phase-chart',
        id: 'phase-chart',
        tabindex: 0,
        role: 'application',
        'aria-roledescription': 'two-dimensional slider',
        'aria-label': m.panels.phase,
        'aria-describedby': 'phase-readout phase-help',
      }),
      phaseReadout: h('p', { id: 'phase-readout', class: 'readout', 'aria-live': 'polite' }),
      notice: h('div', { class: 'notice', role: 'alert', hidden: true }),
    };
    this.elements = elements;

    const header = h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'skip', href: '#results' }, m.skipToResults),
      h('div', { class: 'brand' }, h('h1', {}, m.title), h('p', { class: 'tagline' }, m.tagline)),
      h(
        'div',
        { class: 'actions' },
        h(
          'label',
          { class: 'lang' },
          h('span', { class: 'visually-hidden' }, m.language),
          h(
            'select',
            { id: 'lang', 'aria-label': m.language, onchange: (event: Event) => this.change({ lang: (event.target as HTMLSelectElement).value as ExplorerState['lang'] }) },
            h('option', { value: 'en', selected: this.state.lang === 'en' }, 'English'),
            h('option', { value: 'zh', selected: this.state.lang === 'zh' }, '简体中文'),
          ),
        ),
        h('button', { type: 'button', id: 'copy-link', onclick: () => void this.copyLink() }, m.actions.copyLink),
        h('button', { type: 'button', id: 'download-report', class: 'primary', onclick: () => void this.download() }, m.actions.download),
      ),
    );

    elements.phase.append(
      h('h2', { id: 'phase-title' }, m.panels.phase),
      h('p', { id: 'phase-help', class: 'help' }, m.panels.phaseHelp),
      elements.phaseChart,
      elements.phaseReadout,
    );

    const results = h(
      'main',
      { id: 'results', class: 'results', tabindex: -1 },
      elements.notice,
      elements.story,
      h('div', { class: 'statusbar' }, elements.status, elements.progress, elements.summary),
      h(
        'section',
        { class: 'card variance-card', 'aria-labelledby': 'variance-title' },
        h('h2', { id: 'variance-title' }, m.panels.variance),
        h('p', { class: 'help' }, fill(m.panels.varianceHelp, { level: 99 })),
        elements.varianceChart,
        h('details', { class: 'numbers' }, h('summary', {}, m.panels.table), elements.tables),
      ),
      h('section', { class: 'card derivation-card', 'aria-labelledby': 'derivation-title' }, h('h2', { id: 'derivation-title' }, m.panels.derivation), elements.derivation),
      elements.phase,
      h(
        'section',
        { class: 'card histogram-card', 'aria-labelledby': 'histogram-title' },
        h('h2', { id: 'histogram-title' }, m.panels.histograms),
        elements.histogramNote,
        elements.histogramChart,
      ),
    );

    replaceChildren(this.env.root, header, h('div', { class: 'layout' }, h('aside', { class: 'sidebar' }, elements.controls), results));
    this.views.mount(results, this.catalogue, this.state);
    this.varianceChart = new VegaChart(elements.varianceChart);
    this.histogramChart = new VegaChart(elements.histogramChart);
    this.phaseChart = new VegaChart(elements.phaseChart);
    this.detachPhase = attachPhaseControls(
      elements.phaseChart,
      this.phaseChart,
      () => {
        const phase = this.theory?.phase;
        const current = phase?.current ?? { sigmaW2: 1, sigmaB2: 0 };
        return { sigmaW2: current.sigmaW2, sigmaB2: current.sigmaB2, bounds: phase ? phaseBounds(phase) : { maxSigmaW2: 3, maxSigmaB2: 0.5 } };
      },
      (sigmaW2, sigmaB2, live) => this.movePhasePoint(sigmaW2, sigmaB2, live),
    );
    if (this.urlProblems.length > 0) this.showNotice(fill(m.status.urlProblems, { problems: this.urlProblems.join('; ') }));
    this.renderControls();
    this.renderStory();
    if (this.theory) this.renderTheory();
    if (this.derivation) this.renderDerivation();
    else replaceChildren(elements.derivation, h('p', { class: 'muted' }, m.status.theory));
    const mainInit = this.theory?.curves[0].init;
    for (const curve of this.measured.values()) this.renderMeasured(curve, curve.distributions !== null, curve.init === mainInit ? 'main' : 'compare');
  }

  private renderControls(): void {
    if (!this.elements || !this.vocabulary) return;
    const focused = this.env.window.document.activeElement?.id;
    this.controlPanel = buildControls(this.state, this.vocabulary, this.catalogue.explorer, {
      change: (patch, live) => this.change(patch, live),
      story: (id) => this.applyStory(id),
      expressionInput: (expression) => {
        // Validate on every keystroke; recompute only when the expression parses.
        const token = ++this.validationToken;
        void this.theoryClient.request({ type: 'validate', expression }).then((reply) => {
          if (token !== this.validationToken || reply.type !== 'validation') return;
          const m = this.catalogue.explorer.controls;
          this.controlPanel?.showValidation(reply.ok ? { ok: true, message: fill(m.expressionOk, { label: reply.label }) } : { ok: false, message: reply.message });
          if (reply.ok && expression !== this.state.expression) {
            this.state = { ...this.state, expression };
            this.writeUrl(true);
            this.scheduleRecompute();
          }
        });
      },
    });
    replaceChildren(this.elements.controls, this.controlPanel.element);
    const story = this.controlPanel.element.querySelector<HTMLSelectElement>('#story');
    if (story && this.activeStory) story.value = this.activeStory;
    if (focused) this.env.window.document.getElementById(focused)?.focus();
  }

  /** Updates control values in place (no rebuild, so focus and slider drags are not interrupted). */
  private syncControls(): void {
    const form = this.controlPanel?.element;
    if (!form) return;
    const set = (id: string, value: string): void => {
      const input = form.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`);
      if (input && this.env.window.document.activeElement !== input && input.value !== value) input.value = value;
    };
    set('depth', String(this.state.depth));
    set('depth-value', String(this.state.depth));
    set('width', String(this.state.width));
    set('gain', String(this.state.gain));
    set('gain-value', String(+this.state.gain.toPrecision(6)));
    set('bias-variance', String(this.state.biasVariance));
    set('bias-variance-value', String(+this.state.biasVariance.toPrecision(6)));
    set('input-variance', String(this.state.inputVariance));
    set('nets', String(this.state.nets));
    set('seed', String(this.state.seed));
    set('batch', String(this.state.batch));
    set('dtype', this.state.dtype);
    set('compare-gain', String(this.state.compareGain));
    set('compare-gain-value', String(+this.state.compareGain.toPrecision(6)));
    if (this.state.residual) {
      const alpha = this.state.alpha === 'inv_sqrt_depth' ? 1 / Math.sqrt(this.state.depth) : this.state.alpha;
      set('alpha', String(alpha));
      set('alpha-value', String(+alpha.toPrecision(6)));
      set('beta', String(this.state.beta));
      set('beta-value', String(+this.state.beta.toPrecision(6)));
    }
  }

  private renderStory(): void {
    const el = this.elements?.story;
    if (!el) return;
    const story = STORIES.find((s) => s.id === this.activeStory);
    if (!story) {
      el.hidden = true;
      return;
    }
    const words = this.catalogue.explorer.stories[story.id];
    replaceChildren(el, h('strong', {}, words.title), proseElement(words.look, 'p'));
    el.hidden = false;
  }

  private applyStory(id: string): void {
    const story = STORIES.find((s) => s.id === id);
    if (!story) return;
    this.setState(applyStory(story, this.state));
    this.activeStory = id;
    this.renderControls();
    this.renderStory();
  }

  private availableWidth(element: HTMLElement | undefined): number {
    return Math.max(280, element?.clientWidth ?? 600);
  }

  /** Draws the theory panels; resolves when the charts are on screen. */
  private renderTheory(): Promise<unknown> {
    const theory = this.theory;
    const el = this.elements;
    if (!theory || !el) return Promise.resolve();
    const drawn: Promise<unknown>[] = [this.drawVariance()];
    this.renderTables();
    this.renderSummary();
    if (theory.phase) {
      el.phase.hidden = false;
      el.phaseReadout.textContent = phaseReadout(theory.phase, this.catalogue);
      if (this.phaseChart) drawn.push(this.phaseChart.update(phaseSpec(theory.phase, this.catalogue, Math.min(520, this.availableWidth(el.phaseChart) - 70))));
    } else {
      el.phase.hidden = true;
    }
    return Promise.all(drawn);
  }

  private drawVariance(): Promise<void> {
    if (!this.theory || !this.elements || !this.varianceChart) return Promise.resolve();
    const spec = varianceSpec(this.theory.curves, this.measured, this.catalogue, this.availableWidth(this.elements.varianceChart));
    return this.varianceChart.update(spec);
  }

  private renderTables(): void {
    if (!this.theory || !this.elements) return;
    replaceChildren(this.elements.tables, this.theory.curves.map((curve) => varianceTable(curve, this.measured.get(curve.init), this.catalogue)));
  }

  private renderSummary(): void {
    const theory = this.theory;
    const el = this.elements?.summary;
    if (!theory || !el) return;
    const main = theory.curves[0];
    const measured = this.measured.get(main.init);
    const forwardValues = measured ? measured.forward.map((q) => q.estimate) : main.forwardLinear.map((_, l) => testedPrediction(main, 'forward', l));
    const backwardValues = measured ? measured.backward.map((q) => q.estimate) : main.backwardLinear.map((_, l) => testedPrediction(main, 'backward', l));
    // Backward runs from the last layer to the first: its factor per layer is first/last.
    const forward = perLayerFactor(forwardValues);
    const backward = perLayerFactor([...backwardValues].reverse());
    const m = this.catalogue.explorer.summary;
    const last = main.forwardLinear.length - 1;
    el.dataset.forwardFactor = forward === null ? '' : String(forward);
    el.dataset.backwardFactor = backward === null ? '' : String(backward);
    el.dataset.source = measured ? 'measured' : 'predicted';
    replaceChildren(
      el,
      fill(m.perLayer, { forward: formatNumber(forward), backward: formatNumber(backward), init: main.init }),
      ' ',
      fill(m.endToEnd, { forward: formatNumber(testedPrediction(main, 'forward', last)), measured: formatNumber(measured?.forward[last]?.estimate) }),
    );
  }

  /** Draws a Monte Carlo update; resolves when the variance chart shows it. */
  private renderMeasured(curve: MeasuredCurve, final: boolean, which: 'main' | 'compare'): Promise<unknown> {
    const el = this.elements;
    if (!el) return Promise.resolve();
    const drawn = this.drawVariance();
    this.renderTables();
    this.renderSummary();
    const s = this.catalogue.explorer.status;
    const kinds = this.catalogue.evidence.kinds;
    const passes = this.catalogue.evidence.passes;
    let status = final
      ? fill(s.done, { total: curve.replicatesDone, ms: Math.round(curve.elapsedMs) }) + (curve.backend ? ` (${curve.backend}, ${this.state.dtype})` : '')
      : fill(which === 'main' ? s.running : s.comparing, { done: curve.replicatesDone, total: curve.replicatesTotal, init: curve.init });
    if (curve.breakdown) {
      status += ` ${fill(s.breakdown, { init: curve.init, kind: kinds[curve.breakdown.kind], layer: curve.breakdown.layer, pass: passes[curve.breakdown.pass] })}`;
    }
    this.setStatus(status);
    if (final) this.setProgress(null);
    else this.setProgress(curve.replicatesDone, curve.replicatesTotal);
    if (final && which === 'main' && curve.distributions && curve.distributions.length > 0) {
      el.histogramNote.hidden = true;
      void this.histogramChart?.update(histogramSpec(curve.distributions, this.catalogue, this.availableWidth(el.histogramChart)));
    }
    return drawn;
  }

  private redrawCharts(): void {
    this.views.redraw();
    if (this.theory) this.renderTheory();
    const main = this.theory ? this.measured.get(this.theory.curves[0].init) : undefined;
    if (main?.distributions && this.elements) {
      void this.histogramChart?.update(histogramSpec(main.distributions, this.catalogue, this.availableWidth(this.elements.histogramChart)));
    }
  }

  private movePhasePoint(sigmaW2: number, sigmaB2: number, live: boolean): void {
    const phase = this.theory?.phase;
    if (!phase) return;
    const gain = Math.sqrt(sigmaW2 / phase.sigmaW2PerGain2);
    const patch: Partial<ExplorerState> = { gain: round(gain, 4), biasVariance: round(sigmaB2, 4) };
    if (!GAIN_PRESETS.has(this.state.init)) {
      patch.init = 'xavier_normal';
      this.showNotice(fill(this.catalogue.explorer.panels.phaseSwitchedInit, { init: this.state.init }));
    }
    this.change(patch, live);
    if (this.elements) this.elements.phaseReadout.textContent = fill(this.catalogue.explorer.panels.phaseDragged, { gain: formatNumber(gain, 4), sigmaB2: formatNumber(sigmaB2, 3) });
  }

  private setStatus(text: string): void {
    if (this.elements) this.elements.status.textContent = text;
  }

  /** Shows `done` of `total` replicate networks on the progress bar, or hides it (null). */
  private setProgress(done: number | null, total = 1): void {
    const bar = this.elements?.progress;
    if (!bar) return;
    bar.hidden = done === null;
    if (done === null) return;
    bar.max = Math.max(1, total);
    bar.value = Math.min(done, bar.max);
  }

  private showNotice(text: string): void {
    if (!this.elements) return;
    this.elements.notice.textContent = text;
    this.elements.notice.hidden = false;
  }

  private showError(message: string): void {
    if (!this.elements) return;
    this.showNotice(fill(this.catalogue.explorer.status.error, { message }));
    this.elements.notice.classList.add('error');
    this.setStatus('');
  }

  private clearError(): void {
    if (!this.elements) return;
    if (this.elements.notice.classList.contains('error')) {
      this.elements.notice.hidden = true;
      this.elements.notice.classList.remove('error');
    }
  }

  private async copyLink(): Promise<void> {
    const url = this.env.window.location.href;
    const m = this.catalogue.explorer.actions;
    try {
      await this.env.window.navigator.clipboard.writeText(url);
      this.setStatus(m.linkCopied);
    } catch {
      this.showNotice(`${m.linkShown} ${url}`);
    }
  }

  private async download(): Promise<void> {
    const m = this.catalogue.explorer.actions;
    this.setStatus(m.downloading);
    const button = this.env.window.document.getElementById('download-report') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    const result = await this.reports.download(this.state, this.env.window);
    if (button) button.disabled = false;
    if (!result.ok) {
      if (!this.elements) return;
      replaceChildren(
        this.elements.notice,
        h('p', {}, result.error ? `${m.downloadFailed} ${result.error}` : '', ' ', reportCommandIsExact(this.state) ? m.downloadFallback : m.downloadFallbackApproximate),
        h('pre', { class: 'command' }, h('code', {}, reportCommand(this.state))),
      );
      this.elements.notice.hidden = false;
    }
    this.setStatus(result.ok ? m.downloaded : '');
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
