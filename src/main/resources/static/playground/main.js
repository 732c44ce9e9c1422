// The playground: pick a served model, then sample, inpaint, colorize, interpolate or measure bits/dim.
// Every run is an asynchronous job followed through its Server-Sent Events (api.js), so the page stays
// usable while it runs, and several panels may run at once.

import * as api from './api.js';
import {MaskEditor} from './mask.js';
import {base64Png, draw, fromBase64Png, fromFile, toGray, withChannels} from './pixels.js';
import {JobView, SAMPLER_NAMES, cell, describe, el, formBody, pendingCells, samplerFields} from './ui.js';

const $ = id => document.getElementById(id);

const state = {
  models: [],
  model: null,     // the selected model's description (GET /v1/models)
  picked: null,    // {picture, label, model}
  inputs: {},      // target → picture: inpaint, colorize (the colour original), interpolate-a/-b, likelihood
};

// --- API key -------------------------------------------------------------------------------------------

let keyWaiters = [];

api.onKeyNeeded((problem, hadKey) => new Promise((resolve, reject) => {
  keyWaiters.push({resolve, reject});
  $('key-reason').textContent = hadKey
    ? 'The key was refused' + (problem.detail ? ': ' + problem.detail : '.') + ' Enter another.'
    : 'This server needs an API key' + (problem.detail ? ' (' + problem.detail + ')' : '') + '.';
  $('key-panel').hidden = false;
  $('key-input').focus();
}));

$('key-form').addEventListener('submit', e => {
  e.preventDefault();
  api.setApiKey($('key-input').value.trim());
  $('key-input').value = '';
  $('key-panel').hidden = true;
  const waiting = keyWaiters;
  keyWaiters = [];
  waiting.forEach(w => w.resolve());
});

$('key-forget').addEventListener('click', () => {
  api.setApiKey(null);
  $('key-reason').textContent = 'The key is forgotten; the next request that needs one asks again.';
});

// --- models --------------------------------------------------------------------------------------------

function side(m) {
  return m.shape.originalSize || m.shape.size;
}

async function loadModels() {
  $('model-status').textContent = 'Loading the models…';
  try {
    state.models = await api.getJson('/v1/models');
  } catch (e) {
    $('model-status').textContent = 'The model list could not be read: ' + e.message;
    return;
  }
  const select = $('model');
  const previous = select.value || new URLSearchParams(location.search).get('model');
  select.replaceChildren(...state.models.map(m => el('option', {value: m.name, disabled: m.status !== 'ready',
    text: m.name + (m.status === 'ready' ? '' : ' (' + m.status + ')')})));
  const ready = state.models.filter(m => m.status === 'ready');
  const choice = ready.find(m => m.name === previous) || ready[0];
  if (!choice) {
    const loading = state.models.some(m => m.status === 'loading');
    $('model-status').textContent = loading ? 'The models are still loading; reload the list in a moment.'
        : 'No model is ready.';
    if (loading) {
      setTimeout(loadModels, 2000);
    }
    return;
  }
  select.value = choice.name;
  selectModel(choice);
}

$('model').addEventListener('change', () => selectModel(state.models.find(m => m.name === $('model').value)));
$('reload-models').addEventListener('click', loadModels);

