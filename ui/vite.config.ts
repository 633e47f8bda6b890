/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The UI of the Broadsheet desktop app. Built into ui/dist, which the app embeds.
// The CSP (src-tauri/tauri.conf.json) allows no inline script or style: everything is emitted
// as files, and components set styles only through the CSSOM (style: directives).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
  // Component tests mount Svelte's browser build.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
}));
