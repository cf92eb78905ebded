/** The console's pages and the actions on them (replay, test event). Every route needs a session. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toReferralKey } from '../core/domain.ts';
import type { CrmConfig } from '../crm/crm-config.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { WebhooksClient } from '../partner-center/webhooks-client.ts';
import { REFERRAL_OUTCOMES, type ReferralListQuery, type ReferralOutcome } from '../store/console-reads.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import { type Guard, protectChange, requireSession, safeReturnPath } from './auth-guard.ts';
import { type Html, html, toHtmlString } from './html.ts';
import { leadUrl } from './lead-links.ts';
import { confirmReplayPage, deadLettersPage } from './templates/dead-letters-page.ts';
import { layout, type PageFrame } from './templates/layout.ts';
import { type OverviewData, overviewPage } from './templates/overview-page.ts';
import { liveSection, type ReferralView, referralPage } from './templates/referral-page.ts';
import { referralsPage } from './templates/referrals-page.ts';
import { webhookTestPage } from './templates/webhook-test-page.ts';

const PAGE_SIZE = 50;
const DEAD_LETTERS_SHOWN = 200;

export type PageDependencies = {
  guard: Guard;
  store: Store;
  queue: JobQueue;
  referrals: Pick<ReferralsClient, 'urlOf'>;
  webhooks: Pick<WebhooksClient, 'sendTestEvent' | 'testEventResult'>;
  crmConfig: CrmConfig;
  overview: () => Promise<OverviewData>;
  now: () => number;
};

type IdParams = { Params: { id: string } };

export function registerPageRoutes(app: FastifyInstance, deps: PageDependencies): void {
  const { store, queue, guard } = deps;
  const signedIn = { preHandler: requireSession(guard) };
  const changing = { preHandler: [requireSession(guard), ...protectChange(app, guard)] };

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    frame: Pick<PageFrame, 'title' | 'section'>,
    content: (csrfToken: string) => Html,
    status = 200,
  ) => {
    const csrfToken = reply.generateCsrf();
    const page = layout({ ...frame, user: request.consoleSession?.user, csrfToken }, content(csrfToken));
    return reply.code(status).type('text/html; charset=utf-8').send(toHtmlString(page));
  };

  app.get('/', signedIn, async (request, reply) => {
    const data = await deps.overview();
    return send(request, reply, { title: 'Overview', section: '/' }, (csrf) => overviewPage(data, csrf));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/referrals',
    signedIn,
    async (request, reply) => {
      const query = listQuery(request.query);
      const page = await store.listReferrals(query);
      return send(request, reply, { title: 'Referrals', section: '/referrals' }, () =>
        referralsPage(query, page, deps.now()),
      );
    },
  );

  const referralView = async (id: string): Promise<ReferralView | undefined> => {
    const key = toReferralKey(id);
    const summary = await store.referralSummary(key);
    if (!summary) return undefined;
    const [timeline, inbox, dead] = await Promise.all([
      store.timeline(key, 100),
      store.inboxOf(key, 20),
      summary.outcome === 'dead-lettered'
        ? queue.deadLetters({ referralId: key, limit: 1 })
        : Promise.resolve([]),
    ]);
    return {
      summary,
      timeline,
      inbox,
      partnerCenterUrl: deps.referrals.urlOf(key),
      leadUrl: summary.leadId ? leadUrl(deps.crmConfig, summary.leadId) : undefined,
      deadLetterMessage: dead[0]
        ? `Dead-lettered after ${dead[0].attempts} attempts: ${dead[0].error.message}`
        : undefined,
      now: deps.now(),
    };
  };

  app.get<IdParams>('/referrals/:id', signedIn, async (request, reply) => {
    const view = request.params.id.trim() ? await referralView(request.params.id) : undefined;
    if (!view) {
      return send(
        request,
        reply,
        { title: 'Referral not found', section: '/referrals' },
        () =>
          html`<p>The connector knows nothing about referral <code>${request.params.id}</code>.</p><p><a href="/referrals">All referrals</a></p>`,
        404,
      );
    }
    const title = view.summary.record?.name ?? `Referral ${view.summary.referralId}`;
    return send(request, reply, { title, section: '/referrals' }, (csrf) => referralPage(view, csrf));
  });

  // The live part of a referral page alone, which the page polls while a sync is under way.
  app.get<IdParams>('/referrals/:id/live', signedIn, async (request, reply) => {
    const view = await referralView(request.params.id);
    if (!view) return reply.code(404).type('text/html; charset=utf-8').send('');
    return reply.type('text/html; charset=utf-8').send(toHtmlString(liveSection(view, reply.generateCsrf())));
  });

  app.get<{ Querystring: { reason?: string; replayed?: string } }>(
    '/dead-letters',
    signedIn,
    async (request, reply) => {
      const reason = request.query.reason || undefined;
      const [stats, letters] = await Promise.all([
        queue.stats(),
        queue.deadLetters({ ...(reason ? { code: reason } : {}), limit: DEAD_LETTERS_SHOWN }),
      ]);
      const names = new Map<string, string>();
      for (const letter of letters) {
        const name = (await store.referralSummary(letter.referralId))?.record?.name;
        if (name) names.set(letter.referralId, name);
      }
      const replayed = request.query.replayed === undefined ? undefined : Number(request.query.replayed);
      return send(request, reply, { title: 'Dead letters', section: '/dead-letters' }, (csrf) =>
        deadLettersPage(
          {
            reason,
            byCode: stats.deadByCode,
            letters,
            names,
            replayed: Number.isInteger(replayed) ? replayed : undefined,
            now: deps.now(),
          },
          csrf,
        ),
      );
    },
  );

  app.post<{ Body: { only?: string; referralId?: string | string[]; returnTo?: string } }>(
    '/dead-letters/replay',
    changing,
    async (request, reply) => {
      const body = request.body ?? {};
      // A row's own button names one referral; "Replay selected" takes the ticked boxes.
      const chosen = body.only ? [body.only] : [body.referralId ?? []].flat();
      let replayed = 0;
      for (const id of chosen)
        if (id.trim()) replayed += await queue.replay({ referralId: toReferralKey(id) });
      const returnTo = body.returnTo ? safeReturnPath(body.returnTo) : `/dead-letters?replayed=${replayed}`;
      return reply.redirect(returnTo, 303);
    },
  );

  app.get<{ Querystring: { reason?: string } }>(
    '/dead-letters/replay-reason',
    signedIn,
    async (request, reply) => {
      const reason = request.query.reason ?? '';
      const count = (await queue.stats()).deadByCode[reason] ?? 0;
      if (count === 0) return reply.redirect('/dead-letters', 303);
      return send(request, reply, { title: 'Replay dead letters', section: '/dead-letters' }, (csrf) =>
        confirmReplayPage(reason, count, csrf),
      );
    },
  );

  app.post<{ Body: { reason?: string; confirm?: string } }>(
    '/dead-letters/replay-reason',
    changing,
    async (request, reply) => {
      const reason = request.body?.reason ?? '';
      // Replaying a whole reason is only done from the confirmation page.
      if (request.body?.confirm !== 'yes' || reason === '')
        return reply.redirect(`/dead-letters/replay-reason?reason=${encodeURIComponent(reason)}`, 303);
      const replayed = await queue.replay({ code: reason });
      return reply.redirect(`/dead-letters?replayed=${replayed}`, 303);
    },
  );

  app.post('/webhooks/test', changing, async (_request, reply) => {
    const correlationId = await deps.webhooks.sendTestEvent();
    return reply.redirect(`/webhooks/test/${encodeURIComponent(correlationId)}`, 303);
  });

  app.get<IdParams>('/webhooks/test/:id', signedIn, async (request, reply) => {
    const result = await deps.webhooks
      .testEventResult(request.params.id)
      .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    return send(request, reply, { title: 'Test event', section: '/' }, () =>
      webhookTestPage(request.params.id, result),
    );
  });
}

function listQuery(query: Record<string, string | undefined>): ReferralListQuery {
  const offset = Number(query.offset ?? 0);
  const outcome = REFERRAL_OUTCOMES.includes(query.outcome as ReferralOutcome)
    ? (query.outcome as ReferralOutcome)
    : undefined;
  const search = query.q?.trim().slice(0, 200);
  return {
    ...(search ? { search } : {}),
    ...(query.status ? { status: query.status.slice(0, 40) } : {}),
    ...(outcome ? { outcome } : {}),
    offset: Number.isInteger(offset) && offset > 0 ? Math.min(offset, 10_000_000) : 0,
    limit: PAGE_SIZE,
  };
}
