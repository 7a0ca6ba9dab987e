import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-VS-Code suite (code-server + Chromium) runs with `npm run test:vscode` (vitest.vscode.config.mts).
    exclude: ['**/node_modules/**', '**/dist/**', 'test/vscode/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
