import { createRouter } from '../../lib/create-router';
import { postLogin, postRegister } from './auth.handlers';
import { login, register } from './auth.routes';

export const authRouter = createRouter()
  .openapi(register, postRegister)
  .openapi(login, postLogin)
  // Aliases the existing web frontends call.
  .openapi({ ...register, path: '/register', summary: `${register.summary} (alias)` }, postRegister)
  .openapi({ ...login, path: '/login', summary: `${login.summary} (alias)` }, postLogin);
