/**
 * The emulated HubSpot portal: CRM v3 objects (contacts, companies, deals, leads), batch, search,
 * associations v4, properties and pipelines, mounted at `/hubspot`, so that `${base}/crm/v3/objects/…`
 * are the real paths. See README.md for routes, control API, knobs and choices on unconfirmed points.
 */
import { DEV_HUBSPOT } from '../credentials.ts';
import type { EmulatedService, EmulatorContext } from '../shared/emulated-service.ts';
import { createTokenRegistry, type IssueTokenOptions, type TokenGrant } from './access-tokens.ts';
import { type Association, createAssociationStore } from './associations.ts';
import { createHubSpotControl } from './hubspot-control.ts';
import { validationError } from './hubspot-error.ts';
import { createHubSpotRoutes } from './hubspot-routes.ts';
import { objectJson } from './object-json.ts';
import { createObjectStore, type StoredObject } from './object-store.ts';
import { type ObjectName, resolveObjectType } from './object-types.ts';
import { createObjectWrites } from './object-writes.ts';
import {
  createPipelines,
  PIPELINE_PROPERTIES,
  type PipelineInput,
  type PipelineObject,
} from './pipelines.ts';
import { createPropertyCatalog, type PropertyDefinition, type PropertyInput } from './property-catalog.ts';
import { createRateLimits, type HubSpotRateLimits, type ThrottledCounts } from './rate-limits.ts';

export const HUBSPOT_SERVICE_PATH = '/hubspot';

export type HubSpotOptions = {
  /** The account (hub) id. Default: the development portal's. */
  portalId?: number;
  /** Scopes of the well-known development token. Default: every scope the emulator knows. */
  devTokenScopes?: readonly string[];
  /**
   * The portal admin's custom properties per object. Default: `referral_id`, unique text, on leads and on
   * deals; when given, these replace that set as a whole.
   */
  customProperties?: Partial<Record<ObjectName, readonly PropertyInput[]>>;
  /** Lead and deal pipelines, replacing the defaults (`lead-pipeline-id`, `default`). */
  pipelines?: Partial<Record<PipelineObject, readonly PipelineInput[]>>;
  /** Owner ids `hubspot_owner_id` accepts. Default: two owners. */
  ownerIds?: readonly string[];
  limits?: Partial<HubSpotRateLimits>;
  /** How long a write takes to become searchable. Default 0. */
  searchLagMs?: number;
  /** Records present at start (contacts, companies, deals; leads need a contact, so create them later). */
  records?: ReadonlyArray<{ objectType: string; properties: Record<string, string> }>;
};

/** A record as the control API and the in-process state show it. */
export type HubSpotRecord = {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
};

/** Associations written with a seeded or seller-made record: the default type unless one is named. */
export type RecordAssociation = { toObjectType: string; toObjectId: string; associationTypeId?: number };

export type HubSpotState = {
  /** The base URL: the real API's paths follow it. */
  baseUrl(): string;
  portalId: number;
  /** The well-known development private-app token. */
  accessToken: string;
  /** Records of a type (live ones, or the archived ones). */
  objects(objectType: string, options?: { archived?: boolean }): HubSpotRecord[];
  object(objectType: string, id: string): HubSpotRecord | undefined;
  /** The first live record whose property equals the value (e.g. `referral_id`). */
  findByProperty(objectType: string, property: string, value: string): HubSpotRecord | undefined;
  /** Someone creates a record in the portal: API validation and rules (a lead needs its contact). */
  create(
    objectType: string,
    input: { properties: Record<string, unknown>; associations?: readonly RecordAssociation[] },
  ): HubSpotRecord;
  /** A seller edits a record in the CRM: API validation; the last-modified datetime moves. */
  sellerUpdate(objectType: string, id: string, properties: Record<string, unknown>): HubSpotRecord;
  /** A seller moves a lead or deal to a stage (of its pipeline, or of `pipelineId`). */
  moveToStage(objectType: string, id: string, stageId: string, pipelineId?: string): HubSpotRecord;
  /** HubSpot recalculates something: last-modified moves, no visible value changes (spec C4). */
  touch(objectType: string, id: string): HubSpotRecord;
  archive(objectType: string, id: string): boolean;
  associations(objectType: string, id: string, toObjectType: string): Association[];
  properties(objectType: string): PropertyDefinition[];
  /** A portal admin creates a property (400/409 as the API answers). */
  createProperty(objectType: string, input: PropertyInput): PropertyDefinition;
  pipelines(objectType: string): readonly PipelineInput[];
  issueToken(options?: IssueTokenOptions): TokenGrant;
  revokeToken(token: string): boolean;
  limits(): HubSpotRateLimits;
  setLimits(changes: Partial<HubSpotRateLimits>): HubSpotRateLimits;
  /** Requests counted against today's daily budget. */
  dailyUsed(): number;
  /** 429s answered per policy (injected faults are counted in traffic). */
  throttled(): ThrottledCounts;
  /** Forgets the rate-limit windows and today's count. */
  resetUsage(): void;
  searchLagMs(): number;
  setSearchLagMs(ms: number): number;
};

