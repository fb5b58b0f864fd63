// jsdom lacks what a browser has and these screens use: matchMedia, ResizeObserver, EventSource,
// and a 2D canvas (uPlot draws on one; without it the charts render their captions and notes only).
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { FakeEventSource } from './eventsource.ts';

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }),
});
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
class NoResize { observe() {} unobserve() {} disconnect() {} }
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = NoResize;
(globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource;

// A loaded CI machine can take more than the default second to render a screen: waits are for
// what eventually shows, so a longer bound only costs time when something is really missing.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  FakeEventSource.instances.length = 0;
  document.documentElement.classList.remove('dark');
});
