-- links.last_write_back_hash was never computed (always NULL) and nothing read it. The sync needs no such
-- hash: the write-back is a diff of the lead's state against the referral just read, so a write-back that
-- would change nothing has no operations and is skipped already (mapLeadToReferralChanges).
ALTER TABLE links DROP COLUMN last_write_back_hash;
