/**
 * The control panel: every knob of {@link ExplorerState} as a labelled form control (native inputs,
 * so keyboard and screen readers work without extra code). Controls report patches; the page owns
 * the state and re-renders.
 */
import { fill } from '../../i18n/catalogue.js';
import { h } from './dom.js';
import type { ExplorerMessages } from './messages.js';
import type { Vocabulary } from './protocol.js';
import { effectiveAlpha, hasArchitecture, LIMITS, presetUsesGain, stateWidths, type ExplorerState, type NormalizationChoice } from './state.js';
import { STORIES } from './stories.js';

export interface ControlHandlers {
  /** A change; `live` is true while a slider is being dragged. */
  change(patch: Partial<ExplorerState>, live?: boolean): void;
  story(id: string): void;
  /** The custom expression as typed (validated by the page, which calls `showValidation`). */
  expressionInput(expression: string): void;
}

export interface ControlPanel {
  element: HTMLElement;
  showValidation(result: { ok: boolean; message: string } | null): void;
  showWidthsError(message: string | null): void;
}

/** Builds the form for `state`. Rebuilt when the language or vocabulary changes. */
export function buildControls(
  state: ExplorerState,
  vocabulary: Vocabulary,
  messages: ExplorerMessages,
  handlers: ControlHandlers,
): ControlPanel {
  const c = messages.controls;
  const widths = stateWidths(state);

  const expressionStatus = h('p', { id: 'expression-status', class: 'field-status', role: 'status', 'aria-live': 'polite' });
  const expressionInput = h('input', {
    id: 'expression',
    type: 'text',
    value: state.expression,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'expression-hint expression-status',
    oninput: (event: Event) => handlers.expressionInput((event.target as HTMLInputElement).value),
  });
  const widthsStatus = h('p', { id: 'widths-status', class: 'field-status', role: 'status', 'aria-live': 'polite' });

  const activationOptions = vocabulary.activations.map((entry) => ({ value: entry.name, label: entry.name }));
  activationOptions.push({ value: 'custom', label: c.custom });
  const activationParameter =
    state.activation === 'leaky_relu' || state.activation === 'elu'
      ? numberField({
          id: 'activation-param',
          label: state.activation === 'leaky_relu' ? c.slope : c.alpha,
          value: state.activationParam,
          ...LIMITS.activationParam,
          step: 0.01,
          onCommit: (value) => handlers.change({ activationParam: value }),
        })
      : null;

  const initOptions = vocabulary.inits.map((entry) => ({ value: entry.name, label: entry.name }));
  const usesGain = presetUsesGain(state.init);
  const gainLabel = state.init === 'constant' ? c.constantValue : c.gain;

  const element = h(
    'form',
    { class: 'controls', 'aria-label': messages.controlsLabel, onsubmit: (event: Event) => event.preventDefault() },
    h(
      'div',
      { class: 'field story-field' },
      h('label', { for: 'story' }, messages.stories.label),
      h(
        'select',
        {
          id: 'story',
          onchange: (event: Event) => {
            const value = (event.target as HTMLSelectElement).value;
            if (value) handlers.story(value);
          },
        },
        h('option', { value: '' }, messages.stories.choose),
        STORIES.map((story) => h('option', { value: story.id }, messages.stories[story.id].title)),
      ),
    ),
    group(
      messages.groups.network,
      sliderField({
        id: 'depth',
        label: state.residual ? c.depthBlocks : c.depth,
        value: state.depth,
        ...LIMITS.depth,
        sliderMax: 100,
        step: 1,
        disabled: state.widths !== null && !state.residual,
        onChange: (value, live) => handlers.change({ depth: value }, live),
      }),
      numberField({
        id: 'width',
        label: c.width,
        value: state.width,
        ...LIMITS.width,
        step: 1,
        disabled: state.widths !== null && !state.residual,
        onCommit: (value) => handlers.change({ width: value }),
      }),
      // Residual blocks keep one width (β·x + α·f(x) adds unit by unit).
      !state.residual &&
      h(
        'div',
        { class: 'field check' },
        h('input', {
          id: 'per-layer',
          type: 'checkbox',
          checked: state.widths !== null,
          onchange: (event: Event) => {
            const checked = (event.target as HTMLInputElement).checked;
            handlers.change(checked ? { widths: stateWidths(state) } : { widths: null, depth: widths.length - 1, width: widths[widths.length - 1] });
          },
        }),
        h('label', { for: 'per-layer' }, c.perLayer),
      ),
      state.widths !== null &&
        !state.residual &&
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'widths' }, c.widths),
          h('input', {
            id: 'widths',
            type: 'text',
            inputmode: 'numeric',
            value: widths.join(','),
            'aria-describedby': 'widths-hint widths-status',
            onchange: (event: Event) => {
              const text = (event.target as HTMLInputElement).value;
              const list = text.split(',').map((part) => Number(part.trim()));
              const ok =
                list.length >= 2 &&
                list.length <= LIMITS.depth.max + 1 &&
                list.every((n) => Number.isInteger(n) && n >= LIMITS.width.min && n <= LIMITS.width.max);
              if (!ok) {
                panel.showWidthsError(fill(c.widthsInvalid, { text }));
                return;
              }
              panel.showWidthsError(null);
              handlers.change({ widths: list, depth: list.length - 1 });
            },
          }),
          h('p', { id: 'widths-hint', class: 'field-hint' }, c.widthsHint),
          widthsStatus,
        ),
    ),
    architectureGroup(state, messages, handlers),
    group(
      messages.groups.activation,
      selectField({
        id: 'activation',
        label: c.activation,
        value: state.activation,
        options: activationOptions,
        onChange: (value) => handlers.change({ activation: value }),
      }),
      activationParameter,
      state.activation === 'custom' &&
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'expression' }, c.expression),
          expressionInput,
          h('p', { id: 'expression-hint', class: 'field-hint' }, c.expressionHint),
          expressionStatus,
        ),
    ),
    group(
      messages.groups.init,
      selectField({
        id: 'init',
        label: c.init,
        value: state.init,
        options: initOptions,
        onChange: (value) => handlers.change({ init: value }),
      }),
      sliderField({
        id: 'gain',
        label: gainLabel,
        value: state.gain,
        ...LIMITS.gain,
        sliderMax: state.init === 'constant' ? 0.5 : 3,
        step: state.init === 'constant' ? 0.005 : 0.01,
        disabled: !usesGain,
        hint: usesGain ? undefined : fill(c.gainUnused, { init: state.init }),
        onChange: (value, live) => handlers.change({ gain: value }, live),
      }),
      !(state.comparePlain && hasArchitecture(state)) &&
        selectField({
          id: 'compare',
          label: c.compare,
          value: state.compareInit ?? '',
          options: [{ value: '', label: c.compareNone }, ...initOptions],
          onChange: (value) => handlers.change({ compareInit: value === '' ? null : value }),
        }),
      !(state.comparePlain && hasArchitecture(state)) &&
        state.compareInit !== null &&
        presetUsesGain(state.compareInit) &&
        sliderField({
          id: 'compare-gain',
          label: state.compareInit === 'constant' ? c.compareConstantValue : c.compareGain,
          value: state.compareGain,
          ...LIMITS.gain,
          sliderMax: 3,
          step: 0.01,
          onChange: (value, live) => handlers.change({ compareGain: value }, live),
        }),
    ),
    group(
      messages.groups.data,
      sliderField({
        id: 'bias-variance',
        label: c.biasVariance,
        value: state.biasVariance,
        ...LIMITS.biasVariance,
        sliderMax: 0.5,
        step: 0.005,
        onChange: (value, live) => handlers.change({ biasVariance: value }, live),
      }),
      numberField({
        id: 'input-variance',
        label: c.inputVariance,
        value: state.inputVariance,
        ...LIMITS.inputVariance,
        step: 0.1,
        onCommit: (value) => handlers.change({ inputVariance: value }),
      }),
    ),
    group(
      messages.groups.montecarlo,
      selectField({
        id: 'batch',
        label: c.batch,
        value: String(state.batch),
        options: withCurrent([16, 32, 64, 128, 256, 512, 1024], state.batch).map((n) => ({ value: String(n), label: String(n) })),
        onChange: (value) => handlers.change({ batch: Number(value) }),
      }),
      numberField({
        id: 'nets',
        label: c.nets,
        value: state.nets,
        ...LIMITS.nets,
        step: 1,
        onCommit: (value) => handlers.change({ nets: value }),
      }),
      numberField({
        id: 'seed',
        label: c.seed,
        value: state.seed,
        ...LIMITS.seed,
        step: 1,
        onCommit: (value) => handlers.change({ seed: value }),
      }),
      selectField({
        id: 'dtype',
        label: c.dtype,
        value: state.dtype,
        options: [
          { value: 'float32', label: 'float32' },
          { value: 'float64', label: 'float64' },
        ],
        onChange: (value) => handlers.change({ dtype: value as ExplorerState['dtype'] }),
      }),
    ),
  );

  const panel: ControlPanel = {
    element,
    showValidation(result) {
      expressionInput.setAttribute('aria-invalid', result && !result.ok ? 'true' : 'false');
      expressionStatus.textContent = result ? result.message : '';
      expressionStatus.className = `field-status ${result ? (result.ok ? 'ok' : 'error') : ''}`;
    },
    showWidthsError(message) {
      const input = element.querySelector<HTMLInputElement>('#widths');
      input?.setAttribute('aria-invalid', message ? 'true' : 'false');
      widthsStatus.textContent = message ?? '';
      widthsStatus.className = `field-status ${message ? 'error' : ''}`;
    },
  };
  return panel;
}

