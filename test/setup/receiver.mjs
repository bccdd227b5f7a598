// The tests' stand-in for the internet (miniflare's outbound service): every
// fetch the Worker makes to another host lands here. It records each request
// per URL and answers with the replies a test scripted for that URL (200 when
// none is left). Tests talk to it on the control host `receiver.control`:
//   POST /script   {url, replies: [{status, headers?, body?, delayMs?}]}
//   GET  /received?url=…   → the requests that URL got, oldest first
const received = new Map();
const scripts = new Map();

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.host === 'receiver.control') {
      if (url.pathname === '/script') {
        const { url: target, replies } = await request.json();
        scripts.set(target, [...(scripts.get(target) ?? []), ...replies]);
        return Response.json({ ok: true });
      }
      return Response.json(received.get(url.searchParams.get('url')) ?? []);
    }
    const key = request.url;
    const body = await request.text();
    received.set(key, [
      ...(received.get(key) ?? []),
      { method: request.method, url: key, headers: Object.fromEntries(request.headers), body },
    ]);
    const reply = scripts.get(key)?.shift() ?? { status: 200, body: 'ok' };
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    return new Response(reply.body ?? null, { status: reply.status, headers: reply.headers ?? {} });
  },
};
