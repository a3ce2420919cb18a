import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w console` proxies the API to a server on :8080, so the session cookie and the
// origin check see one origin, as they do when the server serves the built files.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
