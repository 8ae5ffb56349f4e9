import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AREAS } from './app/areas';
import { SessionProvider } from './auth/session';
import { initI18n } from './i18n/i18n';
import './styles.css';

initI18n(AREAS);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
