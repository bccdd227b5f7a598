import { createRouter } from '../../lib/create-router';
import { postForgotPassword, postLogin, postRegister } from './auth.handlers';
import { forgotPassword, login, register } from './auth.routes';
import { postActivateTwoFactor, postDisableTwoFactor, postSetupTwoFactor } from './two-factor.handlers';
import { activateTwoFactor, disableTwoFactor, setupTwoFactor } from './two-factor.routes';

export const authRouter = createRouter()
  .openapi(register, postRegister)
  .openapi(login, postLogin)
  .openapi(forgotPassword, postForgotPassword)
  .openapi(setupTwoFactor, postSetupTwoFactor)
  .openapi(activateTwoFactor, postActivateTwoFactor)
  .openapi(disableTwoFactor, postDisableTwoFactor)
  // Aliases the existing web frontends call.
  .openapi({ ...register, path: '/register', operationId: 'postRegisterAlias', summary: `${register.summary} (alias)` }, postRegister)
  .openapi({ ...login, path: '/login', operationId: 'postLoginAlias', summary: `${login.summary} (alias)` }, postLogin);