function selectModel(m) {
  const old = state.model;
  state.model = m;
  $('model-status').textContent = m.name + ' is ready.';
  const others = state.models.filter(x => x.status !== 'ready');
  $('not-served').hidden = others.length === 0;
  $('not-served').querySelector('summary').textContent = others.length + ' other model'
      + (others.length === 1 ? ' is' : 's are') + ' not served';
  $('not-served').querySelector('ul').replaceChildren(...others.map(x => el('li', {text: x.name + ': ' + x.status
      + (x.error ? ' (' + x.error + ')' : '')})));
  showModelInfo(m);
  for (const fs of document.querySelectorAll('.sampler-fields')) {
    samplerFields(fs, m, {n: fs.dataset.prefix === 'sample' ? 4 : 3, measurement: fs.dataset.measurement === 'true'});
  }
  fillSelect($('sample-class'), m.classNames || [], 'unconditional');
  fillSelect($('sample-guidance-mode'), (m.allowed && m.allowed.guidanceModes) || [], 'model default');
  document.querySelector('#sample-form .class-fields').hidden = !(m.classNames && m.classNames.length);
  fillSelect($('interpolate-method'), (m.allowed && m.allowed.methods) || ['slerp', 'linear'], null);
  fillSelect($('likelihood-estimator'), (m.allowed && m.allowed.estimators) || [], 'rademacher');
  for (const tab of document.querySelectorAll('[role=tab]')) {
    const supported = m.operations.includes(tab.dataset.op);
    tab.disabled = !supported;
    tab.title = supported ? '' : m.name + ' does not support ' + tab.dataset.op;
  }
  const current = document.querySelector('[role=tab][aria-selected=true]');
  if (!current || current.disabled) {
    selectTab($('tab-sample'), false);
  }
  if (!old || side(old) !== side(m) || old.shape.channels !== m.shape.channels) {
    resetInputs();
  }
}

function fillSelect(select, values, defaultLabel) {
  const keep = select.value;
  select.replaceChildren(...(defaultLabel ? [el('option', {value: '', text: defaultLabel})] : []),
      ...values.map(v => el('option', {value: v, text: v})));
  if (values.includes(keep)) {
    select.value = keep;
  }
}

function showModelInfo(m) {
  const shape = m.shape;
  $('model-description').textContent = m.description && m.description !== m.name ? m.description : '';
  // whole multiples of the image's pixels, so that enlarged pixels all have the same size
  const s = side(m);
  document.documentElement.style.setProperty('--cell', s * Math.max(1, Math.round(96 / s)) + 'px');
  document.documentElement.style.setProperty('--mask', s * Math.max(1, Math.floor(256 / s)) + 'px');
  const rows = [
    ['SDE', m.sde && (m.sde.kind.toUpperCase() + ', N = ' + m.sde.steps)],
    ['Data', shape.channels + ' × ' + s + ' × ' + s + (shape.size !== s ? ' (padded to ' + shape.size + ')' : '')
        + (shape.channels === 1 ? ', gray' : ', colour')],
    ['Classes', m.classNames && m.classNames.length ? m.classNames.join(', ') : 'none (unconditional)'],
    ['Guidance', m.allowed && m.allowed.guidanceModes.length ? m.allowed.guidanceModes.join(', ') : 'none'],
    ['Operations', m.operations.join(', ')],
    ['Default sampler', m.samplerDefaults && (m.samplerDefaults.sampler + ', ' + m.samplerDefaults.steps + ' steps'
        + (m.samplerDefaults.corrector !== 'none' ? ', corrector ' + m.samplerDefaults.corrector : ''))],
  ];
  $('model-info').replaceChildren(...rows.filter(r => r[1]).flatMap(([k, v]) => [el('dt', {text: k}),
    el('dd', {text: v})]));
}

// --- tabs (the WAI-ARIA tabs pattern: arrow keys move, Home/End jump) ----------------------------------

const tabs = [...document.querySelectorAll('[role=tab]')];

function selectTab(tab, focus = true) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
  }
  if (focus) {
    tab.focus();
  }
}

for (const t of tabs) {
  t.addEventListener('click', () => selectTab(t));
  t.addEventListener('keydown', e => {
    const enabled = tabs.filter(x => !x.disabled);
    const i = enabled.indexOf(t);
    const to = {ArrowRight: enabled[(i + 1) % enabled.length], ArrowLeft: enabled[(i - 1 + enabled.length)
        % enabled.length], Home: enabled[0], End: enabled[enabled.length - 1]}[e.key];
    if (to) {
      e.preventDefault();
      selectTab(to);
    }
  });
}

// --- inputs: uploads and the picked image --------------------------------------------------------------

