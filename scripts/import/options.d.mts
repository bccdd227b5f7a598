// Types of options.mjs for the Worker tests that import it.
export declare const USAGE: string;
export declare class UsageError extends Error {}
export interface ImportCommand {
  from: string;
  uploads: string | null;
  remote: boolean;
  yes: boolean;
  dryRun: boolean;
  timeZone: string;
  persistTo: string | undefined;
}
export declare function options(argv: string[]): ImportCommand | { help: true };
export declare function checkOptions(values: Record<string, string | boolean | undefined>): ImportCommand | { help: true };
