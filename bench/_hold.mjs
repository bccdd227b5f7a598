import { startWorker } from './worker.mjs';
const child = await startWorker({ state: '.wrangler/bench-scale-state', keep: true, vars: { SERVER_TIMING: 'on' } });
console.log('READY'); setInterval(() => {}, 1e6);