const mask = new MaskEditor($('inpaint-canvas'), (fill, total) => {
  $('inpaint-mask-count').textContent = fill + ' of ' + total + ' pixels to fill in.';
});
for (const r of document.querySelectorAll('#inpaint-form input[name=tool]')) {
  r.addEventListener('change', () => {
    mask.tool = r.value;
  });
}
$('inpaint-brush').addEventListener('input', () => {
  mask.radius = Number($('inpaint-brush').value);
  $('inpaint-brush-value').textContent = $('inpaint-brush').value;
});
$('mask-clear').addEventListener('click', () => mask.clear());
$('mask-invert').addEventListener('click', () => mask.invert());
$('mask-left').addEventListener('click', () => mask.leftHalf());
$('mask-centre').addEventListener('click', () => mask.centre());

function resetInputs() {
  state.inputs = {};
  const s = side(state.model);
  for (const id of ['colorize-original', 'colorize-gray', 'interpolate-a', 'interpolate-b', 'likelihood-image']) {
    const c = $(id);
    c.width = c.height = s;
    c.getContext('2d').clearRect(0, 0, s, s);
  }
  const c = $('inpaint-canvas');
  c.width = c.height = s;
  mask.image = null;
  $('inpaint-mask-count').textContent = 'No image yet: upload one or use a picked result.';
  const brush = $('inpaint-brush');
  brush.max = String(Math.max(1, Math.floor(s / 4)));
  brush.value = String(Math.max(0, Math.round(s / 12)));
  brush.dispatchEvent(new Event('input'));
}

/** Sets an input picture (converted to the model's channels; colorize keeps colour for the original). */
function setInput(target, p) {
  const m = state.model;
  if (target === 'colorize') {
    const colour = withChannels(p, 3);
    state.inputs.colorize = colour;
    draw(colour, $('colorize-original'));
    draw(toGray(colour), $('colorize-gray'));
    return;
  }
  p = withChannels(p, m.shape.channels);
  state.inputs[target] = p;
  if (target === 'inpaint') {
    mask.setImage(p);
  } else {
    draw(p, $({likelihood: 'likelihood-image', 'interpolate-a': 'interpolate-a', 'interpolate-b': 'interpolate-b'}[target]));
  }
}

const FILES = {'inpaint-file': 'inpaint', 'colorize-file': 'colorize', 'interpolate-file-a': 'interpolate-a',
  'interpolate-file-b': 'interpolate-b', 'likelihood-file': 'likelihood'};

for (const [id, target] of Object.entries(FILES)) {
  $(id).addEventListener('change', async () => {
    const file = $(id).files[0];
    if (!file) {
      return;
    }
    try {
      setInput(target, await fromFile(file, side(state.model), target === 'colorize' ? 3 : state.model.shape.channels));
    } catch (e) {
      viewOf(target).showProblem(new api.Problem(0, 'Not an image', file.name + ' could not be read as an image'));
    }
  });
}

for (const b of document.querySelectorAll('.use-picked')) {
  b.addEventListener('click', () => {
    const target = b.dataset.target;
    const p = state.picked;
    if (!p) {
      viewOf(target).showProblem(new api.Problem(0, 'Nothing picked', 'click a result image first'));
      return;
    }
    if (p.picture.width !== side(state.model)) {
      viewOf(target).showProblem(new api.Problem(0, 'Wrong size', 'the picked image is ' + p.picture.width + '×'
          + p.picture.height + ', ' + state.model.name + ' takes ' + side(state.model) + '×' + side(state.model)));
      return;
    }
    viewOf(target).clearProblem();
    setInput(target, p.picture);
  });
}

async function pick(button, b64, label, channels) {
  const picture = await fromBase64Png(b64, channels);
  state.picked = {picture, label, model: state.model.name};
  for (const b of document.querySelectorAll('.pick.is-picked')) {
    b.classList.remove('is-picked');
    b.setAttribute('aria-pressed', 'false');
  }
  button.classList.add('is-picked');
  button.setAttribute('aria-pressed', 'true');
  $('picked').replaceChildren(el('img', {src: 'data:image/png;base64,' + b64, alt: 'picked: ' + label}),
      el('figcaption', {text: label}));
}

