// Types of local-admin.mjs for the Worker tests that import it.
export declare const LOCAL_ADMIN_EMAIL: string;
export type LocalAdminPlan =
  | { refused: string }
  | { refused?: undefined; email: string; password: string; generated: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string } };
export declare function localAdminPlan(vars: Record<string, string | undefined>, randomPassword: () => string): LocalAdminPlan;
