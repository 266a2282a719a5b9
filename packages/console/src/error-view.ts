import type { PgshiftError } from '@pgshift/plugin-api';
import { html } from 'hono/html';

/** What a page shows of a failed action: code, message and remedy, masked; never a stack trace. */
export interface ErrorView {
  code: string;
  message: string;
  remedy?: string;
}

/** An error as the page shows it; `mask` hides any secret the text may carry. */
export function errorView(error: unknown, mask: (text: string) => string = (t) => t): ErrorView {
  const e = error as Partial<PgshiftError> & { message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : 'PGSHIFT_CONSOLE_ERROR',
    message: mask(typeof e.message === 'string' ? e.message : String(error)),
    ...(typeof e.remedy === 'string' ? { remedy: mask(e.remedy) } : {}),
  };
}

export function renderError(view: ErrorView | undefined) {
  if (!view) return '';
  return html`<div class="error" role="alert" data-error="${view.code}">
<p>${view.message}</p>
${view.remedy ? html`<p>Remedy: ${view.remedy}</p>` : ''}
</div>`;
}
