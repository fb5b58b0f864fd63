import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

// `npm run dev` serves the dashboard with hot reload and sends API calls to a running Faultline
// (FAULTLINE_ADMIN_URL, default http://127.0.0.1:8080). `npm run build` writes dist/, which the
// platform jar serves at /.
const admin = process.env.FAULTLINE_ADMIN_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets' },
  server: { proxy: { '/api': admin, '/healthz': admin } },
});
