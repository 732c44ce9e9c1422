// Small pieces of the page: an element builder, a job's progress bar with its cancel button, result grids,
// and the sampler fields shared by sample, inpaint and colorize.

import {Cancelled, Problem} from './api.js';

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k === 'text') {
      e.textContent = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children) {
    if (c != null) {
      e.append(c);
    }
  }
  return e;
}

function seconds(ms) {
  return ms == null ? null : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
}

/** One line of a result's metadata: sampler, steps, NFE, seed, time. */
export function describe(md) {
  if (!md) {
    return '';
  }
  const parts = [];
  if (md.sampler) {
    parts.push(md.sampler + (md.corrector && md.corrector !== 'none' ? ' + ' + md.corrector : ''));
  }
  if (md.steps != null) {
    parts.push(md.steps + ' steps');
  }
  if (md.timeGrid && md.timeGrid !== 'uniform') {
    parts.push(md.timeGrid + ' grid');
  }
  if (md.nfe != null) {
    parts.push('NFE ' + md.nfe);
  }
  if (md.classLabel != null) {
    parts.push('class ' + md.classLabel);
  }
  if (md.guidance != null) {
    parts.push('guidance ' + md.guidance);
  }
  if (md.temperature != null && md.temperature !== 1) {
    parts.push('τ = ' + md.temperature);
  }
  if (md.seed != null) {
    parts.push('seed ' + md.seed);
  }
  if (md.wallTimeMs != null) {
    parts.push(seconds(md.wallTimeMs));
  }
  if (md.batchRows != null) {
    parts.push('batch of ' + md.batchRows + ' rows');
  }
  return parts.join(' · ');
}

/**
 * A job's progress bar, status line, cancel button and error text, inside container. The form's run button
 * is disabled while the job runs; the rest of the page stays usable.
 */
export class JobView {
  constructor(container, form) {
    this.form = form;
    this.run = form.querySelector('.run');
    this.container = container;
    const id = container.id;
    this.bar = el('progress', {id: id + '-progress', max: '1', value: '0', 'aria-label': 'Progress'});
    this.text = el('span', {class: 'job-text', id: id + '-text', role: 'status', 'aria-live': 'polite', text: 'Idle.'});
    this.cancelButton = el('button', {type: 'button', class: 'cancel', id: id + '-cancel', disabled: true,
      text: 'Cancel'});
    this.problem = el('p', {class: 'problem', id: id + '-problem', role: 'alert'});
    container.append(el('div', {class: 'row'}, this.bar, this.text, this.cancelButton), this.problem);
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.cancelFn = null;
    this.last = null;
  }

  /** Runs work(listener) and shows its life; resolves with its result or null when it failed. */
  async track(work) {
    this.clearProblem();
    this.run.disabled = true;
    this.bar.value = 0;
    this.bar.removeAttribute('data-done');
    this.text.textContent = 'Submitting…';
    this.last = null;
    try {
      const result = await work({
        started: (job, cancel) => {
          this.cancelFn = cancel;
          this.container.dataset.jobId = job.id;
          this.cancelButton.disabled = false;
          this.text.textContent = job.status === 'queued' ? 'Queued…' : 'Running…';
        },
        progress: p => this.progress(p),
      });
      this.bar.value = 1;
      this.bar.setAttribute('data-done', 'succeeded');
      const md = result && result.metadata;
      this.text.textContent = 'Done' + (md && md.nfe != null ? ': NFE ' + md.nfe : '')
          + (md && md.wallTimeMs != null ? ' in ' + seconds(md.wallTimeMs) : '') + '.';
      return result;
    } catch (e) {
      if (e instanceof Cancelled) {
        this.bar.setAttribute('data-done', 'cancelled');
        this.text.textContent = 'Cancelled' + (this.last ? ' at step ' + this.last.step + ' of '
            + this.last.totalSteps : '') + '.';
      } else {
        this.bar.setAttribute('data-done', 'failed');
        this.text.textContent = 'Failed.';
        this.showProblem(e);
      }
      return null;
    } finally {
      this.run.disabled = false;
      this.cancelButton.disabled = true;
      this.cancelFn = null;
    }
  }

  progress(p) {
    this.last = p;
    if (p.totalSteps > 0) {
      this.bar.value = Math.min(1, p.step / p.totalSteps);
    }
    this.text.textContent = 'Step ' + p.step + ' of ' + p.totalSteps + ' · NFE ' + p.nfe + ' · t = '
        + Number(p.t).toFixed(3);
  }

  async cancel() {
    if (!this.cancelFn) {
      return;
    }
    this.cancelButton.disabled = true;
    this.text.textContent = 'Cancelling…';
    try {
      await this.cancelFn();
    } catch (e) {
      // a job that ended meanwhile cannot be cancelled: its own end is shown
      if (!(e instanceof Problem && e.status === 409)) {
        this.showProblem(e);
      }
    }
  }

  clearProblem() {
    this.problem.textContent = '';
    for (const f of this.form.querySelectorAll('[aria-invalid]')) {
      f.removeAttribute('aria-invalid');
    }
  }

