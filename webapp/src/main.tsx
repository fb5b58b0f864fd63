import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.tsx';
import { makeQueryClient } from './queryClient.ts';
import { ToastProvider } from './components/toasts.tsx';
import './index.css';

// The theme before the first paint: the one chosen here before, else the system's.
const saved = (() => {
  try {
    return localStorage.getItem('faultline-theme');
  } catch {
    return null;
  }
})();
const dark = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
document.documentElement.classList.toggle('dark', dark);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={makeQueryClient()}>
      <BrowserRouter>
        <ToastProvider>
          <App />
        </ToastProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
