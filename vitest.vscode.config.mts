import { defineConfig } from 'vitest/config';

// The real-VS-Code suite: code-server (installed by scripts/setup-code-server.sh) driven by Debian Chromium.
export default defineConfig({
  test: {
    include: ['test/vscode/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
