/**
 * Something the mapping could not carry over as-is. Never fatal: the lead is still written, and the sync
 * records the warnings on the referral's timeline so a person can see why a field is empty or shorter.
 */
export type MappingWarning = {
  code: MappingWarningCode;
  /** The LeadDraft field concerned, dotted (`address.country`; an extra CRM field as `extra.<name>`). */
  field: string;
  detail: string;
};

export type MappingWarningCode =
  | 'topic_missing'
  | 'company_missing'
  | 'contact_missing'
  | 'contact_name_missing'
  | 'contact_without_email'
  | 'email_invalid'
  | 'country_unrecognised'
  | 'currency_invalid'
  | 'amount_invalid'
  | 'amount_without_currency'
  | 'close_date_invalid'
  | 'description_truncated'
  | 'date_invalid'
  | 'field_truncated'
  | 'field_too_long';
