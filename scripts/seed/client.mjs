// A small client of the local API for the seed: JSON and multipart calls
// whose failures read as the API's problem (status, code, detail).
export class ApiFailure extends Error {
  constructor(method, path, status, problem) {
    super(
      `${method} ${path} answered ${status}${problem?.code ? ` ${problem.code}` : ''}: ${problem?.detail ?? problem?.raw ?? ''}`.trim(),
    );
    this.status = status;
    this.code = problem?.code;
  }
}

/**
 * `as` names the demo person making the call: each gets its own client
 * address, as real members on their own devices would, so the per-IP
 * throttling of sign-ins counts each of them apart.
 */
export function apiClient(baseUrl, { timeoutMs = 30_000 } = {}) {
  const addresses = new Map();
  const addressOf = (who = 'seed') => {
    if (!addresses.has(who)) addresses.set(who, `127.0.${Math.floor(addresses.size / 250)}.${(addresses.size % 250) + 2}`);
    return addresses.get(who);
  };

  async function call(method, path, { token, body, form, as } = {}) {
    const headers = { 'CF-Connecting-IP': addressOf(as), Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (form) payload = form;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { raw: text.slice(0, 200) };
    }
    if (!res.ok) throw new ApiFailure(method, path, res.status, parsed);
    return parsed;
  }

  return {
    baseUrl,
    get: (path, options) => call('GET', path, options),
    post: (path, body, options) => call('POST', path, { ...options, body }),
    put: (path, body, options) => call('PUT', path, { ...options, body }),
    /** multipart/form-data: `fields` strings, `files` { field: { name, type, bytes } }. */
    upload: (path, { fields = {}, files = {} }, options) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      for (const [k, f] of Object.entries(files)) form.append(k, new Blob([f.bytes], { type: f.type }), f.name);
      return call('POST', path, { ...options, form });
    },
  };
}

/** The local API answering at `baseUrl`, if it is this project's; null if nothing answers. */
export async function probeApi(baseUrl) {
  try {
    const res = await fetch(`${baseUrl}/`, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(3_000) });
    const body = await res.json().catch(() => null);
    return { ours: res.ok && body?.name === 'Cake Planner API', status: res.status };
  } catch {
    return null;
  }
}