  /** A problem in words; the field it names (if this form has it) is marked invalid and focused. */
  showProblem(e) {
    const p = e instanceof Problem ? e : new Problem(0, 'Error', e.message || String(e));
    this.problem.textContent = '';
    this.problem.append(el('strong', {text: p.title || 'Error'}), p.detail ? ': ' + p.detail : '',
        p.parameter ? el('span', {class: 'parameter', text: ' (parameter: ' + p.parameter + ')'}) : null,
        p.status ? el('span', {class: 'status-code', text: ' [HTTP ' + p.status + ']'}) : null);
    const field = p.parameter && this.form.elements.namedItem(p.parameter.replace(/\[.*$/, ''));
    if (field && field.focus) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }
}

/**
 * A grid cell holding one image as a button (picking it as an input elsewhere); pending cells show the
 * grid's size while the job runs.
 */
export function cell(label, src, onPick, caption = label) {
  const img = el('img', {src, alt: label});
  const button = el('button', {type: 'button', class: 'pick', title: 'Pick ' + label + ' as input',
    'aria-label': 'Pick ' + label}, img);
  button.addEventListener('click', () => onPick(button));
  return el('figure', {class: 'cell'}, button, el('figcaption', {text: caption}));
}

export function pendingCells(grid, n) {
  grid.replaceChildren(...Array.from({length: n}, (_, i) => el('figure', {class: 'cell pending'},
      el('div', {class: 'placeholder', 'aria-hidden': 'true'}), el('figcaption', {text: String(i + 1)}))));
}

const FAST = new Set(['dpm-solver++2m', 'dpm-solver++3m', 'sde-dpm-solver++2m', 'heun', 'ddim']);

/** Fills a fieldset with the sampler fields for a model (sampler, steps, n, seed, temperature, …). */
export function samplerFields(fieldset, model, {n = 4, measurement = false} = {}) {
  const prefix = fieldset.dataset.prefix;
  const d = model.samplerDefaults || {};
  const a = model.allowed || {};
  const id = name => prefix + '-' + name;
  const field = (name, label, input, hint) => el('div', {class: 'field'}, el('label', {for: id(name), text: label}),
      input, hint ? el('span', {class: 'hint', id: id(name) + '-hint', text: hint}) : null);
  const number = (name, attrs) => el('input', {id: id(name), name, type: 'number', step: 'any',
    inputmode: 'decimal', ...attrs});
  const select = (name, options, def) => el('select', {id: id(name), name},
      el('option', {value: '', text: 'default (' + def + ')'}), ...options.map(o => el('option', {value: o, text: o})));

  const sampler = select('sampler', a.samplers || [], d.sampler);
  const steps = number('steps', {step: '1', min: a.steps && a.steps[0], max: a.steps && a.steps[1]});
  const stepsHint = el('span', {class: 'hint', id: id('steps') + '-hint'});
  steps.setAttribute('aria-describedby', stepsHint.id);
  const updateSteps = () => {
    const s = sampler.value || d.sampler;
    steps.placeholder = 'default: ' + (FAST.has(s) ? 20 : d.steps);
    stepsHint.textContent = FAST.has(s) ? 'solver steps' : s === 'ode' ? 'adaptive (ignored)' : 'predictor steps N';
  };
  sampler.addEventListener('change', updateSteps);
  updateSteps();

  const children = [
    field('sampler', 'Sampler', sampler),
    el('div', {class: 'field'}, el('label', {for: id('steps'), text: 'Steps'}), steps, stepsHint),
    field('n', 'Images (n)', number('n', {step: '1', value: String(n), min: 1, max: a.n && a.n[1]})),
    field('seed', 'Seed', number('seed', {step: '1', placeholder: 'random'})),
    field('temperature', 'Temperature τ', number('temperature', {placeholder: 'default: ' + (d.temperature ?? 1),
      min: 0, max: a.temperature && a.temperature[1]})),
  ];
  if (measurement) {
    children.push(field('guidance', 'Measurement guidance w', number('guidance', {min: 0, max: a.guidance
        && a.guidance[1], placeholder: 'default: ' + (d.measurementGuidanceWeight ?? 0)}),
    '0 = the paper\'s replacement alone'));
  }
  const more = el('details', {class: 'more'}, el('summary', {text: 'More sampler settings'}),
      el('div', {class: 'row wrap'},
          field('corrector', 'Corrector', select('corrector', a.correctors || [], d.corrector)),
          field('snr', 'Corrector SNR r', number('snr', {placeholder: 'default: ' + d.snr, min: 0})),
          field('timeGrid', 'Time grid', select('timeGrid', a.timeGrids || [], 'per sampler'))));
  const legend = fieldset.querySelector('legend');
  fieldset.replaceChildren(legend, el('div', {class: 'row wrap'}, ...children), more);
}

/**
 * A form's fields as a JSON body: empty fields are left out (the model's defaults apply); number inputs
 * become numbers, the rest strings.
 */
export function formBody(form, names) {
  const body = {};
  for (const name of names) {
    const f = form.elements.namedItem(name);
    if (!f || f.value === '' || f.closest('[hidden]')) {
      continue;
    }
    body[name] = f.type === 'number' ? Number(f.value) : f.value;
  }
  return body;
}

export const SAMPLER_NAMES = ['sampler', 'steps', 'n', 'seed', 'temperature', 'corrector', 'snr', 'timeGrid'];
