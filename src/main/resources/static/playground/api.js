// The service's REST API as the page uses it: requests with an optional API key, RFC 9457 problems as
// errors, and operations run as jobs whose progress is read from their Server-Sent Events.
//
// The events are read with fetch rather than EventSource, because EventSource cannot send an
// Authorization header.

const KEY = 'score-sde.apiKey';

/** An API error: the problem document's title, detail and parameter, or a network failure. */
export class Problem extends Error {
  constructor(status, title, detail, parameter, type) {
    super(detail ? (title ? title + ': ' + detail : detail) : title || 'HTTP ' + status);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.parameter = parameter;
    this.type = type;
  }

  static async of(response) {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      // not JSON: a proxy's page or an empty body
    }
    if (body && (body.title || body.detail)) {
      return new Problem(response.status, body.title, body.detail, body.parameter || body.location, body.type);
    }
    return new Problem(response.status, 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : ''),
        null, null, null);
  }
}

export class Cancelled extends Error {}

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

// Who asks the user for a key when the API answers 401: set by the page; resolves when a key is entered.
let keyPrompt = async () => {
  throw new Problem(401, 'Unauthorized', 'this server needs an API key');
};

export function onKeyNeeded(prompt) {
  keyPrompt = prompt;
}

/**
 * fetch with the API key (if any) as a Bearer token. A 401 asks for a key and sends the request again
 * with it; any other status ≥ 400 is thrown as a Problem.
 */
export async function request(path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(options.headers || {});
    const key = apiKey();
    if (key) {
      headers.set('Authorization', 'Bearer ' + key);
    }
    let response;
    try {
      response = await fetch(path, {...options, headers});
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      throw new Problem(0, 'The server could not be reached', e.message);
    }
    if (response.status === 401 && attempt < 3) {
      const problem = await Problem.of(response);
      await keyPrompt(problem, key != null);
      continue;
    }
    if (!response.ok) {
      throw await Problem.of(response);
    }
    return response;
  }
}

export async function getJson(path) {
  return (await request(path, {headers: {Accept: 'application/json'}})).json();
}

export async function postJson(path, body) {
  return request(path, {method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body)});
}

/** Parses a text/event-stream body into {event, data} messages (the WHATWG "event stream" format). */
async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (true) {
      const {value, done} = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        let event = 'message';
        const data = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith('event:')) {
            event = line.slice(6).trim();
          } else if (line.startsWith('data:')) {
            data.push(line.slice(5).replace(/^ /, ''));
          }
        }
        if (data.length) {
          yield {event, data: JSON.parse(data.join('\n'))};
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Runs an operation as a job: POST …?async=true, then its events until it ends. Calls
 * listener.started(job, cancel) once and listener.progress({step, totalSteps, nfe, t}) per step; resolves
 * with the job's result, rejects with a Problem (failed) or Cancelled.
 */
export async function runJob(path, body, listener) {
  const submitted = await postJson(path + (path.includes('?') ? '&' : '?') + 'async=true', body);
  const job = await submitted.json();
  const location = submitted.headers.get('Location') || '/v1/jobs/' + job.id;
  const stream = new AbortController();
  const cancel = async () => {
    await request(location, {method: 'DELETE', headers: {Accept: 'application/json'}});
  };
  listener.started(job, cancel);
  let status = job.status;
  try {
    const response = await request(location + '/events', {headers: {Accept: 'text/event-stream'},
      signal: stream.signal});
    for await (const m of events(response)) {
      if (m.event === 'progress') {
        listener.progress(m.data);
      } else if (TERMINAL.has(m.event)) {
        status = m.event;
        break;
      }
    }
  } catch (e) {
    if (e instanceof Problem && e.status !== 0 && e.status < 500) {
      throw e;
    }
    // the stream broke (a proxy, a restart): fall back to polling below
  } finally {
    stream.abort();
  }
  for (;;) {
    const view = await getJson(location);
    if (view.progress) {
      listener.progress(view.progress);
    }
    if (view.status === 'succeeded') {
      return view.result;
    }
    if (view.status === 'cancelled') {
      throw new Cancelled(view.error || 'cancelled');
    }
    if (view.status === 'failed') {
      throw new Problem(500, 'The job failed', view.error || 'no reason given');
    }
    // still running: the event stream broke, or its end arrived a moment before the job's view changed
    await new Promise(resolve => setTimeout(resolve, TERMINAL.has(status) ? 50 : 400));
  }
}
