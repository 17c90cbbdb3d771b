-- When a waiting guest last asked (each status request): hosts only see guests still waiting, not
-- every tab that was closed while it waited.
ALTER TABLE participants ADD COLUMN seen_at BIGINT;