/** The α presets of the select: 1 (He et al. 2016), 1/√L, 0 (ReZero, Bachlechner et al. 2020). */
function alphaPreset(alpha: ExplorerState['alpha']): string {
  if (alpha === 'inv_sqrt_depth') return 'inv_sqrt_depth';
  if (alpha === 1 || alpha === 0) return String(alpha);
  return 'custom';
}

/** Residual blocks (α presets and value, β) and the normalization (kind, placement), and the plain comparison. */
function architectureGroup(state: ExplorerState, messages: ExplorerMessages, handlers: ControlHandlers): HTMLFieldSetElement {
  const c = messages.controls;
  const preset = alphaPreset(state.alpha);
  const alphaOptions = [
    { value: '1', label: c.alphaOne },
    { value: 'inv_sqrt_depth', label: c.alphaInvSqrtDepth },
    { value: '0', label: c.alphaZero },
  ];
  if (preset === 'custom') alphaOptions.push({ value: 'custom', label: `${c.alphaCustom} ${+effectiveAlpha(state).toPrecision(4)}` });
  return group(
    messages.groups.architecture,
    checkField('residual', c.residual, state.residual, (checked) => handlers.change(checked ? { residual: true, widths: null } : { residual: false })),
    state.residual && h('p', { id: 'residual-help', class: 'field-hint' }, c.residualHelp),
    state.residual &&
      selectField({
        id: 'alpha-preset',
        label: c.residualAlpha,
        value: preset,
        options: alphaOptions,
        onChange: (value) => {
          if (value === 'custom') return;
          handlers.change({ alpha: value === 'inv_sqrt_depth' ? 'inv_sqrt_depth' : Number(value) });
        },
      }),
    state.residual &&
      sliderField({
        id: 'alpha',
        label: c.alphaValue,
        value: effectiveAlpha(state),
        ...LIMITS.alpha,
        sliderMax: 2,
        step: 0.01,
        onChange: (value, live) => handlers.change({ alpha: value }, live),
      }),
    state.residual &&
      sliderField({
        id: 'beta',
        label: c.residualBeta,
        value: state.beta,
        ...LIMITS.beta,
        sliderMax: 2,
        step: 0.01,
        onChange: (value, live) => handlers.change({ beta: value }, live),
      }),
    selectField({
      id: 'normalization',
      label: c.normalization,
      value: state.normalization,
      options: [
        { value: 'none', label: c.normalizationNone },
        { value: 'layer_norm', label: 'layer_norm' },
        { value: 'rms_norm', label: 'rms_norm' },
      ],
      onChange: (value) => handlers.change({ normalization: value as NormalizationChoice }),
    }),
    state.normalization !== 'none' &&
      selectField({
        id: 'placement',
        label: c.placement,
        value: state.placement,
        options: [
          { value: 'pre', label: c.placementPre },
          { value: 'post', label: c.placementPost },
        ],
        onChange: (value) => handlers.change({ placement: value as ExplorerState['placement'] }),
      }),
    state.normalization !== 'none' && h('p', { id: 'normalization-help', class: 'field-hint' }, c.normalizationHelp),
    hasArchitecture(state) && checkField('compare-plain', c.comparePlain, state.comparePlain, (checked) => handlers.change({ comparePlain: checked })),
  );
}