export function createHubSpotEmulator(
  ctx: EmulatorContext,
  options: HubSpotOptions = {},
): EmulatedService<HubSpotState> {
  const random = ctx.random.fork('hubspot');
  const portalId = options.portalId ?? DEV_HUBSPOT.portalId;
  let searchLagMs = readLag(options.searchLagMs ?? 0);
  const catalog = createPropertyCatalog({
    now: ctx.now,
    ...(options.customProperties ? { custom: options.customProperties } : {}),
  });
  const pipelines = createPipelines({
    createdAtMs: ctx.now(),
    ...(options.pipelines ? { pipelines: options.pipelines } : {}),
  });
  // Archived records drop out of association lists; `store` exists by the time this is called.
  const associations = createAssociationStore({
    isLive: (ref) => store.get(ref.type, ref.id)?.archived === false,
  });
  // isUnique is late-bound: the writes own the rule and the store needs it.
  const unique = { check: (_type: ObjectName, _property: string) => false };
  const store = createObjectStore({
    random: random.fork('ids'),
    isUnique: (type, property) => unique.check(type, property),
  });
  const writes = createObjectWrites({
    portalId,
    now: ctx.now,
    searchLagMs: () => searchLagMs,
    catalog,
    pipelines,
    ownerIds: options.ownerIds ?? ['41000001', '41000002'],
    store,
    associations,
  });
  unique.check = writes.isUnique;
  const tokens = createTokenRegistry({ random: random.fork('tokens'), now: ctx.now });
  tokens.issue({
    token: DEV_HUBSPOT.accessToken,
    ...(options.devTokenScopes ? { scopes: options.devTokenScopes } : {}),
  });
  const rateLimits = createRateLimits({
    now: ctx.now,
    portalId,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const api = { portalId, now: ctx.now, catalog, pipelines, store, associations, writes };

  const record = (objectType: string, object: StoredObject): HubSpotRecord => {
    const json = objectJson(resolveObjectType(objectType), object, { kind: 'all' }, () => true);
    return json as HubSpotRecord;
  };
  const live = (objectType: string, id: string) => {
    const type = resolveObjectType(objectType);
    const object = writes.locate(type, id);
    if (!object) throw validationError(`${type.upperName} ${id} does not exist or is archived`);
    return { type, object };
  };

  const state: HubSpotState = {
    baseUrl: () => `${ctx.origin()}${HUBSPOT_SERVICE_PATH}`,
    portalId,
    accessToken: DEV_HUBSPOT.accessToken,
    objects: (objectType, filter = {}) =>
      store
        .all(resolveObjectType(objectType).name)
        .filter((object) => object.archived === (filter.archived ?? false))
        .map((object) => record(objectType, object)),
    object(objectType, id) {
      const object = store.get(resolveObjectType(objectType).name, id);
      return object ? record(objectType, object) : undefined;
    },
    findByProperty(objectType, property, value) {
      const object = store
        .all(resolveObjectType(objectType).name)
        .find((candidate) => !candidate.archived && candidate.properties[property] === value);
      return object ? record(objectType, object) : undefined;
    },
    create(objectType, input) {
      const type = resolveObjectType(objectType);
      const links = (input.associations ?? []).map((association) => {
        const target = resolveObjectType(association.toObjectType);
        const typeId =
          association.associationTypeId ?? associations.defaultType(type.name, target.name)?.typeId;
        return {
          to: { id: association.toObjectId },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
        };
      });
      const created = writes.create(
        type,
        writes.readProperties(type, input.properties),
        writes.readAssociations(type, links),
      );
      return record(objectType, created);
    },
    sellerUpdate(objectType, id, properties) {
      const { type, object } = live(objectType, id);
      return record(objectType, writes.update(type, object, writes.readProperties(type, properties)));
    },
    moveToStage(objectType, id, stageId, pipelineId) {
      const { type } = live(objectType, id);
      if (!pipelines.supports(type.name)) throw validationError(`${type.upperName} records have no stages`);
      const names = PIPELINE_PROPERTIES[type.name];
      return state.sellerUpdate(objectType, id, {
        [names.stage]: stageId,
        ...(pipelineId ? { [names.pipeline]: pipelineId } : {}),
      });
    },
    touch(objectType, id) {
      const { type, object } = live(objectType, id);
      return record(objectType, writes.touch(type, object));
    },
    archive(objectType, id) {
      const type = resolveObjectType(objectType);
      const object = writes.locate(type, id);
      if (!object) return false;
      writes.archive(type, object);
      return true;
    },
    associations: (objectType, id, toObjectType) =>
      associations.list(
        { type: resolveObjectType(objectType).name, id },
        resolveObjectType(toObjectType).name,
      ),
    properties: (objectType) => catalog.list(resolveObjectType(objectType).name),
    createProperty: (objectType, input) => catalog.create(resolveObjectType(objectType).name, input),
    pipelines(objectType) {
      const { name } = resolveObjectType(objectType);
      return pipelines.supports(name) ? pipelines.list(name) : [];
    },
    issueToken: (issue) => tokens.issue(issue),
    revokeToken: (token) => tokens.revoke(token),
    limits: () => rateLimits.limits(),
    setLimits: (changes) => rateLimits.setLimits(changes),
    dailyUsed: () => rateLimits.dailyUsed(),
    throttled: () => rateLimits.throttled(),
    resetUsage: () => rateLimits.resetUsage(),
    searchLagMs: () => searchLagMs,
    setSearchLagMs(ms) {
      searchLagMs = readLag(ms);
      return searchLagMs;
    },
  };
  for (const seed of options.records ?? []) state.create(seed.objectType, { properties: seed.properties });

  return {
    name: 'hubspot',
    prefix: HUBSPOT_SERVICE_PATH,
    routes: createHubSpotRoutes({
      ctx,
      servicePath: HUBSPOT_SERVICE_PATH,
      random: random.fork('http'),
      tokens,
      rateLimits,
      api,
    }),
    control: createHubSpotControl({ state }),
    state,
  };
}

function readLag(ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
    throw new TypeError(`hubspot searchLagMs must be a non-negative number, got ${String(ms)}`);
  return ms;
}
