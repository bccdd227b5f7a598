// Types of upload-folder.mjs for the Worker tests that import it.
import type { UploadFolder } from './photos.ts';

export declare function uploadFolder(dir: string): UploadFolder & { path(name: string): string };
