/**
 * The emulated Partner Center Referrals API (`api.partner.microsoft.com/v1.0/engagements/referrals`),
 * mounted at `/partner-center/v1.0/engagements/referrals`, with its control routes and in-process state.
 */
import { DEV_CREDENTIALS, DEV_PARTNER, PARTNER_CENTER_AUDIENCES } from '../../credentials.ts';
import type { EmulatedService, EmulatorContext } from '../../shared/emulated-service.ts';
import type { PartnerOrganization } from './referral.ts';
import { createReferralStore } from './referral-store.ts';
import { createReferralsAuthenticator } from './referrals-auth.ts';
import { referralsControl } from './referrals-control.ts';
import { type ReferralsKnobs, referralsRoutes } from './referrals-routes.ts';
import { createReferralsState, type ReferralsState } from './referrals-state.ts';

export type ReferralsOptions = Partial<ReferralsKnobs> & {
  /** Generated referrals present at start. Default 0. */
  seedCount?: number;
  /** The partner's Entra tenant; tokens from others are refused. Default `DEV_CREDENTIALS.tenant`. */
  tenantId?: string;
  /** The organization owning the served referrals. Default `DEV_PARTNER`. */
  partner?: PartnerOrganization;
};

const HOST_PREFIX = '/partner-center';
const COLLECTION_PATH = '/v1.0/engagements/referrals';

export function createReferralsEmulator(
  ctx: EmulatorContext,
  options: ReferralsOptions = {},
): EmulatedService<ReferralsState> {
  const prefix = `${HOST_PREFIX}${COLLECTION_PATH}`;
  const knobs: ReferralsKnobs = {
    requireMfa: options.requireMfa ?? true,
    createStatus: options.createStatus ?? 200,
  };
  const store = createReferralStore({
    random: ctx.random.fork('referrals'),
    now: ctx.now,
    partner: options.partner ?? { ...DEV_PARTNER },
  });
  const servedAt = () => ({ origin: ctx.origin(), collectionPath: prefix });
  const state = createReferralsState(store, knobs, servedAt);
  if (options.seedCount) store.generate(options.seedCount);

  return {
    name: 'referrals',
    prefix,
    routes: referralsRoutes({
      store,
      knobs,
      traffic: ctx.traffic,
      servedAt,
      hostPrefix: HOST_PREFIX,
      authenticate: createReferralsAuthenticator({
        tokens: ctx.tokens,
        audience: PARTNER_CENTER_AUDIENCES.referrals,
        tenantId: options.tenantId ?? DEV_CREDENTIALS.tenant,
        requireMfa: () => knobs.requireMfa,
      }),
    }),
    control: referralsControl(state),
    state,
  };
}
