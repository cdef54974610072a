-- A verdict's labels carry each covered authorization's merchant, so that the scoring job's live
-- merchant risk counts an analyst's confirmed fraud within seconds. Rows written before this have
-- no merchant: their labels count for the card, not for a merchant.
ALTER TABLE alert_authorizations ADD COLUMN merchant_id TEXT;