function checkField(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  return h(
    'div',
    { class: 'field check' },
    h('input', { id, type: 'checkbox', checked, onchange: (event: Event) => onChange((event.target as HTMLInputElement).checked) }),
    h('label', { for: id }, label),
  );
}

function withCurrent(list: number[], current: number): number[] {
  return list.includes(current) ? list : [...list, current].sort((a, b) => a - b);
}

function group(legend: string, ...fields: (HTMLElement | null | false)[]): HTMLFieldSetElement {
  return h('fieldset', { class: 'group' }, h('legend', {}, legend), fields);
}

interface NumberFieldOptions {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  disabled?: boolean;
  hint?: string;
  onCommit(value: number): void;
}

/** A number input that commits on change (Enter, blur, spinner) when the value is in range. */
function numberField(options: NumberFieldOptions): HTMLElement {
  const hintId = `${options.id}-hint`;
  const input = h('input', {
    id: options.id,
    type: 'number',
    inputmode: 'decimal',
    value: String(options.value),
    min: options.min,
    max: options.max,
    step: options.step === 1 ? 1 : 'any',
    disabled: options.disabled,
    'aria-describedby': options.hint ? hintId : undefined,
    onchange: () => {
      const value = input.valueAsNumber;
      const valid = Number.isFinite(value) && value >= options.min && value <= options.max && (options.step !== 1 || Number.isInteger(value));
      input.setAttribute('aria-invalid', valid ? 'false' : 'true');
      if (valid) options.onCommit(value);
    },
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: options.id }, options.label),
    input,
    options.hint && h('p', { id: hintId, class: 'field-hint' }, options.hint),
  );
}

