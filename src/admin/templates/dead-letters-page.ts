/**
 * Dead letters: filter by reason, replay one (its row's button), the ticked ones, or every dead letter of
 * a reason after a confirmation page. One form, so the keyboard reaches every control in reading order.
 */
import type { DeadLetter } from '../../store/ports.ts';
import { type Html, html } from '../html.ts';
import { when } from './layout.ts';

export type DeadLettersView = {
  reason: string | undefined;
  byCode: Record<string, number>;
  letters: DeadLetter[];
  /** Names of the listed referrals, by key, when the connector has read them. */
  names: Map<string, string>;
  replayed: number | undefined;
  now: number;
};

export function deadLettersPage(view: DeadLettersView, csrfToken: string): Html {
  const codes = Object.entries(view.byCode).sort((a, b) => b[1] - a[1]);
  return html`${
    view.replayed === undefined
      ? ''
      : html`<p class="notice" role="status">Replayed ${view.replayed} ${view.replayed === 1 ? 'referral' : 'referrals'}: ${
          view.replayed === 0
            ? 'nothing was dead-lettered any more.'
            : 'each syncs again with fresh attempts.'
        }</p>`
  }
<form class="filters" method="get" action="/dead-letters">
<label>Reason <select name="reason"><option value="">Any</option>${codes.map(
    ([code, count]) =>
      html`<option value="${code}"${view.reason === code ? html` selected` : ''}>${code} (${count})</option>`,
  )}</select></label>
<button type="submit" class="secondary">Show</button>
${
  view.reason && (view.byCode[view.reason] ?? 0) > 0
    ? html`<a class="button" href="/dead-letters/replay-reason?reason=${encodeURIComponent(view.reason)}">Replay all ${view.byCode[view.reason]} with reason ${view.reason}…</a>`
    : ''
}
</form>
${
  view.letters.length === 0
    ? html`<p>No dead letters${view.reason ? html` with reason <code>${view.reason}</code>` : ''}.</p>`
    : html`<form method="post" action="/dead-letters/replay">
<input type="hidden" name="_csrf" value="${csrfToken}">
<table>
<caption>${view.letters.length} dead ${view.letters.length === 1 ? 'letter' : 'letters'}, newest first</caption>
<thead><tr><th scope="col"><span class="sr-only">Select</span></th><th scope="col">Referral</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Attempts</th><th scope="col">Dead since</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>${view.letters.map((letter) => {
        const name = view.names.get(letter.referralId) ?? letter.referralId;
        return html`<tr>
<td><input type="checkbox" name="referralId" value="${letter.referralId}" id="pick-${letter.jobId}" aria-label="Select ${name}"></td>
<td><a href="/referrals/${encodeURIComponent(letter.referralId)}">${name}</a><br><code class="muted">${letter.referralId}</code></td>
<td><code>${letter.error.code}</code></td>
<td>${letter.error.message}</td>
<td>${letter.attempts}</td>
<td>${when(letter.deadAt.toISOString(), view.now)}</td>
<td><button type="submit" name="only" value="${letter.referralId}" class="secondary" aria-label="Replay ${name}">Replay</button></td>
</tr>`;
      })}</tbody></table>
<div class="actions"><button type="submit">Replay selected</button></div>
</form>`
}`;
}

export function confirmReplayPage(reason: string, count: number, csrfToken: string): Html {
  return html`<p>Replay all <strong>${count}</strong> dead ${count === 1 ? 'letter' : 'letters'} with reason <code>${reason}</code>? Each referral syncs again with fresh attempts; those whose cause is not fixed will end up here again.</p>
<form method="post" action="/dead-letters/replay-reason" class="actions">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="reason" value="${reason}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">Replay ${count}</button>
<a href="/dead-letters?reason=${encodeURIComponent(reason)}">Cancel</a>
</form>`;
}
