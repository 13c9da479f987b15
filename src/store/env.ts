import path from 'node:path';
import { z } from 'zod';
import type { StoreOptions } from './store.js';

/** The store's part of the environment, shared by the app and the CLI. */
export const StoreEnvSchema = z.object({
  TFTSR_DATA_DIR: z.string().min(1).default('./data'),
  TFTSR_DB_KEY: z.string().min(1).optional(),
  TFTSR_DB_PLAINTEXT: z
    .enum(['0', '1', 'true', 'false', ''])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

export function storeOptionsFromEnv(env: NodeJS.ProcessEnv): Pick<StoreOptions, 'dataDir' | 'key' | 'plaintext'> {
  const result = StoreEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid store settings in the environment: ${problems}`);
  }
  return {
    dataDir: path.resolve(result.data.TFTSR_DATA_DIR),
    key: result.data.TFTSR_DB_KEY,
    plaintext: result.data.TFTSR_DB_PLAINTEXT,
  };
}
