/**
 * Draws a Vega-Lite spec (from src/charts, the same builders the reports use) into an element with
 * vega's View. While only the data changes (Monte Carlo points streaming in), the compiled view is
 * kept and its data replaced, which is far cheaper than compiling again.
 */
import { changeset, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Vega-Lite names the inline dataset of a top-level spec `source_0` (named datasets keep their names). */
const INLINE_DATASET = 'source_0';

export class VegaChart {
  private view: View | null = null;
  private structure = '';
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly container: HTMLElement, private readonly renderer: 'svg' | 'canvas' = 'svg') {}

  /** Shows `spec`; resolves once drawn. Calls are serialised, so the last one wins on screen. */
  update(spec: TopLevelSpec): Promise<void> {
    this.pending = this.pending.then(() => this.draw(spec)).catch((error: unknown) => {
      console.warn('chart failed', error);
    });
    return this.pending;
  }

  /** The current view (tests and the phase diagram's dragging read scales from it). */
  get current(): View | null {
    return this.view;
  }

  destroy(): void {
    this.view?.finalize();
    this.view = null;
    this.structure = '';
    this.container.replaceChildren();
  }

  private async draw(spec: TopLevelSpec): Promise<void> {
    // The data a spec carries: its inline top-level values and its named datasets.
    const data = (spec as { data?: { values?: unknown[] } }).data;
    const named = (spec as { datasets?: Record<string, unknown[]> }).datasets ?? {};
    const tables: [string, unknown[]][] = Object.entries(named);
    if (data?.values) tables.push([INLINE_DATASET, data.values]);
    const structure = JSON.stringify({
      ...spec,
      data: data?.values ? { values: [] } : data,
      datasets: Object.fromEntries(Object.keys(named).map((name) => [name, []])),
    });
    if (this.view && structure === this.structure && tables.length > 0) {
      // Only the data changed: swap the rows and re-run the dataflow.
      for (const [name, values] of tables) this.view.change(name, changeset().remove(() => true).insert(values as object[]));
      await this.view.runAsync();
      return;
    }
    this.view?.finalize();
    const compiled = compile(spec).spec;
    const view = new View(parse(compiled), { renderer: this.renderer, container: this.container, hover: true });
    this.view = view;
    this.structure = structure;
    await view.runAsync();
  }
}