/** Result images as pickable cells; label(i) names image i (alt text), caption(i) is shown under it. */
function resultCells(grid, images, label, channels, caption = label) {
  grid.replaceChildren(...images.map((b64, i) => cell(label(i), 'data:image/png;base64,' + b64,
      button => pick(button, b64, label(i), channels), caption(i))));
}

// --- operations ----------------------------------------------------------------------------------------

const views = {
  sample: new JobView($('sample-job'), $('sample-form')),
  inpaint: new JobView($('inpaint-job'), $('inpaint-form')),
  colorize: new JobView($('colorize-job'), $('colorize-form')),
  interpolate: new JobView($('interpolate-job'), $('interpolate-form')),
  likelihood: new JobView($('likelihood-job'), $('likelihood-form')),
};

function viewOf(target) {
  return views[target.replace(/-[ab]$/, '')];
}

function path(op) {
  return '/v1/models/' + encodeURIComponent(state.model.name) + '/' + op;
}

function need(view, picture, what) {
  if (!picture) {
    view.showProblem(new api.Problem(0, 'No ' + what, 'upload one or use a picked result first'));
  }
  return picture;
}

function tolerance(form, body) {
  const t = form.elements.namedItem('tolerance');
  if (t.value !== '') {
    body.rtol = body.atol = Number(t.value);
  }
  return body;
}

$('sample-form').addEventListener('submit', async e => {
  e.preventDefault();
  const form = e.target;
  const body = formBody(form, [...SAMPLER_NAMES, 'classLabel', 'guidance', 'guidanceMode']);
  const model = state.model;
  const n = Number.isInteger(body.n) && body.n > 0 && body.n <= 64 ? body.n : 1;
  const grid = $('sample-grid');
  pendingCells(grid, n);
  $('sample-meta').textContent = '';
  const result = await views.sample.track(l => api.runJob(path('samples'), body, l));
  if (!result) {
    grid.replaceChildren();
    return;
  }
  const seed = result.metadata && result.metadata.seed;
  resultCells(grid, result.images, i => 'sample ' + (i + 1) + (seed != null ? ' of seed ' + seed : ''),
      model.shape.channels, i => String(i + 1));
  $('sample-meta').textContent = describe(result.metadata);
});

$('inpaint-form').addEventListener('submit', async e => {
  e.preventDefault();
  const view = views.inpaint;
  const image = need(view, state.inputs.inpaint, 'image');
  if (!image) {
    return;
  }
  const body = {image: base64Png(image), mask: base64Png(mask.maskPicture()),
    ...formBody(e.target, [...SAMPLER_NAMES, 'guidance'])};
  const channels = state.model.shape.channels;
  const sent = document.createElement('canvas'); // the masked input as sent, beside its completions
  sent.width = sent.height = image.width;
  sent.getContext('2d').drawImage($('inpaint-canvas'), 0, 0);
  pendingCells($('inpaint-grid'), body.n || 1);
  const result = await view.track(l => api.runJob(path('inpaint'), body, l));
  if (!result) {
    $('inpaint-grid').replaceChildren();
    return;
  }
  resultCells($('inpaint-grid'), result.images, i => 'completion ' + (i + 1), channels, i => String(i + 1));
  const masked = el('figure', {class: 'cell reference'}, el('img', {src: sent.toDataURL(), alt: 'the input, the part'
      + ' filled in painted red'}), el('figcaption', {text: 'input and mask'}));
  $('inpaint-grid').prepend(masked);
  $('inpaint-meta').textContent = describe(result.metadata);
});