interface SliderFieldOptions extends Omit<NumberFieldOptions, 'onCommit'> {
  /** The slider's upper end (the number box accepts up to `max`). */
  sliderMax: number;
  onChange(value: number, live: boolean): void;
}

/** A slider with a number box beside it, both labelled; the slider updates live while dragged. */
function sliderField(options: SliderFieldOptions): HTMLElement {
  const numberId = `${options.id}-value`;
  const hintId = `${options.id}-hint`;
  const slider = h('input', {
    id: options.id,
    type: 'range',
    min: options.min,
    max: Math.max(options.sliderMax, options.value),
    step: options.step,
    value: String(options.value),
    disabled: options.disabled,
    'aria-describedby': options.hint ? hintId : undefined,
    oninput: () => {
      box.value = slider.value;
      options.onChange(Number(slider.value), true);
    },
    onchange: () => options.onChange(Number(slider.value), false),
  });
  const box = h('input', {
    id: numberId,
    type: 'number',
    inputmode: 'decimal',
    class: 'slider-value',
    value: String(+options.value.toPrecision(6)),
    min: options.min,
    max: options.max,
    step: 'any',
    disabled: options.disabled,
    'aria-label': options.label,
    onchange: () => {
      const value = box.valueAsNumber;
      const valid = Number.isFinite(value) && value >= options.min && value <= options.max && (options.step !== 1 || Number.isInteger(value));
      box.setAttribute('aria-invalid', valid ? 'false' : 'true');
      if (!valid) return;
      slider.value = String(value);
      options.onChange(value, false);
    },
  });
  return h(
    'div',
    { class: `field slider${options.disabled ? ' disabled' : ''}` },
    h('label', { for: options.id }, options.label),
    h('div', { class: 'slider-row' }, slider, box),
    options.hint && h('p', { id: hintId, class: 'field-hint' }, options.hint),
  );
}

interface SelectFieldOptions {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange(value: string): void;
}

function selectField(options: SelectFieldOptions): HTMLElement {
  const known = options.options.some((option) => option.value === options.value);
  const list = known ? options.options : [...options.options, { value: options.value, label: options.value }];
  return h(
    'div',
    { class: 'field' },
    h('label', { for: options.id }, options.label),
    h(
      'select',
      { id: options.id, onchange: (event: Event) => options.onChange((event.target as HTMLSelectElement).value) },
      list.map((option) => h('option', { value: option.value, selected: option.value === options.value }, option.label)),
    ),
  );
}
