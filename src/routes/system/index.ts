import { createRouter } from '../../lib/create-router';
import { getHealth, getSysinfo } from './system.handlers';
import { healthcheck, sysinfo } from './system.routes';

export const systemRouter = createRouter().openapi(healthcheck, getHealth).openapi(sysinfo, getSysinfo);
