/**
 * What differs between the two HubSpot objects a referral may become (spec crm.md §C6, §C7, §C8): the
 * stage and pipeline properties, the association types to the customer's contact and company, and where
 * a seller writes why the record was lost.
 */
import type { HubSpotObject } from './hubspot-config.ts';

export type RecordKind = {
  object: HubSpotObject;
  /** For messages: "lead 123", "deal 456". */
  label: 'lead' | 'deal';
  pipelineProperty: string;
  stageProperty: string;
  /** The name property a record needs on create (the referral's topic). */
  nameProperty: string;
  /** HUBSPOT_DEFINED association types from this object to the contact and to the company. */
  contactAssociationTypeId: number;
  companyAssociationTypeId: number;
  /** A seller's reason for a lost record; asked for by name and left out where the portal has none [U]. */
  reasonProperty: string;
};

export const RECORD_KINDS: Record<HubSpotObject, RecordKind> = {
  leads: {
    object: 'leads',
    label: 'lead',
    pipelineProperty: 'hs_pipeline',
    stageProperty: 'hs_pipeline_stage',
    nameProperty: 'hs_lead_name',
    // 578: lead → primary contact, the association a lead must be created with (§C6).
    contactAssociationTypeId: 578,
    // 580: lead → primary company (610 is the unlabelled one).
    companyAssociationTypeId: 580,
    reasonProperty: 'hs_lead_disqualification_reason',
  },
  deals: {
    object: 'deals',
    label: 'deal',
    pipelineProperty: 'pipeline',
    stageProperty: 'dealstage',
    nameProperty: 'dealname',
    contactAssociationTypeId: 3,
    // 5: deal → primary company (341 is the unlabelled one).
    companyAssociationTypeId: 5,
    reasonProperty: 'closed_lost_reason',
  },
};

/** Every CRM object's last-modified datetime except contacts' (§C4). */
export const LAST_MODIFIED = 'hs_lastmodifieddate';