$('colorize-form').addEventListener('submit', async e => {
  e.preventDefault();
  const view = views.colorize;
  const original = need(view, state.inputs.colorize, 'photo');
  if (!original) {
    return;
  }
  const gray = toGray(original);
  const body = {image: base64Png(gray), ...formBody(e.target, [...SAMPLER_NAMES, 'guidance'])};
  const grid = $('colorize-grid');
  pendingCells(grid, body.n || 1);
  const result = await view.track(l => api.runJob(path('colorize'), body, l));
  if (!result) {
    grid.replaceChildren();
    return;
  }
  resultCells(grid, result.images, i => 'colorized ' + (i + 1), 3, i => String(i + 1));
  const ref = (label, p) => cell(label, 'data:image/png;base64,' + base64Png(p), button => pick(button,
      base64Png(p), label, 3));
  grid.prepend(ref('original', original), ref('gray input', withChannels(gray, 3)));
  grid.firstChild.classList.add('reference');
  grid.children[1].classList.add('reference');
  $('colorize-meta').textContent = describe(result.metadata);
});

for (const r of document.querySelectorAll('#interpolate-form input[name=ends]')) {
  r.addEventListener('change', () => {
    const seeds = r.value === 'seeds' && r.checked || r.value === 'images' && !r.checked;
    document.querySelector('#interpolate-form .ends-seeds').hidden = !seeds;
    document.querySelector('#interpolate-form .ends-images').hidden = seeds;
  });
}

$('interpolate-form').addEventListener('submit', async e => {
  e.preventDefault();
  const form = e.target;
  const view = views.interpolate;
  const body = tolerance(form, formBody(form, ['frames', 'method']));
  if (form.elements.namedItem('ends').value === 'images') {
    const a = need(view, state.inputs['interpolate-a'], 'image A');
    const b = a && need(view, state.inputs['interpolate-b'], 'image B');
    if (!b) {
      return;
    }
    body.imageA = base64Png(a);
    body.imageB = base64Png(b);
  } else {
    Object.assign(body, formBody(form, ['seedA', 'seedB']));
  }
  $('interpolate-viewer').hidden = true;
  pendingCells($('interpolate-strip'), Number.isInteger(body.frames) && body.frames <= 64 ? body.frames : 8);
  const result = await view.track(l => api.runJob(path('interpolate'), body, l));
  if (!result) {
    $('interpolate-strip').replaceChildren();
    return;
  }
  const frames = result.images;
  resultCells($('interpolate-strip'), frames, i => 'frame ' + (i + 1), state.model.shape.channels, i => String(i + 1));
  const slider = $('interpolate-slider');
  slider.max = String(frames.length - 1);
  slider.value = '0';
  const show = () => {
    const i = Number(slider.value);
    $('interpolate-frame').src = 'data:image/png;base64,' + frames[i];
    $('interpolate-frame').alt = 'frame ' + (i + 1) + ' of ' + frames.length;
    $('interpolate-slider-value').textContent = (i + 1) + ' of ' + frames.length + ' (λ = '
        + (i / (frames.length - 1)).toFixed(2) + ')';
  };
  slider.oninput = show;
  show();
  $('interpolate-viewer').hidden = false;
  $('interpolate-meta').textContent = describe(result.metadata);
});

$('likelihood-form').addEventListener('submit', async e => {
  e.preventDefault();
  const view = views.likelihood;
  const image = need(view, state.inputs.likelihood, 'image');
  if (!image) {
    return;
  }
  const body = tolerance(e.target, {images: [base64Png(image)], ...formBody(e.target, ['estimator', 'probes', 'seed'])});
  $('likelihood-result').textContent = '';
  const result = await view.track(l => api.runJob(path('likelihood'), body, l));
  if (!result) {
    return;
  }
  const md = result.metadata;
  const bpd = md.bitsPerDim[0];
  const se = md.standardError && md.standardError[0];
  $('likelihood-result').textContent = bpd.toFixed(3) + ' bits/dim' + (se ? ' ± ' + se.toFixed(3) : '');
  $('likelihood-meta').textContent = [md.estimator === 'exact' ? 'exact divergence'
      : md.estimator + ' estimator, ' + md.probes + ' probe' + (md.probes === 1 ? '' : 's'),
  'NFE ' + md.nfe, 'seed ' + md.seed, (md.wallTimeMs / 1000).toFixed(2) + ' s'].join(' · ');
});

selectTab($('tab-sample'), false);
loadModels();
