import { createRouter } from '../../lib/create-router';
import * as authHandlers from './auth.handlers';
import * as authRoutes from './auth.routes';
import * as twoFactorHandlers from './two-factor.handlers';
import * as twoFactorRoutes from './two-factor.routes';

export const authRouter = createRouter()
  .openapi(authRoutes.register, authHandlers.register)
  .openapi(authRoutes.login, authHandlers.login)
  .openapi(authRoutes.forgotPassword, authHandlers.forgotPassword)
  .openapi(twoFactorRoutes.setupTwoFactor, twoFactorHandlers.setupTwoFactor)
  .openapi(twoFactorRoutes.activateTwoFactor, twoFactorHandlers.activateTwoFactor)
  .openapi(twoFactorRoutes.disableTwoFactor, twoFactorHandlers.disableTwoFactor)
  // Aliases the existing web frontends call.
  .openapi(
    {
      ...authRoutes.register,
      path: '/register',
      operationId: 'registerAlias',
      summary: `${authRoutes.register.summary} (alias)`,
    },
    authHandlers.register,
  )
  .openapi(
    { ...authRoutes.login, path: '/login', operationId: 'loginAlias', summary: `${authRoutes.login.summary} (alias)` },
    authHandlers.login,
  );
