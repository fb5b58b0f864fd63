import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

// `npm run dev` serves the dashboard with hot reload and sends API calls to a running Faultline
// (FAULTLINE_ADMIN_URL, default http://127.0.0.1:8080). `npm run build` type-checks and writes
// dist/, which the platform jar serves at /. `npm test` runs the component tests in jsdom against
// the API answers recorded under src/test/fixtures.
declare const process: { env: Record<string, string | undefined> };
const admin = process.env.FAULTLINE_ADMIN_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets' },
  server: { proxy: { '/api': admin, '/healthz': admin } },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    testTimeout: 30_000,
  },
});
