/** The result of "Send test event": Partner Center's validation result, polled until it completes. */
import type { ValidationResult } from '../../partner-center/webhooks-client.ts';
import { type Html, html } from '../html.ts';

export function webhookTestPage(correlationId: string, result: ValidationResult | { error: string }): Html {
  const done = 'status' in result && result.status.toLowerCase() === 'completed';
  return html`<section id="test-result" class="card"${
    done || 'error' in result
      ? ''
      : html` hx-get="/webhooks/test/${encodeURIComponent(correlationId)}" hx-select="#test-result" hx-trigger="every 2s" hx-swap="outerHTML"`
  }>
<dl class="fields"><dt>Correlation id</dt><dd><code>${correlationId}</code></dd>
${
  'error' in result
    ? html`<dt>Result</dt><dd role="alert">${result.error}</dd>`
    : html`<dt>Status</dt><dd role="status">${result.status}${done ? '' : ' (this updates by itself)'}</dd>
${result.results.map(
  (entry) =>
    html`<dt>Delivery</dt><dd><code>${entry.responseCode}</code> ${entry.responseMessage} <span class="muted">${entry.dateTimeUtc}</span></dd>`,
)}`
}
</dl>
<p><a href="/webhooks/test/${encodeURIComponent(correlationId)}">Check again</a> · <a href="/">Back to the overview</a></p>
</section>`;
}
