import { createRouter } from '../../lib/create-router';
import { getHealth, getPing, getSysinfo } from './system.handlers';
import { healthcheck, ping, sysinfo } from './system.routes';

export const systemRouter = createRouter()
  .openapi(ping, getPing)
  .openapi(healthcheck, getHealth)
  .openapi(sysinfo, getSysinfo);
